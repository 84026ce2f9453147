// A guard's walls: several, named, each keeping every layout's arrangement, so switching layouts
// never drops a camera (a 3x3 wall shown as 2x2 and back keeps its nine). Only cameras the user sees
// are stored, in every arrangement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, northSouthSite, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

let t: TestEngine;
let admin: Caller;
let guard: Caller;
let supervisor: Caller;
let cam: { north1: number; north2: number; south1: number };

beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  cam = site.cam;
  guard = await addUser(t, admin, { username: 'guard.walls', role: 'guard', groupIds: [site.north] });
  supervisor = await addUser(t, admin, { username: 'sup.walls', role: 'supervisor', groupIds: [site.north, site.south] });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

describe('walls', () => {
  it('keep every layout’s arrangement across saves and reads', async () => {
    const nine = [cam.north1, null, null, null, cam.north2, null, null, null, null];
    await guard.must('walls.save', { name: 'default', layout: 9, tiles: nine, arrangements: { '9': nine } });
    // Shown as 2x2 for a while: the 3x3 arrangement stays as it was.
    const saved = await guard.must('walls.save', { name: 'default', layout: 4, tiles: [cam.north2, cam.north1, null, null], arrangements: { '9': nine, '4': [cam.north2, cam.north1, null, null] } });
    expect(saved.tiles).toEqual([cam.north2, cam.north1, null, null]);
    const [wall] = (await guard.must('walls.list', {})).walls;
    expect(wall).toMatchObject({ name: 'default', layout: 4, tiles: [cam.north2, cam.north1, null, null], arrangements: { '9': nine, '4': [cam.north2, cam.north1, null, null] } });
  });

  it('are several, by name, and one can be deleted', async () => {
    await guard.must('walls.save', { name: 'Night shift', layout: 1, tiles: [cam.north1] });
    expect((await guard.must('walls.list', {})).walls.map((w) => w.name)).toEqual(['Night shift', 'default']);
    expect(await guard.must('walls.delete', { name: 'Night shift' })).toEqual({ deleted: true });
    expect(await guard.must('walls.delete', { name: 'Night shift' })).toEqual({ deleted: false });
    expect((await guard.must('walls.list', {})).walls.map((w) => w.name)).toEqual(['default']);
  });

  it('store only cameras the user sees, in every arrangement', async () => {
    const saved = await guard.must('walls.save', { name: 'default', layout: 4, tiles: [cam.south1, cam.north1, null, null], arrangements: { '16': [cam.south1, null, cam.north2], '1': [cam.south1] } });
    expect(saved.tiles).toEqual([null, cam.north1, null, null]);
    expect(saved.arrangements['16']).toEqual([null, null, cam.north2, ...Array<null>(13).fill(null)]);
    expect(saved.arrangements['1']).toEqual([null]);
  });

  it('refuse an arrangement longer than its layout', async () => {
    const r = await guard.call('walls.save', { name: 'default', layout: 4, tiles: [null], arrangements: { '1': [cam.north1, cam.north2] } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('InvalidArgument');
  });

  it('read a wall saved before arrangements existed (a plain list of tiles)', async () => {
    const user = (await t.engine.store.db.selectFrom('users').select('id').where('username', '=', 'guard.walls').executeTakeFirstOrThrow()).id;
    await t.engine.store.db.insertInto('walls').values({ user_id: user, name: 'Old', layout: 4, tiles_json: JSON.stringify([cam.north1, null, cam.north2]), updated_at_ms: 1 }).execute();
    const old = (await guard.must('walls.list', {})).walls.find((w) => w.name === 'Old');
    expect(old).toMatchObject({ layout: 4, tiles: [cam.north1, null, cam.north2, null], arrangements: { '4': [cam.north1, null, cam.north2, null] } });
  });
});

describe('walls published for a room', () => {
  it('a supervisor publishes the wall shown for a room; the room’s seats find it, each user with only their own cameras on it', async () => {
    // Two registered seats (registering through seats.register needs a site engine; the rows are what counts here).
    const seat = async (name: string, room: string) =>
      (await t.engine.store.db.insertInto('seats').values({ name, room, created_by: 'adam.admin', created_at_ms: 0, code_sha256: name, code_expires_at_ms: 0 }).returning('id').executeTakeFirstOrThrow()).id;
    const control = await seat('Desk 1', 'Control room');
    const depot = await seat('Desk 2', 'Depot');
    const four = [cam.north1, cam.south1, null, cam.north2];
    const published = await supervisor.must('walls.publish', { room: 'Control room', name: 'Night shift', layout: 4, tiles: four });
    expect(published).toMatchObject({ room: 'Control room', name: 'Night shift', layout: 4, tiles: four, publishedBy: 'sup.walls' });

    // At a seat of the room: the wall, with the south camera the guard does not see left empty.
    guard.connection.seatId = control;
    let listed = await guard.must('walls.list', {});
    expect(listed.roomWalls).toEqual([expect.objectContaining({ room: 'Control room', name: 'Night shift', tiles: [cam.north1, null, null, cam.north2] })]);
    expect(listed.rooms).toEqual(['Control room', 'Depot']);
    // At a seat of another room: nothing; at a desk with no seat: every room's.
    guard.connection.seatId = depot;
    expect((await guard.must('walls.list', {})).roomWalls).toEqual([]);
    delete guard.connection.seatId;
    listed = await guard.must('walls.list', {});
    expect(listed.roomWalls.map((w) => `${w.room}/${w.name}`)).toEqual(['Control room/Night shift']);
    // The guard's own walls are untouched by it.
    expect(listed.walls.some((w) => w.name === 'Night shift')).toBe(false);
  });

  it('only those with the permission publish or withdraw, and both are audited', async () => {
    const r = await guard.call('walls.publish', { room: 'Control room', name: 'Mine', layout: 1, tiles: [cam.north1] });
    expect(r.ok === false && r.error.kind).toBe('PermissionDenied');
    const u = await guard.call('walls.unpublish', { room: 'Control room', name: 'Night shift' });
    expect(u.ok === false && u.error.kind).toBe('PermissionDenied');
    expect(await supervisor.must('walls.unpublish', { room: 'Control room', name: 'Night shift' })).toEqual({ deleted: true });
    expect((await guard.must('walls.list', {})).roomWalls).toEqual([]);
    const audited = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'action', 'target', 'outcome']).where('action', 'like', 'walls.%publish').orderBy('seq').execute();
    expect(audited).toEqual([
      { actor: 'sup.walls', action: 'walls.publish', target: 'room:Control room wall:Night shift', outcome: 'allowed' },
      { actor: 'guard.walls', action: 'walls.publish', target: 'room:Control room wall:Mine', outcome: 'denied' },
      { actor: 'guard.walls', action: 'walls.unpublish', target: 'room:Control room wall:Night shift', outcome: 'denied' },
      { actor: 'sup.walls', action: 'walls.unpublish', target: 'room:Control room wall:Night shift', outcome: 'allowed' },
    ]);
  });

  it('a camera the publisher cannot see is not published', async () => {
    const limited = await addUser(t, admin, { username: 'sup.north', role: 'supervisor', groupIds: [] });
    const published = await limited.must('walls.publish', { room: 'Depot', name: 'Gate', layout: 1, tiles: [cam.north1] });
    expect(published.tiles).toEqual([null]);
    await supervisor.must('walls.unpublish', { room: 'Depot', name: 'Gate' });
  });
});
