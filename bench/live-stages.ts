// `npx tsx bench/live-stages.ts -- [--json] [--cameras 4] [--tiles 4] [--seconds 60] [--warm 75]`:
// where the glass-to-glass latency of a live wall goes (docs/design/live-pipeline.md "Where the
// latency goes"). The engine in this process (host mode), the simulator, a guard's wall in
// Chromium; after --warm seconds of recording, for --seconds:
//   - per tile (page probe): latency, the media buffered ahead of the frame shown (what hls.js
//     holds back behind the live edge), playback rate, and every stall ('waiting');
//   - capture -> fragment arrival at the ingest: the first frame of sampled keyframe parts decoded
//     with ffmpeg afterwards (the simulator burns its capture time into every frame);
//   - the parts' arrival gaps per stream (a gap > 400 ms starves a player that holds 600 ms);
//   - the engine's event-loop delay (perf_hooks), how long the recorder's periodic flush held it
//     (its synchronous part: the keyframe index packed) and how long the disk took to sync.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { decodeTimecode } from '../tools/camera-sim/timecode';
import type { Fragment, InitSegment } from '../electron/core/media/fmp4';
import type { LatencySample, StallEvent } from './page-probe';
import { machine } from './proc-cpu';
import { Cleanup, cpuBetween, cpuSnapshot, ensureRenderer, launchBrowser, percentile, probe, round, sayer, signInGuard, simFrames, sleep, sourceFps, startStack } from './browser';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '4' },
    tiles: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '60' },
    warm: { type: 'string', default: '75' },
    json: { type: 'boolean', default: false },
  },
});
const cameras = Number(values.cameras);
const tiles = Math.min(Number(values.tiles), cameras);
const seconds = Number(values.seconds);
const warm = Number(values.warm);
const say = sayer(values.json);

type Packager = { addFragment(f: Fragment, at: number): void; initSegment: InitSegment | null };
type StreamEntry = { key: string; packager: Packager };

interface Tap {
  arrivals: number[];
  keyParts: { arrivedAtMs: number; bytes: Buffer; init: Buffer }[];
}

/** Wraps every stream's packager so each fragment's arrival is seen (read-only). */
function tapStreams(streams: Map<string, StreamEntry>, taps: Map<string, Tap>): void {
  for (const s of streams.values()) {
    if (taps.has(s.key)) continue;
    const tap: Tap = { arrivals: [], keyParts: [] };
    taps.set(s.key, tap);
    const orig = s.packager.addFragment.bind(s.packager);
    s.packager.addFragment = (f, at) => {
      tap.arrivals.push(at);
      const init = s.packager.initSegment;
      // One keyframe part every ~2 s is enough to follow the ingest delay.
      if (f.independent && init && tap.keyParts.length < 200 && (tap.keyParts.length === 0 || at - tap.keyParts.at(-1)!.arrivedAtMs > 1900)) tap.keyParts.push({ arrivedAtMs: at, bytes: f.bytes, init: init.bytes });
      orig(f, at);
    };
  }
}

/** Capture time of a part's first frame: ffmpeg decodes it, the simulator's band says when it was taken. */
function firstFrameCapture(init: Buffer, part: Buffer, dir: string): number | null {
  const file = path.join(dir, 'part.mp4');
  fs.writeFileSync(file, Buffer.concat([init, part]));
  try {
    const probeOut = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim();
    const [w, h] = probeOut.split(',').map(Number) as [number, number];
    const rgba = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { maxBuffer: 64 << 20 });
    if (rgba.length < w * h * 4) return null;
    return decodeTimecode(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, w * h * 4), w, h);
  } catch {
    return null;
  }
}

const stats = (v: number[]) => ({ p50: round(percentile(v, 50)), p95: round(percentile(v, 95)), max: round(percentile(v, 100)), n: v.length });

const cleanup = new Cleanup();
try {
  ensureRenderer(say);
  const stack = await startStack({ cameras, wall: { layout: 4, tiles: Array.from({ length: tiles }, (_, i) => i) }, say, cleanup });
  const b = await launchBrowser(cleanup);
  await signInGuard(b.page, stack);
  const signedInAt = Date.now();
  // Everything is followed from the sign-in on: a stall in the first seconds counts for the rest of a
  // player's life (hls.js raises its target latency by a second after one).
  await probe(b.page, 'startLatency', '[data-testid=wall-tile] [data-testid=tile-video]', 200);
  const streams = (stack.engine.live as unknown as { streams: Map<string, StreamEntry> }).streams;
  const taps = new Map<string, Tap>();
  const tapTimer = setInterval(() => tapStreams(streams, taps), 250);
  cleanup.add('taps', () => clearInterval(tapTimer));
  await sleep(6000);
  // The first seconds of each tile's stream as the page fetched it (resource timing, page clock).
  const startup = await b.page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/live/'))
      .map((e) => {
        const r = e as PerformanceResourceTiming;
        const m = /\/live\/(\d+)\/(\w+)\/[^/]+\/(.*)$/.exec(r.name);
        return { cam: m?.[1], stream: m?.[2], what: m?.[3]?.replace(/\?.*$/, '') + (r.name.includes('_HLS_msn') ? ` (block ${/_HLS_msn=(\d+)/.exec(r.name)?.[1]}.${/_HLS_part=(\d+)/.exec(r.name)?.[1]})` : ''), atMs: Math.round(performance.timeOrigin + r.startTime), tookMs: Math.round(r.responseEnd - r.startTime) };
      }),
  );
  const stallsEarly = await probe(b.page, 'stallLog');
  say(JSON.stringify({ startup: startup.filter((x) => x.cam === String(stack.cameraIds[0])).map((x) => ({ ...x, atMs: x.atMs - signedInAt })), stalls: stallsEarly.filter((x) => x.cameraId === stack.cameraIds[0]).map((x) => ({ ...x, atMs: x.atMs - signedInAt })) }));
  say(`${cameras} cameras recorded, ${tiles} tiles on the wall; followed for ${warm} s, then measured for ${seconds} s...`);
  await sleep(warm * 1000);

  // The recorder's periodic flush: how long its synchronous part held the event loop.
  const rec = stack.engine.recording as unknown as { flushAll(): Promise<void> };
  const flushSyncMs: number[] = [];
  const flushTotalMs: number[] = [];
  const origFlush = rec.flushAll.bind(rec);
  rec.flushAll = () => {
    const t0 = performance.now();
    const p = origFlush();
    flushSyncMs.push(performance.now() - t0);
    return p.finally(() => flushTotalMs.push(performance.now() - t0));
  };
  // The fdatasyncs themselves run in the thread pool (recorder.ts): how long the disk took.
  const fdatasync: number[] = [];
  const origSync = fs.fdatasync;
  const writable = fs as { fdatasync: (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => void };
  writable.fdatasync = (fd, cb) => {
    const t0 = performance.now();
    origSync(fd, (err) => {
      fdatasync.push(performance.now() - t0);
      cb(err);
    });
  };
  const eld = monitorEventLoopDelay({ resolution: 10 });
  const cpuA = cpuSnapshot(b, stack);
  const framesA = await simFrames(stack);
  const startedAt = Date.now();
  eld.enable();
  await sleep(seconds * 1000);
  const { samples: all } = (await probe(b.page, 'stopLatency')) as { samples: LatencySample[]; stalls: StallEvent[] };
  const stallLog = await probe(b.page, 'stallLog');
  eld.disable();
  clearInterval(tapTimer);
  const cpu = cpuBetween(cpuA, cpuSnapshot(b, stack));
  const fps = sourceFps(framesA, await simFrames(stack));
  writable.fdatasync = origSync;
  const samples = all.filter((x) => x.displayMs >= startedAt);
  const stalls = stallLog.filter((x) => x.atMs >= startedAt);
  for (const tap of taps.values()) tap.arrivals = tap.arrivals.filter((t) => t >= startedAt);

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stages-'));
  cleanup.add('scratch', () => fs.rmSync(scratch, { recursive: true, force: true }));
  const perStream: Record<string, unknown> = {};
  for (const [key, tap] of taps) {
    const gaps = tap.arrivals.slice(1).map((t, i) => t - tap.arrivals[i]!);
    const ingest: number[] = [];
    for (const k of tap.keyParts) {
      const c = firstFrameCapture(k.init, k.bytes, scratch);
      if (c !== null) ingest.push(k.arrivedAtMs - c);
    }
    perStream[key] = { parts: tap.arrivals.length, gapMs: stats(gaps), gapsOver400ms: gaps.filter((g) => g > 400).length, captureToArrivalMs: stats(ingest) };
  }
  const perTile: Record<string, unknown> = {};
  for (let t = 0; t < tiles; t++) {
    const s = samples.filter((x) => x.tile === t);
    const st = stalls.filter((x) => x.tile === t);
    perTile[t] = {
      latencyMs: stats(s.map((x) => x.latencyMs)),
      bufferAheadMs: stats(s.flatMap((x) => (x.bufferAheadMs === null ? [] : [x.bufferAheadMs]))),
      // Age of the newest buffered media when the frame is shown: capture -> in the player's buffer.
      deliveredAgeMs: stats(s.flatMap((x) => (x.bufferAheadMs === null ? [] : [x.latencyMs - x.bufferAheadMs]))),
      fasterThan1: s.filter((x) => x.playbackRate > 1).length,
      stalls: st.map((x) => round((x.atMs - startedAt) / 1000, 1)),
      // Latency before and after the first stall, when there was one.
      latencyBeforeFirstStallP50: st.length ? round(percentile(s.filter((x) => x.displayMs < st[0]!.atMs).map((x) => x.latencyMs), 50)) : null,
      latencyAfterFirstStallP50: st.length ? round(percentile(s.filter((x) => x.displayMs > st[0]!.atMs + 5000).map((x) => x.latencyMs), 50)) : null,
      // From the sign-in: latency p50 per 10 s, and every stall with the buffer it had left.
      timeline: Array.from({ length: Math.ceil((warm + seconds) / 10) }, (_, i) => round(percentile(all.filter((x) => x.tile === t && x.displayMs >= signedInAt + i * 10_000 && x.displayMs < signedInAt + (i + 1) * 10_000).map((x) => x.latencyMs), 50))),
      stallsSinceSignIn: stallLog.filter((x) => x.tile === t).map((x) => ({ atS: round((x.atMs - signedInAt) / 1000, 1), bufferAheadMs: x.bufferAheadMs, sincePlayingMs: x.sincePlayingMs })),
    };
  }
  const result = {
    cameras,
    tiles,
    seconds,
    latencyMsP50: round(percentile(samples.map((s) => s.latencyMs), 50)),
    latencyMsP95: round(percentile(samples.map((s) => s.latencyMs), 95)),
    perTile,
    perStream,
    eventLoopDelayMs: { p50: round(eld.percentile(50) / 1e6, 1), p99: round(eld.percentile(99) / 1e6, 1), max: round(eld.max / 1e6, 1) },
    recorderFlush: { ticks: flushSyncMs.length, syncMs: stats(flushSyncMs), totalMs: stats(flushTotalMs), fdatasyncMs: stats(fdatasync) },
    sourceFps: fps,
    cpu,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
    machine: machine(),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await cleanup.run();
}
