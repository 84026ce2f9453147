// Manual redaction boxes (docs/design/exports.md "Production"; JON 19: other people in a data subject's footage must not be
// identifiable). A box follows a region over time: positions at key times, linear in between and
// held before the first and after the last key, in fractions of the picture (0..1) so they hold
// for any resolution. The engine applies the same rule when it burns the boxes in.
import type { RedactionBox } from '../../shared/contract';
import { requestLimits } from '../kit/contract-limits';

export type Keyframe = RedactionBox['keyframes'][number];
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The contract's bounds for one box, read from exports.produce. */
const box = (...path: string[]) => requestLimits('exports.produce', 'redactions', '[]', ...path);
export const MIN_BOX_SIZE = box('keyframes', '[]', 'w').min ?? 0.01;
export const MAX_KEYFRAMES = box('keyframes').max ?? 1;
export const MAX_LABEL = box('label').max ?? 1;

export interface BoxDraft {
  key: number;
  cameraId: number;
  label: string;
  /** Sorted by atMs, no two at the same time. */
  keyframes: Keyframe[];
}

const clamp01 = (v: number) => Math.max(0, Math.min(1, v));
const lerp = (a: number, b: number, f: number) => a + (b - a) * f;

/** Where the box is at `atMs`: the key there, a straight line between the keys around it, or the nearest end key. */
export function rectAt(keyframes: readonly Keyframe[], atMs: number): Rect | null {
  const first = keyframes[0];
  if (!first) return null;
  if (atMs <= first.atMs) return pick(first);
  for (let i = 1; i < keyframes.length; i++) {
    const b = keyframes[i]!;
    if (atMs <= b.atMs) {
      const a = keyframes[i - 1]!;
      const f = b.atMs === a.atMs ? 1 : (atMs - a.atMs) / (b.atMs - a.atMs);
      return { x: lerp(a.x, b.x, f), y: lerp(a.y, b.y, f), w: lerp(a.w, b.w, f), h: lerp(a.h, b.h, f) };
    }
  }
  return pick(keyframes[keyframes.length - 1]!);
}

const pick = (k: Keyframe): Rect => ({ x: k.x, y: k.y, w: k.w, h: k.h });

/** A rectangle from two corners (any order), clipped to the picture and at least the minimum size. */
export function rectFromCorners(x0: number, y0: number, x1: number, y1: number): Rect {
  const left = clamp01(Math.min(x0, x1));
  const top = clamp01(Math.min(y0, y1));
  const right = clamp01(Math.max(x0, x1));
  const bottom = clamp01(Math.max(y0, y1));
  return fitRect({ x: left, y: top, w: right - left, h: bottom - top });
}

/** Keeps a rectangle inside the picture and no smaller than the contract allows. */
export function fitRect(r: Rect): Rect {
  const w = Math.max(MIN_BOX_SIZE, Math.min(1, r.w));
  const h = Math.max(MIN_BOX_SIZE, Math.min(1, r.h));
  return { x: Math.min(clamp01(r.x), 1 - w), y: Math.min(clamp01(r.y), 1 - h), w, h };
}

/** Sets the box's position at `atMs`: replaces a key at that time (within `toleranceMs`) or adds one in order. */
export function setKeyframe(keyframes: readonly Keyframe[], atMs: number, rect: Rect, toleranceMs = 0): Keyframe[] {
  const r = fitRect(rect);
  const key: Keyframe = { atMs: Math.round(atMs), ...r };
  const rest = keyframes.filter((k) => Math.abs(k.atMs - atMs) > toleranceMs);
  return [...rest, key].sort((a, b) => a.atMs - b.atMs);
}

export function removeKeyframe(keyframes: readonly Keyframe[], atMs: number): Keyframe[] {
  return keyframes.filter((k) => k.atMs !== atMs);
}

/** The key at `atMs` (within `toleranceMs`), if there is one. */
export function keyframeNear(keyframes: readonly Keyframe[], atMs: number, toleranceMs: number): Keyframe | null {
  let best: Keyframe | null = null;
  for (const k of keyframes) if (Math.abs(k.atMs - atMs) <= toleranceMs && (!best || Math.abs(k.atMs - atMs) < Math.abs(best.atMs - atMs))) best = k;
  return best;
}

export type BoxProblem = 'label' | 'noKeys' | 'tooManyKeys';

export function boxProblem(box: BoxDraft): BoxProblem | null {
  if (!box.label.trim() || box.label.trim().length > MAX_LABEL) return 'label';
  if (box.keyframes.length === 0) return 'noKeys';
  if (box.keyframes.length > MAX_KEYFRAMES) return 'tooManyKeys';
  return null;
}

/** Boxes as exports.produce takes them (rounded to 1/10000 of the picture; keys in time order). */
export function toRedactions(boxes: readonly BoxDraft[]): RedactionBox[] {
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  return boxes
    .filter((b) => boxProblem(b) === null)
    .map((b) => ({
      cameraId: b.cameraId,
      label: b.label.trim(),
      keyframes: [...b.keyframes]
        .sort((x, y) => x.atMs - y.atMs)
        .map((k) => {
          const r = fitRect({ x: round(k.x), y: round(k.y), w: round(k.w), h: round(k.h) });
          return { atMs: k.atMs, x: round(r.x), y: round(r.y), w: round(r.w), h: round(r.h) };
        }),
    }));
}

let nextKey = 1;
export function newBox(cameraId: number, label: string, atMs: number, rect: Rect): BoxDraft {
  return { key: nextKey++, cameraId, label, keyframes: setKeyframe([], atMs, rect) };
}

/** A proposal of exports.trackBox: positions after `fromAtMs`, each with its match score. */
export type TrackedKey = Keyframe & { score: number };

/**
 * The box's keys once the operator accepts a tracked path: the keys after the starting one up to
 * the path's last are replaced by the path; then keys a straight line through their neighbours
 * reproduces (within `tolerance` of the picture) are dropped until the contract's limit is met.
 */
export function acceptTrackedPath(keyframes: readonly Keyframe[], fromAtMs: number, path: readonly TrackedKey[]): Keyframe[] {
  const last = path.at(-1);
  if (!last) return [...keyframes];
  const kept = keyframes.filter((k) => k.atMs <= fromAtMs || k.atMs > last.atMs);
  const merged = [...kept, ...path.map(({ atMs, x, y, w, h }) => ({ atMs, ...fitRect({ x, y, w, h }) }))].sort((a, b) => a.atMs - b.atMs);
  return thinKeyframes(merged, MAX_KEYFRAMES);
}

/** Drops, one at a time, the key whose removal moves the path least, while more than `max` remain or the move is negligible. */
export function thinKeyframes(keyframes: readonly Keyframe[], max: number, negligible = 0.002): Keyframe[] {
  const keys = [...keyframes];
  for (;;) {
    let best = -1;
    let bestError = Infinity;
    for (let i = 1; i < keys.length - 1; i++) {
      const r = rectAt([keys[i - 1]!, keys[i + 1]!], keys[i]!.atMs)!;
      const k = keys[i]!;
      const error = Math.max(Math.abs(r.x - k.x), Math.abs(r.y - k.y), Math.abs(r.x + r.w - k.x - k.w), Math.abs(r.y + r.h - k.y - k.h));
      if (error < bestError) {
        bestError = error;
        best = i;
      }
    }
    if (best < 0 || (keys.length <= max && bestError > negligible)) return keys;
    keys.splice(best, 1);
  }
}
