// The privacy-mask editor's drafts (R7; KRK §6.2-6.3, JON 8-9; shared/privacy-masks.ts): polygons in
// fractions of the picture, so one outline fits the main and the sub stream whatever their sizes.
// Bounds come from the contract (contract-limits.ts); the engine checks everything again (R5).
import type { PrivacyMask } from '../../shared/contract';
import type { MaskKind, MaskPoint } from '../../shared/privacy-masks';
import { fieldAccepts, requestLimits } from '../kit/contract-limits';

/** A mask being edited: the contract's mask plus a key that stays the same while it is edited. */
export interface MaskDraft extends PrivacyMask {
  key: number;
}

const cornerLimits = requestLimits('masks.save', 'masks', '[]', 'points');
/** At least 3 and at most 32 corners (the contract's own bounds). */
export const MIN_CORNERS = cornerLimits.min ?? 3;
export const MAX_CORNERS = cornerLimits.max ?? 32;
/** Masks per camera. */
export const MAX_MASKS = requestLimits('masks.save', 'masks').max ?? 32;

let lastKey = 0;
export const newKey = () => ++lastKey;

export function draftsOf(masks: readonly PrivacyMask[]): MaskDraft[] {
  return masks.map((m) => ({ ...m, points: m.points.map(([x, y]) => [x, y] as MaskPoint), key: newKey() }));
}

/** What masks.save is sent: the drafts without their keys, labels trimmed. */
export function masksOf(drafts: readonly MaskDraft[]): PrivacyMask[] {
  return drafts.map((d) => ({ kind: d.kind, points: d.points, label: d.label.trim() }));
}

/** Whether the drafts differ from the version in force (nothing to save when they do not). */
export function changedFrom(drafts: readonly MaskDraft[], saved: readonly PrivacyMask[]): boolean {
  return JSON.stringify(masksOf(drafts)) !== JSON.stringify(saved.map((m) => ({ kind: m.kind, points: m.points, label: m.label.trim() })));
}

/** Whether a description passes the contract's check (required, at most 200 characters, no controls). */
export const labelOk = (label: string) => fieldAccepts('masks.save', ['masks', '[]', 'label'], label);

/** A corner clicked at a position: kept inside the picture and rounded to a ten-thousandth
 *  (a tenth of a pixel of a 4K picture; short enough to keep the stored versions readable). */
export function cornerAt(x: number, y: number): MaskPoint {
  const clamp = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;
  return [clamp(x), clamp(y)];
}

/**
 * Whether a click at (x, y) closes the outline being drawn: it has enough corners and the click is
 * on its first corner, within `radiusPx` on screen (fractions are scaled by the picture's size on
 * screen, so the tolerance is the same in both directions).
 */
export function closesOutline(points: readonly MaskPoint[], x: number, y: number, widthPx: number, heightPx: number, radiusPx: number): boolean {
  const first = points[0];
  if (!first || points.length < MIN_CORNERS) return false;
  return Math.hypot((x - first[0]) * widthPx, (y - first[1]) * heightPx) <= radiusPx;
}

export function withCornerMoved(points: readonly MaskPoint[], index: number, to: MaskPoint): MaskPoint[] {
  return points.map((p, i) => (i === index ? to : p));
}

export function newMask(kind: MaskKind, points: readonly MaskPoint[]): MaskDraft {
  return { key: newKey(), kind, points: [...points], label: '' };
}

/** The middle of a shape's box, for its number on the picture. */
export function labelPoint(points: readonly MaskPoint[]): MaskPoint {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}
