// The configured incident categories, loaded once per component that needs them.
import i18next from 'i18next';
import type { CategoryNames, IncidentCategoryView } from '../../shared/contract';
import { isLanguage } from '../i18n';
import type { CommandError } from '../../shared/result';
import { useCommand } from '../kit/use-command';

export function useIncidentCategories(): { categories: IncidentCategoryView[] | null; error: CommandError | null } {
  const loaded = useCommand('incidents.categories', {}, []);
  return { categories: loaded.value?.categories ?? null, error: loaded.error };
}

/** Active categories as select options; a single active category is chosen for the user. */
export function activeCategoryOptions(categories: readonly IncidentCategoryView[] | null): { value: string; label: string }[] {
  return (categories ?? []).filter((c) => c.active).map((c) => ({ value: c.key, label: categoryName(c.key, c.label, c.names) }));
}

/**
 * A category's name in the interface language: the name an administrator gave it in that language;
 * else, for the categories a fresh install offers while their label is still the one they came
 * with, the shipped translation; else the label as written.
 */
export function categoryName(key: string, label: string, names: CategoryNames = {}): string {
  const own = isLanguage(i18next.language) ? names[i18next.language] : undefined;
  if (own) return own;
  const shipped = `incidents.defaultCategories.${key}`;
  if (!i18next.exists(shipped) || i18next.getFixedT('en')(shipped) !== label) return label;
  return i18next.t(shipped);
}
