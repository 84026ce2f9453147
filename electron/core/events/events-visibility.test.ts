// Pushed events follow the commands' visibility (docs/design/events.md "To whom"), through the real
// engine: for every kind of event, a member of the cast who may not read the object (another camera
// group, a role without the permission, a locked session, a connection without a session) receives
// nothing, and one who may, receives it. The oracle is the commands themselves: whoever receives a
// record event can open that record with the corresponding command, and the other way round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineEvent, type EngineEvent, type EngineEventType } from '../../../shared/contract';
import { addOfflineCamera, addUser, setUpAdmin, startTestEngine, TEST_BASIS, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';
import { standInProducer as producer, standInSigningKey as signingKey } from '../testing/export-stand-ins';

const NAMES = ['guardN', 'guardS', 'revN', 'revS', 'supN', 'supAll', 'auditor', 'admin', 'locked', 'anon'] as const;
type Name = (typeof NAMES)[number];

interface Member {
  caller: Caller;
  /** Everything received since the file started (checked at the end). */
  all: EngineEvent[];
  /** Received since the current scenario started. */
  inbox: EngineEvent[];
  waiters: { match: (e: EngineEvent) => boolean; resolve: (e: EngineEvent) => void }[];
}

let t: TestEngine;
const m = {} as Record<Name, Member>;
const cam = { n1: 0, n2: 0, s1: 0 };
const group = { north: 0, south: 0 };

function subscribe(caller: Caller): Member {
  const member: Member = { caller, all: [], inbox: [], waiters: [] };
  t.engine.subscribe(caller.connection.id, (e) => {
    member.all.push(e);
    member.inbox.push(e);
    for (const w of [...member.waiters]) {
      if (!w.match(e)) continue;
      member.waiters.splice(member.waiters.indexOf(w), 1);
      w.resolve(e);
    }
  });
  return member;
}

/** Resolves at the first event of this member that matches (pushed: nothing is polled). */
function next(member: Member, match: (e: EngineEvent) => boolean, timeoutMs = 5000): Promise<EngineEvent> {
  const seen = member.inbox.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms`)), timeoutMs);
    member.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
  });
}

/** Runs an action with fresh inboxes and returns who received which events of these types. */
async function observe(types: readonly EngineEventType[], run: () => Promise<unknown>): Promise<Record<Name, EngineEvent[]>> {
  for (const n of NAMES) m[n].inbox.length = 0;
  await run();
  await t.engine.events.idle();
  return Object.fromEntries(NAMES.map((n) => [n, m[n].inbox.filter((e) => types.includes(e.type))])) as Record<Name, EngineEvent[]>;
}

const receivers = (got: Record<Name, EngineEvent[]>) => NAMES.filter((n) => got[n].length > 0);

/** The oracle: who can open this record with the corresponding command. */
async function readers(kind: 'incident' | 'hold' | 'export' | 'alarm', id: number): Promise<Name[]> {
  const can = async (c: Caller): Promise<boolean> => {
    if (kind === 'incident') return (await c.call('incidents.get', { incidentId: id })).ok;
    if (kind === 'export') return (await c.call('exports.get', { exportId: id })).ok;
    if (kind === 'hold') {
      const r = await c.call('holds.list', {});
      return r.ok && r.value.holds.some((h) => h.id === id);
    }
    const r = await c.call('alarms.list', { openOnly: false });
    return r.ok && r.value.alarms.some((a) => a.id === id);
  };
  const out: Name[] = [];
  for (const n of NAMES) if (await can(m[n].caller)) out.push(n);
  return out;
}

beforeAll(async () => {
  t = await startTestEngine(undefined, { exports: { producer, signingKey } });
  const admin = await setUpAdmin(t);
  group.north = (await admin.must('groups.create', { name: 'North', description: '' })).id;
  group.south = (await admin.must('groups.create', { name: 'South', description: '' })).id;
  cam.n1 = await addOfflineCamera(admin, 'North 1', group.north);
  cam.n2 = await addOfflineCamera(admin, 'North 2', group.north);
  cam.s1 = await addOfflineCamera(admin, 'South 1', group.south);
  const add = (username: string, role: 'guard' | 'reviewer' | 'supervisor' | 'auditor', groupIds: number[]) => addUser(t, admin, { username, role, groupIds });
  const callers: Record<Name, Caller> = {
    guardN: await add('guard.north', 'guard', [group.north]),
    guardS: await add('guard.south', 'guard', [group.south]),
    revN: await add('rev.north', 'reviewer', [group.north]),
    revS: await add('rev.south', 'reviewer', [group.south]),
    supN: await add('sup.north', 'supervisor', [group.north]),
    supAll: await add('sup.all', 'supervisor', [group.north, group.south]),
    auditor: await add('dpo', 'auditor', []),
    admin,
    locked: await add('rev.locked', 'reviewer', [group.north]),
    anon: t.connect(),
  };
  for (const n of NAMES) m[n] = subscribe(callers[n]);
  await callers.locked.must('session.lock', {});
  await t.engine.events.idle();
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

describe('incidents', () => {
  it('an incident marked on camera A reaches a guard of A and not a guard of B; its changes only those who read incidents', async () => {
    let id = 0;
    const created = await observe(['incident.created'], async () => {
      id = (await m.guardN.caller.must('incidents.mark', { cameraId: cam.n1, atMs: t.clock.nowMs(), category: 'theft', note: 'bag taken from the bench' })).id;
    });
    expect(receivers(created)).toEqual(['guardN', 'revN', 'supN', 'supAll', 'auditor']);
    expect(created.guardN).toMatchObject([{ type: 'incident.created', incidentId: id, cameraIds: [cam.n1] }]);
    expect(created.guardS).toEqual([]);
    // Guards mark but do not read incidents: everyone else who received it can open it, and only they.
    expect(await readers('incident', id)).toEqual(receivers(created).filter((n) => n !== 'guardN'));

    const changed = await observe(['incident.changed'], () => m.revN.caller.must('incidents.addNote', { incidentId: id, text: 'the police were called' }));
    expect(receivers(changed)).toEqual(await readers('incident', id));
    expect(changed.revN).toMatchObject([{ type: 'incident.changed', incidentId: id, cameraIds: [cam.n1] }]);

    const closed = await observe(['incident.changed'], () => m.supAll.caller.must('incidents.close', { incidentId: id, reason: 'handled by the police' }));
    expect(receivers(closed)).toEqual(['revN', 'supN', 'supAll', 'auditor']);
  });

  it('an incident on cameras of two groups names to each receiver only the cameras it sees (all of them for records.readAll)', async () => {
    let id = 0;
    const got = await observe(['incident.created'], async () => {
      id = (await m.supAll.caller.must('incidents.create', { cameraIds: [cam.n1, cam.s1], fromMs: t.clock.nowMs() - 60_000, toMs: t.clock.nowMs() - 1000, category: 'theft', title: 'Two cameras', note: '' })).id;
    });
    const cameraIdsOf = (n: Name) => (got[n][0] as Extract<EngineEvent, { type: 'incident.created' }> | undefined)?.cameraIds;
    expect(cameraIdsOf('guardN')).toEqual([cam.n1]);
    expect(cameraIdsOf('guardS')).toEqual([cam.s1]);
    expect(cameraIdsOf('revN')).toEqual([cam.n1]);
    expect(cameraIdsOf('revS')).toEqual([cam.s1]);
    expect(cameraIdsOf('supN')).toEqual([cam.n1, cam.s1]);
    expect(cameraIdsOf('auditor')).toEqual([cam.n1, cam.s1]);
    expect(receivers(got)).toEqual(['guardN', 'guardS', 'revN', 'revS', 'supN', 'supAll', 'auditor']);
    expect(await readers('incident', id)).toEqual(['revN', 'revS', 'supN', 'supAll', 'auditor']);
  });
});

describe('holds', () => {
  it('placed, extended and released reach exactly those who see the hold in holds.list', async () => {
    const now = t.clock.nowMs();
    let holdId = 0;
    const placed = await observe(['hold.placed'], async () => {
      const h = await m.revN.caller.must('holds.place', { kind: 'legal', caseReference: 'RSD-7/26', legalBasis: 'Art. 217 KPK', requestingBody: 'Police', reason: 'possible evidence of a theft', reviewDateMs: now + 30 * 86_400_000, items: [{ cameraId: cam.n1, fromMs: now - 600_000, toMs: now - 60_000 }] });
      holdId = h.id;
    });
    expect(receivers(placed)).toEqual(['revN', 'supN', 'supAll', 'auditor']);
    expect(receivers(placed)).toEqual(await readers('hold', holdId));
    expect(placed.supN).toMatchObject([{ type: 'hold.placed', holdId, cameraIds: [cam.n1] }]);

    const extended = await observe(['hold.extended'], () => m.revN.caller.must('holds.extend', { holdId, reviewDateMs: null, addItems: [{ cameraId: cam.n2, fromMs: now - 600_000, toMs: now - 60_000 }], reason: 'the second camera saw it too' }));
    expect(receivers(extended)).toEqual(['revN', 'supN', 'supAll', 'auditor']);
    expect(extended.revN).toMatchObject([{ type: 'hold.extended', holdId, cameraIds: [cam.n1, cam.n2] }]);

    const released = await observe(['hold.released'], () => m.supAll.caller.must('holds.release', { holdId, reason: 'proceedings concluded' }));
    expect(receivers(released)).toEqual(await readers('hold', holdId));
    expect(receivers(released)).not.toContain('revS');
  });

  it('a hold on a camera of the other group reaches that group and records.readAll, not this one', async () => {
    const now = t.clock.nowMs();
    let holdId = 0;
    const got = await observe(['hold.placed'], async () => {
      holdId = (await m.revS.caller.must('holds.place', { kind: 'legal', caseReference: 'RSD-8/26', legalBasis: 'Art. 217 KPK', requestingBody: 'Police', reason: 'possible evidence of vandalism', reviewDateMs: now + 86_400_000, items: [{ cameraId: cam.s1, fromMs: now - 600_000, toMs: now - 60_000 }] })).id;
    });
    expect(receivers(got)).toEqual(['revS', 'supN', 'supAll', 'auditor']);
    expect(receivers(got)).toEqual(await readers('hold', holdId));
  });
});

describe('exports', () => {
  const request = (items: { cameraId: number }[], bodyType: 'police' | 'data_subject' = 'police') => ({
    bodyType,
    bodyName: 'Komenda Rejonowa Policji',
    bodyReference: 'RSD-9/26',
    receivedAtMs: t.clock.nowMs() - 3_600_000,
    purpose: 'Theft of a bag at the ticket machine',
    legalBasis: 'Art. 217 § 1 KPK',
    urgent: false,
    recipient: 'asp. Jan Kowalski',
    incidentId: null,
    items: items.map((i) => ({ cameraId: i.cameraId, fromMs: t.clock.nowMs() - 600_000, toMs: t.clock.nowMs() - 60_000 })),
  });
  const EXPORT_TYPES = ['export.created', 'export.decided', 'export.deadlineExtended', 'export.production', 'export.handedOver'] as const;

  it("a reviewer's request reaches a supervisor's subscription (the queue) at the latest 200 ms after the command returns, pushed", async () => {
    for (const n of NAMES) m[n].inbox.length = 0;
    let arrivedAtMono = 0;
    const arrived = next(m.supAll, (e) => e.type === 'export.created').then((e) => ((arrivedAtMono = performance.now()), e));
    const e = await m.revN.caller.must('exports.create', request([{ cameraId: cam.n1 }]));
    const returnedAtMono = performance.now();
    const got = await arrived;
    expect(arrivedAtMono - returnedAtMono).toBeLessThan(200);
    expect(got).toMatchObject({ type: 'export.created', exportId: e.id });
    await t.engine.events.idle();
    expect(NAMES.filter((n) => m[n].inbox.some((x) => x.type === 'export.created'))).toEqual(await readers('export', e.id));
  });

  it('decided, produced and handed over reach exactly those who may open the request; the protecting hold follows its cameras', async () => {
    let exportId = 0;
    await observe(EXPORT_TYPES, async () => {
      exportId = (await m.revN.caller.must('exports.create', request([{ cameraId: cam.n1 }]))).id;
    });
    const allowed = await readers('export', exportId);
    expect(allowed).toEqual(['revN', 'supN', 'supAll', 'auditor']);

    const decided = await observe(EXPORT_TYPES, () => m.supAll.caller.must('exports.decide', { exportId, approve: true, reason: 'Legal basis and scope checked' }));
    expect(receivers(decided)).toEqual(allowed);
    expect(decided.supN).toMatchObject([{ type: 'export.decided', exportId, approved: true }]);

    const produced = await observe([...EXPORT_TYPES, 'hold.placed'], async () => {
      await m.revN.caller.must('exports.produce', { exportId, mode: 'copy', redactions: [] });
      await t.engine.exports.idle();
    });
    expect(receivers(produced)).toEqual(allowed);
    const states = produced.auditor.filter((e) => e.type === 'export.production').map((e) => (e as Extract<EngineEvent, { type: 'export.production' }>).state);
    expect(states[0]).toBe('producing');
    expect(states.at(-1)).toBe('produced');
    expect(produced.revN.some((e) => e.type === 'hold.placed')).toBe(true);

    const handed = await observe([...EXPORT_TYPES, 'hold.released'], () =>
      m.revN.caller.must('exports.handover', { exportId, receivedBy: 'asp. Jan Kowalski', receivedAtMs: t.clock.nowMs(), medium: 'USB stick', note: '' }),
    );
    expect(receivers(handed)).toEqual(allowed);
    expect(handed.supN.map((e) => e.type)).toEqual(['export.handedOver', 'hold.released']);
  });

  it('a request over cameras of two groups reaches its requester and records.readAll, not a reviewer who sees one of them', async () => {
    let exportId = 0;
    const got = await observe(EXPORT_TYPES, async () => {
      exportId = (await m.supAll.caller.must('exports.create', request([{ cameraId: cam.n1 }, { cameraId: cam.s1 }], 'data_subject'))).id;
    });
    expect(receivers(got)).toEqual(['supN', 'supAll', 'auditor']);
    expect(receivers(got)).toEqual(await readers('export', exportId));
    const extended = await observe(EXPORT_TYPES, () => m.supN.caller.must('exports.extendDeadline', { exportId, months: 1, reason: 'the recordings of two cameras must be reviewed' }));
    expect(receivers(extended)).toEqual(['supN', 'supAll', 'auditor']);
    expect(extended.auditor).toMatchObject([{ type: 'export.deadlineExtended', exportId }]);
  });
});

describe('alarms', () => {
  it('an alarm reaches the roles its kind is seen with (ALARM_KINDS.seenWith), and so do its acknowledgement and its clearing', async () => {
    const admin = m.admin.caller;
    const raised = await observe(['alarm.raised'], () => admin.must('users.create', { username: 'rev.new', displayName: 'New reviewer', role: 'reviewer', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [group.north], basis: TEST_BASIS }));
    // access.footage_granted: records.readAll.
    expect(receivers(raised)).toEqual(['supN', 'supAll', 'auditor']);
    const alarm = raised.auditor[0] as Extract<EngineEvent, { type: 'alarm.raised' }>;
    expect(alarm.kind).toBe('access.footage_granted');
    expect(receivers(raised)).toEqual(await readers('alarm', alarm.alarmId));

    const acknowledged = await observe(['alarm.acknowledged'], () => m.supAll.caller.must('alarms.acknowledge', { alarmId: alarm.alarmId, note: 'checked with the administrator' }));
    expect(receivers(acknowledged)).toEqual(['supN', 'supAll', 'auditor']);

    // storage.pressure: storage.view (supervisors, the administrator, the auditor).
    const storage = await observe(['alarm.raised', 'alarm.cleared'], async () => {
      await t.engine.alarms.raiseCondition('storage.pressure', 'warning', 'Storage is filling up');
      await t.engine.alarms.clear('storage.pressure');
    });
    expect(receivers(storage)).toEqual(['supN', 'supAll', 'auditor', 'admin']);
    expect(storage.admin.map((e) => e.type)).toEqual(['alarm.raised', 'alarm.cleared']);
  });
});

describe('sessions', () => {
  it("a seat learns that its session ended, and whether elsewhere; nobody else hears of it", async () => {
    const admin = m.admin.caller;
    const user = await addUser(t, admin, { username: 'rev.moved', role: 'reviewer', groupIds: [group.north] });
    const self = await addUser(t, admin, { username: 'rev.leaving', role: 'reviewer', groupIds: [group.north] });
    const moved = subscribe(user);
    const leaving = subscribe(self);
    const row = (await admin.must('users.list', { includeInactive: false })).users.find((u) => u.username === 'rev.moved')!;
    const got = await observe(['session.ended', 'session.locked'], async () => {
      await admin.must('users.update', { userId: row.id, displayName: row.displayName, role: 'guard', language: 'en', basis: TEST_BASIS });
      await self.must('auth.signOut', {});
    });
    expect(moved.inbox.filter((e) => e.type === 'session.ended')).toMatchObject([{ type: 'session.ended', elsewhere: true }]);
    expect(leaving.inbox.filter((e) => e.type === 'session.ended')).toMatchObject([{ type: 'session.ended', elsewhere: false }]);
    expect(receivers(got)).toEqual([]);
    // Signed out, the connection receives nothing more.
    moved.inbox.length = 0;
    await m.guardN.caller.must('incidents.mark', { cameraId: cam.n1, atMs: t.clock.nowMs(), category: 'theft', note: '' });
    await t.engine.events.idle();
    expect(moved.inbox.filter((e) => e.type !== 'camera.state')).toEqual([]);
  });
});

describe('camera state', () => {
  it('the real ingest of an offline camera reaches the seats that see the camera, and those that configure cameras', async () => {
    const isState = (id: number) => (e: EngineEvent) => e.type === 'camera.state' && e.cameraId === id;
    // An unreachable camera keeps one state ("no signal" since it was lost) through its retries, so
    // the administrator restarts the ingests: disabled, then connecting and no signal again.
    for (const id of [cam.n1, cam.n2, cam.s1]) {
      await m.admin.caller.must('cameras.setEnabled', { cameraId: id, enabled: false, reason: 'Restarting the camera connection' });
      await m.admin.caller.must('cameras.setEnabled', { cameraId: id, enabled: true, reason: 'Restarting the camera connection' });
    }
    await Promise.all([next(m.guardN, isState(cam.n1), 30_000), next(m.guardS, isState(cam.s1), 30_000), next(m.admin, isState(cam.s1), 30_000), next(m.supN, isState(cam.n2), 30_000)]);
  }, 40_000);
});

describe('every event received in this file', () => {
  it('is well formed, numbered in order, and went only to whom the rules let see it', () => {
    const seesCamera: Record<Name, number[]> = {
      guardN: [cam.n1, cam.n2],
      guardS: [cam.s1],
      revN: [cam.n1, cam.n2],
      revS: [cam.s1],
      supN: [cam.n1, cam.n2],
      supAll: [cam.n1, cam.n2, cam.s1],
      auditor: [],
      admin: [cam.n1, cam.n2, cam.s1], // cameras.manage: every camera's state, as cameras.adminList
      locked: [],
      anon: [],
    };
    for (const n of NAMES) {
      const { all } = m[n];
      for (const e of all) expect(engineEvent.safeParse(e).success, `${n}: ${JSON.stringify(e)}`).toBe(true);
      expect(all.every((e, i) => i === 0 || e.seq > all[i - 1]!.seq), n).toBe(true);
      const cameras = new Set(all.filter((e) => e.type === 'camera.state').map((e) => (e as Extract<EngineEvent, { type: 'camera.state' }>).cameraId));
      for (const id of cameras) expect(seesCamera[n], `${n} received the state of camera ${id}`).toContain(id);
    }
    // records.readAll without groups: record events of every camera, no camera states at all.
    expect(m.auditor.all.some((e) => e.type === 'incident.created')).toBe(true);
    expect(m.auditor.all.filter((e) => e.type === 'camera.state')).toEqual([]);
    // A supervisor of North reads South's records but gets no state of South's camera.
    expect(m.supN.all.some((e) => e.type === 'hold.placed' && e.cameraIds.includes(cam.s1))).toBe(true);
    // A locked session: its own lock, nothing else; a connection without a session: nothing.
    expect(m.locked.all.map((e) => e.type)).toEqual(['session.locked']);
    expect(m.anon.all).toEqual([]);
  });
});
