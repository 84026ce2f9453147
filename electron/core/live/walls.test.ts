// A guard's walls: several, named, each keeping every layout's arrangement, so switching layouts
// never drops a camera (a 3x3 wall shown as 2x2 and back keeps its nine). Only cameras the user sees
// are stored, in every arrangement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, northSouthSite, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

let t: TestEngine;
let guard: Caller;
let cam: { north1: number; north2: number; south1: number };

beforeAll(async () => {
  t = await startTestEngine();
  const admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  cam = site.cam;
  guard = await addUser(t, admin, { username: 'guard.walls', role: 'guard', groupIds: [site.north] });
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
