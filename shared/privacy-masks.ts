// Privacy masks (R7; KRK §6.2-6.3, JON 8-9; docs/design/privacy-masks.md): polygons over a camera's
// picture, in fractions of its width and height so the main and the sub stream share them. A camera's
// masks change only by a new version; footage is shown with every version in force while it was
// recorded together with the version in force now, so moving a mask never uncovers old footage.
// Pure functions, used by the engine (exports, stills) and by the renderer (tiles, playback).

export const MASK_KINDS = ['permanent', 'liftable'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

/** A polygon's corner: [x, y] in fractions of the picture (0 = left/top, 1 = right/bottom). */
export type MaskPoint = [number, number];

export interface MaskShape {
  kind: MaskKind;
  points: MaskPoint[];
}

/** One version of a camera's masks, in force from `fromMs` until the next version (`toMs`, null: now). */
export interface MaskVersionSpan {
  fromMs: number;
  toMs: number | null;
  masks: readonly MaskShape[];
}

/**
 * The masks footage recorded between fromMs and toMs is shown with: every version in force at some
 * moment of the range, and the current version (the last). Identical shapes appear once. A
 * liftable shape that is also permanent in another version is kept as both (solid wins).
 */
export function masksShownFor(versions: readonly MaskVersionSpan[], fromMs: number, toMs: number): MaskShape[] {
  const out: MaskShape[] = [];
  const seen = new Set<string>();
  const add = (v: MaskVersionSpan) => {
    for (const m of v.masks) {
      const key = `${m.kind}:${m.points.map((p) => `${p[0]},${p[1]}`).join(';')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(m);
    }
  };
  for (const v of versions) if (v.fromMs <= toMs && (v.toMs === null || v.toMs > fromMs)) add(v);
  const current = versions.at(-1);
  if (current) add(current);
  return out;
}

/**
 * Pixels of a width x height picture covered by the shapes: 255 inside, 0 outside. Conservative:
 * a pixel any part of which a polygon touches is covered (the polygon is grown by one pixel's
 * diagonal before sampling pixel centres), so rounding never leaves a sliver uncovered.
 */
export function rasterizeMasks(shapes: readonly MaskShape[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (const s of shapes) {
    const pts = s.points.map(([x, y]) => [x * width, y * height] as const);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 1);
    const x1 = Math.min(width, Math.ceil(Math.max(...xs)) + 1);
    const y0 = Math.max(0, Math.floor(Math.min(...ys)) - 1);
    const y1 = Math.min(height, Math.ceil(Math.max(...ys)) + 1);
    for (let py = y0; py < y1; py++) {
      const cy = py + 0.5;
      for (let px = x0; px < x1; px++) {
        const i = py * width + px;
        if (out[i]) continue;
        const cx = px + 0.5;
        if (pointInPolygon(pts, cx, cy) || distanceToOutline(pts, cx, cy) <= Math.SQRT1_2 + 0.01) out[i] = 255;
      }
    }
  }
  return out;
}

/** Whether (x, y) lies inside the polygon (even-odd rule; any units, the same for both). */
export function pointInPolygon(pts: readonly (readonly [number, number])[], x: number, y: number): boolean {
  let c = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i]!;
    const [xj, yj] = pts[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** The distance from (x, y) to the polygon's outline (any units, the same for both). */
export function distanceToOutline(pts: readonly (readonly [number, number])[], x: number, y: number): number {
  let d2 = Infinity;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [ax, ay] = pts[j]!;
    const [bx, by] = pts[i]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    const ex = ax + t * dx - x;
    const ey = ay + t * dy - y;
    d2 = Math.min(d2, ex * ex + ey * ey);
  }
  return Math.sqrt(d2);
}

/** The smallest box around a shape, in fractions (for quick checks and labels). */
export function maskBounds(points: readonly MaskPoint[]): { x: number; y: number; w: number; h: number } {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}
