// The recorder on real ffmpeg output: rolling files that each start with their own init segment
// and a keyframe, index rows that match the bytes on disk, gaps made explicit, files playable.
import { openTestStore } from '../testing/harness';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import { AlarmsService } from '../alarms/alarms-service';
import { AuditLog } from '../audit/audit-log';
import { type Store } from '../store/db';
import { encodeFmp4, split } from '../testing/ffmpeg-fixtures';
import { unpackGops } from './gop-index';
import { RecordingService } from './recording-service';
import { seedCamera } from '../testing/seed-camera';

let dir: string;
let store: Store;
let clock: ManualClock;
let svc: RecordingService;


beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recorder-'));
  store = await openTestStore(dir);
  clock = new ManualClock(Date.UTC(2026, 10, 2, 8, 0, 0));
  const audit = await AuditLog.open(store.db, clock, silentLogger, dir);
  await seedCamera(store);
  svc = new RecordingService({ db: store.db, clock, logger: silentLogger, audit, alarms: new AlarmsService(store.db, clock, audit, silentLogger), live: null, root: path.join(dir, 'recordings'), rollMs: 2000, timers: false });
  await svc.start();
  svc.syncCameras(await store.db.selectFrom('cameras').selectAll().execute());
});
afterEach(async () => {
  await svc.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('recorder', () => {
  it('rolls files at keyframes, indexes exactly what is on disk, and each file plays from its first to last indexed fragment', async () => {
    const { init, fragments } = split(encodeFmp4(7));
    const rec = svc.recorderFor(1)!;
    rec.onInit(init);
    const t0 = clock.nowMs();
    fragments.forEach((f, i) => {
      rec.onFragment(f, t0 + (i + 1) * 200);
      if (i % 5 === 4) void rec.flush();
    });
    rec.onEnd();
    await rec.drain();
    const rows = await store.db.selectFrom('recordings').selectAll().orderBy('start_ms').execute();
    // 35 fragments, 1 s GOPs, roll after 2 s of media: files of 2, 2, 2 and 1 s.
    expect(rows.map((r) => [r.state, Number(r.end_ms) - Number(r.start_ms)])).toEqual([
      ['complete', 2000], ['complete', 2000], ['complete', 2000], ['complete', 1000],
    ]);
    expect(fs.statSync(path.join(dir, 'recordings')).mode & 0o777).toBe(0o700);
    for (const r of rows) {
      const file = path.join(dir, 'recordings', r.path);
      const bytes = fs.readFileSync(file);
      expect(bytes.length).toBe(Number(r.bytes));
      expect(bytes.subarray(0, init.bytes.length).equals(init.bytes)).toBe(true);
      const gops = unpackGops((await store.db.selectFrom('recording_gops').select('gops').where('recording_id', '=', r.id).executeTakeFirstOrThrow()).gops);
      expect(gops[0]!.offset).toBe(init.bytes.length);
      expect(gops.at(-1)!.offset + gops.at(-1)!.size).toBe(bytes.length);
      const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,codec_name', '-of', 'csv=p=0', file], { encoding: 'utf8' });
      expect(probe.stderr).toBe('');
      expect(probe.stdout.trim()).toBe(`h264,${(Number(r.end_ms) - Number(r.start_ms)) / 40}`);
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('a flush indexes the bytes appended when it was asked, while later fragments go on being written during its sync', async () => {
    const { init, fragments } = split(encodeFmp4(3));
    const rec = svc.recorderFor(1)!;
    rec.onInit(init);
    const t0 = clock.nowMs();
    const size = (fs: typeof fragments) => fs.reduce((n, f) => n + f.bytes.length, 0);
    fragments.slice(0, 4).forEach((f, i) => rec.onFragment(f, t0 + (i + 1) * 200));
    const flushed = rec.flush(); // its sync waits on the thread pool...
    fragments.slice(4, 8).forEach((f, i) => rec.onFragment(f, t0 + (i + 5) * 200)); // ...while these arrive
    await flushed;
    const row = await store.db.selectFrom('recordings').selectAll().executeTakeFirstOrThrow();
    expect(row.state).toBe('open');
    expect(Number(row.bytes)).toBe(init.bytes.length + size(fragments.slice(0, 4)));
    const file = path.join(dir, 'recordings', row.path);
    expect(fs.statSync(file).size).toBe(Number(row.bytes) + size(fragments.slice(4, 8)));
    const gops = unpackGops((await store.db.selectFrom('recording_gops').select('gops').where('recording_id', '=', row.id).executeTakeFirstOrThrow()).gops);
    expect(gops.at(-1)!.offset + gops.at(-1)!.size).toBeLessThanOrEqual(Number(row.bytes));
    rec.onEnd();
    await rec.drain();
    const closed = await store.db.selectFrom('recordings').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(closed.state).toBe('complete');
    expect(Number(closed.bytes)).toBe(fs.statSync(file).size);
    expect(Number(closed.bytes)).toBe(init.bytes.length + size(fragments.slice(0, 8)));
  });

  it('a camera offline for a while yields an explicit gap, not a broken file', async () => {
    const { init, fragments } = split(encodeFmp4(4));
    const rec = svc.recorderFor(1)!;
    rec.onInit(init);
    const t0 = clock.nowMs();
    fragments.slice(0, 10).forEach((f, i) => rec.onFragment(f, t0 + (i + 1) * 200));
    rec.onEnd(); // the camera goes away...
    clock.advance(60_000);
    rec.onInit(init); // ...and comes back a minute later with a new ffmpeg run
    const t1 = clock.nowMs();
    fragments.slice(0, 10).forEach((f, i) => rec.onFragment(f, t1 + (i + 1) * 200));
    rec.onEnd();
    await rec.drain();
    const rows = await store.db.selectFrom('recordings').selectAll().orderBy('start_ms').execute();
    const gaps = await store.db.selectFrom('recording_gaps').selectAll().execute();
    expect(rows.map((r) => r.state)).toEqual(['complete', 'complete']);
    expect(gaps).toHaveLength(1);
    expect(Number(gaps[0]!.start_ms)).toBe(Number(rows[0]!.end_ms));
    expect(Number(gaps[0]!.end_ms)).toBe(Number(rows[1]!.start_ms));
    expect(Number(gaps[0]!.end_ms) - Number(gaps[0]!.start_ms)).toBeGreaterThan(55_000);
  });

  /** Each file's frames (decode times, as ffprobe reads the file) against its index and its row. */
  async function filesKeepOneTimeline() {
    const rows = await store.db.selectFrom('recordings').selectAll().orderBy('start_ms').execute();
    for (const r of rows) {
      const gops = unpackGops((await store.db.selectFrom('recording_gops').select('gops').where('recording_id', '=', r.id).executeTakeFirstOrThrow()).gops);
      const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=dts_time', '-of', 'csv=p=0', path.join(dir, 'recordings', r.path)], { encoding: 'utf8' });
      const dts = probe.stdout.trim().split('\n').map(Number);
      expect(dts.findIndex((d, i) => i > 0 && d < dts[i - 1]!), `${r.path}: decode time goes back`).toBe(-1);
      const spanMs = Math.round((dts.at(-1)! - dts[0]!) * 1000);
      const indexed = gops.at(-1)!.startRelMs + gops.at(-1)!.durationMs;
      // The last frame lies in the last indexed group; the row spans what the index does.
      expect(spanMs, `${r.path}: frames over ${spanMs} ms, index ${JSON.stringify(gops)}`).toBeLessThan(indexed);
      expect(spanMs).toBeGreaterThanOrEqual(gops.at(-1)!.startRelMs);
      expect(Number(r.end_ms) - Number(r.start_ms)).toBe(indexed);
    }
    for (let i = 1; i < rows.length; i++) expect(Number(rows[i]!.start_ms), 'files do not overlap').toBeGreaterThanOrEqual(Number(rows[i - 1]!.end_ms));
    return rows;
  }

  it('one file, one timeline: a new connection ends the file even before the old one’s end is told, with the same init segment', async () => {
    const { init, fragments } = split(encodeFmp4(2));
    const rec = svc.recorderFor(1)!;
    const t0 = clock.nowMs();
    rec.onInit(init);
    fragments.slice(0, 8).forEach((f, i) => rec.onFragment(f, t0 + (i + 1) * 200));
    // The ingest restarted ffmpeg: the new run's init (byte for byte the same) and media time from 0
    // come before the old run's end.
    rec.onInit(init);
    fragments.slice(0, 7).forEach((f, i) => rec.onFragment(f, t0 + 2000 + (i + 1) * 200));
    rec.onEnd();
    await rec.drain();
    const rows = await filesKeepOneTimeline();
    expect(rows.map((r) => [r.state, Number(r.end_ms) - Number(r.start_ms)])).toEqual([
      ['complete', 1600],
      ['complete', 1400],
    ]);
  });

  it('one file, one timeline: media time stepping back within a connection ends the file; the next starts at a keyframe', async () => {
    const { init, fragments } = split(encodeFmp4(2));
    const rec = svc.recorderFor(1)!;
    const t0 = clock.nowMs();
    rec.onInit(init);
    fragments.slice(0, 8).forEach((f, i) => rec.onFragment(f, t0 + (i + 1) * 200));
    // The same connection goes on from media time 0.4 s (a camera that reset its clock): the
    // fragments before the next keyframe have no file to go to.
    fragments.slice(2, 10).forEach((f, i) => rec.onFragment(f, t0 + 1600 + (i + 1) * 200));
    rec.onEnd();
    await rec.drain();
    const rows = await filesKeepOneTimeline();
    expect(rows.map((r) => [r.state, Number(r.end_ms) - Number(r.start_ms)])).toEqual([
      ['complete', 1600],
      ['complete', 1000],
    ]);
  });

  it('stamps wall-clock times from the least delayed fragment: a start-up burst does not shift the footage, files join without gaps', async () => {
    const { init, fragments } = split(encodeFmp4(7));
    const rec = svc.recorderFor(1)!;
    rec.onInit(init);
    // Captured from t0 on (fragment i ends at t0 + (i + 1) * 200); ffmpeg probes for 1.5 s and
    // then delivers that backlog at once; after it, each fragment arrives 150 ms after its end.
    const t0 = clock.nowMs();
    const LATENCY = 150;
    const media = (f: (typeof fragments)[number]) => ((f.baseDecodeTime + f.durationTicks) * 1000) / init.timescale;
    const m0 = media(fragments[0]!) - (fragments[0]!.durationTicks * 1000) / init.timescale;
    fragments.forEach((f, i) => {
      const endWall = t0 + media(f) - m0;
      const arrival = Math.max(t0 + 1500 + i * 5, endWall + LATENCY);
      rec.onFragment(f, arrival);
      if (i % 5 === 4) void rec.flush();
    });
    rec.onEnd();
    await rec.drain();
    const rows = await store.db.selectFrom('recordings').selectAll().orderBy('start_ms').execute();
    // The first file too starts at its capture time (plus the steady delay), not 1.5 s late.
    expect(Number(rows[0]!.start_ms) - t0).toBe(LATENCY);
    for (let i = 1; i < rows.length; i++) expect(Number(rows[i]!.start_ms)).toBe(Number(rows[i - 1]!.end_ms));
  });
});
