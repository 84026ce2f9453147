import { describe, expect, it } from 'vitest';
import { RECONNECT_FIRST_MS, RECONNECT_JITTER, RECONNECT_MAX_MS, reconnectDelayMs, secondsUntil } from './reconnect';

describe('reconnect backoff', () => {
  const middle = () => 0.5; // no jitter

  it('doubles from the first delay and is capped', () => {
    expect([0, 1, 2, 3, 4, 5, 30].map((n) => reconnectDelayMs(n, middle))).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('never waits past the cap or below the jittered first delay, whatever the jitter', () => {
    for (const failures of [0, 1, 2, 3, 10, 1000, -3]) {
      for (const r of [0, 0.01, 0.5, 0.99, 0.999999]) {
        const d = reconnectDelayMs(failures, () => r);
        expect(d).toBeLessThanOrEqual(RECONNECT_MAX_MS);
        expect(d).toBeGreaterThanOrEqual(RECONNECT_FIRST_MS * (1 - RECONNECT_JITTER));
      }
    }
  });

  it('spreads seats that lost the engine at the same moment', () => {
    const delays = [0.05, 0.3, 0.6, 0.95].map((r) => reconnectDelayMs(2, () => r));
    expect(new Set(delays).size).toBe(4);
  });

  it('counts whole seconds to the next attempt, never negative', () => {
    expect(secondsUntil(10_000, 7_100)).toBe(3);
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 12_000)).toBe(0);
  });
});
