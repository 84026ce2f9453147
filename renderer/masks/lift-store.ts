// Lifts of liftable privacy masks on this console (R7; docs/design/privacy-masks.md "Lifting"): the
// engine grants a lift for this session, with a reason, for a limited time, and says so with every
// live view and playback session it opens afterwards. Every tile and playback picture of the
// camera reads this store, so a lift shows (and ends) on all of them at once. Times are kept on
// this machine's clock from the engine's `remainingMs`, so a clock difference between the seat and
// the engine does not lengthen a lift.
import type { MaskLift } from '../../shared/contract';

export interface LiftEntry {
  /** This machine's clock when the lift ends. */
  endsAtMs: number;
  /** The engine's clock when it ends (shown as "until hh:mm"). */
  untilMs: number;
}

const lifts = new Map<number, LiftEntry>();
const listeners = new Set<() => void>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();
let version = 0;

function changed() {
  version += 1;
  for (const l of listeners) l();
}

/** What the engine said about a camera's lift (null: none, or it ended). */
export function noteLift(cameraId: number, lift: MaskLift | null): void {
  clearTimeout(timers.get(cameraId));
  timers.delete(cameraId);
  if (!lift || lift.remainingMs <= 0) {
    if (lifts.delete(cameraId)) changed();
    return;
  }
  const entry = { endsAtMs: Date.now() + lift.remainingMs, untilMs: lift.untilMs };
  const prev = lifts.get(cameraId);
  lifts.set(cameraId, entry);
  timers.set(
    cameraId,
    setTimeout(() => noteLift(cameraId, null), lift.remainingMs),
  );
  if (!prev || prev.endsAtMs !== entry.endsAtMs) changed();
}

/** The camera's lift while it lasts. */
export function liftOf(cameraId: number): LiftEntry | null {
  const e = lifts.get(cameraId);
  return e && e.endsAtMs > Date.now() ? e : null;
}

/** Every lift ends (sign-out, lock: the engine ended them too). */
export function forgetLifts(): void {
  for (const t of timers.values()) clearTimeout(t);
  timers.clear();
  if (lifts.size) {
    lifts.clear();
    changed();
  }
}

export function subscribeLifts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function liftsVersion(): number {
  return version;
}
