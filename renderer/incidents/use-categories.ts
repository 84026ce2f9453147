// The configured incident categories, loaded once per component that needs them.
import type { IncidentCategoryView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useCommand } from '../kit/use-command';

export function useIncidentCategories(): { categories: IncidentCategoryView[] | null; error: CommandError | null } {
  const loaded = useCommand('incidents.categories', {}, []);
  return { categories: loaded.value?.categories ?? null, error: loaded.error };
}

/** Active categories as select options; a single active category is chosen for the user. */
export function activeCategoryOptions(categories: readonly IncidentCategoryView[] | null): { value: string; label: string }[] {
  return (categories ?? []).filter((c) => c.active).map((c) => ({ value: c.key, label: c.label }));
}
