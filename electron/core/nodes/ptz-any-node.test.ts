// One holder per PTZ camera for the whole site (docs/design/ptz.md "On a site of several nodes"):
// two engines on one PostgreSQL database and the simulator's PTZ camera over real ONVIF. A guard
// steering at node a keeps the camera from a guard at node b, who is told who steers it; a supervisor
// at b takes it over and the guard at a loses it within the renewal (audited there, pushed to a's
// seats); two takes at the same moment at the two nodes give one holder; privacy masks saved at b end
// the steering at a; a holder's node that stops frees the camera at once, one that dies frees it when
// its row goes stale.
// A media test: the simulator, ffmpeg (the nodes ingest the camera) and a PostgreSQL cluster of its own.
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/contract';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { systemClock } from '../clock';
import { deriveSiteSecretsKey } from '../host/tls-identity';
import { PTZ_HOLDER_STALE_MS } from '../ptz/ptz-site';
import { addUser, ADMIN, setUpAdmin, signInReady, startTestEngine, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';
import { sleep, until } from '../testing/node-site';
import { startPgCluster, type PgCluster } from '../testing/pg-cluster';

const LEASE = { leaseMs: 3000, renewMs: 500 };

describe('PTZ on a site of two nodes (PostgreSQL)', () => {
  let pg: PgCluster | undefined;
  let database: string;
  let sim: SimulatorHandle;
  let a: TestEngine | undefined;
  let b: TestEngine | undefined;
  let cameraId: number;
  const users = { guardA: null as unknown as Caller, guardB: null as unknown as Caller, supB: null as unknown as Caller };
  const inboxA: EngineEvent[] = [];
  const dirs: string[] = [];
  const site = { fingerprint: 'cd'.repeat(32), secretsKey: deriveSiteSecretsKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) };
  const dir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ptz-any-node-'));
    dirs.push(d);
    return d;
  };
  const node = (name: string) => ({ node: { name, url: `http://127.0.0.1:9/${name}`, ...LEASE }, clock: systemClock, site });
  const atB = (username: string) => signInReady(b!, username, `${TEST_PASSWORD}-Renewed`);
  const endedAt = async (t: TestEngine) =>
    (await t.engine.store.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'ptz.session.ended').orderBy('seq').execute()).map((r) => ({ actor: r.actor, ...(JSON.parse(r.details) as { reason: string; takenBy?: string }) }));

  beforeAll(async () => {
    pg = await startPgCluster();
    database = await pg.createDatabase();
    sim = await startSimulator({ cameras: 1, ptz: [1], size: SMALL_PICTURE });
    a = await startTestEngine(dir(), { database, ...node('a') });
    const admin = await setUpAdmin(a);
    const yard = (await admin.must('groups.create', { name: 'Yard', description: '' })).id;
    const settings = { name: 'Yard PTZ', site: 'Depot', groupId: yard, purpose: 'safety of the depot yard', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false } as const;
    cameraId = (await admin.must('cameras.add', { settings, source: { kind: 'onvif', xaddr: sim.cameras[0]!.onvifUrl, mainProfile: 'Profile_main', subProfile: 'Profile_sub' }, username: 'admin', password: 'admin' })).id;
    users.guardA = await addUser(a, admin, { username: 'guard.ala', role: 'guard', groupIds: [yard], displayName: 'Ala Guard' });
    await addUser(a, admin, { username: 'guard.bogdan', role: 'guard', groupIds: [yard], displayName: 'Bogdan Guard' });
    await addUser(a, admin, { username: 'sup.beata', role: 'supervisor', groupIds: [yard], displayName: 'Beata Supervisor' });
    a.engine.subscribe(users.guardA.connection.id, (e) => inboxA.push(e));
    b = await startTestEngine(dir(), { database, ...node('b') });
    users.guardB = await atB('guard.bogdan');
    users.supB = await atB('sup.beata');
  }, 90_000);

  afterAll(async () => {
    await b?.dispose();
    await a?.dispose();
    await sim?.close();
    pg?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a guard steering at node a keeps the camera from a guard at node b, who is told who steers it', async () => {
    const granted = await users.guardA.must('ptz.acquire', { cameraId });
    expect(granted.holder).toMatchObject({ username: 'guard.ala', mine: true });
    await users.guardA.must('ptz.move', { cameraId, pan: 0.4, tilt: 0, zoom: 0 });
    expect((await sim.ptzState(1)).moving).toBe(true);
    await users.guardA.must('ptz.stop', { cameraId });
    const status = await users.guardB.must('ptz.status', { cameraId });
    expect(status.holder).toMatchObject({ username: 'guard.ala', displayName: 'Ala Guard', role: 'guard', mine: false });
    expect(status.mayTake).toBe(false);
    expect(await users.guardB.call('ptz.acquire', { cameraId })).toEqual({ ok: false, error: { kind: 'FailedPrecondition', message: 'Ala Guard (guard) is steering this camera; it stays with them until they release it or leave it idle.' } });
    expect((await users.guardB.call('ptz.move', { cameraId, pan: 0.4, tilt: 0, zoom: 0 })).ok).toBe(false);
    expect((await sim.ptzState(1)).moving).toBe(false);
  });

  it('a supervisor at node b takes it over: the guard at node a loses it within the renewal, audited and pushed there', async () => {
    const supStatus = await users.supB.must('ptz.status', { cameraId });
    expect(supStatus.mayTake).toBe(true);
    expect((await users.supB.call('ptz.acquire', { cameraId })).ok).toBe(false); // not by accident
    const taken = Date.now();
    expect((await users.supB.must('ptz.acquire', { cameraId, takeOver: true })).holder).toMatchObject({ username: 'sup.beata', mine: true });
    await until('the guard at a no longer steering', async () => !(await users.guardA.call('ptz.move', { cameraId, pan: 0.2, tilt: 0, zoom: 0 })).ok, 3000);
    expect(Date.now() - taken).toBeLessThan(2500);
    await users.guardA.call('ptz.stop', { cameraId });
    expect((await users.guardA.must('ptz.status', { cameraId })).holder).toMatchObject({ username: 'sup.beata', mine: false });
    expect((await endedAt(a!)).at(-1)).toMatchObject({ actor: 'guard.ala', reason: 'taken_over', takenBy: 'sup.beata' });
    await until('a’s seat told who steers now', async () => inboxA.some((e) => e.type === 'ptz.changed' && e.cameraId === cameraId && e.held), 3000);
    await users.supB.must('ptz.move', { cameraId, pan: -0.4, tilt: 0, zoom: 0 });
    expect((await sim.ptzState(1)).moving).toBe(true);
    await users.supB.must('ptz.release', { cameraId });
    expect((await sim.ptzState(1)).moving).toBe(false);
    expect((await users.guardA.must('ptz.status', { cameraId })).holder).toBeNull();
  });

  it('two takes at the same moment at the two nodes: one holder', async () => {
    for (let round = 0; round < 5; round++) {
      const [ra, rb] = await Promise.all([users.guardA.call('ptz.acquire', { cameraId }), users.guardB.call('ptz.acquire', { cameraId })]);
      expect([ra.ok, rb.ok].filter(Boolean)).toHaveLength(1);
      const winner = ra.ok ? users.guardA : users.guardB;
      const loser = ra.ok ? users.guardB : users.guardA;
      expect((await loser.call('ptz.move', { cameraId, pan: 0.1, tilt: 0, zoom: 0 })).ok).toBe(false);
      await winner.must('ptz.release', { cameraId });
    }
    const rows = await a!.engine.store.db.selectFrom('ptz_holders').selectAll().execute();
    expect(rows).toEqual([]);
  });

  it('privacy masks saved at node b end the steering at node a at once (a masked camera is not steered)', async () => {
    await users.guardA.must('ptz.acquire', { cameraId });
    const adminAtB = await signInReady(b!, ADMIN.username, ADMIN.password);
    try {
      await adminAtB.must('masks.save', { cameraId, masks: [{ kind: 'permanent', label: 'flats opposite', points: [[0.1, 0.1], [0.3, 0.1], [0.3, 0.3]] }], reason: 'windows of the flats opposite' });
      await until('the guard at a no longer steering', async () => !(await users.guardA.call('ptz.move', { cameraId, pan: 0.2, tilt: 0, zoom: 0 })).ok, 3000);
      // (Its end is audited once its connection to the camera is closed.)
      await until('the end audited at a', async () => (await endedAt(a!)).at(-1)?.reason === 'masked', 3000);
      expect((await endedAt(a!)).at(-1)).toMatchObject({ actor: 'guard.ala', reason: 'masked' });
      expect((await sim.ptzState(1)).moving).toBe(false);
    } finally {
      await adminAtB.must('masks.save', { cameraId, masks: [], reason: 'the flats were demolished' });
      await adminAtB.must('auth.signOut', {});
    }
  });

  it('a holder’s node that dies frees the camera when its row goes stale; one that stops frees it at once', async () => {
    // A node "ghost" took the camera and stopped renewing (killed): its row is free after it goes stale.
    const db = b!.engine.store.db;
    const now = Date.now();
    await db.insertInto('ptz_holders').values({ camera_id: cameraId, node: 'ghost', session_id: 'ghost-session', user_id: 1, username: 'guard.ghost', display_name: 'Ghost', role: 'supervisor', since_ms: now, last_command_at_ms: now, seen_at_ms: now }).execute();
    expect((await users.guardB.must('ptz.status', { cameraId })).holder).toMatchObject({ username: 'guard.ghost' });
    expect((await users.guardB.call('ptz.acquire', { cameraId })).ok).toBe(false);
    await sleep(PTZ_HOLDER_STALE_MS);
    await until('the ghost’s row stale', async () => (await users.guardB.must('ptz.status', { cameraId })).holder === null, 3000);
    await users.guardB.must('ptz.acquire', { cameraId });
    await users.guardB.must('ptz.release', { cameraId });
    // Node a stops while its guard steers: the camera is free for b's seats at once.
    await users.guardA.must('ptz.acquire', { cameraId });
    await a!.dispose();
    a = undefined;
    expect((await users.guardB.must('ptz.status', { cameraId })).holder).toBeNull();
    expect((await users.guardB.must('ptz.acquire', { cameraId })).holder).toMatchObject({ username: 'guard.bogdan', mine: true });
    await users.guardB.must('ptz.release', { cameraId });
  });
});
