// Pure helpers for screens that follow the engine's pushed events (docs/design/events.md): which
// events concern a screen, and a coalescer so a burst of events costs one reload, not one each
// (every list read of records is an audited command).
import type { EngineEvent, EngineEventType } from '../../shared/contract';

export type EventOf<K extends EngineEventType> = Extract<EngineEvent, { type: K }>;

export function isEventOf<K extends EngineEventType>(kinds: readonly K[], event: EngineEvent): event is EventOf<K> {
  return (kinds as readonly EngineEventType[]).includes(event.type);
}

/** Record events that name cameras: does one of them concern a screen showing `cameraIds` (null: any camera)? */
export function touchesCameras(event: EngineEvent, cameraIds: ReadonlySet<number> | null): boolean {
  if (!('cameraIds' in event)) return true;
  if (cameraIds === null) return true;
  return event.cameraIds.some((id) => cameraIds.has(id));
}

/**
 * Runs `run` once per quiet spell: the first call schedules it after `delayMs`; calls during the
 * wait are folded into that one. `cancel` drops a scheduled run (the screen went away).
 */
export interface Timers {
  set(run: () => void, delayMs: number): ReturnType<typeof setTimeout>;
  clear(timer: ReturnType<typeof setTimeout>): void;
}

/** The window's timers, called as plain functions (a browser's setTimeout refuses another `this`). */
const WINDOW_TIMERS: Timers = { set: (run, delayMs) => setTimeout(run, delayMs), clear: (timer) => clearTimeout(timer) };

export function coalescer(run: () => void, delayMs: number, timers: Timers = WINDOW_TIMERS) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    poke(): void {
      if (timer !== null) return;
      timer = timers.set(() => {
        timer = null;
        run();
      }, delayMs);
    },
    cancel(): void {
      if (timer !== null) timers.clear(timer);
      timer = null;
    },
    get pending(): boolean {
      return timer !== null;
    },
  };
}
