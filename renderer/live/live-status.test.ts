import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/contract';
import { applyCameraState, FAST_POLL_MS, nextPollMs, POLL_MS, SAFETY_POLL_MS, type CameraStatus } from './live-status';

type StateEvent = Extract<EngineEvent, { type: 'camera.state' }>;
const ev = (p: Partial<StateEvent>): StateEvent => ({ type: 'camera.state', seq: 1, atMs: 0, cameraId: 1, stream: 'main', state: 'live', sinceMs: 100, ...p });

const held: ReadonlyMap<number, CameraStatus> = new Map([
  [1, { main: { state: 'no_signal', detail: 'connection refused', transcoding: false, sinceMs: 50 }, sub: { state: 'connecting', detail: null, transcoding: true, sinceMs: 60 } }],
]);

describe('camera state events applied to the wall', () => {
  it('changes the stream named, drops the old state\'s words, keeps the other stream', () => {
    const next = applyCameraState(held, ev({ state: 'live', sinceMs: 120 }));
    expect(next.get(1)?.main).toEqual({ state: 'live', detail: null, transcoding: false, sinceMs: 120 });
    expect(next.get(1)?.sub).toBe(held.get(1)?.sub);
  });

  it('changes the sub stream and keeps whether it is transcoded', () => {
    const next = applyCameraState(held, ev({ stream: 'sub', state: 'live', sinceMs: 130 }));
    expect(next.get(1)?.sub).toEqual({ state: 'live', detail: null, transcoding: true, sinceMs: 130 });
    expect(next.get(1)?.main).toBe(held.get(1)?.main);
  });

  it('a repeated state is no change (same map, no re-render)', () => {
    expect(applyCameraState(held, ev({ state: 'no_signal', sinceMs: 50 }))).toBe(held);
  });

  it('a new period of the same state keeps its words', () => {
    expect(applyCameraState(held, ev({ state: 'no_signal', sinceMs: 90 })).get(1)?.main.detail).toBe('connection refused');
  });

  it('a camera the wall does not know waits for the next read', () => {
    expect(applyCameraState(held, ev({ cameraId: 99 }))).toBe(held);
  });

  it('with events only a slow safety poll is left; without, the wall polls as before', () => {
    expect(nextPollMs(true, false)).toBe(SAFETY_POLL_MS);
    expect(nextPollMs(false, false)).toBe(POLL_MS);
    expect(nextPollMs(false, true)).toBe(FAST_POLL_MS);
    expect(SAFETY_POLL_MS).toBeGreaterThanOrEqual(10_000);
  });
});
