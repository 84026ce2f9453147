// The 72-hour clock as the screens show it (docs/design/breaches.md; BRN 37): the engine's rule
// (shared/contract breachClockAt) recomputed each second on this seat, and its colour.
import { breachClockAt, type BreachClock, type BreachView } from '../../shared/contract';

/** Grey while running, amber from 48 h, red when missed, green once notified, plain when not required. */
export const CLOCK_COLOURS: Readonly<Record<BreachClock['state'], string>> = {
  running: 'gray',
  warning: 'orange',
  missed: 'red',
  notified: 'green',
  not_required: 'dark',
};

/** The clock of `b` at `nowMs`. */
export function clockOf(b: BreachView, nowMs: number): BreachClock {
  return breachClockAt({ discoveredAtMs: b.discoveredAtMs, category: b.category, authorityNotifiedAtMs: b.authorityNotification?.atMs ?? null }, nowMs);
}

/** Whole hours and minutes of a duration (rounded down; never negative). */
export function hoursMinutes(ms: number): { hours: number; minutes: number } {
  const total = Math.max(0, Math.floor(ms / 60_000));
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}
