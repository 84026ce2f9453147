// The configured incident categories, loaded once per component that needs them.
import { useEffect, useState } from 'react';
import type { IncidentCategoryView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';

export function useIncidentCategories(): { categories: IncidentCategoryView[] | null; error: CommandError | null } {
  const api = useApi();
  const [categories, setCategories] = useState<IncidentCategoryView[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  useEffect(() => {
    let cancelled = false;
    void api.call('incidents.categories', {}).then((r) => {
      if (cancelled) return;
      if (r.ok) setCategories(r.value.categories);
      else setError(r.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);
  return { categories, error };
}

/** Active categories as select options; a single active category is chosen for the user. */
export function activeCategoryOptions(categories: readonly IncidentCategoryView[] | null): { value: string; label: string }[] {
  return (categories ?? []).filter((c) => c.active).map((c) => ({ value: c.key, label: c.label }));
}
