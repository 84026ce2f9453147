import { describe, expect, it } from 'vitest';
import { boxProblem, fitRect, keyframeNear, newBox, rectAt, rectFromCorners, removeKeyframe, setKeyframe, toRedactions } from './redaction-model';

const k = (atMs: number, x: number, y: number, w = 0.1, h = 0.2) => ({ atMs, x, y, w, h });

describe('redaction keyframes', () => {
  it('holds before the first key and after the last, and is linear between', () => {
    const keys = [k(1000, 0.1, 0.1), k(3000, 0.5, 0.3, 0.3, 0.4)];
    expect(rectAt([], 0)).toBeNull();
    expect(rectAt(keys, 0)).toEqual({ x: 0.1, y: 0.1, w: 0.1, h: 0.2 });
    expect(rectAt(keys, 9000)).toEqual({ x: 0.5, y: 0.3, w: 0.3, h: 0.4 });
    const mid = rectAt(keys, 2000)!;
    expect(mid.x).toBeCloseTo(0.3);
    expect(mid.y).toBeCloseTo(0.2);
    expect(mid.w).toBeCloseTo(0.2);
    expect(mid.h).toBeCloseTo(0.3);
  });

  it('setting a key replaces one at the same time and keeps time order', () => {
    let keys = setKeyframe([], 5000, { x: 0.2, y: 0.2, w: 0.1, h: 0.1 });
    keys = setKeyframe(keys, 1000, { x: 0.1, y: 0.1, w: 0.1, h: 0.1 });
    keys = setKeyframe(keys, 5200, { x: 0.4, y: 0.4, w: 0.1, h: 0.1 }, 500);
    expect(keys.map((x) => x.atMs)).toEqual([1000, 5200]);
    expect(keys[1]!.x).toBe(0.4);
    expect(keyframeNear(keys, 5000, 300)?.atMs).toBe(5200);
    expect(keyframeNear(keys, 3000, 300)).toBeNull();
    expect(removeKeyframe(keys, 1000).map((x) => x.atMs)).toEqual([5200]);
  });

  it('a drawn rectangle is clipped to the picture and has the minimum size', () => {
    expect(rectFromCorners(0.8, 0.9, 0.2, 0.1)).toEqual({ x: 0.2, y: 0.1, w: expect.closeTo(0.6) as number, h: expect.closeTo(0.8) as number });
    expect(rectFromCorners(-0.5, 0.5, 0.3, 1.7)).toMatchObject({ x: 0, y: 0.5 });
    expect(rectFromCorners(0.5, 0.5, 0.5, 0.5)).toEqual({ x: 0.5, y: 0.5, w: 0.01, h: 0.01 });
    expect(fitRect({ x: 0.95, y: 0.95, w: 0.2, h: 0.2 })).toEqual({ x: expect.closeTo(0.8) as number, y: expect.closeTo(0.8) as number, w: 0.2, h: 0.2 });
  });

  it('only labelled boxes with keys are sent, rounded and inside the picture', () => {
    const good = newBox(3, ' Passer-by ', 1000, { x: 0.123456, y: 0.5, w: 0.2, h: 0.3 });
    const unlabelled = { ...newBox(3, '', 1000, { x: 0, y: 0, w: 0.1, h: 0.1 }) };
    expect(boxProblem(unlabelled)).toBe('label');
    expect(boxProblem({ ...good, keyframes: [] })).toBe('noKeys');
    expect(toRedactions([good, unlabelled])).toEqual([{ cameraId: 3, label: 'Passer-by', keyframes: [{ atMs: 1000, x: 0.1235, y: 0.5, w: 0.2, h: 0.3 }] }]);
  });
});
