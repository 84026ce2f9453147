// One way for a screen to read from the engine (a screen is composed from a small kit,
// renderer/kit/README.md): the command's answer, its error and whether a load is under way, loaded again when the
// caller's deps change or on reload(), optionally polled. An answer that arrives after the deps
// changed, after a newer load or after the screen is gone is dropped, so a slow answer never
// overwrites a newer one and nothing is set on an unmounted component.
import { useCallback, useEffect, useState, type DependencyList } from 'react';
import type { CommandName, RequestOf, ResponseOf } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';

export interface CommandState<T> {
  /** The last answer (kept while a new load runs and after a failed one), null before the first. */
  value: T | null;
  /** The last load's error, null after a successful one. */
  error: CommandError | null;
  /** From a new request or a reload until its answer. */
  loading: boolean;
  /** When the last answer or error arrived (for "time left" wordings computed against it). */
  settledAtMs: number;
  reload: () => void;
  /** Replaces the value held, e.g. with what a change command answered. The next load replaces it again. */
  setValue: (update: (value: T | null) => T | null) => void;
}

export interface CommandOptions {
  /** Ask again every so often while mounted (only for commands the audit log does not record). */
  pollMs?: number;
}

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

interface Settled<T> {
  load: object | null;
  value: T | null;
  error: CommandError | null;
  atMs: number;
}

/**
 * Calls `name` with `request` now and again whenever `deps` change (what the request is made of,
 * as for useMemo) or reload() is called. A null request calls nothing (not permitted, or the input
 * is not complete yet).
 */
export function useCommand<N extends CommandName>(name: N, request: RequestOf<N> | null, deps: DependencyList, options: CommandOptions = {}): CommandState<ResponseOf<N>> {
  const api = useApi();
  const [reloads, setReloads] = useState(0);
  const enabled = request !== null;
  // One object per load: a change of deps (compared as React compares them), of `enabled` or a
  // reload makes a new one, during this very render (state adjusted while rendering, as React
  // documents for values derived from earlier renders), so `loading` is true at once.
  const key: DependencyList = [api, name, reloads, enabled, ...deps];
  const [tracked, setTracked] = useState(() => ({ key, load: { request } }));
  let load = tracked.load;
  if (!sameDeps(tracked.key, key)) {
    load = { request };
    setTracked({ key, load });
  }
  const [settled, setSettled] = useState<Settled<ResponseOf<N>>>({ load: null, value: null, error: null, atMs: 0 });
  const pollMs = options.pollMs;

  useEffect(() => {
    const current = load.request;
    if (current === null) return;
    let cancelled = false;
    const run = async () => {
      const r = await api.call(name, current);
      if (cancelled) return;
      const atMs = Date.now();
      setSettled((s) => (r.ok ? { load, value: r.value, error: null, atMs } : { load, value: s.value, error: r.error, atMs }));
    };
    void run();
    const timer = pollMs ? setInterval(() => void run(), pollMs) : null;
    return () => {
      cancelled = true;
      if (timer) clearInterval(timer);
    };
  }, [api, name, load, pollMs]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const setValue = useCallback((update: (value: ResponseOf<N> | null) => ResponseOf<N> | null) => setSettled((s) => ({ ...s, value: update(s.value) })), []);
  return { value: settled.value, error: settled.error, loading: enabled && settled.load !== load, settledAtMs: settled.atMs, reload, setValue };
}
