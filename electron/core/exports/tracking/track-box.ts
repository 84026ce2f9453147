// exports.trackBox (docs/design/exports.md "Data-subject packages"; JON 19): follows a redaction
// box the operator placed over a person through the recorded footage of an approved request, so
// they need not set a key every second. The engine decodes the camera's recording of the range
// with ffmpeg, small and grey (a picture never leaves the engine: the answer is numbers), and
// matches the region from frame to frame (template-tracker.ts). The answer is a proposal: the
// editor shows it and adds nothing until the operator accepts it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestOf, TrackedPath } from '../../../../shared/contract';
import { parseInit } from '../../media/fmp4';
import type { RemoteFiles } from '../../nodes/remote-files';
import type { RecordingIndex } from '../../recording/recording-index';
import type { ExportRecords } from '../export-records';
import type { Refusal } from '../export-requests';
import { itemStream, readRange } from '../production/feed';
import { FFMPEG_NICE } from '../production/produce';
import { planItem, type ItemPlan } from '../production/scope-plan';
import { TemplateTracker, type GrayFrame } from './template-tracker';

/** Frames matched per second of footage. */
export const TRACK_FPS = 10;
/** One proposed key per this much footage (and one where tracking stops). */
export const PROPOSAL_STEP_MS = 400;
/** The decoded picture is sized so that the region's longer side is about this many pixels. */
const TEMPLATE_SIDE_PX = 40;
/** A tracking run is abandoned after this long (a stuck ffmpeg must not hold the engine). */
const TRACK_TIMEOUT_MS = 120_000;
const CHRT = ['/usr/bin/chrt', '/bin/chrt'].find((p) => existsSync(p)) ?? null;

export interface ExportTrackingDeps {
  records: ExportRecords;
  recordings: RecordingIndex;
  recordingsRoot: string;
  ffmpegPath: string | null;
}

type Request = RequestOf<'exports.trackBox'>;

export class ExportTracking {
  /** One tracking run at a time per engine: it takes a core while it decodes. */
  private running: AbortController | null = null;
  /** Several nodes (docs/design/scale.md "Seats on any node"): files on other nodes' disks are fetched from them. */
  remoteFiles: RemoteFiles | null = null;

  constructor(private readonly d: ExportTrackingDeps) {}

  /** `actor`: whose rights another node checks when files of the range are on its disk. */
  async track(r: Request, actor: string): Promise<TrackedPath | Refusal> {
    const e = await this.d.records.request(r.exportId);
    if (e.status !== 'approved' && e.status !== 'failed') {
      return refusal(e.status === 'pending' || e.status === 'rejected' ? 'Boxes are tracked only in an approved request’s footage.' : 'The package is produced or being produced: its boxes can no longer change.');
    }
    const item = (await this.d.records.items(r.exportId)).find((i) => i.camera_id === r.cameraId);
    if (!item) return refusal(`Camera ${r.cameraId} is not in the request.`);
    const itemFrom = Number(item.from_ms);
    const itemTo = Number(item.to_ms);
    if (r.from.atMs < itemFrom || r.from.atMs >= itemTo) return refusal('The box’s key time is outside the approved range of this camera.');
    if (!this.d.ffmpegPath) return refusal('ffmpeg was not found on this machine, so footage cannot be tracked.');
    if (this.running) return refusal('Another box is being tracked; try again when it has finished.');
    const toMs = Math.min(r.toMs, itemTo);
    const files = await this.d.recordings.overlappingFilesWithIndex(r.cameraId, r.from.atMs, toMs);
    const controller = new AbortController();
    this.running = controller;
    const timer = setTimeout(() => controller.abort(new Error('tracking took too long')), TRACK_TIMEOUT_MS);
    // Files on other nodes' disks: what the range needs of them, fetched into a folder removed after.
    const elsewhere = this.remoteFiles?.toFetch(files) ?? [];
    const staging = elsewhere.length > 0 ? mkdtempSync(path.join(os.tmpdir(), 'console-track-')) : null;
    try {
      const staged =
        staging && this.remoteFiles
          ? await this.remoteFiles.stage(actor, { cameraId: r.cameraId, fromMs: r.from.atMs, toMs }, elsewhere, staging, controller.signal)
          : new Map<number, string>();
      const plan = planItem({
        cameraId: r.cameraId,
        cameraName: item.name,
        fromMs: r.from.atMs,
        toMs,
        files: files.map((f) => ({ path: staged.get(f.id) ?? path.join(this.d.recordingsRoot, f.path), startMs: f.startMs, endMs: f.endMs, initBytes: f.initBytes, gops: f.gops })),
        masks: { shapes: [], versions: [] },
      });
      // Only the stretch of recording the key is in: across a gap the person may be anywhere.
      const run = plan.runs[0];
      if (!run || run.outStartMs + run.epochMs > r.from.atMs + 1000 / TRACK_FPS) return refusal('There is no recording of this camera at the box’s key time.');
      return await this.follow(r, plan, Math.min(toMs, run.outEndMs + run.epochMs), toMs, controller.signal);
    } finally {
      clearTimeout(timer);
      this.running = null;
      if (staging) rmSync(staging, { recursive: true, force: true });
    }
  }

  /** Engine stop: a running tracking is abandoned. */
  close(): void {
    this.running?.abort(new Error('the engine is stopping'));
  }

  private async follow(r: Request, plan: ItemPlan, endMs: number, askedToMs: number, signal: AbortSignal): Promise<TrackedPath> {
    const first = plan.files[0]!.file;
    const init = parseInit(await readRange(first.path, 0, first.initBytes));
    const size = decodeSize(init.width, init.height, r.from);
    const run = plan.runs[0]!;
    const startOutMs = r.from.atMs - run.epochMs;
    const endOutMs = endMs - run.epochMs;
    const stepMs = 1000 / TRACK_FPS;
    const filter = `trim=start=${(startOutMs / 1000).toFixed(3)}:end=${(endOutMs / 1000).toFixed(3)},setpts=PTS-STARTPTS,fps=${TRACK_FPS},scale=${size.width}:${size.height},format=gray`;
    const frames = decodeFrames(this.d.ffmpegPath!, ['-threads', '1', '-f', 'mp4', '-i', 'pipe:0', '-vf', filter, '-f', 'rawvideo', 'pipe:1'], itemStream(plan.files, signal), size, signal);

    const frac = (b: { x: number; y: number; w: number; h: number }) => ({ x: round4(b.x / size.width), y: round4(b.y / size.height), w: round4(b.w / size.width), h: round4(b.h / size.height) });
    const keyframes: TrackedPath['keyframes'] = [];
    let tracker: TemplateTracker | null = null;
    let k = 0;
    let lastAtMs = r.from.atMs;
    let last: { box: { x: number; y: number; w: number; h: number }; score: number } | null = null;
    let lastProposedAtMs = r.from.atMs;
    for await (const frame of frames) {
      const atMs = Math.round(r.from.atMs + k * stepMs);
      k++;
      if (!tracker) {
        tracker = new TemplateTracker(frame, { x: r.from.x * size.width, y: r.from.y * size.height, w: r.from.w * size.width, h: r.from.h * size.height });
        if (tracker.featureless) return { keyframes: [], outcome: 'featureless', stoppedAtMs: r.from.atMs };
        continue;
      }
      const found = tracker.step(frame);
      if (found.lost) {
        if (last && lastProposedAtMs < lastAtMs) keyframes.push({ atMs: lastAtMs, ...frac(last.box), score: round4(last.score) });
        return { keyframes, outcome: 'lost', stoppedAtMs: atMs };
      }
      last = found;
      lastAtMs = atMs;
      if (atMs - lastProposedAtMs >= PROPOSAL_STEP_MS - stepMs / 2) {
        keyframes.push({ atMs, ...frac(found.box), score: round4(found.score) });
        lastProposedAtMs = atMs;
      }
    }
    signal.throwIfAborted();
    if (!tracker) return { keyframes: [], outcome: 'recording_ends', stoppedAtMs: r.from.atMs };
    if (last && lastProposedAtMs < lastAtMs) keyframes.push({ atMs: lastAtMs, ...frac(last.box), score: round4(last.score) });
    // The last frame is at most one step before the end asked for: reached, unless the recording stopped first.
    const reached = endMs >= askedToMs - 1 && lastAtMs >= askedToMs - 2 * stepMs;
    return { keyframes, outcome: reached ? 'reached' : 'recording_ends', stoppedAtMs: reached ? askedToMs : lastAtMs };
  }
}

function refusal(message: string): Refusal {
  return { refused: 'FailedPrecondition', message };
}

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;
const even = (v: number) => Math.max(2, 2 * Math.round(v / 2));

/** A picture size at which the region's longer side is about TEMPLATE_SIDE_PX, never larger than recorded nor smaller than 64 wide. */
export function decodeSize(width: number, height: number, box: { w: number; h: number }): { width: number; height: number } {
  const sidePx = Math.max(box.w * width, box.h * height, 1);
  const w = even(Math.min(width, Math.max(64, (width * TEMPLATE_SIDE_PX) / sidePx)));
  return { width: w, height: even((w * height) / width) };
}

/** ffmpeg's raw grey frames, one by one; ffmpeg runs niced in the idle class like production (live view first). */
async function* decodeFrames(ffmpegPath: string, args: string[], input: AsyncIterable<Buffer>, size: { width: number; height: number }, signal: AbortSignal): AsyncGenerator<GrayFrame> {
  const ffArgs = ['-hide_banner', '-nostats', '-loglevel', 'error', ...args];
  const child: ChildProcess = CHRT ? spawn(CHRT, ['--idle', '0', ffmpegPath, ...ffArgs], { stdio: ['pipe', 'pipe', 'pipe'] }) : spawn(ffmpegPath, ffArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    if (child.pid !== undefined) os.setPriority(child.pid, FFMPEG_NICE);
  } catch {
    // Not permitted: it runs at normal priority.
  }
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.once('error', () => undefined);
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  // Feeding stops with EPIPE when tracking ends early and ffmpeg is killed: that is not a failure.
  const fed = pipeline(Readable.from(input), child.stdin!).catch(() => undefined);
  const frameBytes = size.width * size.height;
  let pending: Buffer = Buffer.alloc(0);
  let finished = false;
  try {
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= frameBytes) {
        yield { width: size.width, height: size.height, data: new Uint8Array(pending.buffer, pending.byteOffset, frameBytes) };
        pending = pending.subarray(frameBytes);
      }
    }
    const code = await exited;
    signal.throwIfAborted();
    if (code !== 0) throw new Error(`ffmpeg could not decode the footage (${code}): ${stderr.trim() || 'no message'}`);
    finished = true;
  } finally {
    signal.removeEventListener('abort', kill);
    if (!finished && child.exitCode === null && child.signalCode === null) kill();
    await fed;
  }
}
