// How one item of an approved scope becomes one continuous video (docs/design/exports.md "Production"): the keyframe groups
// of its recording files that overlap the range (as vod-playlist.ts cuts them), laid end to end on
// one output timeline. A gap in the recording (camera offline, engine stopped) is not filled with
// a frozen picture: the video jumps, and the burned-in clock jumps with it. Each stretch without a
// jump is a "run" with its own offset between output time and wall-clock time.
import { unpackGops, type Gop } from '../../recording/gop-index';
import type { ScopeFile, ScopeItem } from '../production-types';

export interface PlannedFile {
  file: ScopeFile;
  gops: Gop[];
  /** Byte range of the selected keyframe groups in the file (they are contiguous). */
  byteStart: number;
  byteEnd: number;
  /** Wall-clock time of the first selected keyframe group. */
  wallStartMs: number;
  /** Where it starts on the output timeline, and how long it lasts there. */
  outStartMs: number;
  durationMs: number;
}

export interface Run {
  outStartMs: number;
  outEndMs: number;
  /** wall-clock ms = outMs + epochMs, inside this run. */
  epochMs: number;
}

export interface ItemPlan {
  files: PlannedFile[];
  runs: Run[];
  /** Length of the untrimmed timeline (whole keyframe groups). */
  totalOutMs: number;
  /** Wall-clock range the untrimmed timeline covers. */
  coveredFromMs: number;
  coveredToMs: number;
  /** Intervals inside the range with no recording, wall clock. */
  gaps: { fromMs: number; toMs: number }[];
}

/** Two files belong to one run when their wall/output offsets differ by less than this: the
 *  recorder anchors each file on the arrival of its first fragment, which jitters a little. */
export const RUN_TOLERANCE_MS = 250;

export function planItem(item: ScopeItem): ItemPlan {
  const files: PlannedFile[] = [];
  let outMs = 0;
  const sorted = [...item.files].sort((a, b) => a.startMs - b.startMs);
  for (const f of sorted) {
    const gops = unpackGops(f.gops).filter((g) => f.startMs + g.startRelMs + g.durationMs > item.fromMs && f.startMs + g.startRelMs < item.toMs && g.durationMs > 0);
    if (gops.length === 0) continue;
    const first = gops[0]!;
    const last = gops.at(-1)!;
    const durationMs = last.startRelMs + last.durationMs - first.startRelMs;
    files.push({ file: f, gops, byteStart: first.offset, byteEnd: last.offset + last.size, wallStartMs: f.startMs + first.startRelMs, outStartMs: outMs, durationMs });
    outMs += durationMs;
  }
  const runs: Run[] = [];
  const gaps: { fromMs: number; toMs: number }[] = [];
  for (const p of files) {
    const epochMs = p.wallStartMs - p.outStartMs;
    const run = runs.at(-1);
    if (run && Math.abs(epochMs - run.epochMs) < RUN_TOLERANCE_MS) run.outEndMs = p.outStartMs + p.durationMs;
    else {
      if (run) gaps.push({ fromMs: run.outEndMs + run.epochMs, toMs: p.wallStartMs });
      runs.push({ outStartMs: p.outStartMs, outEndMs: p.outStartMs + p.durationMs, epochMs });
    }
  }
  const firstFile = files[0];
  const lastFile = files.at(-1);
  if (firstFile && firstFile.wallStartMs > item.fromMs) gaps.unshift({ fromMs: item.fromMs, toMs: firstFile.wallStartMs });
  const coveredToMs = lastFile ? lastFile.wallStartMs + lastFile.durationMs : item.fromMs;
  if (lastFile && coveredToMs < item.toMs) gaps.push({ fromMs: coveredToMs, toMs: item.toMs });
  return { files, runs, totalOutMs: outMs, coveredFromMs: firstFile?.wallStartMs ?? item.fromMs, coveredToMs, gaps };
}

/** Output time (ms, untrimmed timeline) of a wall-clock instant, clamped into the timeline; inside
 *  a gap, the start of the next run. */
export function outMsOfWall(plan: ItemPlan, wallMs: number): number {
  for (const r of plan.runs) {
    const t = wallMs - r.epochMs;
    if (t < r.outEndMs) return Math.max(r.outStartMs, t);
  }
  return plan.totalOutMs;
}

/** Wall-clock time of an output instant (untrimmed timeline). */
export function wallMsOfOut(plan: ItemPlan, outMs: number): number {
  const run = plan.runs.find((r) => outMs < r.outEndMs) ?? plan.runs.at(-1);
  return run ? outMs + run.epochMs : outMs;
}
