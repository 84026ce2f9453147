// When a socket transport tries again after losing the engine: capped exponential backoff with
// jitter, so a room of seats does not knock on a restarted engine all in the same instant
// (docs/design/site-engine.md "The Node seat client": the same 5 s cap).
export const RECONNECT_FIRST_MS = 500;
export const RECONNECT_MAX_MS = 5000;
/** Each delay is moved by up to this share either way (never past the cap). */
export const RECONNECT_JITTER = 0.2;

/** The wait before attempt `failures + 1` after a loss (`failures`: attempts that failed so far, 0 after the loss itself). */
export function reconnectDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.max(0, Math.min(failures, 16)));
  const jittered = base * (1 + (random() * 2 - 1) * RECONNECT_JITTER);
  return Math.round(Math.min(RECONNECT_MAX_MS, Math.max(RECONNECT_FIRST_MS * (1 - RECONNECT_JITTER), jittered)));
}

/** Whole seconds until `atMs` (never below 0), for "next attempt in N s". */
export function secondsUntil(atMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((atMs - nowMs) / 1000));
}
