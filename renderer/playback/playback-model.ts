// The playback screen's rules, free of React and hls.js so they can be tested: which reasons a
// selection needs, the timeline's zoom and pan, gaps, wall-clock <-> media time through the
// playlist's EXT-X-PROGRAM-DATE-TIME, incidents to jump to, speeds.

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;
export type Speed = (typeof SPEEDS)[number];

/** One frame at the cameras' 25 fps; frame stepping moves by this much. */
export const FRAME_S = 0.04;

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Timeline zoom levels: the visible span, from a week down to a few seconds. */
export const ZOOMS = [
  { id: 'week', spanMs: 7 * DAY },
  { id: 'day', spanMs: DAY },
  { id: '6h', spanMs: 6 * HOUR },
  { id: 'hour', spanMs: HOUR },
  { id: '10min', spanMs: 10 * MINUTE },
  { id: 'minute', spanMs: MINUTE },
  { id: '10s', spanMs: 10_000 },
] as const;
export const MIN_SPAN_MS = 5_000;
export const MAX_SPAN_MS = 7 * DAY;

export interface Range {
  fromMs: number;
  toMs: number;
}

export interface Grant extends Range {
  playbackId: string;
  cameraIds: readonly number[];
  expiresAtMs: number;
}

/**
 * Whether the open playback session already covers these cameras and this range. Anything wider
 * (another camera, earlier or later footage) is a new session with its own stated reason (R3).
 */
export function grantCovers(grant: Grant | null, cameraIds: readonly number[], range: Range, nowMs: number): boolean {
  if (!grant || nowMs >= grant.expiresAtMs) return false;
  return cameraIds.every((id) => grant.cameraIds.includes(id)) && range.fromMs >= grant.fromMs && range.toMs <= grant.toMs;
}

/** A view of the given span centred on centreMs, never reaching past maxMs (now: no future). */
export function viewAround(centreMs: number, spanMs: number, maxMs: number): Range {
  const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, spanMs));
  let toMs = centreMs + span / 2;
  if (toMs > maxMs) toMs = maxMs;
  return { fromMs: Math.round(toMs - span), toMs: Math.round(toMs) };
}

/** Zooms by factor (< 1 zooms in) keeping the instant under the pointer (atMs) where it is. */
export function zoomAt(view: Range, atMs: number, factor: number, maxMs: number): Range {
  const span = view.toMs - view.fromMs;
  const next = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, span * factor));
  const ratio = span > 0 ? (atMs - view.fromMs) / span : 0.5;
  const fromMs = atMs - ratio * next;
  return clampView({ fromMs, toMs: fromMs + next }, maxMs);
}

/** Moves the view by a share of its span (negative: into the past). */
export function pan(view: Range, share: number, maxMs: number): Range {
  const d = (view.toMs - view.fromMs) * share;
  return clampView({ fromMs: view.fromMs + d, toMs: view.toMs + d }, maxMs);
}

function clampView(v: Range, maxMs: number): Range {
  const span = v.toMs - v.fromMs;
  const toMs = Math.min(maxMs, v.toMs);
  return { fromMs: Math.round(toMs - span), toMs: Math.round(toMs) };
}

/** About one pixel of the timeline: spans closer than this are drawn (and fetched) as one. */
export function mergeGapFor(view: Range, widthPx: number): number {
  return Math.max(0, Math.min(3_600_000, Math.floor((view.toMs - view.fromMs) / Math.max(1, widthPx))));
}

/** The gaps between recorded spans inside a range (spans sorted, not overlapping). */
export function gapsOf(spans: readonly Range[], range: Range): Range[] {
  const gaps: Range[] = [];
  let at = range.fromMs;
  for (const s of spans) {
    if (s.toMs <= range.fromMs || s.fromMs >= range.toMs) continue;
    if (s.fromMs > at) gaps.push({ fromMs: at, toMs: Math.min(s.fromMs, range.toMs) });
    at = Math.max(at, s.toMs);
  }
  if (at < range.toMs) gaps.push({ fromMs: at, toMs: range.toMs });
  return gaps;
}

/** Whether an instant is inside a recorded span. */
export function covered(spans: readonly Range[], atMs: number): boolean {
  return spans.some((s) => atMs >= s.fromMs && atMs < s.toMs);
}

/** The start of the first recorded span at or after atMs (to skip a gap), or null. */
export function nextCovered(spans: readonly Range[], atMs: number): number | null {
  for (const s of spans) {
    if (atMs < s.toMs) return Math.max(atMs, s.fromMs);
  }
  return null;
}

/** A playlist segment as hls.js knows it: media time (s) and its EXT-X-PROGRAM-DATE-TIME (ms). */
export interface SegmentTime {
  start: number;
  duration: number;
  programDateTime: number | null;
}

/** Binary search: the segment whose wall-clock span holds wallMs, or -1. Segments are in time order. */
function segmentAtWall(segments: readonly SegmentTime[], wallMs: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    const pdt = s.programDateTime ?? NaN;
    if (wallMs < pdt) hi = mid - 1;
    else if (wallMs >= pdt + s.duration * 1000) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Media time (s) that shows the frame captured at wallMs; inside a gap, the start of the next
 * recording (with `inGap`), and null past the end.
 */
export function mediaTimeForWall(segments: readonly SegmentTime[], wallMs: number): { mediaS: number; inGap: boolean } | null {
  const i = segmentAtWall(segments, wallMs);
  if (i >= 0) {
    const s = segments[i]!;
    return { mediaS: s.start + (wallMs - (s.programDateTime ?? 0)) / 1000, inGap: false };
  }
  const next = segments.find((s) => s.programDateTime !== null && s.programDateTime > wallMs);
  return next ? { mediaS: next.start, inGap: true } : null;
}

/** Wall-clock ms of the frame at media time mediaS, or null when no segment holds it. */
export function wallForMediaTime(segments: readonly SegmentTime[], mediaS: number): number | null {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (mediaS < s.start) hi = mid - 1;
    else if (mediaS >= s.start + s.duration) lo = mid + 1;
    else return s.programDateTime === null ? null : s.programDateTime + (mediaS - s.start) * 1000;
  }
  // Just past the last frame of a segment (video elements often stop a hair after its end).
  const last = segments.at(-1);
  if (last?.programDateTime != null && mediaS >= last.start && mediaS < last.start + last.duration + 0.1) return last.programDateTime + (mediaS - last.start) * 1000;
  return null;
}

export interface TimedMark {
  id: number;
  startMs: number;
}

/** The previous (dir -1) or next (dir 1) incident from atMs, beyond a small tolerance so repeated
 *  presses walk through them. */
export function adjacentIncident<T extends TimedMark>(incidents: readonly T[], atMs: number, dir: 1 | -1, toleranceMs = 1500): T | null {
  const sorted = [...incidents].sort((a, b) => a.startMs - b.startMs);
  if (dir === 1) return sorted.find((i) => i.startMs > atMs + toleranceMs) ?? null;
  return [...sorted].reverse().find((i) => i.startMs < atMs - toleranceMs) ?? null;
}

/** Tick marks for the timeline: a step giving about `targetTicks` labels over the view. */
export function tickStep(spanMs: number, targetTicks = 8): number {
  const steps = [1_000, 5_000, 10_000, 30_000, MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];
  return steps.find((s) => spanMs / s <= targetTicks) ?? DAY;
}

/** Tick instants in a view, aligned to local time (so hours fall on the hour where the user is). */
export function ticks(view: Range, step: number): number[] {
  const offset = new Date(view.fromMs).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((view.fromMs - offset) / step) * step + offset;
  const out: number[] = [];
  for (let t = first; t <= view.toMs && out.length < 200; t += step) out.push(t);
  return out;
}
