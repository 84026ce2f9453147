// How a screen follows the engine (docs/design/events.md): it reacts to the events it cares about
// and reloads its lists after a reconnect or a loss of events, since nothing is replayed.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { EngineEventType } from '../../shared/contract';
import { useApi } from '../api/api-context';
import type { ConnectionInfo } from '../api/connection';
import { coalescer, isEventOf, type EventOf } from './engine-events';

/** Reload wait after an event: a burst (a production's progress, a wall of cameras) becomes one reload. */
export const EVENT_RELOAD_MS = 250;

/**
 * Calls `handler` for each pushed event of `kinds`. The handler may change between renders; the
 * subscription is made once per list of kinds.
 */
export function useEngineEvents<K extends EngineEventType>(kinds: readonly K[], handler: (event: EventOf<K>) => void): void {
  const api = useApi();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  const key = kinds.join(',');
  useEffect(() => {
    const wanted = key.split(',') as K[];
    return api.onEvent((event) => {
      if (isEventOf(wanted, event)) latest.current(event);
    });
  }, [api, key]);
}

/** Calls `handler` when what the screen shows may be stale: after a reconnect, or when the engine says events were lost. */
export function useEngineResync(handler: () => void): void {
  const api = useApi();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => api.onResync(() => latest.current()), [api]);
}

/**
 * The common case: `reload` once shortly after any event of `kinds` that `accept` lets through
 * (default: all), and after a resync. Bursts are folded into one reload.
 */
export function useReloadOn<K extends EngineEventType>(kinds: readonly K[], reload: () => void, accept?: (event: EventOf<K>) => boolean): void {
  const latest = useRef({ reload, accept });
  useEffect(() => {
    latest.current = { reload, accept };
  });
  const ref = useRef<ReturnType<typeof coalescer> | null>(null);
  useEffect(() => {
    const c = coalescer(() => latest.current.reload(), EVENT_RELOAD_MS);
    ref.current = c;
    return () => {
      c.cancel();
      ref.current = null;
    };
  }, []);
  useEngineEvents(kinds, (event) => {
    if (latest.current.accept && !latest.current.accept(event)) return;
    ref.current?.poke();
  });
  useEngineResync(() => ref.current?.poke());
}

/** The transport's connection: state, next attempt, refusal (one object per change). */
export function useConnection(): ConnectionInfo {
  const api = useApi();
  return useSyncExternalStore(api.connection.subscribe, api.connection.getInfo);
}
