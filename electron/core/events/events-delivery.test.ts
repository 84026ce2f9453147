// Cost and safety of the pushed event stream (docs/design/events.md "Delivery"), through the real
// engine: publishing with nobody listening runs no query; 10,000 events reach 50 subscribers in a
// bounded time without a query per event; a subscriber whose push throws is dropped and the others
// keep receiving; a change of a user's groups applies from the next event; camera state bursts are
// coalesced. The bounded queue and the failure paths (a stalled or failing query) are driven on a
// bus of their own, since SQLite cannot be made to stall.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/contract';
import { SessionRegistry } from '../auth/sessions';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import { ADMIN, addOfflineCamera, addUser, setUpAdmin, signInReady, startTestEngine, TEST_BASIS, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';
import { CAMERA_STATE_MIN_INTERVAL_MS } from './camera-coalescer';
import { EventBus, MAX_PENDING_EVENTS } from './event-bus';

let t: TestEngine;
let admin: Caller;
let guard: Caller;
let reviewer: Caller;
let supervisor: Caller;
let auditor: Caller;
let north = 0;
let cam = 0;

beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  north = (await admin.must('groups.create', { name: 'North', description: '' })).id;
  cam = await addOfflineCamera(admin, 'North 1', north);
  guard = await addUser(t, admin, { username: 'guard.n', role: 'guard', groupIds: [north] });
  reviewer = await addUser(t, admin, { username: 'rev.n', role: 'reviewer', groupIds: [north] });
  supervisor = await addUser(t, admin, { username: 'sup.n', role: 'supervisor', groupIds: [north] });
  auditor = await addUser(t, admin, { username: 'dpo', role: 'auditor', groupIds: [] });
  await t.engine.events.idle();
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

const collect = (c: Caller) => {
  const got: EngineEvent[] = [];
  const stop = t.engine.subscribe(c.connection.id, (e) => got.push(e));
  return { got, stop };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mark = () => guard.must('incidents.mark', { cameraId: cam, atMs: t.clock.nowMs(), category: 'theft', note: '' });

describe('cost', () => {
  it('publishing while nobody could receive it runs no query and costs under 50 ms for 20,000 events', async () => {
    const bus = t.engine.events;
    const anonymous = collect(t.connect()); // a sign-in screen: receives nothing but its own session events
    const before = { ...bus.counters };
    const started = performance.now();
    for (let i = 1; i <= 10_000; i++) {
      // Neither event is routed yet: routing would take a query each.
      bus.publish({ type: 'incident.changed', incidentId: i });
      bus.publish({ type: 'export.decided', exportId: i, approved: true });
    }
    const tookMs = performance.now() - started;
    await bus.idle();
    expect(bus.counters.published - before.published).toBe(20_000);
    expect(bus.counters.routingQueries).toBe(before.routingQueries);
    expect(bus.counters.fannedOut).toBe(before.fannedOut);
    expect(anonymous.got).toEqual([]);
    expect(tookMs).toBeLessThan(50);
    anonymous.stop();
  });

  it('10,000 events reach 50 subscribers (5 users, 10 connections each) in under 2 s, with no query per event', async () => {
    const users = [
      { username: 'guard.n', caller: guard },
      { username: 'rev.n', caller: reviewer },
      { username: 'sup.n', caller: supervisor },
      { username: 'dpo', caller: auditor },
    ];
    const connections: { username: string; caller: Caller }[] = [];
    for (const u of users) {
      connections.push(u);
      for (let i = 1; i < 10; i++) {
        const c = t.connect();
        await c.must('auth.signIn', { username: u.username, password: `${TEST_PASSWORD}-Renewed` });
        connections.push({ username: u.username, caller: c });
      }
    }
    connections.push({ username: ADMIN.username, caller: admin });
    for (let i = 1; i < 10; i++) connections.push({ username: ADMIN.username, caller: await signInReady(t, ADMIN.username, ADMIN.password) });
    expect(connections).toHaveLength(50);
    const subs = connections.map((c) => ({ ...c, ...collect(c.caller) }));
    const bus = t.engine.events;
    // The common case: the subscribers' sessions are known to the bus (subscribing looks them up;
    // idle() waits for those look-ups).
    await bus.idle();

    const before = { ...bus.counters };
    const started = performance.now();
    for (let i = 1; i <= 2500; i++) {
      bus.publish({ type: 'incident.created', incidentId: i, cameraIds: [cam] });
      bus.publish({ type: 'hold.placed', holdId: i, cameraIds: [cam] });
      bus.publish({ type: 'export.created', exportId: i, audience: { requestedBy: 'rev.other', cameraIds: [cam] } });
      bus.publish({ type: 'alarm.raised', alarmId: i, kind: 'storage.pressure' });
    }
    await bus.idle();
    const tookMs = performance.now() - started;
    console.info(`events: 10,000 events to 50 subscribers in ${tookMs.toFixed(0)} ms`);

    // Per role: incidents (guard: created only, sees the camera), holds and exports (reviewer,
    // supervisor, auditor), storage alarms (supervisor, administrator, auditor).
    const expected: Record<string, number> = { 'guard.n': 2500, 'rev.n': 7500, 'sup.n': 10_000, dpo: 10_000, [ADMIN.username]: 2500 };
    // (The offline camera's real states come and go meanwhile: not counted.)
    for (const s of subs) expect(s.got.filter((e) => e.type !== 'camera.state').length, s.username).toBe(expected[s.username]);
    expect(bus.counters.routingQueries).toBe(before.routingQueries);
    expect(bus.counters.visibilityLookups).toBe(before.visibilityLookups);
    expect(bus.counters.dropped).toBe(before.dropped);
    expect(tookMs).toBeLessThan(2000);
    for (const s of subs) s.stop();
  }, 60_000);
});

describe('safety', () => {
  it('a subscriber whose push throws is dropped, and the others keep receiving', async () => {
    let thrown = 0;
    const stopThrower = t.engine.subscribe(reviewer.connection.id, () => {
      thrown += 1;
      throw new Error('socket gone');
    });
    const same = collect(reviewer);
    const other = collect(supervisor);
    await mark();
    await mark();
    await t.engine.events.idle();
    expect(thrown).toBe(1);
    expect(same.got.filter((e) => e.type === 'incident.created')).toHaveLength(2);
    expect(other.got.filter((e) => e.type === 'incident.created')).toHaveLength(2);
    stopThrower();
    same.stop();
    other.stop();
  });

  it('a burst of camera states is coalesced: at most one per stream and interval, the latest last', async () => {
    const seen = collect(admin); // cameras.manage: every camera's state
    const bus = t.engine.events;
    const fake = 4242; // no ingest of its own: only these states
    for (let i = 0; i < 100; i++) bus.publish({ type: 'camera.state', cameraId: fake, stream: 'main', state: i % 2 ? 'no_signal' : 'connecting', sinceMs: i });
    bus.publish({ type: 'camera.state', cameraId: fake, stream: 'main', state: 'live', sinceMs: 100 });
    await bus.idle();
    const ofFake = () => seen.got.filter((e) => e.type === 'camera.state' && e.cameraId === fake);
    expect(ofFake()).toHaveLength(1);
    await sleep(CAMERA_STATE_MIN_INTERVAL_MS + 100);
    expect(ofFake().map((e) => (e as Extract<EngineEvent, { type: 'camera.state' }>).state)).toEqual(['connecting', 'live']);
    seen.stop();
  });

  it("after an administrator removes a user's group, the next event of that camera does not reach them", async () => {
    const rev = collect(reviewer);
    const sup = collect(supervisor);
    await mark();
    await t.engine.events.idle();
    expect(rev.got.filter((e) => e.type === 'incident.created')).toHaveLength(1);

    const row = (await admin.must('users.list', { includeInactive: false })).users.find((u) => u.username === 'rev.n')!;
    await admin.must('users.setGroups', { userId: row.id, groupIds: [] });
    rev.got.length = 0;
    await mark();
    t.engine.events.publish({ type: 'camera.state', cameraId: cam, stream: 'sub', state: 'no_signal', sinceMs: t.clock.nowMs() });
    await t.engine.events.idle();
    expect(rev.got).toEqual([]);
    expect(sup.got.filter((e) => e.type === 'incident.created')).toHaveLength(2);
    expect(sup.got.some((e) => e.type === 'camera.state' && e.cameraId === cam && e.stream === 'sub')).toBe(true);

    // Giving the group back is a grant: until a second person approves it the account is parked and
    // hears nothing (docs/design/authorised-persons.md).
    await admin.must('users.setGroups', { userId: row.id, groupIds: [north], basis: TEST_BASIS });
    await mark();
    await t.engine.events.idle();
    expect(rev.got.filter((e) => e.type === 'incident.created')).toHaveLength(0);
    rev.stop();
    sup.stop();
  });
});

describe('bounded queue and failing queries (a bus of its own)', () => {
  function standAlone(lookups: Partial<{ incidentCameras: (id: number) => Promise<number[]>; visibleCameraIds: (userId: number) => Promise<Set<number>> }> = {}) {
    const clock = new ManualClock(Date.UTC(2026, 10, 2, 8));
    const sessions = new SessionRegistry(clock);
    const bus = new EventBus({ clock, logger: silentLogger });
    bus.attach({
      sessionOf: (id) => sessions.get(id),
      visibleCameraIds: lookups.visibleCameraIds ?? (() => Promise.resolve(new Set([1]))),
      visibilityVersion: () => 0,
      lookups: {
        incidentCameras: lookups.incidentCameras ?? (() => Promise.resolve([1])),
        holdCameras: () => Promise.resolve([1]),
        exportAudience: () => Promise.resolve({ requestedBy: 'x', cameraIds: [1] }),
      },
    });
    const signIn = (connectionId: string, userId: number) =>
      sessions.start(connectionId, { userId, username: `user${userId}`, displayName: 'U', role: 'supervisor', language: 'en', mustChangePassword: false, commitmentPending: false, parked: false, accessState: 'granted' });
    return { bus, signIn };
  }

  it(`a stalled routing query holds at most ${MAX_PENDING_EVENTS} events; the rest are dropped and the subscriber is told once, in order`, async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { bus, signIn } = standAlone({
      incidentCameras: async () => {
        await gate;
        return [1];
      },
    });
    signIn('c1', 1);
    const got: EngineEvent[] = [];
    bus.subscribe('c1', (e) => got.push(e));
    bus.publish({ type: 'incident.changed', incidentId: 1 });
    for (let i = 1; i <= MAX_PENDING_EVENTS + 9; i++) bus.publish({ type: 'alarm.raised', alarmId: i, kind: 'storage.pressure' });
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([]);
    release();
    await bus.idle();
    // The notice comes first, then everything that was held, in order.
    expect(got[0]).toMatchObject({ type: 'events.dropped', count: 10 });
    expect(got[1]).toMatchObject({ type: 'incident.changed', incidentId: 1, cameraIds: [1] });
    expect(got.filter((e) => e.type === 'alarm.raised')).toHaveLength(MAX_PENDING_EVENTS - 1);
    expect(got.every((e, i) => i === 0 || e.seq > got[i - 1]!.seq)).toBe(true);
    bus.close();
  });

  it('a failing routing query drops that event only; publishing never throws', async () => {
    const { bus, signIn } = standAlone({ incidentCameras: () => Promise.reject(new Error('database is locked')) });
    signIn('c1', 1);
    const got: EngineEvent[] = [];
    bus.subscribe('c1', (e) => got.push(e));
    expect(() => bus.publish(null as never)).not.toThrow();
    bus.publish({ type: 'incident.changed', incidentId: 1 });
    bus.publish({ type: 'hold.placed', holdId: 2, cameraIds: [1] });
    await bus.idle();
    expect(got.map((e) => e.type)).toEqual(['events.dropped', 'hold.placed']);
    bus.close();
  });

  it('a failing visibility look-up skips that subscriber only, which is told what it missed once the look-up succeeds', async () => {
    let failures = 1;
    const { bus, signIn } = standAlone({ visibleCameraIds: (userId) => (userId === 1 && failures-- > 0 ? Promise.reject(new Error('database is locked')) : Promise.resolve(new Set([1]))) });
    signIn('c1', 1);
    signIn('c2', 2);
    const one: EngineEvent[] = [];
    const two: EngineEvent[] = [];
    bus.subscribe('c1', (e) => one.push(e));
    bus.subscribe('c2', (e) => two.push(e));
    bus.publish({ type: 'hold.placed', holdId: 1, cameraIds: [1] });
    await bus.idle();
    expect(one).toEqual([]);
    expect(two.map((e) => e.type)).toEqual(['hold.placed']);
    await sleep(1100); // the look-up is tried again after a second
    bus.publish({ type: 'hold.placed', holdId: 2, cameraIds: [1] });
    await bus.idle();
    expect(one.map((e) => e.type)).toEqual(['events.dropped', 'hold.placed']);
    expect(one[0]).toMatchObject({ count: 1 });
    bus.close();
  });
});
