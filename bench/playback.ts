// `npm run bench:playback -- [--json] [--trials 5] [--seeks 20] [--record-seconds 75]`: reviewing
// recordings in Debian's Chromium against the real renderer (host mode), over a 24-hour range.
//
// Footage: one simulated camera records for --record-seconds (real ffmpeg, real recorder, files
// rolled every 60 s). The 24 hours before it are then filled with copies of the first complete
// file: hard links (no disk used) indexed as files of their own, every 40th left out as a gap, so
// the engine serves a real 24 h index: ~1,440 files, ~86,000 keyframe groups.
//
// Measured, with the UI as a reviewer uses it:
//   - firstFrame: from submitting the reason dialog (the playback screen's performance mark
//     `playback:reason-submitted`) to the first frame presented (`playback:first-frame`, from
//     requestVideoFrameCallback), each trial a fresh visit of the screen with the 24 h range;
//   - seek: a click on the timeline (day zoom) at a random instant of the 24 h, from the mark
//     `playback:seek` to `playback:seek-frame` (the first frame presented after the seek);
//   - playlist24h: generating the 24 h playlist in the engine, as the media server calls it (warm:
//     the per-file line cache is filled; cold: the first time since start, also reported), and the
//     HTTP round trip of the whole text (several MB) from this process.
// Targets (docs/benchmarks.md): first frame p50 <= 1.0 s, seek p50 <= 0.5 s, 24 h playlist < 50 ms.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { dispatchCaller } from './engine-setup';
import { machine } from './proc-cpu';
import { approveWaiting, SETUP_BASIS } from '../electron/core/testing/grant-approval';
import { ADMIN, Cleanup, ensureRenderer, launchBrowser, percentile, round, sayer, sleep, startStack, type Stack } from './browser';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '5' },
    seeks: { type: 'string', default: '20' },
    'record-seconds': { type: 'string', default: '75' },
    json: { type: 'boolean', default: false },
  },
});
const trials = Number(values.trials);
const seeks = Number(values.seeks);
const recordSeconds = Number(values['record-seconds']);
const say = sayer(values.json);
if (!(trials >= 1) || !(seeks >= 1) || !(recordSeconds >= 65)) throw new Error('--trials and --seeks must be >= 1, --record-seconds >= 65 (one complete 60 s file)');

const DAY = 86_400_000;
const REVIEWER = { username: 'bench.reviewer', displayName: 'Bench Reviewer', temp: 'Velvet-Orchard-Lamp-58', password: 'Copper-Meadow-Kettle-26' };
const pad = (n: number) => String(n).padStart(2, '0');
/** `YYYY-MM-DDTHH:MM` in local time, as the range inputs take it. */
const localInput = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

async function seedReviewer(stack: Stack): Promise<void> {
  const list = (await stack.admin<{ cameras: { groupId: number }[] }>('cameras.adminList', {})).cameras;
  await stack.admin('users.create', { username: REVIEWER.username, displayName: REVIEWER.displayName, role: 'reviewer', groupIds: [list[0]!.groupId], language: 'en', initialPassword: REVIEWER.temp, basis: SETUP_BASIS });
  await approveWaiting(stack.admin, [REVIEWER.username], () => stack.admin('auth.signIn', { username: ADMIN.username, password: ADMIN.password }));
  const call = dispatchCaller(stack.engine, 'bench-reviewer-seed', 'bench seed');
  await call('auth.signIn', { username: REVIEWER.username, password: REVIEWER.temp });
  await call('auth.changePassword', { currentPassword: REVIEWER.temp, newPassword: REVIEWER.password });
  await call('commitment.accept', { version: (await call('commitment.get', { language: 'en' })).version });
  await call('auth.signOut', {});
}

/** Fills the day before the first complete file with hard-linked copies of it; returns the range. */
async function fabricateDay(stack: Stack, cameraId: number): Promise<{ fromMs: number; toMs: number; files: number; gaps: number }> {
  const db = stack.engine.store.db;
  const root = stack.engine.recording.root;
  const first = await db.selectFrom('recordings').selectAll().where('camera_id', '=', cameraId).where('state', '=', 'complete').orderBy('start_ms').executeTakeFirstOrThrow();
  const gops = await db.selectFrom('recording_gops').select('gops').where('recording_id', '=', first.id).executeTakeFirstOrThrow();
  const start = Number(first.start_ms);
  const dur = Number(first.end_ms) - start;
  const count = Math.ceil(DAY / dur);
  let files = 0;
  let gaps = 0;
  await db.transaction().execute(async (trx) => {
    for (let k = 1; k <= count; k++) {
      if (k % 40 === 0) {
        gaps++;
        continue;
      }
      const s = start - k * dur;
      const rel = path.join(`cam-${cameraId}`, new Date(s).toISOString().slice(0, 10), `${s}.mp4`);
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.linkSync(path.join(root, first.path), path.join(root, rel));
      const row = await trx
        .insertInto('recordings')
        .values({ camera_id: cameraId, path: rel, start_ms: s, end_ms: s + dur, bytes: first.bytes, state: 'complete', sha256: first.sha256, init_bytes: first.init_bytes, created_at_ms: Date.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('recording_gops').values({ recording_id: row.id, gops: gops.gops }).execute();
      files++;
    }
  });
  return { fromMs: start - count * dur, toMs: Date.now(), files, gaps };
}

async function marksBetween(page: Page, from: string, to: string, timeoutMs = 20_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await page.evaluate(
      ([a, b]) => {
        const ma = performance.getEntriesByName(a!, 'mark').at(-1);
        const mb = performance.getEntriesByName(b!, 'mark').at(-1);
        return ma && mb && mb.startTime >= ma.startTime ? mb.startTime - ma.startTime : null;
      },
      [from, to],
    );
    if (d !== null) return d;
    if (Date.now() > deadline) return null;
    await sleep(25);
  }
}

async function openDay(page: Page, range: { fromMs: number; toMs: number }): Promise<number | null> {
  await page.getByTestId('nav-live').click();
  await page.getByTestId('nav-playback').click();
  await page.getByTestId('playback-empty').waitFor();
  await page.getByTestId('playback-from').fill(localInput(range.fromMs));
  await page.getByTestId('playback-to').fill(localInput(range.toMs + 120_000));
  await page.getByTestId('playback-open').click();
  await page.getByTestId('reason-category').click();
  await page.getByRole('option', { name: 'System check' }).click();
  await page.getByTestId('reason-text').fill('Benchmark of playback start and seek times');
  await page.evaluate(() => performance.clearMarks());
  await page.getByTestId('reason-submit').click();
  return marksBetween(page, 'playback:reason-submitted', 'playback:first-frame');
}

const cleanup = new Cleanup();
try {
  ensureRenderer(say);
  const stack = await startStack({ cameras: 1, wall: { layout: 1, tiles: [] }, say, cleanup });
  const cameraId = stack.cameraIds[0]!;
  await seedReviewer(stack);
  say(`recording for ${recordSeconds} s...`);
  await sleep(recordSeconds * 1000);
  const day = await fabricateDay(stack, cameraId);
  say(`24 h index: ${day.files} files, ${day.gaps} gaps, ${new Date(day.fromMs).toISOString()} .. now`);

  // The playlist: generated in the engine (in-process, as the media server calls it), cold once
  // (nothing cached since start) then warm; and the HTTP round trip of the whole text from here.
  const grant = stack.engine.playback.open({ id: 'bench', connectionId: 'bench', userId: 0, username: 'bench' }, [cameraId], day.fromMs, day.toMs);
  const genMs: number[] = [];
  let text = '';
  for (let i = 0; i < 8; i++) {
    const t0 = performance.now();
    text = await stack.engine.playback.playlist(grant, cameraId);
    genMs.push(performance.now() - t0);
  }
  stack.engine.playback.close(grant.id);
  const segments = (text.match(/#EXTINF/g) ?? []).length;
  const rv = dispatchCaller(stack.engine, 'bench-playlist');
  await rv('auth.signIn', { username: REVIEWER.username, password: REVIEWER.password });
  const httpMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const open = await rv('playback.open', { cameraIds: [cameraId], fromMs: day.fromMs, toMs: day.toMs, reason: { category: 'system_check', text: 'Benchmark of playlist generation' } });
    const t0 = performance.now();
    await (await fetch((open.streams as { url: string }[])[0]!.url)).text();
    httpMs.push(performance.now() - t0);
    await rv('playback.close', { playbackId: open.playbackId });
  }
  await rv('auth.signOut', {});
  const [coldMs, ...warm] = genMs;
  say(`24 h playlist (${segments} segments, ${(text.length / 1e6).toFixed(1)} MB): generated cold ${round(coldMs!)} ms, warm p50 ${round(percentile(warm, 50), 1)} ms; HTTP round trip p50 ${round(percentile(httpMs, 50))} ms`);

  const b = await launchBrowser(cleanup);
  const { page } = b;
  await page.goto(stack.host.url);
  await page.getByTestId('signin-username').fill(REVIEWER.username);
  await page.getByTestId('signin-password').fill(REVIEWER.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('nav-playback').waitFor({ timeout: 30_000 });

  const firstFrame: number[] = [];
  let failedFirst = 0;
  for (let i = 0; i < trials; i++) {
    const ms = await openDay(page, day);
    if (ms === null) failedFirst++;
    else firstFrame.push(ms);
    say(`  first frame ${i + 1}/${trials}: ${ms === null ? 'none within 20 s' : `${round(ms)} ms`}`);
  }

  // Seeks: the day view, a click at a random instant inside the opened range.
  await page.getByTestId('timeline-zoom-day').click();
  await sleep(1000);
  const seekMs: number[] = [];
  let failedSeeks = 0;
  const svg = page.getByTestId('timeline');
  for (let i = 0; i < seeks; i++) {
    const from = Number(await svg.getAttribute('data-from'));
    const to = Number(await svg.getAttribute('data-to'));
    const lo = Math.max(from, day.fromMs + 120_000);
    const hi = Math.min(to, day.toMs - 60_000);
    const target = lo + Math.random() * (hi - lo);
    const box = (await svg.boundingBox())!;
    await page.evaluate(() => performance.clearMarks());
    await page.mouse.click(box.x + 120 + ((target - from) / (to - from)) * (box.width - 120), box.y + 30);
    const ms = await marksBetween(page, 'playback:seek', 'playback:seek-frame', 10_000);
    if (ms === null) failedSeeks++;
    else seekMs.push(ms);
    await sleep(300);
  }
  say(`seeks: p50 ${round(percentile(seekMs, 50))} ms, p95 ${round(percentile(seekMs, 95))} ms (${seekMs.length} ok, ${failedSeeks} without a frame in 10 s)`);

  const result = {
    firstFrameMsP50: round(percentile(firstFrame, 50)),
    firstFrameMsP95: round(percentile(firstFrame, 95)),
    seekMsP50: round(percentile(seekMs, 50)),
    seekMsP95: round(percentile(seekMs, 95)),
    playlist24hMs: round(percentile(warm, 50), 1),
    playlist24hColdMs: round(coldMs!, 1),
    playlist24hHttpMs: round(percentile(httpMs, 50), 1),
    playlistBytes: text.length,
    playlistSegments: segments,
    files24h: day.files,
    gaps24h: day.gaps,
    firstFrameTrials: trials,
    firstFrameFailures: failedFirst,
    seekTrials: seeks,
    seekFailures: failedSeeks,
    pageErrors: b.errors.length,
    machine: machine(),
  };
  say(`first frame p50 ${result.firstFrameMsP50} ms, p95 ${result.firstFrameMsP95} ms; seek p50 ${result.seekMsP50} ms, p95 ${result.seekMsP95} ms; playlist 24 h ${result.playlist24hMs} ms (cold ${result.playlist24hColdMs} ms)`);
  if (b.errors.length) say(`page errors: ${b.errors.slice(0, 5).join(' | ')}`);
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await cleanup.run();
}
