// `npm run bench:wall -- [--json] [--seconds 60]`: what this machine sustains on a 3x3 and a 4x4
// wall of sub streams (640x360 25 fps each, one simulated camera per tile) in Debian's Chromium
// against the real renderer (host mode).
//
// A guard opens the Live section on a saved 3x3 wall of cameras 1-9; after a warm-up the wall is
// measured for `--seconds`; then the layout button 4x4 is pressed, cameras 10-16 are placed on the
// new tiles from the tree (focus + Enter), and it is measured again. Per tile, from
// getVideoPlaybackQuality() (window.__wall test hook): decoded fps = totalVideoFrames delta /
// window, dropped ratio = droppedVideoFrames delta / totalVideoFrames delta. Every 5 s each tile's
// burned-in capture time is also read once (glass-to-glass latency on the wall, Date.now-based).
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { machine } from './proc-cpu';
import { Cleanup, cpuBetween, cpuSnapshot, ensureRenderer, launchBrowser, median, percentile, probe, round, sayer, signInGuard, simFrames, sleep, sourceFps, startStack, type BrowserHandle, type Stack } from './browser';
import { wallTiles, type WallTile } from '../e2e/wall-hook';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const say = sayer(values.json);
if (!(seconds > 0)) throw new Error('--seconds must be positive');
const CAMERAS = 16;

/** Waits until every tile of the wall plays (its time advances, not frozen). */
async function waitPlaying(page: Page, tiles: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let before = new Map<number, number>();
  for (;;) {
    const now = (await wallTiles(page)).filter((t) => !t.single);
    const playing = now.filter((t) => t.currentTime > (before.get(t.cameraId) ?? Infinity) && !t.frozen).length;
    if (playing >= tiles) return;
    if (Date.now() > deadline) return void say(`  warning: only ${playing}/${tiles} tiles playing after ${timeoutMs / 1000} s; measuring anyway`);
    before = new Map(now.map((t) => [t.cameraId, t.currentTime]));
    await sleep(1000);
  }
}

async function measure(page: Page, tiles: number, b: BrowserHandle, stack: Stack) {
  say(`  warm-up ${warmup} s...`);
  await sleep(warmup * 1000);
  say(`  measuring ${seconds} s...`);
  const byCamera = (list: WallTile[]) => new Map(list.filter((t) => !t.single).map((t) => [t.cameraId, t]));
  const start = byCamera(await wallTiles(page));
  const cpuA = cpuSnapshot(b, stack);
  const framesA = await simFrames(stack);
  const t0 = performance.now();
  const latencies: number[] = [];
  let undecodable = 0;
  const frozenSeen = new Set<number>();
  let tileChecks = 0;
  let frozenChecks = 0;
  let lastReport = 0;
  while (performance.now() - t0 < seconds * 1000) {
    await sleep(Math.min(5000, seconds * 1000 - (performance.now() - t0)));
    for (const s of await probe(page, 'sampleTiles')) {
      if (s.latencyMs === null) undecodable++;
      else latencies.push(s.latencyMs);
    }
    for (const t of await wallTiles(page)) {
      if (t.single) continue;
      tileChecks++;
      if (t.frozen) {
        frozenSeen.add(t.cameraId);
        frozenChecks++;
      }
    }
    const elapsed = (performance.now() - t0) / 1000;
    if (elapsed - lastReport >= (values.json ? 30 : 10) - 0.5) {
      lastReport = elapsed;
      say(`    ${Math.round(elapsed)}/${seconds} s`);
    }
  }
  const end = byCamera(await wallTiles(page));
  const wallS = (performance.now() - t0) / 1000;
  const cpu = cpuBetween(cpuA, cpuSnapshot(b, stack));
  const source = sourceFps(framesA, await simFrames(stack));

  const perTile: { cameraId: number; stream: string | null; fps: number; presentedFps: number; dropped: number; total: number; jumps: number | null; reset: boolean; state: string }[] = [];
  for (const [id, e] of end) {
    const s = start.get(id);
    // A player that re-attached (after a freeze) starts a new MediaSource: its counters restart.
    const reset = !s || e.totalFrames < s.totalFrames;
    const total = reset ? e.totalFrames : e.totalFrames - s.totalFrames;
    const dropped = reset ? e.droppedFrames : e.droppedFrames - s.droppedFrames;
    const jumps = e.jumps === null ? null : reset || s.jumps === null ? e.jumps : e.jumps - s.jumps;
    perTile.push({ cameraId: id, stream: e.stream, fps: total / wallS, presentedFps: (total - dropped) / wallS, dropped, total, jumps, reset, state: e.state });
  }
  const sumTotal = perTile.reduce((a, t) => a + t.total, 0);
  const sumDropped = perTile.reduce((a, t) => a + t.dropped, 0);
  const fps = perTile.map((t) => t.fps);
  const jumpCounts = perTile.flatMap((t) => (t.jumps === null ? [] : [t.jumps]));
  const result = {
    tiles,
    fpsPerTileP50: round(median(fps), 2),
    fpsPerTileMin: round(percentile(fps, 0), 2),
    presentedFpsPerTileP50: round(median(perTile.map((t) => t.presentedFps)), 2),
    droppedRatio: sumTotal ? Number((sumDropped / sumTotal).toFixed(4)) : null,
    /** The fragment path's keep-up jumps to the live edge, per tile and minute (null on LL-HLS): frames a jump skips are never shown. */
    jumpsPerTileMinute: jumpCounts.length ? round((jumpCounts.reduce((a, j) => a + j, 0) / jumpCounts.length) * (60 / wallS), 2) : null,
    /** What the simulator produced (25 unless its frame thread fell behind): the most a tile can show. */
    sourceFps: source,
    fpsOfSourceP50: source ? round((median(fps) ?? 0) / source, 3) : null,
    tilesMeasured: perTile.length,
    streams: [...new Set(perTile.map((t) => t.stream))],
    tilesFrozenDuringWindow: frozenSeen.size,
    /** Share of the 5-s checks in which a tile showed "no new picture" (the renderer's freeze: lag > 3 s or no progress). */
    frozenShare: tileChecks ? Number((frozenChecks / tileChecks).toFixed(3)) : null,
    chromiumPercentPerTile: Number((cpu.chromiumPercent / tiles).toFixed(1)),
    counterResets: perTile.filter((t) => t.reset).length,
    latencyMsP50: round(percentile(latencies, 50)),
    latencyMsP95: round(percentile(latencies, 95)),
    latencySamples: latencies.length,
    undecodable,
    seconds: round(wallS, 1),
    cpu,
  };
  say(
    `  ${tiles} tiles: decoded fps per tile p50 ${result.fpsPerTileP50} (min ${result.fpsPerTileMin}), presented p50 ${result.presentedFpsPerTileP50}, dropped ${(Number(result.droppedRatio) * 100).toFixed(2)}%, ${result.jumpsPerTileMinute ?? '-'} keep-up jumps per tile-minute, source ${source} fps, ` +
      `frozen ${result.tilesFrozenDuringWindow} tiles (${((result.frozenShare ?? 0) * 100).toFixed(0)}% of checks), latency p50 ${result.latencyMsP50} ms p95 ${result.latencyMsP95} ms; CPU Chromium ${cpu.chromiumPercent}%, simulator ${cpu.simulatorPercent}%, engine ${cpu.enginePercent}%, ffmpeg ${cpu.ffmpegPercent}% (of one core); whole machine ${cpu.machinePercent}% (all cores), other processes ${cpu.otherPercent}%`,
  );
  return result;
}

const cleanup = new Cleanup();
try {
  ensureRenderer(say);
  const stack = await startStack({ cameras: CAMERAS, wall: { layout: 9, tiles: [0, 1, 2, 3, 4, 5, 6, 7, 8] }, say, cleanup });
  const b = await launchBrowser(cleanup);
  const { page } = b;
  // The seat's live path (bench:live passes its --path): the fragment path unless told otherwise.
  const livePath = process.env.BENCH_LIVE_PATH === 'hls' ? 'hls' : 'fragments';
  await page.addInitScript((p) => localStorage.setItem('console.livePath', p), livePath);
  await signInGuard(page, stack);

  say('3x3 wall (cameras 1-9, sub streams)...');
  await page.locator('[data-testid=wall-grid][data-layout="9"]').waitFor();
  await waitPlaying(page, 9);
  const l9 = await measure(page, 9, b, stack);

  say('4x4 wall: layout button, cameras 10-16 placed from the tree...');
  await page.getByTestId('wall-layout-16').click();
  await page.locator('[data-testid=wall-grid][data-layout="16"]').waitFor();
  await page.locator('[data-testid=wall-tile][data-index="9"]').click();
  for (let i = 9; i < CAMERAS; i++) {
    await page.locator(`[data-testid=camera-item][data-camera-id="${stack.cameraIds[i]}"]`).focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid=wall-tile][data-index="${i}"][data-camera-id="${stack.cameraIds[i]}"]`).waitFor();
  }
  await waitPlaying(page, 16);
  const l16 = await measure(page, 16, b, stack);

  const result = { layouts: [l9, l16], viewport: '1920x1080', chromium: 'headless, --disable-gpu (software decode and compositing)', pageErrors: b.errors.slice(0, 10), machine: machine() };
  if (!values.json) {
    say('');
    for (const l of result.layouts) {
      say(`${l.tiles} tiles: ${l.fpsPerTileP50} fps per tile (p50; min ${l.fpsPerTileMin}; simulator produced ${l.sourceFps} fps), dropped ${(Number(l.droppedRatio) * 100).toFixed(2)}%, frozen ${((l.frozenShare ?? 0) * 100).toFixed(0)}% of the time, Chromium ${l.cpu.chromiumPercent}% of one core, other processes ${l.cpu.otherPercent}%, load ${l.cpu.loadAverage.join(' ')}`);
    }
    say(`machine: ${result.machine}`);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await cleanup.run();
}
