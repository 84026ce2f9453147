// The site engine as a service (docs/design/site-engine.md "The service"): `npm run engine` records a
// simulated camera with no seat connected; kill -9 while three seats are connected is seen by every
// seat within 3 s, they reconnect when the engine is back on the same data directory and must sign
// in again (sessions live in memory), and no audit entry is lost; SIGTERM leaves no torn file: every
// recording ends at a complete fragment, each indexed keyframe group starts with a keyframe, the
// index names exactly the bytes on disk, and ffprobe decodes each file to its last indexed group.
// Seats use TLS on 127.0.0.1 here (the namespaced network is in site-engine.test.ts).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { verifyAuditChain } from '../audit/verify';
import { scanRecording, unpackGops } from '../recording/gop-index';
import { approveWaiting, SETUP_BASIS } from '../testing/grant-approval';
import { ADMIN, TEST_PASSWORD } from '../testing/harness';
import { freePort } from '../testing/free-port';
import { here, SeatProcess, startEngine, type EngineProcess } from '../testing/site-engine-fixture';
import { requestSeatCode } from './local-admin';

const run = promisify(execFile);
let sim: SimulatorHandle;
let engine: EngineProcess;
let dataDir: string;
let address = '';
const seats: SeatProcess[] = [];
type Enrolled = { seatId: number; credential: string; fingerprint: string };

const start = () => startEngine({ spawner: here, dataDir, listen: address, entry: 'cli' });
async function seat(e: Enrolled): Promise<SeatProcess> {
  const s = await SeatProcess.start(here);
  seats.push(s);
  s.connect(address, e);
  await s.state('connected');
  return s;
}
const sqlite = () => new BetterSqlite3(path.join(dataDir, 'console.sqlite'), { readonly: true });
function recorded(): { files: number; bytes: number } {
  const db = sqlite();
  const r = db.prepare("SELECT COUNT(*) AS files, COALESCE(SUM(bytes), 0) AS bytes FROM recordings WHERE state <> 'missing'").get() as { files: number; bytes: number };
  db.close();
  return r;
}
async function until<T>(what: string, fn: () => T | null, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; engine stderr: ${engine.stderr().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the site engine as a service: recording without seats, kill -9 with seats, SIGTERM', () => {
  const enrolled: Enrolled[] = [];
  let cameraId = 0;

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 1, auth: 'none', size: SMALL_PICTURE });
    dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'site-rec-')), 'data');
    address = `127.0.0.1:${await freePort()}`;
    engine = await start();
    // Three seats: the first from the engine machine's own code, the others registered by the administrator.
    const first = await SeatProcess.start(here);
    seats.push(first);
    const e0 = await first.enrol(address, (await requestSeatCode(dataDir, 'Desk 1', 'Control room')).code, engine.fingerprint);
    enrolled.push(e0.enrolment as Enrolled);
    first.connect(address, enrolled[0]!);
    await first.state('connected');
    await first.must('setup.createAdmin', ADMIN);
    await first.signIn(ADMIN.username, ADMIN.password);
    for (const name of ['Desk 2', 'Desk 3']) {
      const { code } = await first.must<{ code: string }>('seats.register', { name, room: 'Control room' });
      enrolled.push((await first.enrol(address, code, engine.fingerprint)).enrolment as Enrolled);
    }
    const group = await first.must<{ id: number }>('groups.create', { name: 'Depot', description: '' });
    const cam = sim.cameras[0]!;
    cameraId = (
      await first.must<{ id: number }>('cameras.add', {
        settings: { name: 'Gate', site: 'Depot', groupId: group.id, purpose: 'safety', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
        source: { kind: 'rtsp', mainUrl: cam.rtspMain, subUrl: cam.rtspSub },
        username: null,
        password: null,
      })
    ).id;
    await first.must('users.create', { username: 'guard.gate', displayName: 'Guard', role: 'guard', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [group.id], basis: SETUP_BASIS });
    await approveWaiting((n, r) => first.must(n, r), ['guard.gate'], () => first.must('auth.signIn', { username: ADMIN.username, password: ADMIN.password }));
    first.stop();
  }, 120_000);

  afterAll(async () => {
    for (const s of seats) s.stop();
    engine?.child.kill('SIGKILL');
    await sim?.close();
    if (dataDir) fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('records with no seat connected', async () => {
    const before = await until('the first recorded bytes', () => (recorded().bytes > 0 ? recorded() : null));
    await new Promise((r) => setTimeout(r, 6000));
    const after = recorded();
    expect(after.bytes, 'bytes recorded while no seat was connected').toBeGreaterThan(before.bytes);
  });

  it('hands each seat media URLs at the origin it connected to, fetched with the pinned CA', async () => {
    const guard = await seat(enrolled[1]!);
    await guard.signIn('guard.gate', TEST_PASSWORD);
    const view = await guard.must<{ url: string }>('live.open', { cameraId, stream: 'main' });
    expect(new URL(view.url).origin).toBe(`https://${address}`);
    const playlist = await guard.media(view.url);
    expect(playlist.status).toBe(200);
    expect(playlist.text).toContain('#EXTM3U');
    // Events pushed on the same socket reach the seat client's onEvent.
    const from = guard.lines.seen.length;
    await guard.must('session.lock', {});
    const pushed = await guard.lines.wait((m) => m.op === 'event' && (m.event as { type?: string }).type === 'session.locked', 5000, 'the session.locked event', from);
    expect(pushed.event).toMatchObject({ type: 'session.locked' });
    guard.stop();
  });

  it('kill -9 with three seats connected: each sees the loss within 3 s, reconnects to the engine on the same data directory, must sign in again; no audit entry is lost', async () => {
    const connected = await Promise.all(enrolled.map((e) => seat(e)));
    await connected[0]!.signIn(ADMIN.username, ADMIN.password);
    await connected[1]!.signIn('guard.gate', `${TEST_PASSWORD}-Renewed`);
    // A command that returned just before the kill: its audit entry must survive.
    await connected[0]!.must('seats.list', {});
    const marks = connected.map((s) => s.lines.seen.length);
    const killedAtMs = Date.now();
    engine.child.kill('SIGKILL');
    await engine.exited;
    const lost = await Promise.all(connected.map((s, i) => s.state('reconnecting', 5000, marks[i])));
    console.log(`kill -9: the seats saw the loss after ${lost.map((l) => l.atMs - killedAtMs).join(', ')} ms`);
    for (const l of lost) expect(l.atMs - killedAtMs, 'loss seen').toBeLessThan(3000);
    const listsBefore = countEntries('seats.list');
    engine = await start();
    const backAtMs = Date.now();
    await Promise.all(connected.map((s, i) => s.state('connected', 20_000, marks[i])));
    console.log(`the seats reconnected ${Date.now() - backAtMs} ms after the engine was back`);
    for (const s of connected) expect(await s.call('session.status', {})).toEqual({ ok: true, value: { signedIn: false } });
    await connected[0]!.signIn(ADMIN.username, ADMIN.password);
    expect(countEntries('seats.list')).toBe(listsBefore);
    expect(listsBefore).toBeGreaterThan(0);
    for (const s of connected) s.stop();
  });

  it('SIGTERM stops cleanly and leaves no torn file; the audit chain verifies', async () => {
    await until('recording after the restart', () => (openFiles() > 0 ? true : null));
    await new Promise((r) => setTimeout(r, 3000));
    engine.child.kill('SIGTERM');
    expect(await engine.exited).toEqual({ code: 0, signal: null });
    const db = sqlite();
    const rows = db.prepare("SELECT r.id, r.path, r.bytes, r.state, g.gops FROM recordings r JOIN recording_gops g ON g.recording_id = r.id WHERE r.state <> 'missing'").all() as { id: number; path: string; bytes: number; state: string; gops: Buffer }[];
    const report = verifyAuditChain(db, dataDir, () => 0);
    const last = db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string };
    db.close();
    expect(report.ok, report.problem ?? '').toBe(true);
    expect(last.action).toBe('engine.stopped');
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) {
      const file = path.join(dataDir, 'recordings', r.path);
      const bytes = fs.readFileSync(file);
      const label = `${r.path} (${r.state})`;
      expect(r.state, label).toBe('complete');
      expect(bytes.length, `${label}: index = bytes on disk`).toBe(r.bytes);
      const scan = scanRecording(bytes);
      expect(scan.validBytes, `${label}: ends at a complete fragment`).toBe(bytes.length);
      const gops = unpackGops(r.gops);
      expect(gops.at(-1)!.offset + gops.at(-1)!.size, `${label}: the last indexed group ends the file`).toBe(bytes.length);
      const packets = (await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pos,flags', '-of', 'csv=p=0', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout
        .trim()
        .split('\n')
        .map((l) => l.split(',') as [string, string]);
      for (const g of gops) {
        const first = packets.find(([pos]) => Number(pos) >= g.offset);
        expect(first?.[1], `${label}: the group at ${g.offset} starts with a keyframe`).toMatch(/K/);
      }
      const decode = await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
      expect(decode.stderr, `${label} decodes without errors`).toBe('');
      expect(Number(decode.stdout.trim())).toBeGreaterThan(0);
    }
  }, 120_000);

  function countEntries(action: string): number {
    const db = sqlite();
    const n = (db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;
    db.close();
    return n;
  }
  function openFiles(): number {
    const db = sqlite();
    const n = (db.prepare("SELECT COUNT(*) AS n FROM recordings WHERE state = 'open' AND bytes > init_bytes").get() as { n: number }).n;
    db.close();
    return n;
  }
});
