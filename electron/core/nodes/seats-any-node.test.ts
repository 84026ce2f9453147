// A seat signed in at one node watches a camera another node ingests (docs/design/scale.md "Seats
// on any node"): two engines on one PostgreSQL database, a real simulated camera at home on node b,
// a guard signed in at node a. The view is granted on b (a opens no stream of its own: one RTSP
// connection per camera for the site), b checks the grant and the guard's session in the database
// on every request, and a lock, a sign-out, a close or a lost group at a reaches b within seconds.
// Also across the two nodes: the camera's password (sealed in the database), its states and a masks
// still, playback and export of b's files from a, pushed events, and an account deactivated at b;
// and changes an administrator makes at a (settings, a camera's group, its masks at the source)
// in force at b at once (docs/design/scale.md "Changes made at one node").
// A media test: the simulator, ffmpeg and a throwaway PostgreSQL cluster of its own.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { systemClock } from '../clock';
import { silentLogger } from '../logger';
import { addUser, ADMIN, setUpAdmin, startTestEngine, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';
import { deriveSiteSecretsKey } from '../host/tls-identity';
import { freePort } from '../testing/free-port';
import { sleep, until } from '../testing/node-site';
import { everythingStored } from '../testing/raw-store';
import { startPgCluster, type PgCluster } from '../testing/pg-cluster';
import { CameraLeases } from './camera-leases';
import { SiteMedia } from './site-media';

const LEASE = { leaseMs: 3000, renewMs: 500 };
const CAMERA_PASSWORD = 'Zaj3zdnia-Wola-kam1';

/** A node's media routes on a port named before the engine starts (what the site host does on its TLS port). */
async function mediaPort(port: number, engine: () => TestEngine | undefined): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const e = engine();
    if (e && e.engine.media.handles(req)) void e.engine.media.handle(req, res);
    else res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket, head) => {
    const e = engine();
    if (e && e.engine.media.handlesUpgrade(req)) void e.engine.media.upgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

async function status(url: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url);
  const body = await r.text();
  if (process.env.SEAT_TEST_DEBUG) console.log(url.replace(/\/[A-Za-z0-9_-]{24,}\//, '/…/'), r.status, body.slice(0, 60));
  return { status: r.status, body };
}

describe('a seat at one node watches a camera another node ingests (PostgreSQL)', () => {
  let pg: PgCluster | undefined;
  let database: string;
  let sim: SimulatorHandle;
  let a: TestEngine;
  let b: TestEngine | undefined;
  let admin: Caller;
  let guard: Caller;
  let cameraId: number;
  let groupId: number;
  let source: { kind: 'rtsp'; mainUrl: string; subUrl: string };
  const settingsIn = (group: number, maskAtSource = false) =>
    ({ name: 'Bay 1', site: 'Depot', groupId: group, purpose: 'safety of travellers', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false, maskAtSource }) as const;
  const servers: http.Server[] = [];
  const dirs: string[] = [];
  const urls = { a: '', b: '' };

  // Real time: the nodes record, and leases and grants run on the database's clock. Both have the
  // site's secrets key (a site engine derives it from the site CA: host/tls-identity.ts).
  const site = { fingerprint: 'ab'.repeat(32), secretsKey: deriveSiteSecretsKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) };
  const node = (name: 'a' | 'b') => ({ node: { name, url: urls[name], ...LEASE }, clock: systemClock, site });
  const startedAt = Date.now();
  const dir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'seat-any-node-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    pg = await startPgCluster();
    database = await pg.createDatabase();
    sim = await startSimulator({ cameras: 1, auth: 'digest', user: 'admin', password: CAMERA_PASSWORD, size: SMALL_PICTURE });
    const [pa, pb] = [await freePort(), await freePort()];
    urls.a = `http://127.0.0.1:${pa}`;
    urls.b = `http://127.0.0.1:${pb}`;
    servers.push(await mediaPort(pa, () => a), await mediaPort(pb, () => b));

    a = await startTestEngine(dir(), { database, ...node('a') });
    admin = await setUpAdmin(a);
    groupId = (await admin.must('groups.create', { name: 'Depot', description: 'bus depot' })).id;
    const c = sim.cameras[0]!;
    source = { kind: 'rtsp', mainUrl: c.rtspMain, subUrl: c.rtspSub };
    cameraId = (await admin.must('cameras.add', { settings: settingsIn(groupId), source, username: 'admin', password: CAMERA_PASSWORD })).id;
    await a.engine.store.db.updateTable('cameras').set({ home_node: 'b' }).where('id', '=', cameraId).execute();
    guard = await addUser(a, admin, { username: 'guard.gosia', role: 'guard', groupIds: [groupId] });

    b = await startTestEngine(dir(), { database, ...node('b') });
    // b holds the camera (a handed it back to its home) and its stream is live, as a's seats see it.
    await until('node b ingesting the camera, live', async () => {
      const lease = await a.engine.store.db.selectFrom('camera_leases').select('node').where('camera_id', '=', cameraId).executeTakeFirst();
      const st = await guard.must('live.status', { viewIds: [] });
      return lease?.node === 'b' && st.cameras.find((x) => x.cameraId === cameraId)?.main.state === 'live';
    }, 30_000);
  }, 90_000);

  afterAll(async () => {
    await b?.dispose();
    await a?.dispose();
    for (const s of servers) await new Promise<void>((r) => (s.close(() => r()), s.closeAllConnections()));
    await sim?.close();
    pg?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const openAtA = async (who: Caller = guard) => {
    const v = await who.must('live.open', { cameraId, stream: 'main' });
    return v;
  };

  it('the camera’s password, given at node a, opens at node b (the site’s database holds it sealed only)', async () => {
    // b ingests the camera (beforeAll waited for it live): it opened the password a stored.
    const sealed = await a.engine.store.db.selectFrom('site_secrets').selectAll().execute();
    expect(sealed.map((r) => r.account)).toEqual([`camera:${cameraId}`]);
    for (const text of await everythingStored(a.engine.store, a.dataDir)) expect(text).not.toContain(CAMERA_PASSWORD);
  });

  it('the view is granted on the ingesting node: its URL is node b’s, node a opens no stream, and b serves it', async () => {
    const v = await openAtA();
    expect(v.url.startsWith(`${urls.b}/live/${cameraId}/main/`)).toBe(true);
    const playlist = await status(v.url);
    expect(playlist.status).toBe(200);
    expect(playlist.body).toContain('#EXTM3U');
    const row = await a.engine.store.db.selectFrom('cameras').selectAll().where('id', '=', cameraId).executeTakeFirstOrThrow();
    expect(a.engine.live.status(row, 'main')?.detail ?? null).toBeNull(); // no ingest at a ...
    expect(a.engine.live.status(row, 'main')?.state).toBe('connecting'); // ... a stream a never started
    // The seat's node lists the view as open (the tile keeps it), with b's state of the camera.
    const st = await guard.must('live.status', { viewIds: [] });
    expect(st.openViewIds).toContain(v.viewId);
    // The grant holds the token's hash only.
    const grants = await a.engine.store.db.selectFrom('media_grants').selectAll().where('view_id', '=', v.viewId).execute();
    expect(grants).toHaveLength(1);
    expect(JSON.stringify(grants[0])).not.toContain(v.url.split('/')[6]);
    await guard.must('live.close', { viewId: v.viewId });
  });

  it('the administrator at a sees the camera b ingests as live and recording, and takes a still of it there (no stream at a)', async () => {
    const listed = (await admin.must('cameras.adminList', {})).cameras.find((c) => c.id === cameraId);
    expect(listed?.main.state).toBe('live');
    expect(listed?.heldBy).toBe('b');
    // Recording there, as the storage page at a says.
    const recorded = (await admin.must('recordings.status', {})).cameras.find((c) => c.cameraId === cameraId);
    expect(recorded).toMatchObject({ state: 'recording', cameraState: 'live' });
    const still = await admin.must('masks.still', { cameraId });
    expect(still.width).toBeGreaterThan(0);
    expect(Buffer.from(still.jpegBase64, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    // Taken through a view granted on b for the administrator's session, ended at once.
    const grants = await a.engine.store.db.selectFrom('media_grants').select(['kind', 'username', 'ended_at_ms', 'end_reason']).where('kind', '=', 'still').execute();
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ username: 'admin.anna', end_reason: 'still taken' });
    const row = await a.engine.store.db.selectFrom('cameras').selectAll().where('id', '=', cameraId).executeTakeFirstOrThrow();
    expect(a.engine.live.status(row, 'main')?.state).toBe('connecting');
  });

  it('a token works for its own camera stream only, and a made-up token for b is refused', async () => {
    const v = await openAtA();
    const token = v.url.split('/')[6]!;
    expect((await status(`${urls.b}/live/${cameraId}/sub/${token}/index.m3u8`)).status).toBe(403);
    expect((await status(`${urls.b}/live/${cameraId}/main/${'x'.repeat(32)}/index.m3u8`)).status).toBe(403);
    // Another node is not where this grant is served: a does not claim b's grant.
    expect((await status(`${urls.a}/live/${cameraId}/main/${token}/index.m3u8`)).status).toBe(403);
    expect((await status(v.url)).status).toBe(200);
    await guard.must('live.close', { viewId: v.viewId });
  });

  it('the seat closes the view at a: b ends it and its token is refused', async () => {
    const v = await openAtA();
    expect((await status(v.url)).status).toBe(200);
    await guard.must('live.close', { viewId: v.viewId });
    await until('b refusing the closed view', async () => (await status(v.url)).status === 403, 5000);
    expect((await guard.must('live.status', { viewIds: [] })).openViewIds).not.toContain(v.viewId);
    const ended = await until('the view’s end in the audit log', async () =>
      (await b!.engine.store.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'live.view.ended').execute()).find((e) => String(e.details).includes(v.viewId)),
      15_000,
    );
    expect(ended.actor).toBe('guard.gosia');
  });

  it('locking the console at a stops the view on b within seconds; a new view after unlocking plays', async () => {
    const v = await openAtA();
    expect((await status(v.url)).status).toBe(200);
    const locked = Date.now();
    await guard.must('session.lock', {});
    const refused = await until('b refusing a locked session’s view', async () => {
      const r = await status(v.url);
      return r.status === 403 ? r : null;
    }, 5000);
    expect(Date.now() - locked).toBeLessThan(3000);
    expect(refused.body).toMatch(/console locked|unknown or expired token/);
    await guard.must('session.unlock', { password: `${TEST_PASSWORD}-Renewed` });
    // The locked view is over for good (its token was claimed once); a new one plays.
    expect((await status(v.url)).status).toBe(403);
    const again = await openAtA();
    expect((await status(again.url)).status).toBe(200);
    await guard.must('live.close', { viewId: again.viewId });
  });

  it('a camera taken out of the guard’s groups at a is refused on b', async () => {
    const other = (await admin.must('groups.create', { name: 'Yard', description: 'yard' })).id;
    const v = await openAtA();
    expect((await status(v.url)).status).toBe(200);
    await a.engine.store.db.updateTable('cameras').set({ group_id: other }).where('id', '=', cameraId).execute();
    await until('b refusing a camera the guard no longer sees', async () => (await status(v.url)).status === 403, 6000);
    await a.engine.store.db.updateTable('cameras').set({ group_id: groupId }).where('id', '=', cameraId).execute();
    // Back in the guard's groups: b sees it again within its visibility cache's two seconds.
    await until('b serving the camera to the guard again', async () => {
      const again = await openAtA();
      const ok = (await status(again.url)).status === 200;
      await guard.must('live.close', { viewId: again.viewId });
      return ok;
    }, 6000);
  });

  it('signing out at a ends the view on b, and a grant cannot be claimed after', async () => {
    const seat = a.connect();
    await seat.must('auth.signIn', { username: 'guard.gosia', password: `${TEST_PASSWORD}-Renewed` });
    const v = await seat.must('live.open', { cameraId, stream: 'main' });
    const unclaimed = await seat.must('live.open', { cameraId, stream: 'main' });
    expect((await status(v.url)).status).toBe(200);
    await seat.must('auth.signOut', {});
    await until('b refusing a signed-out session’s view', async () => (await status(v.url)).status === 403, 5000);
    expect((await status(unclaimed.url)).status).toBe(403);
  });

  it('a playback opened at a plays the files on b’s disk from b; closing it at a ends it there', async () => {
    const reviewer = await addUser(a, admin, { username: 'rev.roman', role: 'reviewer', groupIds: [groupId] });
    const open = () => reviewer.must('playback.open', { cameraIds: [cameraId], fromMs: startedAt - 60_000, toMs: Date.now() + 60_000, reason: { category: 'incident_investigation', text: 'a bag left on the platform' } });
    // The playlist comes from a; the files b recorded are fetched from b, with this playback's token there.
    const remote = new RegExp(`#EXT-X-MAP:URI="(${urls.b.replace(/[.]/g, '\\.')}/vod/${cameraId}/[A-Za-z0-9_-]+/rec/\\d+\\.mp4)",BYTERANGE="(\\d+)@0"`);
    const { playback, map } = await until('a playlist naming a file on b', async () => {
      const p = await open();
      const m = remote.exec((await status(p.streams[0]!.url)).body);
      if (!m) await reviewer.must('playback.close', { playbackId: p.playbackId });
      return m ? { playback: p, map: m } : null;
    }, 20_000);
    const fileUrl = map[1]!;
    const initBytes = Number(map[2]);
    const init = await fetch(fileUrl, { headers: { Range: `bytes=0-${initBytes - 1}` } });
    expect(init.status).toBe(206);
    const bytes = Buffer.from(await init.arrayBuffer());
    expect(bytes.length).toBe(initBytes);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // A playback opened at b meanwhile leaves a's grant there standing (b's own grants are pruned by session, not a's).
    const atB = b!.connect();
    await atB.must('auth.signIn', { username: 'rev.roman', password: `${TEST_PASSWORD}-Renewed` });
    await atB.must('playback.open', { cameraIds: [cameraId], fromMs: startedAt - 60_000, toMs: Date.now(), reason: { category: 'incident_investigation', text: 'the same bag, from the other desk' } });
    expect((await fetch(fileUrl, { headers: { Range: `bytes=0-${initBytes - 1}` } })).status).toBe(206);
    await atB.must('auth.signOut', {});
    // The token is b's: a does not serve b's file with it.
    const atA = fileUrl.replace(urls.b, urls.a);
    expect((await fetch(atA, { headers: { Range: `bytes=0-${initBytes - 1}` } })).status).toBe(403);
    await reviewer.must('playback.close', { playbackId: playback.playbackId });
    await until('b refusing a closed playback', async () => (await fetch(fileUrl, { headers: { Range: `bytes=0-${initBytes - 1}` } })).status === 403, 5000);
    await reviewer.must('auth.signOut', {});
  });

  it('an export produced at a takes the files on b’s disk from b (and tracks a box in them), only the approved range, under the producer’s rights', async () => {
    const reviewer = await addUser(a, admin, { username: 'rev.renata', role: 'reviewer', groupIds: [groupId] });
    const supervisor = await addUser(a, admin, { username: 'sup.stefan', role: 'supervisor', groupIds: [groupId] });
    // b's files in the range: at least one with some seconds of footage.
    // (From b's first file on: the stretch before, recorded by a until it handed the camera over, has the handover's gap.)
    const firstOfB = await a.engine.store.db.selectFrom('recordings').select((eb) => eb.fn.min<number>('start_ms').as('at')).where('camera_id', '=', cameraId).where('node', '=', 'b').executeTakeFirstOrThrow();
    const fromMs = Math.max(Date.now() - 8000, Number(firstOfB.at) + 500);
    await sleep(3000);
    const toMs = Date.now() - 500;
    const held = await a.engine.store.db.selectFrom('recordings').select(['id', 'node']).where('camera_id', '=', cameraId).where('end_ms', '>', fromMs).where('start_ms', '<', toMs).execute();
    expect(held.some((f) => f.node === 'b')).toBe(true);
    const e = await reviewer.must('exports.create', {
      bodyType: 'police',
      bodyName: 'Komenda Miejska Policji w Krakowie',
      bodyReference: 'RSD-118/26',
      receivedAtMs: Date.now() - 60_000,
      purpose: 'Theft at bay 1, evidence for the proceedings',
      legalBasis: 'Art. 15 ust. 1 pkt 4 ustawy o Policji',
      urgent: false,
      recipient: 'asp. Jan Nowak',
      incidentId: null,
      items: [{ cameraId, fromMs, toMs }],
    });
    await supervisor.must('exports.decide', { exportId: e.id, approve: true, reason: 'Legal basis and scope checked' });
    // A redaction box followed through footage on b's disk, from a (the files fetched for it, then gone).
    const tracked = await reviewer.call('exports.trackBox', { exportId: e.id, cameraId, from: { atMs: toMs - 2500, x: 0.4, y: 0.4, w: 0.1, h: 0.1 }, toMs });
    expect(tracked.ok, JSON.stringify(tracked)).toBe(true);
    await reviewer.must('exports.produce', { exportId: e.id, mode: 'copy', redactions: [] });
    await a.engine.exports.idle();
    const view = await supervisor.must('exports.get', { exportId: e.id });
    expect(view.production?.error ?? null).toBeNull();
    expect(view.status).toBe('produced');
    const manifest = JSON.parse(fs.readFileSync(path.join(view.production!.packagePath!, 'manifest.json'), 'utf8')) as { cameras: { cameraId: number; fromMs: number; toMs: number }[] };
    expect(manifest.cameras.map((c) => c.cameraId)).toEqual([cameraId]);
    // The footage is there: the range, less at most a keyframe group at each end.
    const videos = fs.readdirSync(view.production!.packagePath!, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.mp4'));
    expect(videos).toHaveLength(1);
    const seconds = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path.join(view.production!.packagePath!, videos[0]!)], { encoding: 'utf8' }).trim());
    expect(seconds).toBeGreaterThan((toMs - fromMs) / 1000 - 3);
    // The copies fetched from b are gone with the run; the producer's session for it has ended.
    expect(fs.readdirSync(path.join(a.dataDir, 'exports')).filter((n) => n.startsWith('.staging-'))).toEqual([]);
    const production = await a.engine.store.db.selectFrom('site_sessions').select(['username', 'ended_at_ms']).where('id', 'like', 'production:%').execute();
    expect(production.length).toBeGreaterThan(0);
    expect(production.every((p) => p.username === 'rev.renata' && p.ended_at_ms !== null)).toBe(true);
  });

  it('an incident recorded through node b is pushed to a supervisor signed in at node a', async () => {
    const supervisor = await addUser(a, admin, { username: 'sup.sylwia', role: 'supervisor', groupIds: [groupId] });
    const pushed: { type: string }[] = [];
    const unsubscribe = a.engine.subscribe(supervisor.connection.id, (e) => pushed.push(e));
    try {
      const atB = b!.connect();
      await atB.must('auth.signIn', { username: 'guard.gosia', password: `${TEST_PASSWORD}-Renewed` });
      const incident = await atB.must('incidents.create', { cameraIds: [cameraId], fromMs: Date.now() - 60_000, toMs: Date.now(), category: 'theft', title: 'Bag taken at bay 1', note: '' });
      const event = await until('the incident pushed at a', async () => pushed.find((e) => e.type === 'incident.created'), 5000);
      expect(event).toMatchObject({ type: 'incident.created', incidentId: incident.id });
      await atB.must('auth.signOut', {});
    } finally {
      unsubscribe();
    }
  });

  it('an account deactivated at node b is signed out at node a within seconds, its views there refused', async () => {
    const gerard = await addUser(a, admin, { username: 'guard.gerard', role: 'guard', groupIds: [groupId] });
    const v = await gerard.must('live.open', { cameraId, stream: 'main' });
    expect((await status(v.url)).status).toBe(200);
    const adminAtB = b!.connect();
    await adminAtB.must('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    const id = (await adminAtB.must('users.list', { includeInactive: false })).users.find((u) => u.username === 'guard.gerard')!.id;
    await adminAtB.must('users.deactivate', { userId: id, reason: 'left the company' });
    const ended = Date.now();
    await until('guard.gerard signed out at a', async () => !(await gerard.must('session.status', {})).signedIn, 6000);
    expect(Date.now() - ended).toBeLessThan(4000);
    await until('b refusing the view', async () => (await status(v.url)).status === 403, 5000);
    const entry = await a.engine.store.db.selectFrom('audit_log').select(['details']).where('action', '=', 'session.ended').where('actor', '=', 'guard.gerard').execute();
    expect(entry.some((e) => String(e.details).includes('account deactivated'))).toBe(true);
    await adminAtB.must('auth.signOut', {});
  });

  it('settings changed at node a (security, site country, storage) are in force at node b at once (b keeps them in memory)', async () => {
    const adminAtB = b!.connect();
    await adminAtB.must('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    const before = await adminAtB.must('settings.getSecurity', {});
    const next = { ...before, lockoutThreshold: before.lockoutThreshold + 2, idleLockMinutes: before.idleLockMinutes + 1 };
    await admin.must('settings.updateSecurity', next);
    await until('b reading a’s security settings', async () => (await adminAtB.must('settings.getSecurity', {})).lockoutThreshold === next.lockoutThreshold, 3000);
    expect(await adminAtB.must('settings.getSecurity', {})).toEqual(next);
    const country = (await adminAtB.must('site.get', {})).country === 'CZ' ? 'LT' : 'CZ';
    await admin.must('site.setCountry', { country });
    await until('b using the site country set at a (legal deadlines)', async () => (await adminAtB.must('site.get', {})).country === country, 3000);
    // The storage settings: one set for the site, each node applying it to its own disk.
    const storage = await adminAtB.must('storage.status', {});
    const root = storage.roots[0]!;
    const nextStorage = { quotaBytes: root.quotaBytes + 1024 ** 3, freeSpaceFloorBytes: root.freeSpaceFloorBytes, sweepIntervalMinutes: storage.sweepIntervalMinutes === 7 ? 8 : 7 };
    await admin.must('storage.update', nextStorage);
    await until('b applying the storage settings set at a', async () => (await adminAtB.must('storage.status', {})).sweepIntervalMinutes === nextStorage.sweepIntervalMinutes, 3000);
    expect((await adminAtB.must('storage.status', {})).roots[0]).toMatchObject({ quotaBytes: nextStorage.quotaBytes, freeSpaceFloorBytes: nextStorage.freeSpaceFloorBytes });
    await admin.must('storage.update', { quotaBytes: root.quotaBytes, freeSpaceFloorBytes: root.freeSpaceFloorBytes, sweepIntervalMinutes: storage.sweepIntervalMinutes });
    await admin.must('settings.updateSecurity', before);
    await adminAtB.must('auth.signOut', {});
  });

  it('a camera moved out of a reviewer’s groups at node a: the reviewer at node b is pushed nothing more about it', async () => {
    const yard = (await admin.must('groups.create', { name: 'Yard 2', description: 'yard' })).id;
    await addUser(a, admin, { username: 'rev.depot', role: 'reviewer', groupIds: [groupId] });
    await addUser(a, admin, { username: 'rev.yard', role: 'reviewer', groupIds: [yard] });
    await addUser(a, admin, { username: 'guard.yard', role: 'guard', groupIds: [yard] });
    const atB = async (username: string) => {
      const c = b!.connect();
      await c.must('auth.signIn', { username, password: `${TEST_PASSWORD}-Renewed` });
      return c;
    };
    const [depot, yardSup, yardGuard, gosia] = [await atB('rev.depot'), await atB('rev.yard'), await atB('guard.yard'), b!.connect()];
    await gosia.must('auth.signIn', { username: 'guard.gosia', password: `${TEST_PASSWORD}-Renewed` });
    const pushed = { depot: [] as { type: string; incidentId?: number }[], yard: [] as { type: string; incidentId?: number }[] };
    const off = [b!.engine.subscribe(depot.connection.id, (e) => pushed.depot.push(e)), b!.engine.subscribe(yardSup.connection.id, (e) => pushed.yard.push(e))];
    try {
      // The reviewer at b is pushed the camera's incidents (b now keeps who receives what) ...
      const first = await gosia.must('incidents.create', { cameraIds: [cameraId], fromMs: Date.now() - 60_000, toMs: Date.now(), category: 'theft', title: 'Bag at bay 1', note: '' });
      await until('the first incident pushed to the depot’s reviewer at b', async () => pushed.depot.some((e) => e.incidentId === first.id), 5000);
      // ... until an administrator at a moves the camera to the yard's group.
      await admin.must('cameras.update', { cameraId, settings: settingsIn(yard), source, username: 'admin', password: null });
      await until('the yard guard at b seeing the camera', async () => (await yardGuard.must('cameras.list', {})).cameras.some((c) => c.id === cameraId), 3000);
      const second = await yardGuard.must('incidents.create', { cameraIds: [cameraId], fromMs: Date.now() - 60_000, toMs: Date.now(), category: 'theft', title: 'Bag at bay 1 again', note: '' });
      await until('the second incident pushed to the yard’s reviewer at b', async () => pushed.yard.some((e) => e.incidentId === second.id), 5000);
      await sleep(300); // the same delivery round as the yard's
      expect(pushed.depot.filter((e) => e.incidentId === second.id)).toEqual([]);
    } finally {
      for (const u of off) u();
      await admin.must('cameras.update', { cameraId, settings: settingsIn(groupId), source, username: 'admin', password: null });
      for (const c of [depot, yardSup, yardGuard, gosia]) await c.must('auth.signOut', {});
    }
  });

  it('masks saved at node a for a camera node b ingests are burned in by b at once: its stream is black inside them', async () => {
    // A rectangle over the simulator's bright bars (tools/camera-sim/README.md), away from its timecode.
    const box = { x0: 0.15, y0: 0.3, x1: 0.45, y1: 0.7 };
    const mask = { kind: 'permanent' as const, label: 'flats opposite', points: [[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]] as [number, number][] };
    await admin.must('cameras.update', { cameraId, settings: settingsIn(groupId, true), source, username: 'admin', password: null });
    await admin.must('masks.save', { cameraId, masks: [mask], reason: 'windows of the flats opposite' });
    try {
      const state = async () => (await guard.must('live.status', { viewIds: [] })).cameras.find((x) => x.cameraId === cameraId)?.main.state;
      await until('b burning the masks in (its stream transcoded)', async () => (await state()) === 'transcoding', 20_000);
      const v = await openAtA();
      expect(v.url.startsWith(`${urls.b}/`)).toBe(true);
      const base = v.url.replace(/index\.m3u8$/, '');
      const playlist = await until('a complete segment of the masked run', async () => {
        const r = await status(v.url);
        return r.status === 200 && /^seg\/\d+\.m4s$/m.test(r.body) ? r.body : null;
      }, 10_000);
      const init = Buffer.from(await (await fetch(base + /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)![1]!)).arrayBuffer());
      const seg = [...playlist.matchAll(/^seg\/\d+\.m4s$/gm)].at(-1)![0];
      const bytes = Buffer.concat([init, Buffer.from(await (await fetch(base + seg)).arrayBuffer())]);
      const [w, h] = [640, 360];
      const frame = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'mp4', '-i', 'pipe:0', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', `${w}x${h}`, 'pipe:1'], { input: bytes });
      expect(frame.length).toBe(w * h);
      // Deep inside the mask (8 px from its edge, where the codec blends): black; the bars beside it: bright.
      let inside = 0;
      for (let y = Math.ceil(box.y0 * h) + 8; y < box.y1 * h - 8; y++) for (let x = Math.ceil(box.x0 * w) + 8; x < box.x1 * w - 8; x++) inside = Math.max(inside, frame[y * w + x]!);
      let beside = 0;
      for (let y = Math.ceil(box.y0 * h) + 8; y < box.y1 * h - 8; y++) for (let x = Math.ceil(box.x1 * w) + 8; x < Math.ceil(box.x1 * w) + 40; x++) beside = Math.max(beside, frame[y * w + x]!);
      expect(inside).toBeLessThanOrEqual(16);
      expect(beside).toBeGreaterThan(100);
      await guard.must('live.close', { viewId: v.viewId });
    } finally {
      await admin.must('masks.save', { cameraId, masks: [], reason: 'test over' });
      await admin.must('cameras.update', { cameraId, settings: settingsIn(groupId), source, username: 'admin', password: null });
    }
  });

  it('a session whose node is gone is refused (its node stopped renewing)', async () => {
    // A node "ghost" that renewed once, long ago, signed a guard in and granted a view on b.
    const db = b!.engine.store.db;
    await db.insertInto('nodes').values({ name: 'ghost', url: 'http://127.0.0.1:9', started_at_ms: 1, seen_at_ms: 1, ca_fingerprint: null }).execute();
    const ghost = new SiteMedia({ db, node: 'ghost', logger: silentLogger, nowMs: () => Date.now(), nodeAliveMs: LEASE.leaseMs });
    const user = (await db.selectFrom('users').select('id').where('username', '=', 'guard.gosia').executeTakeFirstOrThrow()).id;
    ghost.record({ id: 'ghost-session', userId: user, username: 'guard.gosia', role: 'guard', parked: false } as never, 'started');
    const g = await ghost.grant({ node: 'b', connectionId: 'ghost:1', sessionId: 'ghost-session', userId: user, username: 'guard.gosia', cameraId, stream: 'main' });
    const r = await status(`${urls.b}/live/${cameraId}/main/${g.token}/index.m3u8`);
    expect(r.status).toBe(403);
    expect(r.body).toContain('its node is gone');
  });

  it('a node presenting another site CA is refused before it claims a camera', async () => {
    // Nodes a and b present the site's CA (its fingerprint 'abab…' here); node c another.
    const db = a.engine.store.db;
    const stranger = new CameraLeases({ db, node: { name: 'c', url: 'https://c.example:8443', caFingerprint: 'bb'.repeat(32) }, logger: silentLogger, ...LEASE, onChange: () => undefined });
    await expect(stranger.start()).rejects.toThrow(/node c presents the site CA bbbb.*but node [ab] presents abab.*copy tls\/ca\.crt and tls\/ca\.key/);
    expect(await db.selectFrom('nodes').select('name').where('name', '=', 'c').execute()).toEqual([]);
  });
});
