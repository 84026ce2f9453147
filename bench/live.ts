// `npm run bench:live -- [--json] [--seconds 60] [--trials 5] [--path fragments|hls] [--wall-seconds 30]`:
// glass-to-glass latency and time to first frame of the live wall, in Debian's Chromium against the
// real renderer (host mode), through the fragment path (default; docs/design/live-pipeline.md
// "Fragment path") or LL-HLS (`--path hls`, the seat setting console.livePath). Then, unless
// `--wall-seconds 0`, bench/wall.ts on the same path: its 4x4 wall of 16 sub streams gives
// wall16FpsPerTileP50 and wall16DroppedRatio.
//
// A guard (first sign-in already done) opens the Live section on an empty 2x2 wall. Everything
// is done with the UI, as an operator would (tree item focused + Enter places a camera into the
// selected tile; double-click opens the single view):
//   1. cold: a camera whose sub stream was never shown is placed on a tile (the sub stream's
//      ingest starts then); `--trials` cameras, one each;
//   2. warm: the tile is cleared and the same camera placed again while its sub stream is still
//      ingested (it stops 30 s after its last view), `--trials` times;
//   3. latency of that sub-stream tile (640x360, as the guard sees it) over `--seconds`;
//   4. warm main: double-click opens the single view on the main stream (always ingested),
//      `--trials` times, then latency of the main stream (1280x720) over `--seconds`.
// First frame = from the UI event (seen by the page) to the first frame presented by the new
// <video> (requestVideoFrameCallback) that carries a decodable timecode. Latency = time the frame
// is expected on screen (rVFC expectedDisplayTime) - capture time burned in by the simulator.
// Targets (docs/benchmarks.md): warm <= 0.5 s, cold <= 2.0 s.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { machine } from './proc-cpu';
import type { FirstFrameResult, LatencySample } from './page-probe';
import { Cleanup, cpuBetween, cpuSnapshot, ensureRenderer, launchBrowser, median, percentile, probe, round, sayer, signInGuard, simFrames, sleep, sourceFps, startStack, type BrowserHandle, type Stack } from './browser';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    trials: { type: 'string', default: '5' },
    'skip-main': { type: 'boolean', default: false },
    path: { type: 'string', default: 'fragments' },
    'wall-seconds': { type: 'string', default: '30' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const trials = Number(values.trials);
const say = sayer(values.json);
if (!(seconds > 0) || !(trials >= 1)) throw new Error('--seconds and --trials must be positive');
const livePath = values.path;
if (livePath !== 'fragments' && livePath !== 'hls') throw new Error('--path is fragments or hls');
const wallSeconds = Number(values['wall-seconds']);
if (!(wallSeconds >= 0)) throw new Error('--wall-seconds must be 0 or more');

const TILE0 = '[data-testid=wall-tile][data-index="0"] [data-testid=tile-video]';
const SINGLE = '[data-testid=single-view] [data-testid=tile-video]';

/** The first frame after the armed action; a trial without one within 30 s counts as failed (null times). */
async function waitFirstFrame(page: Page): Promise<FirstFrameResult> {
  const deadline = Date.now() + 31_000;
  for (;;) {
    const f = await probe(page, 'firstFrame');
    if (f.done && f.result) return f.result;
    if (Date.now() > deadline) return f.result ?? { actionMs: 0, firstPresentedMs: null, firstDecodedMs: null, firstLatencyMs: null, width: 0, height: 0 };
    await sleep(50);
  }
}

async function selectTile(page: Page, index: number) {
  await page.locator(`[data-testid=wall-tile][data-index="${index}"]`).click();
}

/** Places a camera into tile 0 from the tree (focus + Enter) and times its first frame. */
async function placeTimed(page: Page, cameraId: number): Promise<FirstFrameResult> {
  await selectTile(page, 0);
  await page.locator(`[data-testid=camera-item][data-camera-id="${cameraId}"]`).focus();
  await page.evaluate(() => performance.clearResourceTimings());
  await probe(page, 'armFirstFrame', TILE0, 'keydown');
  await page.keyboard.press('Enter');
  return waitFirstFrame(page);
}

async function clearTile0(page: Page) {
  await selectTile(page, 0);
  await page.keyboard.press('Delete');
  await page.locator('[data-testid=wall-tile][data-index="0"][data-camera-id=""]').waitFor();
}

/** Where a cold start's time goes: the engine's sub stream going live, and the page's first playlist request. */
async function coldBreakdown(page: Page, stack: Stack, cameraId: number, actionMs: number) {
  const list = (await stack.admin<{ cameras: { id: number; sub: { state: string; sinceMs: number } | null }[] }>('cameras.adminList', {})).cameras;
  const sub = list.find((c) => c.id === cameraId)?.sub;
  const playlistAt = await page.evaluate((id) => {
    const e = performance.getEntriesByType('resource').find((x) => x.name.includes(`/live/${id}/sub/`) && x.name.includes('index.m3u8'));
    return e ? performance.timeOrigin + e.startTime : null;
  }, cameraId);
  return {
    subLiveMs: sub && sub.state === 'live' ? Math.round(sub.sinceMs - actionMs) : null,
    playlistRequestMs: playlistAt === null ? null : Math.round(playlistAt - actionMs),
  };
}

/** PART-TARGET / PART-HOLD-BACK the player is given: hls.js aims at PART-HOLD-BACK behind the live edge. */
async function playlistTargets(page: Page, stream: 'sub' | 'main') {
  const url = await page.evaluate((kind) => {
    const all = performance.getEntriesByType('resource').filter((x) => x.name.includes(`/${kind}/`) && x.name.includes('index.m3u8'));
    return all.length ? all[all.length - 1]!.name.replace(/index\.m3u8.*$/, 'index.m3u8') : null;
  }, stream);
  if (!url) return null;
  try {
    const text = await (await fetch(url)).text();
    const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
    return { partTargetS: num(/PART-TARGET=([\d.]+)/), partHoldBackS: num(/PART-HOLD-BACK=([\d.]+)/), targetDurationS: num(/TARGETDURATION:(\d+)/) };
  } catch {
    return null;
  }
}

async function measureLatency(page: Page, selector: string, b: BrowserHandle, stack: Stack, label: string) {
  say(`measuring ${label} latency for ${seconds} s...`);
  const a = cpuSnapshot(b, stack);
  const framesA = await simFrames(stack);
  await probe(page, 'startLatency', selector, 200);
  for (let t = 0; t < seconds; t += 10) {
    await sleep(Math.min(10, seconds - t) * 1000);
    if (!values.json || (t + 10) % 30 === 0) say(`  ${Math.min(t + 10, seconds)}/${seconds} s`);
  }
  const { samples, failures } = await probe(page, 'stopLatency');
  const playlist = await playlistTargets(page, selector === SINGLE ? 'main' : 'sub');
  const cpu = cpuBetween(a, cpuSnapshot(b, stack));
  const source = sourceFps(framesA, await simFrames(stack));
  const lat = samples.map((s: LatencySample) => s.latencyMs);
  const out = {
    latencyMsP50: round(percentile(lat, 50)),
    latencyMsP95: round(percentile(lat, 95)),
    latencyMsMin: round(percentile(lat, 0)),
    latencyMsMax: round(percentile(lat, 100)),
    samples: samples.length,
    undecodable: failures,
    sourceFps: source,
    playlist,
    resolution: samples[0] ? `${samples[0].width}x${samples[0].height}` : null,
    cpu,
  };
  say(`  ${label}: p50 ${out.latencyMsP50} ms, p95 ${out.latencyMsP95} ms (min ${out.latencyMsMin}, max ${out.latencyMsMax}; ${out.samples} samples, ${failures} undecodable, ${out.resolution}, simulator ${source} fps, playlist ${JSON.stringify(playlist)})`);
  return out;
}

const cleanup = new Cleanup();
try {
  ensureRenderer(say);
  // Camera i (0-based) is used for cold trial i; the last one then for the warm trials and latency.
  const stack = await startStack({ cameras: trials, wall: { layout: 4, tiles: [] }, say, cleanup });
  const b = await launchBrowser(cleanup);
  const { page } = b;
  // The seat's live path, set before the console's scripts run on every load.
  await page.addInitScript((p) => localStorage.setItem('console.livePath', p), livePath);
  await signInGuard(page, stack);
  await sleep(2000); // let the page settle (first status poll, fonts)

  const fmt = (r: FirstFrameResult) => `${round(r.firstDecodedMs)} ms (first presented ${round(r.firstPresentedMs)} ms, latency of that frame ${round(r.firstLatencyMs)} ms, ${r.width}x${r.height})`;

  say(`cold first frame: ${trials} cameras whose sub stream is not ingested, each placed on a tile...`);
  const cold: FirstFrameResult[] = [];
  const coldSteps: { subLiveMs: number | null; playlistRequestMs: number | null }[] = [];
  for (let i = 0; i < trials; i++) {
    const r = await placeTimed(page, stack.cameraIds[i]!);
    cold.push(r);
    const steps = await coldBreakdown(page, stack, stack.cameraIds[i]!, r.actionMs);
    coldSteps.push(steps);
    say(`  cold ${i + 1}: ${fmt(r)}; sub stream live in the engine at ${steps.subLiveMs} ms, first playlist request at ${steps.playlistRequestMs} ms`);
    await sleep(1500);
    if (i < trials - 1) {
      await clearTile0(page);
      await sleep(1000);
    }
  }

  const cam = stack.cameraIds[trials - 1]!;
  say(`warm first frame (sub stream still ingested): clear the tile and place the camera again, ${trials} times...`);
  const warm: FirstFrameResult[] = [];
  for (let i = 0; i < trials; i++) {
    await clearTile0(page);
    await sleep(1000);
    const r = await placeTimed(page, cam);
    warm.push(r);
    say(`  warm ${i + 1}: ${fmt(r)}`);
    await sleep(2000);
  }

  await sleep(5000); // let hls.js settle at its target latency
  const sub = await measureLatency(page, TILE0, b, stack, 'sub stream tile (2x2 wall)');

  let main: Awaited<ReturnType<typeof measureLatency>> | null = null;
  const warmMain: FirstFrameResult[] = [];
  if (!values['skip-main']) {
    say(`warm first frame of the single view (main stream, always ingested): double-click, ${trials} times...`);
    for (let i = 0; i < trials; i++) {
      await probe(page, 'armFirstFrame', SINGLE, 'dblclick');
      await page.locator('[data-testid=wall-tile][data-index="0"]').dblclick();
      const r = await waitFirstFrame(page);
      warmMain.push(r);
      say(`  warm main ${i + 1}: ${fmt(r)}`);
      if (i < trials - 1) {
        await sleep(1500);
        await page.keyboard.press('Escape');
        await page.getByTestId('single-view').waitFor({ state: 'detached' });
        await sleep(1000);
      }
    }
    await sleep(5000);
    main = await measureLatency(page, SINGLE, b, stack, 'main stream single view');
  }

  // The 16-tile wall on the same path (bench/wall.ts in its own stack, after this one is down).
  let wall16: { fpsPerTileP50: number | null; droppedRatio: number | null; jumpsPerTileMinute: number | null; sourceFps: number | null; cpu: unknown } | null = null;
  if (wallSeconds > 0) {
    await cleanup.run();
    say(`16-tile wall (bench/wall.ts, ${wallSeconds} s per layout, path ${livePath})...`);
    const w = spawnSync(process.execPath, ['--import', 'tsx', 'bench/wall.ts', '--json', '--seconds', String(wallSeconds)], { encoding: 'utf8', env: { ...process.env, BENCH_LIVE_PATH: livePath }, maxBuffer: 64 * 1024 * 1024 });
    const line = w.stdout.trim().split('\n').at(-1) ?? '';
    try {
      const parsed = JSON.parse(line) as { layouts: { tiles: number; fpsPerTileP50: number | null; droppedRatio: number | null; jumpsPerTileMinute: number | null; sourceFps: number | null; cpu: unknown }[] };
      const l16 = parsed.layouts.find((l) => l.tiles === 16);
      if (l16) wall16 = { fpsPerTileP50: l16.fpsPerTileP50, droppedRatio: l16.droppedRatio, jumpsPerTileMinute: l16.jumpsPerTileMinute, sourceFps: l16.sourceFps, cpu: l16.cpu };
    } catch {
      say(`  bench/wall.ts gave no result (exit ${w.status}): ${w.stderr.slice(-400)}`);
    }
  }

  const med = (rs: FirstFrameResult[]) => round(median(rs.flatMap((r) => (r.firstDecodedMs === null ? [] : [r.firstDecodedMs]))));
  const failed = (rs: FirstFrameResult[]) => rs.filter((r) => r.firstDecodedMs === null).length;
  const result = {
    latencyMsP50: sub.latencyMsP50,
    latencyMsP95: sub.latencyMsP95,
    firstFrameWarmMs: med(warm),
    firstFrameColdMs: med(cold),
    firstFrameWarmMainMs: warmMain.length ? med(warmMain) : null,
    /** Where a cold start goes (medians, from the placement): the engine's sub stream receiving the
     *  camera's first fragment (RTSP connect through the relay), the capture of the first keyframe
     *  shown (the camera's keyframe wait on top of the connect), then that frame's delivery. */
    firstFrameColdSplit: {
      subLiveMs: round(median(coldSteps.flatMap((x) => (x.subLiveMs === null ? [] : [x.subLiveMs])))),
      firstKeyframeCapturedMs: round(median(cold.flatMap((r) => (r.firstDecodedMs === null || r.firstLatencyMs === null ? [] : [r.firstDecodedMs - r.firstLatencyMs])))),
      firstFrameLatencyMs: round(median(cold.flatMap((r) => (r.firstLatencyMs === null ? [] : [r.firstLatencyMs])))),
    },
    wall16FpsPerTileP50: wall16?.fpsPerTileP50 ?? null,
    wall16DroppedRatio: wall16?.droppedRatio ?? null,
    wall16: wall16,
    path: livePath,
    /** Trials without a decodable first frame within 30 s (not in the medians). */
    failedTrials: { cold: failed(cold), warm: failed(warm), warmMain: failed(warmMain) },
    stream: 'sub stream (640x360) in a 2x2 wall tile, as a guard sees it; main = single view (1280x720)',
    seconds,
    samples: sub.samples,
    sub,
    main,
    trials: {
      cold: cold.map((r) => round(r.firstDecodedMs)),
      warm: warm.map((r) => round(r.firstDecodedMs)),
      warmMain: warmMain.map((r) => round(r.firstDecodedMs)),
      coldFirstPresented: cold.map((r) => round(r.firstPresentedMs)),
      /** From the placement: the engine's sub stream became live (first fragment packaged), and the page first asked for its playlist. */
      coldSubLiveMs: coldSteps.map((s) => s.subLiveMs),
      coldPlaylistRequestMs: coldSteps.map((s) => s.playlistRequestMs),
      latencyOfFirstFrame: { cold: cold.map((r) => round(r.firstLatencyMs)), warm: warm.map((r) => round(r.firstLatencyMs)), warmMain: warmMain.map((r) => round(r.firstLatencyMs)) },
    },
    targets: livePath === 'fragments' ? { latencyMsP50: 500, latencyMsP95: 800, firstFrameWarmMs: 200, firstFrameColdMs: 1000, wall16DroppedRatio: 0.01 } : { firstFrameWarmMs: 500, firstFrameColdMs: 2000 },
    pageErrors: b.errors.slice(0, 10),
    machine: machine(),
  };
  if (!values.json) {
    say('');
    say(`Glass-to-glass latency, sub tile: p50 ${result.latencyMsP50} ms, p95 ${result.latencyMsP95} ms (${sub.samples} samples over ${seconds} s)`);
    if (main) say(`Glass-to-glass latency, main single view: p50 ${main.latencyMsP50} ms, p95 ${main.latencyMsP95} ms`);
    say(`First frame, warm sub tile: median ${result.firstFrameWarmMs} ms (target <= 500) ${JSON.stringify(result.trials.warm)}`);
    if (main) say(`First frame, warm main single view: median ${result.firstFrameWarmMainMs} ms (target <= 500) ${JSON.stringify(result.trials.warmMain)}`);
    say(`First frame, cold sub tile: median ${result.firstFrameColdMs} ms (target <= 2000) ${JSON.stringify(result.trials.cold)}`);
    say(`Chromium CPU during sub latency: ${sub.cpu.chromiumPercent}% of one core (other processes on the machine: ${sub.cpu.otherPercent}%); machine: ${result.machine}`);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await cleanup.run();
}
