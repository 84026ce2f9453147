// A list read page by page (keyset paging by id, newest first): the first page through useCommand,
// more pages on "load more", merged without repeats (paging.ts). A new filter or a reload starts
// again from the first page and forgets the pages loaded for the old one.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import type { CommandName, RequestOf, ResponseOf } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { appendPage, withReplaced } from './paging';
import { useCommand } from './use-command';

export interface Page<T> {
  items: readonly T[];
  /** The cursor of the next page, null on the last one. */
  next: number | null;
}

export interface PagedState<T> {
  /** Every record loaded so far, null before the first page. */
  items: T[] | null;
  error: CommandError | null;
  loading: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  settledAtMs: number;
  loadMore: () => void;
  reload: () => void;
  /** Shows a changed record in place (the engine's answer to a change) until the next reload. */
  replace: (item: T) => void;
}

interface More<R, T> {
  /** The first page these belong to: another first page (new filter, reload) makes them stale. */
  base: R | null;
  items: T[];
  /** The cursor after the last page loaded here; undefined until one was. */
  next: number | null | undefined;
  loading: boolean;
  error: CommandError | null;
  replaced: Map<number, T>;
}

/**
 * `request(cursor)` makes the request for the page after `cursor` (null: the first page); a null
 * `request` loads nothing. `page` reads the records and the next cursor from an answer.
 */
export function usePagedCommand<N extends CommandName, T extends { id: number }>(
  name: N,
  request: ((cursor: number | null) => RequestOf<N>) | null,
  deps: DependencyList,
  page: (response: ResponseOf<N>) => Page<T>,
): PagedState<T> {
  const api = useApi();
  const first = useCommand(name, request ? request(null) : null, deps);
  const [more, setMore] = useState<More<ResponseOf<N>, T>>({ base: null, items: [], next: undefined, loading: false, error: null, replaced: new Map() });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const base = first.value;
  const current = more.base !== null && more.base === base ? more : null;
  const firstPage = base ? page(base) : null;
  const next = current?.next !== undefined ? current.next : (firstPage?.next ?? null);
  const items = firstPage ? withReplaced(appendPage(firstPage.items, current?.items ?? []), current?.replaced ?? new Map()) : null;

  const loadMore = useCallback(() => {
    if (!request || base === null || next === null || first.loading) return;
    const cursor = next;
    setMore((m) => ({ ...(m.base === base ? m : { items: [], next: undefined, replaced: new Map() }), base, loading: true, error: null }));
    void api.call(name, request(cursor)).then((r) => {
      if (!mounted.current) return;
      setMore((m) => {
        if (m.base !== base) return m; // a new filter or a reload came first
        if (!r.ok) return { ...m, loading: false, error: r.error };
        const answer = page(r.value);
        return { ...m, loading: false, items: appendPage(m.items, answer.items), next: answer.next };
      });
    });
  }, [api, name, request, page, base, next, first.loading]);

  const replace = useCallback(
    (item: T) => setMore((m) => (m.base === base ? { ...m, replaced: new Map(m.replaced).set(item.id, item) } : { base, items: [], next: undefined, loading: false, error: null, replaced: new Map([[item.id, item]]) })),
    [base],
  );

  return {
    items,
    error: current?.error ?? first.error,
    loading: first.loading,
    loadingMore: current?.loading ?? false,
    hasMore: next !== null,
    settledAtMs: first.settledAtMs,
    loadMore,
    reload: first.reload,
    replace,
  };
}
