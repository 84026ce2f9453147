// The nodes of a site in the console (shared/contract/nodes.ts; docs/design/scale.md "Nodes in the
// console"): nodes.list and a camera's home node. On one machine (either store) the answer is that
// machine, and no home node can be given. With several nodes, the listing follows what the nodes'
// own lease rounds wrote (CameraLeases instances, as camera-leases.test.ts takes them): on SQLite
// with the engine's manual clock, step by step; on PostgreSQL with the engine itself as node `a`
// and its leases renewed on the database's clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_NAME_PATTERN, NODE_RETIRE_AFTER_DOWN_MS, type NodesView, type RequestOf } from '../../../shared/contract';
import { silentLogger } from '../logger';
import { addOfflineCamera, addUser, ADMIN, recordFootage, setUpAdmin, startTestEngine, testStoreKind, type Caller, type TestEngine } from '../testing/harness';
import { CameraLeases, NODE_NAME } from './camera-leases';
import { SiteNodes } from './site-nodes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The settings addOfflineCamera gives, to send back with one change. */
const settingsOf = (name: string, groupId: number) => ({ name, site: 'Station', groupId, purpose: 'safety of travellers', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false });
const offlineSource = { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/none', subUrl: null } as const;
const update = (cameraId: number, name: string, groupId: number, homeNode?: string | null): RequestOf<'cameras.update'> => ({
  cameraId,
  settings: { ...settingsOf(name, groupId), ...(homeNode === undefined ? {} : { homeNode }) },
  source: offlineSource,
  username: null,
  password: null,
});

/** Every enabled camera is held by one node or by none, never by two (what the answer shows). */
function expectPartition(v: NodesView, enabledCameras: number) {
  const counted = v.nodes.reduce((n, x) => n + x.cameraCount, 0) + v.notHeld.cameraCount;
  expect(counted).toBe(enabledCameras);
  const named = [...v.nodes.flatMap((x) => x.cameras.map((c) => c.id)), ...v.notHeld.cameras.map((c) => c.id)];
  expect(new Set(named).size).toBe(named.length);
}

const heldBy = (v: NodesView, node: string) => v.nodes.find((n) => n.name === node)?.cameras.map((c) => c.id).sort((a, b) => a - b);

describe('nodes on one machine (no --node)', () => {
  let t: TestEngine;
  let admin: Caller;
  let north: number;
  let south: number;
  const cam = { n1: 0, n2: 0, s1: 0, off: 0 };

  beforeAll(async () => {
    t = await startTestEngine();
    admin = await setUpAdmin(t);
    north = (await admin.must('groups.create', { name: 'North', description: '' })).id;
    south = (await admin.must('groups.create', { name: 'South', description: '' })).id;
    cam.n1 = await addOfflineCamera(admin, 'North 1', north);
    cam.n2 = await addOfflineCamera(admin, 'North 2', north);
    cam.s1 = await addOfflineCamera(admin, 'South 1', south);
    cam.off = await addOfflineCamera(admin, 'South spare', south);
    await admin.must('cameras.setEnabled', { cameraId: cam.off, enabled: false, reason: 'kept as a spare' });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('the contract and the leases agree on what a node name is', () => {
    expect(NODE_NAME_PATTERN.source).toBe(NODE_NAME.source);
  });

  it('answers one entry, this machine, up, recording every enabled camera and holding all its footage', async () => {
    await recordFootage(t, [cam.n1, cam.s1], 2);
    const stored = await t.engine.store.db.selectFrom('recordings').select((eb) => eb.fn.sum<number>('bytes').as('b')).where('state', '!=', 'missing').executeTakeFirstOrThrow();
    const v = await admin.must('nodes.list', {});
    expect(v).toMatchObject({ singleMachine: true, leaseMs: null, notHeld: { cameraCount: 0, cameras: [] } });
    expect(v.nodes).toHaveLength(1);
    const [local] = v.nodes;
    expect(local).toMatchObject({ name: 'local', url: null, up: true, self: true, cameraCount: 3, lastSeenAtMs: v.atMs });
    expect(local!.recordingBytes).toBe(Number(stored.b));
    expect(local!.recordingBytes).toBeGreaterThan(0);
    // Administrators configure every camera: all three named (the disabled spare is recorded by nobody).
    expect(local!.cameras.map((c) => c.name)).toEqual(['North 1', 'North 2', 'South 1']);
    expect(local!.cameras.every((c) => c.homeNode === null)).toBe(true);
    expectPartition(v, 3);
  });

  it('names only the cameras a supervisor or auditor may see; counts every one; guards and reviewers may not ask', async () => {
    const supervisor = await addUser(t, admin, { username: 'sup.north', role: 'supervisor', groupIds: [north] });
    const auditor = await addUser(t, admin, { username: 'dpo.none', role: 'auditor', groupIds: [] });
    const guard = await addUser(t, admin, { username: 'guard.north', role: 'guard', groupIds: [north] });
    const reviewer = await addUser(t, admin, { username: 'rev.north', role: 'reviewer', groupIds: [north] });
    const sup = (await supervisor.must('nodes.list', {})).nodes[0]!;
    expect(sup.cameraCount).toBe(3);
    expect(sup.cameras.map((c) => c.id).sort((a, b) => a - b)).toEqual([cam.n1, cam.n2]);
    // records.readAll opens records, never cameras (docs/design/overview.md §6).
    const dpo = (await auditor.must('nodes.list', {})).nodes[0]!;
    expect(dpo).toMatchObject({ cameraCount: 3, cameras: [] });
    for (const c of [guard, reviewer]) expect(await c.call('nodes.list', {})).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
  });

  it('refuses any home node on a site without nodes, naming why; null is any node; nothing is written', async () => {
    const before = await t.engine.store.db.selectFrom('cameras').selectAll().where('id', '=', cam.n1).executeTakeFirstOrThrow();
    const refused = await admin.call('cameras.update', { ...update(cam.n1, 'North 1 renamed', north, 'node-b') });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'InvalidArgument', issues: ['settings.homeNode: unknownNode'] } });
    expect(!refused.ok && refused.error.message).toContain('This site has no nodes');
    // The whole change is refused, not only the home node.
    expect(await t.engine.store.db.selectFrom('cameras').selectAll().where('id', '=', cam.n1).executeTakeFirstOrThrow()).toEqual(before);

    const count = async () => (await admin.must('cameras.adminList', {})).cameras.length;
    const n = await count();
    const added = await admin.call('cameras.add', { settings: { ...settingsOf('Depot gate', north), homeNode: 'node-b' }, source: offlineSource, username: null, password: null });
    expect(added).toMatchObject({ ok: false, error: { kind: 'InvalidArgument', issues: ['settings.homeNode: unknownNode'] } });
    expect(await count()).toBe(n);

    const saved = await admin.must('cameras.update', update(cam.n1, 'North 1', north, null));
    expect(saved).toMatchObject({ homeNode: null, heldBy: null });
    const withNone = await admin.must('cameras.add', { settings: { ...settingsOf('Depot gate', north), homeNode: null }, source: offlineSource, username: null, password: null });
    expect(withNone).toMatchObject({ homeNode: null, heldBy: null });
  });

  it('a name that cannot be a node is refused by the contract, before the engine looks', async () => {
    for (const bad of ['', 'node b', '-b', 'b'.repeat(64), 'węzeł', 'b\u0000']) {
      const r = await admin.call('cameras.update', update(cam.n2, 'North 2', north, bad));
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, error: { kind: 'InvalidArgument' } });
      expect(!r.ok && r.error.issues?.some((i) => i.startsWith('settings.homeNode'))).toBe(true);
    }
    const wrongType = await admin.call('cameras.update', { ...update(cam.n2, 'North 2', north), settings: { ...settingsOf('North 2', north), homeNode: 7 } } as never);
    expect(wrongType).toMatchObject({ ok: false, error: { kind: 'InvalidArgument' } });
  });

  it('refusals of a home node are audited like other camera settings changes', async () => {
    const page = await admin.must('audit.query', { filter: { action: 'cameras.update' }, limit: 50 });
    const refused = page.entries.filter((e) => e.details.includes('"homeNode":"node-b"'));
    expect(refused.map((e) => e.outcome).sort()).toEqual(['allowed', 'failed']);
    expect(refused.find((e) => e.outcome === 'failed')!.details).toContain('This site has no nodes');
    expect(refused.every((e) => e.actor === 'admin.anna' && e.target === `camera#${cam.n1}`)).toBe(true);
  });
});

describe.skipIf(testStoreKind !== 'sqlite')('several nodes, step by step on the manual clock (SQLite)', () => {
  const LEASE_MS = 5000;
  let t: TestEngine;
  let admin: Caller;
  let group: number;
  let nodes: SiteNodes;
  const cams: number[] = [];
  const leases = new Map<string, CameraLeases>();
  const node = (name: string) => {
    const l = new CameraLeases({ db: t.engine.store.db, node: { name, url: `https://${name}.example:8443` }, logger: silentLogger, leaseMs: LEASE_MS, renewMs: 1000, nowMs: () => t.clock.nowMs(), onChange: () => undefined });
    leases.set(name, l);
    return l;
  };
  const tick = async (...names: string[]) => {
    for (const n of names) await leases.get(n)!.tick();
  };
  const everything = () => nodes.list(() => true);

  beforeAll(async () => {
    t = await startTestEngine();
    admin = await setUpAdmin(t);
    group = (await admin.must('groups.create', { name: 'Depot', description: '' })).id;
    for (let i = 1; i <= 4; i++) cams.push(await addOfflineCamera(admin, `Bay ${i}`, group));
    node('a');
    node('b');
    // What the engine running as node `a` lists (the listing reads only the database).
    nodes = new SiteNodes({ db: t.engine.store.db, clock: t.clock, leases: { name: 'a', leaseMs: LEASE_MS }, bytesByNode: () => t.engine.recording.index.bytesByNode() });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('a home node can be given once that node has joined the site (its first lease round), and only then', async () => {
    await tick('a');
    const early = await admin.call('cameras.update', update(cams[2]!, 'Bay 3', group, 'b'));
    expect(early).toMatchObject({ ok: false, error: { kind: 'InvalidArgument', issues: ['settings.homeNode: unknownNode'] } });
    expect(!early.ok && early.error.message).toContain('choose one of a');
    await tick('b');
    expect(await admin.must('cameras.update', update(cams[2]!, 'Bay 3', group, 'b'))).toMatchObject({ homeNode: 'b' });
    expect(await admin.must('cameras.update', update(cams[3]!, 'Bay 4', group, 'b'))).toMatchObject({ homeNode: 'b' });
    // A change that does not carry the field keeps it (as maskAtSource: an older console cannot clear it by omission).
    expect(await admin.must('cameras.update', update(cams[3]!, 'Bay 4', group))).toMatchObject({ homeNode: 'b' });
    const c = await admin.call('cameras.update', update(cams[3]!, 'Bay 4', group, 'c'));
    expect(!c.ok && c.error.message).toContain('choose one of a, b');
  });

  it('lists each node with the cameras it holds: home cameras at home, the rest shared', async () => {
    // a already holds every camera from its first round; b takes its home cameras back (failback).
    await tick('a', 'b', 'a', 'b');
    const v = await everything();
    expect(v).toMatchObject({ singleMachine: false, leaseMs: LEASE_MS, atMs: t.clock.nowMs(), notHeld: { cameraCount: 0 } });
    expect(v.nodes.map((n) => [n.name, n.url, n.up, n.self])).toEqual([
      ['a', 'https://a.example:8443', true, true],
      ['b', 'https://b.example:8443', true, false],
    ]);
    expect(heldBy(v, 'a')).toEqual([cams[0], cams[1]]);
    expect(heldBy(v, 'b')).toEqual([cams[2], cams[3]]);
    expect(v.nodes.find((n) => n.name === 'b')!.cameras.map((c) => c.homeNode)).toEqual(['b', 'b']);
    expectPartition(v, 4);
    // The camera settings say who records each camera now.
    const admins = new Map((await admin.must('cameras.adminList', {})).cameras.map((c) => [c.id, c]));
    expect(cams.map((id) => [admins.get(id)!.homeNode, admins.get(id)!.heldBy])).toEqual([
      [null, 'a'],
      [null, 'a'],
      ['b', 'b'],
      ['b', 'b'],
    ]);
  });

  it('counts the footage each node’s disk holds, leaves missing files out, and names footage of a machine that is no node', async () => {
    const row = (nodeName: string, bytes: number, state: 'complete' | 'missing', i: number) => ({ camera_id: cams[0]!, path: `${nodeName}/${i}.mp4`, start_ms: i * 1000, end_ms: i * 1000 + 999, bytes, state, sha256: null, init_bytes: 0, created_at_ms: i * 1000, node: nodeName });
    await t.engine.store.db
      .insertInto('recordings')
      .values([row('a', 1000, 'complete', 1), row('a', 500, 'complete', 2), row('b', 7000, 'complete', 3), row('b', 9999, 'missing', 4), row('local', 300, 'complete', 5)])
      .execute();
    const v = await everything();
    const bytes = Object.fromEntries(v.nodes.map((n) => [n.name, n.recordingBytes]));
    expect(bytes).toEqual({ a: 1500, b: 7000, local: 300 });
    expect(v.nodes.find((n) => n.name === 'local')).toMatchObject({ url: null, up: false, self: false, cameraCount: 0, startedAtMs: null, lastSeenAtMs: null });
  });

  it('a node that stops renewing is down once a lease has passed; its cameras are nobody’s until another node takes them', async () => {
    const seenB = (await everything()).nodes.find((n) => n.name === 'b')!.lastSeenAtMs;
    // b is killed: it renews no more.
    t.clock.advance(LEASE_MS + 1);
    let v = await everything();
    expect(v.nodes.find((n) => n.name === 'b')).toMatchObject({ up: false, lastSeenAtMs: seenB, cameraCount: 0 });
    // a has not renewed either: down too, and every camera is recorded by nobody.
    expect(v.nodes.find((n) => n.name === 'a')).toMatchObject({ up: false, cameraCount: 0 });
    expect(v.notHeld.cameras.map((c) => c.id).sort((x, y) => x - y)).toEqual(cams);
    expect((await admin.must('cameras.adminList', {})).cameras.every((c) => c.heldBy === null)).toBe(true);
    expectPartition(v, 4);
    await tick('a');
    v = await everything();
    expect(v.nodes.find((n) => n.name === 'a')).toMatchObject({ up: true, cameraCount: 4 });
    expect(v.notHeld.cameraCount).toBe(0);
    expectPartition(v, 4);
  });

  it('a camera whose home node changes moves there at the next rounds, as the listing shows', async () => {
    await tick('b', 'a', 'b');
    expect(heldBy(await everything(), 'b')).toEqual([cams[2], cams[3]]);
    await admin.must('cameras.update', update(cams[2]!, 'Bay 3', group, 'a'));
    await admin.must('cameras.update', update(cams[0]!, 'Bay 1', group, 'b'));
    await tick('a', 'b', 'a', 'b');
    const v = await everything();
    expect(heldBy(v, 'a')).toEqual([cams[1], cams[2]]);
    expect(heldBy(v, 'b')).toEqual([cams[0], cams[3]]);
    expectPartition(v, 4);
  });

  it('a disabled camera is in nobody’s list, not even as not held', async () => {
    await admin.must('cameras.setEnabled', { cameraId: cams[1]!, enabled: false, reason: 'lens replaced' });
    await tick('a', 'b');
    const v = await everything();
    expect(heldBy(v, 'a')).toEqual([cams[2]]);
    expect(v.notHeld.cameraCount).toBe(0);
    expectPartition(v, 3);
    // Whom the caller may see: counted, not named.
    const some = await nodes.list((id) => id === cams[3]);
    expect(some.nodes.map((n) => [n.name, n.cameraCount, n.cameras.map((c) => c.id)])).toEqual([
      ['a', 1, []],
      ['b', 2, [cams[3]]],
      ['local', 0, []],
    ]);
  });

  it('a node gone for good is retired: its footage marked missing (held files counted), its cameras’ home cleared, its name never leases again', async () => {
    const db = t.engine.store.db;
    const reason = 'The machine was destroyed in the depot fire';
    // A hold covers b's file of Bay 1 (3000-3999 ms, from the footage test above).
    const hold = await db.insertInto('holds').values({ kind: 'legal', case_reference: 'PR 1/26', legal_basis: 'art. 217 kpk', requesting_body: 'Police', reason: 'theft', review_date_ms: 10 ** 13, status: 'active', created_by: 'rev', created_at_ms: 1 }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('hold_items').values({ hold_id: hold.id, camera_id: cams[0]!, from_ms: 3500, to_ms: 3600 }).execute();
    const refused = async (name: string) => {
      const r = await nodes.retire('admin', name, reason);
      if (r.ok) throw new Error(`retired ${name}`);
      return r.error;
    };
    expect(await refused('a')).toMatchObject({ kind: 'FailedPrecondition', message: expect.stringContaining('cannot retire itself') });
    expect(await refused('zz')).toMatchObject({ kind: 'NotFound' });
    // Up, and then down for less than a minute: a restart takes less.
    expect((await refused('b')).message).toContain('renewed its leases 0 s ago');
    t.clock.advance(NODE_RETIRE_AFTER_DOWN_MS - 1000);
    await tick('a');
    expect((await refused('b')).message).toContain('only once it has been down for 60 s');
    t.clock.advance(1000);
    await tick('a');
    const seenB = (await everything()).nodes.find((n) => n.name === 'b')!.lastSeenAtMs;
    const r = await nodes.retire('admin', 'b', reason);
    expect(r).toEqual({ ok: true, value: { node: 'b', recordings: 1, bytes: 7000, heldRecordings: 1, camerasRehomed: 2 } });
    expect(await refused('b')).toMatchObject({ kind: 'FailedPrecondition', message: expect.stringContaining('was retired already') });

    const v = await everything();
    expect(v.nodes.find((n) => n.name === 'b')).toMatchObject({ up: false, recordingBytes: 0, cameraCount: 0, retired: { atMs: t.clock.nowMs(), by: 'admin', reason } });
    expect(await db.selectFrom('recordings').select('state').where('node', '=', 'b').execute()).toEqual([{ state: 'missing' }, { state: 'missing' }]);
    expect((await db.selectFrom('cameras').select('home_node').where('id', 'in', [cams[0]!, cams[3]!]).execute()).map((c) => c.home_node)).toEqual([null, null]);
    await tick('a');
    expect(heldBy(await everything(), 'a')).toEqual([cams[0], cams[2], cams[3]]);
    // b comes back (it was cut off, not stopped): its rounds take nothing and do not renew its row.
    await tick('b');
    expect(await db.selectFrom('camera_leases').select('camera_id').where('node', '=', 'b').execute()).toEqual([]);
    expect((await everything()).nodes.find((n) => n.name === 'b')!.lastSeenAtMs).toBe(seenB);
    await expect(node('b').start()).rejects.toThrow(/node b was retired on .* by admin \(The machine was destroyed in the depot fire\): it takes no camera again/);
    expect(await admin.call('cameras.update', update(cams[0]!, 'Bay 1', group, 'b'))).toMatchObject({ ok: false, error: { issues: ['settings.homeNode: unknownNode'] } });
    // The footage lost with it is reported at the next pass of the integrity check of the node that runs
    // the site's jobs (no node of its own will), for the data protection officer to assess: the breach
    // record proposed, the held file said first; once.
    t.engine.recording.index.reportsRetiredNodes = () => true;
    await t.engine.breachWatch.recheckRecordings();
    await t.engine.breachWatch.recheckRecordings();
    const proposed = await db.selectFrom('breaches').select(['id', 'proposal', 'what']).where('source', '=', 'engine').where('proposal', '=', 'recording_missing').execute();
    expect(proposed).toHaveLength(1);
    expect(proposed[0]!.what).toMatch(/^FOOTAGE UNDER A HOLD IS AFFECTED: 1 of these files/);
    expect(proposed[0]!.what).toContain('b/3.mp4');
    expect(await db.selectFrom('recordings').select('integrity').where('node', '=', 'b').execute()).toEqual([{ integrity: 'missing' }, { integrity: 'missing' }]);
  });

  it('nodes.retire: administrators only, audited with its reason; an engine on one machine has no node to retire', async () => {
    const r = await admin.call('nodes.retire', { node: 'b', reason: 'The machine was destroyed in the depot fire' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition', message: 'This site runs on one machine: it has no node to retire.' } });
    const entry = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'target', 'details']).where('action', '=', 'nodes.retire').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: ADMIN.username, target: 'node:b' });
    expect(entry.details).toContain('depot fire');
    const sup = await addUser(t, admin, { username: 'sup.retire', role: 'supervisor', groupIds: [group] });
    expect(await sup.call('nodes.retire', { node: 'b', reason: 'The machine was destroyed in the depot fire' })).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
    expect((await admin.call('nodes.retire', { node: 'b', reason: 'short' })).ok).toBe(false);
  });
});

describe.skipIf(testStoreKind !== 'postgres')('several nodes sharing the PostgreSQL database', () => {
  const LEASE_MS = 3000;
  const RENEW_MS = 500;
  let t: TestEngine;
  let admin: Caller;
  let b: CameraLeases;
  let bTimer: NodeJS.Timeout | null = null;
  let north: number;
  let south: number;
  const cams: number[] = [];
  const keepRenewing = () => {
    bTimer = setInterval(() => void b.tick(), RENEW_MS);
  };
  const kill = () => {
    if (bTimer) clearInterval(bTimer);
    bTimer = null;
  };
  /** nodes.list read again until `done` holds (each answer checked for a clean partition). */
  const until = async (caller: Caller, done: (v: NodesView) => boolean, timeoutMs = LEASE_MS * 6): Promise<NodesView> => {
    const start = performance.now();
    for (;;) {
      const v = await caller.must('nodes.list', {});
      expectPartition(v, cams.length);
      if (done(v)) return v;
      if (performance.now() - start > timeoutMs) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(v)}`);
      await sleep(100);
    }
  };

  beforeAll(async () => {
    // The engine itself is node a: its leases renewed by its own timer, on the database's clock.
    t = await startTestEngine(undefined, { node: { name: 'a', url: 'https://a.example:8443', leaseMs: LEASE_MS, renewMs: RENEW_MS } });
    admin = await setUpAdmin(t);
    north = (await admin.must('groups.create', { name: 'North', description: '' })).id;
    south = (await admin.must('groups.create', { name: 'South', description: '' })).id;
    for (const [i, g] of [north, north, south, south].entries()) cams.push(await addOfflineCamera(admin, `Bay ${i + 1}`, g));
    b = new CameraLeases({ db: t.engine.store.db, node: { name: 'b', url: 'https://b.example:8443' }, logger: silentLogger, leaseMs: LEASE_MS, renewMs: RENEW_MS, onChange: () => undefined });
  });
  afterAll(async () => {
    kill();
    await b?.stop();
    await t?.dispose();
  });

  it('a home node must be a node of the site: b only once it has renewed a lease', async () => {
    const early = await admin.call('cameras.update', update(cams[1]!, 'Bay 2', north, 'b'));
    expect(early).toMatchObject({ ok: false, error: { kind: 'InvalidArgument', issues: ['settings.homeNode: unknownNode'] } });
    expect(!early.ok && early.error.message).toContain('choose one of a,');
    await b.tick();
    keepRenewing();
    expect(await admin.must('cameras.update', update(cams[1]!, 'Bay 2', north, 'b'))).toMatchObject({ homeNode: 'b' });
    expect(await admin.must('cameras.update', update(cams[3]!, 'Bay 4', south, 'b'))).toMatchObject({ homeNode: 'b' });
  });

  it('lists both nodes up, each holding its cameras, and the camera settings say who records each', async () => {
    const v = await until(admin, (x) => heldBy(x, 'b')?.length === 2 && x.nodes.every((n) => n.up) && x.notHeld.cameraCount === 0);
    expect(v).toMatchObject({ singleMachine: false, leaseMs: LEASE_MS });
    expect(v.nodes.map((n) => [n.name, n.url, n.self])).toEqual([
      ['a', 'https://a.example:8443', true],
      ['b', 'https://b.example:8443', false],
    ]);
    expect(heldBy(v, 'b')).toEqual([cams[1], cams[3]]);
    expect(heldBy(v, 'a')).toEqual([cams[0], cams[2]]);
    for (const n of v.nodes) expect(v.atMs - n.lastSeenAtMs!).toBeLessThan(LEASE_MS);
    const admins = new Map((await admin.must('cameras.adminList', {})).cameras.map((c) => [c.id, c]));
    expect(admins.get(cams[1]!)).toMatchObject({ homeNode: 'b', heldBy: 'b' });
    expect(admins.get(cams[0]!)).toMatchObject({ homeNode: null, heldBy: 'a' });
  });

  it('a supervisor is named only the cameras of her groups, on every node', async () => {
    const sup = await addUser(t, admin, { username: 'sup.north', role: 'supervisor', groupIds: [north] });
    const v = await sup.must('nodes.list', {});
    expect(v.nodes.map((n) => [n.name, n.cameraCount, n.cameras.map((c) => c.id)])).toEqual([
      ['a', 2, [cams[0]]],
      ['b', 2, [cams[1]]],
    ]);
  });

  it('a node killed is shown down once its lease has passed; the other node takes its cameras over', async () => {
    kill();
    const killedAt = performance.now();
    const v = await until(admin, (x) => x.nodes.find((n) => n.name === 'b')!.up === false && heldBy(x, 'a')?.length === 4);
    expect(performance.now() - killedAt).toBeGreaterThanOrEqual(LEASE_MS - 500);
    expect(v.nodes.find((n) => n.name === 'b')).toMatchObject({ cameraCount: 0, cameras: [] });
    expect(v.nodes.find((n) => n.name === 'a')).toMatchObject({ up: true });
    // Its home stays b: it goes back when b is up again.
    expect((await admin.must('cameras.adminList', {})).cameras.find((c) => c.id === cams[1])).toMatchObject({ homeNode: 'b', heldBy: 'a' });
  });

  it('the node back takes its home cameras back, as listed', async () => {
    keepRenewing();
    const v = await until(admin, (x) => x.nodes.every((n) => n.up) && heldBy(x, 'b')?.length === 2);
    expect(heldBy(v, 'b')).toEqual([cams[1], cams[3]]);
  });

  it('an administrator retires node b, gone for good: refused while up, then its cameras recorded by a and its name never leases again', async () => {
    const reason = 'Its disk failed and the machine is scrapped';
    const up = await admin.call('nodes.retire', { node: 'b', reason });
    expect(up).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition', message: expect.stringContaining('renewed its leases') } });
    kill();
    // Down for a minute (its last renewal moved back: the test does not wait the minute).
    const db = t.engine.store.db;
    const seen = (await db.selectFrom('nodes').select('seen_at_ms').where('name', '=', 'b').executeTakeFirstOrThrow()).seen_at_ms;
    await db.updateTable('nodes').set({ seen_at_ms: seen - NODE_RETIRE_AFTER_DOWN_MS - 1000 }).where('name', '=', 'b').execute();
    expect(await admin.must('nodes.retire', { node: 'b', reason })).toMatchObject({ node: 'b', camerasRehomed: 2 });
    const v = await until(admin, (x) => heldBy(x, 'a')?.length === 4);
    expect(v.nodes.find((n) => n.name === 'b')).toMatchObject({ up: false, retired: { by: ADMIN.username, reason } });
    await b.tick(); // cut off, not stopped: it takes nothing
    expect(await db.selectFrom('camera_leases').select('camera_id').where('node', '=', 'b').execute()).toEqual([]);
    await expect(b.start()).rejects.toThrow(/node b was retired/);
  });
});
