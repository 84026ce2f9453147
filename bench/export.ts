// `npm run bench:export -- [--json] [--minutes 10] [--record-seconds 75] [--baseline-seconds 20]`:
// throughput of evidence package production (docs/benchmarks.md) for a 10-minute 720p export, copy
// and burn-in, on this machine while 4 cameras stay live on a 2x2 wall in Debian's Chromium.
//
// Footage: the 4 simulated cameras are ingested and recorded by the real engine; after
// --record-seconds the first complete one-minute file of camera 1's main stream (1280x720) is
// taken and laid end to end --minutes times as the scope of one item (the same file, shifted start
// times: produceExport reads by path and byte range, so nothing is copied). Production runs in this
// process with produceExport, as the engine would run it (ffmpeg at nice 10, burn-in on one thread).
// Signing uses an Ed25519 key generated in memory for the run (no keychain needed); the keychain
// path is covered by production.test.ts.
//
// Live latency: glass-to-glass latency of wall tile 0 (sub stream), measured by the page probe as
// bench/live.ts does (capture time burned in by the simulator vs expected display time), for
// --baseline-seconds before the exports and then throughout both exports.
// Targets: copy >= 50x real time, burn-in >= 2x, live latency p95 <= 1.5 s during the export.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { parseInit } from '../electron/core/media/fmp4';
import { noMasks, type ProductionJob, type ScopeFile } from '../electron/core/exports/production-types';
import { produceExport } from '../electron/core/exports/production/produce';
import { ephemeralSigner } from '../electron/core/exports/production/signing-key';
import { verifyPackage } from '../electron/core/exports/production/verify';
import type { LatencySample } from './page-probe';
import { machine } from './proc-cpu';
import { Cleanup, cpuBetween, cpuSnapshot, ensureRenderer, launchBrowser, percentile, probe, round, sayer, signInGuard, sleep, startStack, type BrowserHandle, type Stack } from './browser';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'record-seconds': { type: 'string', default: '75' },
    'baseline-seconds': { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const recordSeconds = Number(values['record-seconds']);
const baselineSeconds = Number(values['baseline-seconds']);
const say = sayer(values.json);
if (!(minutes > 0) || !(recordSeconds >= 65) || !(baselineSeconds >= 5)) throw new Error('--minutes > 0, --record-seconds >= 65 (one complete 60 s file), --baseline-seconds >= 5');

const TILE0 = '[data-testid=wall-tile][data-index="0"] [data-testid=tile-video]';

async function scopeFromRecording(stack: Stack, cameraId: number): Promise<{ files: ScopeFile[]; fromMs: number; toMs: number; width: number; height: number; bytesPerMinute: number }> {
  const db = stack.engine.store.db;
  const first = await db.selectFrom('recordings').selectAll().where('camera_id', '=', cameraId).where('state', '=', 'complete').orderBy('start_ms').executeTakeFirstOrThrow();
  const gops = (await db.selectFrom('recording_gops').select('gops').where('recording_id', '=', first.id).executeTakeFirstOrThrow()).gops;
  const file = path.join(stack.engine.recording.root, first.path);
  const initBytes = Number(first.init_bytes);
  const fd = fs.openSync(file, 'r');
  const init = Buffer.alloc(initBytes);
  fs.readSync(fd, init, 0, initBytes, 0);
  fs.closeSync(fd);
  const { width, height } = parseInit(init);
  const dur = Number(first.end_ms) - Number(first.start_ms);
  const count = Math.ceil((minutes * 60_000) / dur);
  const fromMs = Date.UTC(2026, 0, 15, 8, 0, 0);
  const files = Array.from({ length: count }, (_, k) => ({ path: file, startMs: fromMs + k * dur, endMs: fromMs + (k + 1) * dur, initBytes, gops: Buffer.from(gops) }));
  return { files, fromMs, toMs: fromMs + minutes * 60_000, width, height, bytesPerMinute: (Number(first.bytes) / dur) * 60_000 };
}

/** CPU ms of this process's children that have exited (cutime + cstime): the export's ffmpeg runs
 *  end inside the measured window, while ingest and simulator processes live on and do not count. */
function exitedChildrenCpuMs(): number {
  const f = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

function latencySummary(samples: LatencySample[]) {
  const lat = samples.map((s) => s.latencyMs);
  return { p50: round(percentile(lat, 50)), p95: round(percentile(lat, 95)), max: round(percentile(lat, 100)), samples: lat.length };
}

async function timedExport(mode: 'copy' | 'burn_in', scope: Awaited<ReturnType<typeof scopeFromRecording>>, outRoot: string, page: Page, b: BrowserHandle, stack: Stack) {
  const signer = ephemeralSigner();
  const job: ProductionJob = {
    exportId: mode === 'copy' ? 1 : 2,
    number: mode === 'copy' ? 'EXP-1' : 'EXP-2',
    outDir: path.join(outRoot, mode),
    mode,
    caseReference: 'BENCH 1/26',
    items: [{ cameraId: 1, cameraName: 'Bench camera 1 – Łódź', fromMs: scope.fromMs, toMs: scope.toMs, files: scope.files, masks: noMasks() }],
    redactions: mode === 'burn_in' ? [{ cameraId: 1, label: 'bystander', keyframes: [{ atMs: scope.fromMs, x: 0.1, y: 0.4, w: 0.15, h: 0.3 }, { atMs: scope.toMs, x: 0.7, y: 0.4, w: 0.15, h: 0.3 }] }] : [],
    manifest: { request: { bodyName: 'Benchmark' } },
    handover: { producedBy: 'bench', producedAtMs: Date.now(), requestingBody: 'Benchmark', recipient: 'Benchmark', legalBasis: 'none (benchmark)', purpose: 'throughput measurement', approvedBy: 'bench' },
    signer,
    ffmpegPath: 'ffmpeg',
  };
  say(`${mode} export of ${minutes} min (${scope.width}x${scope.height})...`);
  await probe(page, 'startLatency', TILE0, 200);
  const cpuA = cpuSnapshot(b, stack);
  const childA = exitedChildrenCpuMs();
  let lastSaid = 0;
  const t0 = performance.now();
  const result = await produceExport(
    job,
    (p) => {
      const now = performance.now();
      if (now - lastSaid > 15_000) {
        lastSaid = now;
        say(`  ${(p.doneMs / 1000).toFixed(0)}/${(p.totalMs / 1000).toFixed(0)} s of media, eta ${p.etaMs === null ? '?' : (p.etaMs / 1000).toFixed(0)} s`);
      }
    },
    new AbortController().signal,
  );
  const wallMs = performance.now() - t0;
  const cpu = cpuBetween(cpuA, cpuSnapshot(b, stack));
  const exportFfmpegPercent = round(((exitedChildrenCpuMs() - childA) / wallMs) * 100, 1);
  const { samples } = await probe(page, 'stopLatency');
  const verified = await verifyPackage(result.packageDir);
  const mediaMs = scope.toMs - scope.fromMs;
  const out = {
    mode,
    mediaSeconds: mediaMs / 1000,
    wallSeconds: round(wallMs / 1000, 2),
    realtimeX: round(mediaMs / wallMs, 1),
    videoBytes: result.files[0]!.bytes,
    verified: verified.ok,
    latency: latencySummary(samples),
    /** The export's ffmpeg, % of one core. */
    exportFfmpegPercent,
    cpu,
  };
  say(`  ${mode}: ${out.realtimeX}x real time (${out.wallSeconds} s for ${out.mediaSeconds} s), package verifies: ${out.verified}; live latency p95 ${out.latency.p95} ms over ${out.latency.samples} samples; export ffmpeg ${exportFfmpegPercent}% of one core, machine ${cpu.machinePercent}% (of 200)`);
  fs.rmSync(result.packageDir, { recursive: true, force: true });
  return { out, samples };
}

const cleanup = new Cleanup();
try {
  ensureRenderer(say);
  const stack = await startStack({ cameras: 4, wall: { layout: 4, tiles: [0, 1, 2, 3] }, say, cleanup });
  const b = await launchBrowser(cleanup);
  const { page } = b;
  await signInGuard(page, stack);
  say(`4 cameras live on a 2x2 wall; recording for ${recordSeconds} s...`);
  await sleep(recordSeconds * 1000);
  const scope = await scopeFromRecording(stack, stack.cameraIds[0]!);
  say(`scope: ${scope.files.length} one-minute files of camera 1's main stream (${scope.width}x${scope.height}, ${(scope.bytesPerMinute / 1e6).toFixed(1)} MB a minute)`);
  const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
  cleanup.add('export packages', () => fs.rmSync(outRoot, { recursive: true, force: true }));

  say(`baseline live latency for ${baselineSeconds} s (no export)...`);
  await probe(page, 'startLatency', TILE0, 200);
  const cpuA = cpuSnapshot(b, stack);
  await sleep(baselineSeconds * 1000);
  const baselineCpu = cpuBetween(cpuA, cpuSnapshot(b, stack));
  const baseline = latencySummary((await probe(page, 'stopLatency')).samples);
  say(`  baseline: p50 ${baseline.p50} ms, p95 ${baseline.p95} ms (${baseline.samples} samples); machine ${baselineCpu.machinePercent}% (of 200)`);

  const copy = await timedExport('copy', scope, outRoot, page, b, stack);
  await sleep(3000);
  const burn = await timedExport('burn_in', scope, outRoot, page, b, stack);
  const during = latencySummary([...copy.samples, ...burn.samples]);
  const result = {
    copyRealtimeX: copy.out.realtimeX,
    burnInRealtimeX: burn.out.realtimeX,
    liveLatencyMsP95DuringExport: during.p95,
    liveLatencyMsP50DuringExport: during.p50,
    liveLatencyBaseline: baseline,
    copy: copy.out,
    burnIn: burn.out,
    footage: { minutes, resolution: `${scope.width}x${scope.height}`, files: scope.files.length, mbPerMinute: round(scope.bytesPerMinute / 1e6, 1) },
    live: '4 simulated cameras ingested and recorded; 2x2 wall of sub streams in Chromium; latency of tile 0',
    signing: 'Ed25519 key generated in memory for this run (the keychain is exercised by production.test.ts)',
    burnInSettings: 'libx264 veryfast CRF 23, -threads 1, SCHED_IDLE (chrt --idle 0) and nice 10; clock, camera and case reference drawn, one moving redaction box',
    targets: { copyRealtimeX: 50, burnInRealtimeX: 2, liveLatencyMsP95DuringExport: 1500 },
    baselineCpu,
    machine: machine(),
    pageErrors: b.errors.slice(0, 10),
  };
  if (!values.json) {
    say('');
    say(`copy: ${result.copyRealtimeX}x real time (target >= 50); burn-in: ${result.burnInRealtimeX}x (target >= 2)`);
    say(`live latency p95 during the exports: ${result.liveLatencyMsP95DuringExport} ms (target <= 1500; baseline ${baseline.p95} ms)`);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await cleanup.run();
}
