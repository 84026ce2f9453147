// `npm run bench:masks -- [--json] [--seconds 30] [--warmup 10]`: what privacy masks cost on this
// machine (docs/design/privacy-masks.md, docs/benchmarks.md "Masks"), in Debian's Chromium against
// the real renderer (host mode), 9 simulated cameras (1280x720 main, 640x360 sub, 25 fps).
//
//   1. overlay: a guard's saved 3x3 wall of sub streams, measured without masks, then with a
//      permanent mask on every camera, then with a permanent and a liftable (blurred) one (the page
//      reloaded each time: every tile's live.open hands it its masks, renderer/kit/MaskOverlay.tsx
//      draws them). Per tile, frames presented per second counted with requestVideoFrameCallback,
//      decoded and dropped frames from getVideoPlaybackQuality().
//   2. masking at the source: the wall switched to 2x2 (camera 1's sub stream on the first tile, as
//      bench/live.ts measures it), measured with the camera copied as usual, then with "mask at the
//      source" on (both streams re-encoded with its permanent mask burned in, the page reloaded).
//      CPU of camera 1's two ffmpeg processes (main 720p + sub 360p, found by the camera path in
//      their relay URL) and glass-to-glass latency of the tile (the simulator's capture time burned
//      into the top band; the masks stay below it).
//   3. the same encoder on a camera-like picture: the simulator's colour bars compress far better
//      than a real scene, so ffmpeg runs the ingest's masked pipeline (media/source-masks.ts
//      arguments, the mask on its stdin) over 20 s clips of a noisy moving picture (720p at 4 Mbit/s
//      and 360p at 1 Mbit/s, made here from ffmpeg's testsrc2), as fast as it can; CPU per second of
//      video from ffmpeg's -benchmark = % of one core at 25 fps.
// The last stdout line is one JSON object (--json: nothing else on stdout).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { machine, processCpuMs } from './proc-cpu';
import { maskedOutputArgs, maskInputArgs, maskPicture } from '../electron/core/media/source-masks';
import { Cleanup, cpuBetween, cpuSnapshot, descendants, ensureRenderer, launchBrowser, median, percentile, probe, round, sayer, signInGuard, sleep, startStack, type BrowserHandle, type Stack } from './browser';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const say = sayer(values.json);
if (!(seconds > 0) || !(warmup >= 0)) throw new Error('--seconds must be positive, --warmup not negative');
const CAMERAS = 9;
const TILE0 = '[data-testid=wall-tile][data-index="0"] [data-testid=tile-video]';

// Below the timecode band (top 1/16 of the picture), over the middle of the picture.
const PERMANENT = { kind: 'permanent' as const, points: [[0.3, 0.3], [0.6, 0.3], [0.6, 0.7], [0.3, 0.7]] as [number, number][], label: 'windows of the house opposite (bench)' };
const LIFTABLE = { kind: 'liftable' as const, points: [[0.7, 0.5], [0.9, 0.5], [0.8, 0.9]] as [number, number][], label: 'entrance of the pharmacy (bench)' };

/**
 * Counts presented frames per tile with requestVideoFrameCallback, following re-created players. A
 * string, not a function: tsx would add its __name helper to a function's inner closures, which the
 * page does not have.
 */
const FRAME_COUNTER = `(() => {
  if (window.__maskBench) window.__maskBench.stop = true;
  const state = { counts: new Map(), stop: false };
  window.__maskBench = state;
  const watched = new WeakSet();
  function scan() {
    if (state.stop) return;
    for (const tile of document.querySelectorAll('[data-testid=wall-tile]')) {
      const video = tile.querySelector('[data-testid=tile-video]');
      if (!video || watched.has(video)) continue;
      watched.add(video);
      const index = Number(tile.dataset.index);
      function onFrame() {
        if (state.stop || !video.isConnected) return;
        state.counts.set(index, (state.counts.get(index) || 0) + 1);
        video.requestVideoFrameCallback(onFrame);
      }
      video.requestVideoFrameCallback(onFrame);
    }
    setTimeout(scan, 500);
  }
  scan();
})()`;

async function startFrameCount(page: Page): Promise<void> {
  await page.evaluate(FRAME_COUNTER);
}

async function frameCounts(page: Page): Promise<Map<number, number>> {
  const entries = await page.evaluate(() => [...((window as unknown as { __maskBench: { counts: Map<number, number> } }).__maskBench.counts.entries())]);
  return new Map(entries);
}

async function playbackQuality(page: Page): Promise<Map<number, { total: number; dropped: number }>> {
  const entries = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid=wall-tile]')].flatMap((tile) => {
      const v = tile.querySelector<HTMLVideoElement>('[data-testid=tile-video]');
      if (!v) return [];
      const q = v.getVideoPlaybackQuality();
      return [[Number(tile.dataset.index), { total: q.totalVideoFrames, dropped: q.droppedVideoFrames }] as const];
    }),
  );
  return new Map(entries);
}

/** Reloads the console (a new page: every tile opens its views afresh), signing in if asked. */
async function reopenWall(page: Page, stack: Stack, tiles: number) {
  await page.reload();
  const signIn = page.getByTestId('signin-username');
  const grid = page.locator(`[data-testid=wall-grid][data-layout="${tiles}"]`);
  try {
    await signIn.or(grid).first().waitFor({ timeout: 30_000 });
  } catch (err) {
    await page.screenshot({ path: '/tmp/bench-masks-reopen.png' });
    throw err;
  }
  if (await signIn.isVisible()) await signInGuard(page, stack);
  await grid.waitFor({ timeout: 30_000 });
}

/** Frames per second per tile over `seconds`, after the warm-up. */
async function measureWall(page: Page, tiles: number, b: BrowserHandle, stack: Stack, label: string) {
  say(`${label}: warm-up ${warmup} s, then ${seconds} s...`);
  await sleep(warmup * 1000);
  const masksDrawn = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-testid=wall-tile] [data-masks]')].reduce((n, e) => n + Number(e.dataset.masks ?? 0), 0));
  await startFrameCount(page);
  const qA = await playbackQuality(page);
  const cpuA = cpuSnapshot(b, stack);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const presented = await frameCounts(page);
  const qB = await playbackQuality(page);
  const wallS = (performance.now() - t0) / 1000;
  const cpu = cpuBetween(cpuA, cpuSnapshot(b, stack));
  const perTile = [...Array(tiles).keys()].map((i) => {
    const a = qA.get(i);
    const e = qB.get(i);
    const reset = !a || !e || e.total < a.total;
    const decoded = e ? (reset ? e.total : e.total - a!.total) : 0;
    const dropped = e ? (reset ? e.dropped : e.dropped - a!.dropped) : 0;
    return { tile: i, presentedFps: (presented.get(i) ?? 0) / wallS, decodedFps: decoded / wallS, dropped, decoded };
  });
  const sumDecoded = perTile.reduce((s, t) => s + t.decoded, 0);
  const out = {
    presentedFpsPerTileP50: round(median(perTile.map((t) => t.presentedFps)), 2),
    presentedFpsPerTileMin: round(percentile(perTile.map((t) => t.presentedFps), 0), 2),
    decodedFpsPerTileP50: round(median(perTile.map((t) => t.decodedFps)), 2),
    droppedRatio: sumDecoded ? Number((perTile.reduce((s, t) => s + t.dropped, 0) / sumDecoded).toFixed(4)) : null,
    masksDrawn,
    chromiumPercent: cpu.chromiumPercent,
    cpu,
  };
  say(`  presented ${out.presentedFpsPerTileP50} fps per tile (p50; min ${out.presentedFpsPerTileMin}), decoded ${out.decodedFpsPerTileP50}, dropped ${((out.droppedRatio ?? 0) * 100).toFixed(2)}%, ${masksDrawn} masks drawn; Chromium ${cpu.chromiumPercent}% of one core, other processes ${cpu.otherPercent}%`);
  return out;
}

/** The engine's ffmpeg processes of one simulator camera (its path is in the relay URL of their argv). */
function cameraFfmpegs(cameraPath: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of descendants(process.pid)) {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!argv[0]?.endsWith('ffmpeg') || !argv.some((a) => a.includes(`/${cameraPath}/`))) continue;
      const ms = processCpuMs(pid);
      if (ms !== null) out.set(pid, ms);
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Camera 1's ffmpeg CPU (% of one core, main + sub) and the tile's glass-to-glass latency. */
async function measureCamera(page: Page, b: BrowserHandle, stack: Stack, label: string) {
  say(`${label}: warm-up ${warmup} s, then ${seconds} s...`);
  await sleep(warmup * 1000);
  const a = cameraFfmpegs('cam1');
  const cpuA = cpuSnapshot(b, stack);
  const t0 = performance.now();
  await probe(page, 'startLatency', TILE0, 200);
  await sleep(seconds * 1000);
  const { samples, failures } = await probe(page, 'stopLatency');
  const e = cameraFfmpegs('cam1');
  const wallMs = performance.now() - t0;
  const cpu = cpuBetween(cpuA, cpuSnapshot(b, stack));
  // Processes alive across the whole window only (a restart in it would count a part).
  const common = [...e.keys()].filter((pid) => a.has(pid));
  const ffmpegPercent = Number(((common.reduce((s, pid) => s + (e.get(pid)! - a.get(pid)!), 0) / wallMs) * 100).toFixed(1));
  const lat = samples.map((s) => s.latencyMs);
  const out = {
    ffmpegPercent,
    ffmpegProcesses: common.length,
    latencyMsP50: round(percentile(lat, 50)),
    latencyMsP95: round(percentile(lat, 95)),
    samples: samples.length,
    undecodable: failures,
    cpu,
  };
  say(`  camera 1's ffmpeg (main + sub, ${common.length} processes): ${ffmpegPercent}% of one core; latency p50 ${out.latencyMsP50} ms, p95 ${out.latencyMsP95} ms (${out.samples} samples, ${failures} undecodable); other processes ${cpu.otherPercent}%`);
  return out;
}

/** CPU of the masked pipeline per second of a camera-like clip (% of one core), main + sub. */
async function noisyPictureCpu(cleanup: Cleanup): Promise<{ mainPercent: number; subPercent: number; perCameraPercent: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-masks-'));
  cleanup.add('clips', () => fs.rmSync(dir, { recursive: true, force: true }));
  const CLIP_S = 20;
  const run = (args: string[], input?: Buffer) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn('ffmpeg', ['-hide_banner', '-nostats', '-loglevel', 'info', ...args]);
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
      child.stdout.resume();
      child.stdin.on('error', () => {});
      child.stdin.end(input);
      child.on('close', (code) => (code === 0 ? resolve(err) : reject(new Error(`ffmpeg failed: ${err.slice(-500)}`))));
    });
  const percent = {} as Record<'main' | 'sub', number>;
  for (const [kind, width, height, rate] of [['main', 1280, 720, '4M'], ['sub', 640, 360, '1M']] as const) {
    const clip = path.join(dir, `${kind}.mp4`);
    spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=25,noise=alls=12:allf=t+u`, '-t', String(CLIP_S), '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', rate, '-g', '25', '-bf', '0', '-y', clip]);
    const size = { width, height };
    const out = await run(['-benchmark', '-i', clip, ...maskInputArgs(size), ...maskedOutputArgs(size)], maskPicture([PERMANENT], size));
    const m = /bench: utime=([\d.]+)s stime=([\d.]+)s/.exec(out);
    if (!m) throw new Error('ffmpeg -benchmark printed no times');
    percent[kind] = Number((((Number(m[1]) + Number(m[2])) / CLIP_S) * 100).toFixed(1));
  }
  return { mainPercent: percent.main, subPercent: percent.sub, perCameraPercent: Number((percent.main + percent.sub).toFixed(1)) };
}

async function waitStreamState(stack: Stack, cameraId: number, state: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = (await stack.admin<{ cameras: { id: number; main: { state: string }; sub: { state: string } | null }[] }>('cameras.adminList', {})).cameras;
    const c = list.find((x) => x.id === cameraId);
    if (c?.main.state === state && c.sub?.state === state) return;
    if (Date.now() > deadline) throw new Error(`camera ${cameraId} not ${state} within 60 s: ${JSON.stringify(c)}`);
    await sleep(500);
  }
}

const cleanup = new Cleanup();
try {
  ensureRenderer(say);
  say('the masked pipeline on camera-like clips (20 s each, 720p and 360p)...');
  const noisy = await noisyPictureCpu(cleanup);
  say(`  ${noisy.perCameraPercent}% of one core per camera (main ${noisy.mainPercent}%, sub ${noisy.subPercent}%)`);
  const stack = await startStack({ cameras: CAMERAS, wall: { layout: 9, tiles: [0, 1, 2, 3, 4, 5, 6, 7, 8] }, say, cleanup });
  const b = await launchBrowser(cleanup);
  const { page } = b;
  await signInGuard(page, stack);
  await page.locator('[data-testid=wall-grid][data-layout="9"]').waitFor();

  const wallPlain = await measureWall(page, 9, b, stack, '3x3 wall without masks');
  say('saving a permanent mask on every camera...');
  for (const cameraId of stack.cameraIds) await stack.admin('masks.save', { cameraId, masks: [PERMANENT], reason: 'benchmark of the client overlay' });
  await reopenWall(page, stack, 9);
  const wallPermanent = await measureWall(page, 9, b, stack, '3x3 wall, a permanent mask drawn on every tile');
  say('saving a permanent and a liftable mask on every camera...');
  for (const cameraId of stack.cameraIds) await stack.admin('masks.save', { cameraId, masks: [PERMANENT, LIFTABLE], reason: 'benchmark of the client overlay' });
  await reopenWall(page, stack, 9);
  const wallMasked = await measureWall(page, 9, b, stack, '3x3 wall, a permanent and a liftable mask drawn on every tile');

  say('2x2 wall: camera 1 on the first tile (its sub stream), copied as usual...');
  await page.getByTestId('wall-layout-4').click();
  await page.locator('[data-testid=wall-grid][data-layout="4"]').waitFor();
  // Fresh players for both measurements alike (a player that stalled once keeps its larger hold-back),
  // once the layout is saved (walls.save is debounced by 800 ms).
  await sleep(2000);
  await reopenWall(page, stack, 4);
  const cam = stack.cameraIds[0]!;
  const copy = await measureCamera(page, b, stack, 'camera 1 copied');

  say('turning "mask at the source" on for camera 1...');
  const admin = (await stack.admin<{ cameras: { id: number; name: string; site: string; groupId: number; purpose: string; areaType: string; retentionDays: number; retentionReason: string | null; location: string; locationConfidential: boolean; source: { mainUrl: string; subUrl: string | null } }[] }>('cameras.adminList', {})).cameras.find((c) => c.id === cam)!;
  await stack.admin('cameras.update', {
    cameraId: cam,
    settings: { name: admin.name, site: admin.site, groupId: admin.groupId, purpose: admin.purpose, areaType: admin.areaType, retentionDays: admin.retentionDays, retentionReason: admin.retentionReason, location: admin.location, locationConfidential: admin.locationConfidential, maskAtSource: true },
    source: { kind: 'rtsp', mainUrl: admin.source.mainUrl, subUrl: admin.source.subUrl },
    username: null,
    password: null,
  });
  await waitStreamState(stack, cam, 'transcoding');
  await reopenWall(page, stack, 4);
  const masked = await measureCamera(page, b, stack, 'camera 1 masked at the source');

  const result = {
    maskedSourceCpuPercentPerCamera: masked.ffmpegPercent,
    copyCpuPercentPerCamera: copy.ffmpegPercent,
    /** The same pipeline on a noisy moving picture (720p 4 Mbit/s + 360p 1 Mbit/s): nearer a real camera. */
    maskedSourceCpuPercentPerCameraNoisyPicture: noisy.perCameraPercent,
    noisyPicture: noisy,
    encoder: 'libx264 ultrafast zerolatency (software; ffmpeg’s VAAPI/QSV/NVENC encoders have no device on this machine), 1280x720 main + 640x360 sub at 25 fps',
    maskedLiveLatencyMsP50: masked.latencyMsP50,
    maskedLiveLatencyMsP95: masked.latencyMsP95,
    copyLiveLatencyMsP50: copy.latencyMsP50,
    copyLiveLatencyMsP95: copy.latencyMsP95,
    overlayFpsPerTile3x3: wallMasked.presentedFpsPerTileP50,
    plainFpsPerTile3x3: wallPlain.presentedFpsPerTileP50,
    /** A permanent mask only (solid black) on every tile: without the liftable mask's blur. */
    overlayPermanentOnlyFpsPerTile3x3: wallPermanent.presentedFpsPerTileP50,
    overlayDropped: (wallMasked.droppedRatio ?? 0) > (wallPlain.droppedRatio ?? 0) + 0.01 || (wallMasked.presentedFpsPerTileP50 ?? 0) < (wallPlain.presentedFpsPerTileP50 ?? 0) - 1,
    targets: { maskedLiveLatencyMsP50: 1200 },
    wall: { plain: wallPlain, permanentOnly: wallPermanent, masked: wallMasked },
    camera: { copy, masked },
    seconds,
    chromium: 'headless, --disable-gpu (software decode and compositing)',
    pageErrors: b.errors.slice(0, 10),
    machine: machine(),
  };
  if (!values.json) {
    say('');
    say(`Masking at the source: ${result.maskedSourceCpuPercentPerCamera}% of one core per camera on the simulator's picture, ${result.maskedSourceCpuPercentPerCameraNoisyPicture}% on a noisy camera-like one (copy: ${result.copyCpuPercentPerCamera}%), ${result.encoder}`);
    say(`Glass to glass through a masked camera: p50 ${result.maskedLiveLatencyMsP50} ms, p95 ${result.maskedLiveLatencyMsP95} ms (target <= 1200; copied: p50 ${result.copyLiveLatencyMsP50} ms)`);
    say(`3x3 wall: ${result.overlayFpsPerTile3x3} fps per tile with a permanent and a liftable mask drawn, ${result.overlayPermanentOnlyFpsPerTile3x3} with a permanent one, ${result.plainFpsPerTile3x3} without${result.overlayDropped ? ' (DROPPED)' : ''}`);
    say(`machine: ${result.machine}`);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await cleanup.run();
}
