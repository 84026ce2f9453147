import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/contract';
import { coalescer, isEventOf, touchesCameras } from './engine-events';

const hold: EngineEvent = { type: 'hold.placed', seq: 1, atMs: 0, holdId: 4, cameraIds: [2, 3] };
const created: EngineEvent = { type: 'export.created', seq: 2, atMs: 0, exportId: 9 };

describe('which events concern a screen', () => {
  it('matches by kind', () => {
    expect(isEventOf(['hold.placed', 'hold.released'], hold)).toBe(true);
    expect(isEventOf(['hold.released'], hold)).toBe(false);
  });

  it('matches record events by camera, and events without cameras always', () => {
    expect(touchesCameras(hold, new Set([3]))).toBe(true);
    expect(touchesCameras(hold, new Set([7]))).toBe(false);
    expect(touchesCameras(hold, null)).toBe(true);
    expect(touchesCameras(created, new Set([7]))).toBe(true);
  });
});

describe('a burst of events costs one reload', () => {
  function fakeTimers() {
    const due: (() => void)[] = [];
    return {
      timers: {
        set: (fn: () => void) => (due.push(fn), due.length) as unknown as ReturnType<typeof setTimeout>,
        clear: (id: ReturnType<typeof setTimeout>) => void (due[(id as unknown as number) - 1] = () => {}),
      },
      fire: () => due.splice(0).forEach((fn) => fn()),
    };
  }

  it('folds pokes during the wait into one run, then runs again for later pokes', () => {
    const f = fakeTimers();
    let runs = 0;
    const c = coalescer(() => runs++, 250, f.timers);
    for (let i = 0; i < 50; i++) c.poke();
    expect(c.pending).toBe(true);
    f.fire();
    expect(runs).toBe(1);
    c.poke();
    f.fire();
    expect(runs).toBe(2);
  });

  it('with the default timers, runs on its own (setTimeout is not called with another this)', async () => {
    let runs = 0;
    const strictThis = globalThis.setTimeout;
    // A browser refuses setTimeout called as a method of another object ("Illegal invocation"):
    // the default timers must call it as a plain function.
    globalThis.setTimeout = function (this: unknown, ...args: Parameters<typeof setTimeout>) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return strictThis(...args);
    } as typeof setTimeout;
    try {
      coalescer(() => runs++, 5).poke();
    } finally {
      globalThis.setTimeout = strictThis;
    }
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(1);
  });

  it('runs nothing after cancel (the screen went away)', () => {
    const f = fakeTimers();
    let runs = 0;
    const c = coalescer(() => runs++, 250, f.timers);
    c.poke();
    c.cancel();
    f.fire();
    expect(runs).toBe(0);
    expect(c.pending).toBe(false);
  });
});
