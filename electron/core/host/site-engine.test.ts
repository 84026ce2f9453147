// The site engine across a network (docs/design/site-engine.md): the engine in one network
// namespace at 10.77.0.1, seats (the Node seat client, as child processes) in another at 10.77.0.2.
// Enrolment and commands over TLS with the CA pinned; no plain HTTP or WebSocket on the address;
// /healthz; a revoked seat is cut off at once and cannot come back; expired and reused codes; and a
// second engine with another certificate at the same address is refused by name and fingerprint.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../testing/harness';
import { ENGINE_IP, makeNetPair, netnsUnavailable, SEAT_IP, type NetPair } from '../testing/netns';
import { SeatProcess, startEngine, type EngineProcess, type Spawner } from '../testing/site-engine-fixture';
import { requestSeatCode } from './local-admin';

const unavailable = netnsUnavailable();
const PORT = 8443;
const ADDRESS = `${ENGINE_IP}:${PORT}`;
const NS_MESSAGE = `network namespaces cannot be made here (${unavailable ?? ''}); these tests need root`;

let net: NetPair;
let engine: EngineProcess;
let dataDir: string;
const dirs: string[] = [];
const seats: SeatProcess[] = [];
let inEngine: Spawner;
let inSeats: Spawner;
let admin: SeatProcess;

const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'site-engine-'));
  dirs.push(d);
  return d;
};
async function seat(): Promise<SeatProcess> {
  const s = await SeatProcess.start(inSeats);
  seats.push(s);
  return s;
}
type Enrolled = { seatId: number; credential: string; fingerprint: string };

describe.skipIf(unavailable !== null)(`site engine over TLS between two network namespaces${unavailable ? ` (skipped: ${NS_MESSAGE})` : ''}`, () => {
  beforeAll(async () => {
    net = makeNetPair();
    inEngine = (c, a, o) => net.spawnIn(net.engineNs, c, a, o);
    inSeats = (c, a, o) => net.spawnIn(net.seatNs, c, a, o);
    dataDir = path.join(tmp(), 'data');
    engine = await startEngine({ spawner: inEngine, dataDir, listen: ADDRESS });
    // The first seat: its code comes from the engine machine itself (there is no administrator yet).
    const code = await requestSeatCode(dataDir, 'Admin desk', 'Control room');
    expect(code.fingerprint).toBe(engine.fingerprint);
    admin = await seat();
    const e = await admin.enrol(ADDRESS, code.code);
    expect(e.op, JSON.stringify(e)).toBe('enrolled');
    admin.connect(ADDRESS, e.enrolment as Enrolled);
    await admin.state('connected');
    await admin.must('setup.createAdmin', ADMIN);
    await admin.signIn(ADMIN.username, ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    for (const s of seats) s.stop();
    engine?.child.kill('SIGKILL');
    net?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('enrols by trust on first use (the fingerprint the engine printed) and runs commands over TLS, naming the seat in the audit trail', async () => {
    const { code, fingerprint } = await admin.must<{ code: string; fingerprint: string }>('seats.register', { name: 'Desk 2', room: 'Control room' });
    expect(fingerprint).toBe(engine.fingerprint);
    const desk = await seat();
    const e = await desk.enrol(ADDRESS, code);
    expect(e.op).toBe('enrolled');
    const enrolment = e.enrolment as Enrolled & { name: string };
    expect(enrolment).toMatchObject({ name: 'Desk 2', fingerprint: engine.fingerprint });
    desk.connect(ADDRESS, enrolment);
    await desk.state('connected');
    const r = await desk.call('setup.status', {});
    expect(r).toEqual({ ok: true, value: { needsSetup: false } });
    // The credential is stored hashed only.
    const db = new BetterSqlite3(path.join(dataDir, 'console.sqlite'), { readonly: true });
    const row = db.prepare('SELECT credential_sha256 AS h, code_sha256 AS c FROM seats WHERE id = ?').get(enrolment.seatId) as { h: string; c: string };
    const peers = db.prepare("SELECT details AS d FROM audit_log WHERE action = 'seats.register'").all() as { d: string }[];
    db.close();
    expect(row.h).toMatch(/^[0-9a-f]{64}$/);
    expect(enrolment.credential).not.toContain(row.h);
    expect(JSON.stringify(peers)).not.toContain(code);
    expect(peers.some((p) => p.d.includes(`seat:Admin desk@${SEAT_IP}`))).toBe(true);
    const list = await admin.must<{ seats: { name: string; lastAddress: string; version: string; connections: number; enrolledAtMs: number | null }[] }>('seats.list', {});
    expect(list.seats.find((s) => s.name === 'Desk 2')).toMatchObject({ lastAddress: SEAT_IP, version: 'seat-child', connections: 1 });
  });

  it('answers /healthz without authentication, and nothing at all to plain HTTP or WebSocket on the address', async () => {
    const probe = await seat();
    expect(await probe.media(`https://${ADDRESS}/healthz`, engine.fingerprint)).toMatchObject({ status: 200, text: 'up' });
    const plain = await probe.raw(ENGINE_IP, PORT, `GET /healthz HTTP/1.1\r\nHost: ${ADDRESS}\r\n\r\n`);
    expect(plain).not.toMatch(/HTTP\/1\.[01]/);
    const upgrade = await probe.raw(ENGINE_IP, PORT, `GET /ws HTTP/1.1\r\nHost: ${ADDRESS}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    expect(upgrade).not.toMatch(/HTTP\/1\.[01]/);
  });

  it('refuses a socket without a credential, with a message a person understands', async () => {
    const stranger = await seat();
    stranger.connect(ADDRESS, { seatId: 999, credential: `999.${'A'.repeat(43)}`, fingerprint: engine.fingerprint });
    const refused = await stranger.state('refused');
    expect(refused.state).toMatchObject({ reason: 'not-enrolled', message: expect.stringMatching(/not enrolled/) });
  });

  it('cuts a revoked seat off at once, mid-session, and it cannot come back', async () => {
    const { code } = await admin.must<{ code: string; seat: { id: number } }>('seats.register', { name: 'Desk 3', room: 'Control room' });
    const desk = await seat();
    const enrolment = (await desk.enrol(ADDRESS, code, engine.fingerprint)).enrolment as Enrolled;
    desk.connect(ADDRESS, enrolment);
    await desk.state('connected');
    await desk.signIn(ADMIN.username, ADMIN.password);
    const t0 = Date.now();
    const from = desk.lines.seen.length;
    const revoked = await admin.must<{ closedConnections: number }>('seats.revoke', { seatId: enrolment.seatId, reason: 'Stolen laptop' });
    expect(revoked.closedConnections).toBe(1);
    const refused = await desk.state('refused', 5000, from);
    expect(refused.state.reason).toBe('revoked');
    expect(refused.atMs - t0).toBeLessThan(2000);
    expect(await desk.call('session.status', {})).toMatchObject({ ok: false, error: { kind: 'Unavailable' } });
    // A fresh process with the same credential: refused, saying why.
    const again = await seat();
    again.connect(ADDRESS, enrolment);
    expect((await again.state('refused')).state).toMatchObject({ reason: 'revoked', message: expect.stringMatching(/revoked .*Stolen laptop/) });
  });

  it('refuses a reused code and an expired one, saying which', async () => {
    const first = await admin.must<{ code: string }>('seats.register', { name: 'Desk 4', room: 'Control room' });
    const s = await seat();
    expect((await s.enrol(ADDRESS, first.code)).op).toBe('enrolled');
    const reused = await s.enrol(ADDRESS, first.code);
    expect(reused).toMatchObject({ op: 'error', status: 409, reason: 'used-code', message: expect.stringMatching(/already used/) });
    const second = await admin.must<{ code: string }>('seats.register', { name: 'Desk 5', room: 'Control room' });
    await engine.advance(15 * 60_000 + 1000);
    const expired = await s.enrol(ADDRESS, second.code);
    expect(expired).toMatchObject({ op: 'error', status: 410, reason: 'expired-code', message: expect.stringMatching(/expired .*15 minutes/) });
    // The administrator's console locked meanwhile (10 idle minutes): unlock it for what follows.
    await admin.must('session.unlock', { password: ADMIN.password });
    const wrong = await s.enrol(ADDRESS, 'ABCD-EFGH-JKMN-PQRS');
    expect(wrong).toMatchObject({ op: 'error', status: 403, reason: 'bad-code' });
  });

  it('refuses another engine with another certificate at the same address, naming both fingerprints', async () => {
    const { code } = await admin.must<{ code: string }>('seats.register', { name: 'Desk 6', room: 'Control room' });
    const desk = await seat();
    const enrolment = (await desk.enrol(ADDRESS, code, engine.fingerprint)).enrolment as Enrolled;
    desk.connect(ADDRESS, enrolment);
    await desk.state('connected');
    const from = desk.lines.seen.length;
    engine.child.kill('SIGTERM');
    expect((await engine.exited).code).toBe(0);
    const impostor = await startEngine({ spawner: inEngine, dataDir: path.join(tmp(), 'other'), listen: ADDRESS });
    try {
      expect(impostor.fingerprint).not.toBe(engine.fingerprint);
      const refused = await desk.state('refused', 20_000, from);
      const expected = `This is not the site engine you enrolled with: its certificate fingerprint is ${impostor.fingerprint}, expected ${engine.fingerprint}.`;
      expect(refused.state).toMatchObject({ reason: 'wrong-certificate', message: expected });
      const fresh = await seat();
      expect(await fresh.enrol(ADDRESS, 'ABCD-EFGH-JKMN-PQRS', engine.fingerprint)).toMatchObject({ op: 'error', kind: 'wrong-certificate', message: expected });
    } finally {
      impostor.child.kill('SIGKILL');
    }
  });
});
