// The configured incident categories, loaded once per component that needs them.
import i18next from 'i18next';
import type { IncidentCategoryView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useCommand } from '../kit/use-command';

export function useIncidentCategories(): { categories: IncidentCategoryView[] | null; error: CommandError | null } {
  const loaded = useCommand('incidents.categories', {}, []);
  return { categories: loaded.value?.categories ?? null, error: loaded.error };
}

/** Active categories as select options; a single active category is chosen for the user. */
export function activeCategoryOptions(categories: readonly IncidentCategoryView[] | null): { value: string; label: string }[] {
  return (categories ?? []).filter((c) => c.active).map((c) => ({ value: c.key, label: categoryName(c.key, c.label) }));
}

/**
 * A category's name in the interface language: the categories a fresh install offers, while their
 * name is still the one they came with, are translated; a name an administrator gave is shown as
 * written (administrators naming a category in every language is not possible yet).
 */
export function categoryName(key: string, label: string): string {
  const shipped = `incidents.defaultCategories.${key}`;
  if (!i18next.exists(shipped) || i18next.getFixedT('en')(shipped) !== label) return label;
  return i18next.t(shipped);
}
