// The mask geometry every place that shows footage relies on (R7).
import { describe, expect, it } from 'vitest';
import { masksShownFor, pointInPolygon, rasterizeMasks, type MaskShape } from './privacy-masks';

const square = (x: number, y: number, s: number): MaskShape => ({ kind: 'permanent', points: [[x, y], [x + s, y], [x + s, y + s], [x, y + s]] });

describe('rasterizeMasks', () => {
  it('covers every pixel a polygon touches, and nothing more than one pixel beyond it', () => {
    // 0.1..0.3 of 100 px: pixels 10..29 inside; 9 and 30 touch the edge's grown band.
    const cover = rasterizeMasks([square(0.1, 0.1, 0.2)], 100, 100);
    const at = (x: number, y: number) => cover[y * 100 + x]!;
    for (let y = 10; y < 30; y++) for (let x = 10; x < 30; x++) expect(at(x, y)).toBe(255);
    expect(at(8, 20)).toBe(0);
    expect(at(31, 20)).toBe(0);
    expect(at(20, 31)).toBe(0);
  });

  it('never leaves a sliver uncovered when the edges fall between pixels, at any size', () => {
    const shape: MaskShape = { kind: 'permanent', points: [[0.123, 0.077], [0.611, 0.141], [0.502, 0.733], [0.171, 0.5]] };
    for (const [w, h] of [[640, 360], [1280, 720], [352, 288]] as const) {
      const cover = rasterizeMasks([shape], w, h);
      // Every pixel whose centre lies inside the polygon is covered (sampled on a fine grid).
      for (let i = 0; i < 2000; i++) {
        const fx = 0.1 + ((i * 7919) % 1000) / 1000 * 0.6;
        const fy = 0.05 + ((i * 104729) % 1000) / 1000 * 0.7;
        if (!pointInPolygon(shape.points, fx, fy)) continue;
        expect(cover[Math.floor(fy * h) * w + Math.floor(fx * w)], `${w}x${h} at ${fx},${fy}`).toBe(255);
      }
    }
  });
});

describe('masksShownFor', () => {
  const v1 = { fromMs: 1000, toMs: 2000, masks: [square(0.1, 0.1, 0.1)] };
  const v2 = { fromMs: 2000, toMs: 3000, masks: [square(0.5, 0.5, 0.1)] };
  const v3 = { fromMs: 3000, toMs: null, masks: [square(0.7, 0.1, 0.1), square(0.5, 0.5, 0.1)] };

  it('footage is shown with every version in force while it was recorded and the current one', () => {
    expect(masksShownFor([v1, v2, v3], 1500, 1600)).toEqual([v1.masks[0], ...v3.masks]);
    expect(masksShownFor([v1, v2, v3], 1500, 2500)).toEqual([v1.masks[0], v2.masks[0], v3.masks[0]]);
    expect(masksShownFor([v1, v2, v3], 500, 900)).toEqual(v3.masks);
    expect(masksShownFor([v1, v2, v3], 5000, 6000)).toEqual(v3.masks);
    expect(masksShownFor([], 0, 1)).toEqual([]);
  });

  it('at a boundary both versions count: the frame recorded as a mask changed is covered by both', () => {
    expect(masksShownFor([v1, v2, v3], 1200, 2000)).toEqual([v1.masks[0], v2.masks[0], v3.masks[0]]);
  });
});
