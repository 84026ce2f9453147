// Privacy masks (R7; KRK §6.2-6.3, JON 8-9): administrators keep versions of a camera's masks, every
// change with who, when and why, audited; live views are drawn with the masks in force now, and
// recorded footage with every version in force while it was recorded together with the current one,
// so moving a mask later never uncovers old footage.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, northSouthSite, setUpAdmin, startTestEngine, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';

let t: TestEngine;
let admin: Caller;
let guard: Caller;
let reviewer: Caller;
let supervisor: Caller;
let supervisor2: Caller;
let cam: { north1: number; north2: number; south1: number };

/** addUser's users keep their first password plus the suffix signInReady gives it. */
const PASSWORD = `${TEST_PASSWORD}-Renewed`;
const WINDOWS: [number, number][] = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.5], [0.1, 0.5]];
const MOVED: [number, number][] = [[0.5, 0.1], [0.8, 0.1], [0.8, 0.5], [0.5, 0.5]];
const DOOR: [number, number][] = [[0.6, 0.6], [0.7, 0.6], [0.65, 0.9]];

beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  cam = site.cam;
  guard = await addUser(t, admin, { username: 'guard.masks', role: 'guard', groupIds: [site.north] });
  reviewer = await addUser(t, admin, { username: 'reviewer.masks', role: 'reviewer', groupIds: [site.north] });
  supervisor = await addUser(t, admin, { username: 'sup.masks', role: 'supervisor', groupIds: [site.north] });
  supervisor2 = await addUser(t, admin, { username: 'sup2.masks', role: 'supervisor', groupIds: [site.north] });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

describe('privacy masks', () => {
  let v1At = 0;
  let v2At = 0;

  it('are saved by administrators as versions with who, when and why, and every change is audited', async () => {
    expect(await admin.must('masks.get', { cameraId: cam.north1 })).toEqual({ cameraId: cam.north1, current: null, history: [] });
    v1At = t.clock.nowMs();
    const v1 = await admin.must('masks.save', { cameraId: cam.north1, masks: [{ kind: 'permanent', points: WINDOWS, label: 'windows of the residential building, KRK §6.3' }], reason: 'the square camera overlooks flats' });
    expect(v1).toMatchObject({ version: 1, createdAtMs: v1At, reason: 'the square camera overlooks flats' });
    t.clock.advance(60_000); // (short of the idle lock)
    v2At = t.clock.nowMs();
    const v2 = await admin.must('masks.save', {
      cameraId: cam.north1,
      masks: [
        { kind: 'permanent', points: MOVED, label: 'windows after the camera was turned' },
        { kind: 'liftable', points: DOOR, label: 'entrance of the house' },
      ],
      reason: 'camera turned east after maintenance',
    });
    expect(v2.version).toBe(2);
    const got = await admin.must('masks.get', { cameraId: cam.north1 });
    expect(got.current?.version).toBe(2);
    expect(got.history.map((v) => [v.version, v.createdBy, v.masks.length])).toEqual([[1, 'admin.anna', 1], [2, 'admin.anna', 2]]);
    const audited = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'action', 'target', 'reason', 'outcome']).where('action', '=', 'masks.save').orderBy('seq').execute();
    expect(audited.map((a) => [a.actor, a.target, a.reason, a.outcome])).toEqual([
      ['admin.anna', `camera#${cam.north1}`, 'the square camera overlooks flats', 'allowed'],
      ['admin.anna', `camera#${cam.north1}`, 'camera turned east after maintenance', 'allowed'],
    ]);
  });

  it('a version is a record: the database refuses to change or delete it', async () => {
    await expect(sql`UPDATE privacy_mask_versions SET masks_json = '[]'`.execute(t.engine.store.db)).rejects.toThrow(/record/);
    await expect(sql`DELETE FROM privacy_mask_versions`.execute(t.engine.store.db)).rejects.toThrow(/record/);
  });

  it('live footage is drawn with the masks in force now', async () => {
    const view = await guard.must('live.open', { cameraId: cam.north1, stream: 'sub' });
    expect(view.masks).toEqual([
      { kind: 'permanent', points: MOVED },
      { kind: 'liftable', points: DOOR },
    ]);
    expect((await guard.must('live.open', { cameraId: cam.north2, stream: 'sub' })).masks).toEqual([]);
  });

  it('footage recorded under an older version keeps that version’s masks too: moving a mask never uncovers it', async () => {
    const reason = { category: 'incident_investigation' as const, text: 'checking the masks of old footage' };
    const old = await reviewer.must('playback.open', { cameraIds: [cam.north1], fromMs: v1At + 10_000, toMs: v1At + 20_000, reason });
    expect(old.streams[0]!.masks).toEqual([
      { kind: 'permanent', points: WINDOWS },
      { kind: 'permanent', points: MOVED },
      { kind: 'liftable', points: DOOR },
    ]);
    // Footage from before the first version is shown with the current masks.
    const before = await reviewer.must('playback.open', { cameraIds: [cam.north1], fromMs: v1At - 120_000, toMs: v1At - 60_000, reason });
    expect(before.streams[0]!.masks.map((m) => m.points)).toEqual([MOVED, DOOR]);
    const recent = await reviewer.must('playback.open', { cameraIds: [cam.north1], fromMs: v2At + 1_000, toMs: v2At + 2_000, reason });
    expect(recent.streams[0]!.masks.map((m) => m.points)).toEqual([MOVED, DOOR]);
  });

  it('only administrators change masks, and a bad mask is refused in words', async () => {
    for (const who of [guard, reviewer]) {
      const r = await who.call('masks.save', { cameraId: cam.north1, masks: [], reason: 'remove them all' });
      expect(!r.ok && r.error.kind).toBe('PermissionDenied');
    }
    const bad = [
      { masks: [{ kind: 'permanent', points: [[0.1, 0.1], [0.2, 0.2]], label: 'two corners' }], reason: 'a line is no mask' },
      { masks: [{ kind: 'permanent', points: [[0.1, 0.1], [1.2, 0.1], [0.5, 0.5]], label: 'outside' }], reason: 'outside the picture' },
      { masks: [{ kind: 'permanent', points: WINDOWS, label: '' }], reason: 'no label' },
      { masks: [{ kind: 'permanent', points: WINDOWS, label: 'windows' }], reason: '' },
      { masks: [{ kind: 'opaque', points: WINDOWS, label: 'windows' }], reason: 'unknown kind' },
    ];
    for (const req of bad) {
      const r = await admin.call('masks.save', { cameraId: cam.north1, ...req } as never);
      expect(!r.ok && r.error.kind, JSON.stringify(req)).toBe('InvalidArgument');
    }
    const missing = await admin.call('masks.save', { cameraId: 987_654, masks: [], reason: 'no such camera' });
    expect(!missing.ok && missing.error).toMatchObject({ kind: 'NotFound', message: 'No such camera.' });
    expect((await admin.must('masks.get', { cameraId: cam.north1 })).current?.version).toBe(2);
  });

  it('a still of a camera that sends no picture is refused in words, not after a hang', async () => {
    const r = await admin.call('masks.still', { cameraId: cam.south1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('Unavailable');
      expect(r.error.message).toMatch(/^No still of this camera: the camera sent no picture within \d+ s\.$/);
    }
  }, 20_000);

  describe('lifting (liftable masks only, for the lifter’s session, with a reason, for a limited time)', () => {
    const why = 'identify the person entering the house, police request KMP-114';

    it('is refused without the permission and without a reason', async () => {
      for (const who of [guard, reviewer]) {
        const r = await who.call('masks.lift', { cameraId: cam.north1, reason: why });
        expect(!r.ok && r.error.kind).toBe('PermissionDenied');
      }
      for (const reason of ['', 'short']) {
        const r = await supervisor.call('masks.lift', { cameraId: cam.north1, reason });
        expect(!r.ok && r.error.kind, reason).toBe('InvalidArgument');
      }
    });

    it('lifts only liftable masks, never permanent ones, and nothing on a camera without liftable masks', async () => {
      const none = await supervisor.call('masks.lift', { cameraId: cam.north2, reason: why });
      expect(!none.ok && none.error).toMatchObject({ kind: 'FailedPrecondition', message: 'This camera has no privacy masks to lift.' });
      const lifted = await supervisor.must('masks.lift', { cameraId: cam.north1, reason: why });
      expect(lifted).toMatchObject({ cameraId: cam.north1, authorisedBy: null, lift: { untilMs: t.clock.nowMs() + 5 * 60_000, remainingMs: 5 * 60_000 } });
      // The lifter's views say so; the masks stay in the answer (permanent ones are drawn regardless).
      const view = await supervisor.must('live.open', { cameraId: cam.north1, stream: 'sub' });
      expect(view.lift).toEqual(lifted.lift);
      expect(view.masks.map((m) => m.kind)).toEqual(['permanent', 'liftable']);
      // Nobody else's: another supervisor's view of the same camera is not lifted.
      expect((await supervisor2.must('live.open', { cameraId: cam.north1, stream: 'sub' })).lift).toBeNull();
      // Audited with the reason before the lift exists (the refused attempt above is in the log too).
      const audited = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'target', 'reason']).where('action', '=', 'masks.lift').where('outcome', '=', 'allowed').orderBy('seq').execute();
      expect(audited.at(-1)).toEqual({ actor: 'sup.masks', target: `camera#${cam.north1}`, reason: why });
      await supervisor.must('masks.restore', { cameraId: cam.north1 });
      expect((await supervisor.must('live.open', { cameraId: cam.north1, stream: 'sub' })).lift).toBeNull();
    });

    it('lasts at most the site’s limit and ends by itself', async () => {
      const over = await supervisor.call('masks.lift', { cameraId: cam.north1, reason: why, minutes: 6 });
      expect(!over.ok && over.error).toMatchObject({ kind: 'InvalidArgument', message: 'Masks are lifted for at most 5 min on this site.' });
      const security = await admin.must('settings.getSecurity', {});
      await admin.must('settings.updateSecurity', { ...security, maskLiftMinutes: 2 });
      const lifted = await supervisor.must('masks.lift', { cameraId: cam.north1, reason: why });
      expect(lifted.lift.remainingMs).toBe(120_000);
      t.clock.advance(60_000);
      expect((await supervisor.must('live.open', { cameraId: cam.north1, stream: 'sub' })).lift?.remainingMs).toBe(60_000);
      t.clock.advance(60_001);
      expect((await supervisor.must('live.open', { cameraId: cam.north1, stream: 'sub' })).lift).toBeNull();
      const reason = { category: 'incident_investigation' as const, text: 'checking the lifted masks' };
      expect((await supervisor.must('playback.open', { cameraIds: [cam.north1], fromMs: v1At, toMs: v2At, reason })).streams[0]!.lift).toBeNull();
      await admin.must('settings.updateSecurity', { ...security, maskLiftMinutes: 5 });
    });

    it('needs a second person’s password when the site requires it: someone else, with the right to lift', async () => {
      const security = await admin.must('settings.getSecurity', {});
      await admin.must('settings.updateSecurity', { ...security, maskLiftSecondPerson: true });
      const alone = await supervisor.call('masks.lift', { cameraId: cam.north1, reason: why });
      expect(!alone.ok && alone.error).toMatchObject({ kind: 'FailedPrecondition', issues: ['secondPerson: required'] });
      const self = await supervisor.call('masks.lift', { cameraId: cam.north1, reason: why, secondPerson: { username: 'sup.masks', password: 'whatever' } });
      expect(!self.ok && self.error.kind).toBe('InvalidArgument');
      const wrong = await supervisor.call('masks.lift', { cameraId: cam.north1, reason: why, secondPerson: { username: 'sup2.masks', password: 'not-the-password' } });
      expect(!wrong.ok && wrong.error).toMatchObject({ kind: 'Unauthenticated', message: 'The second person was not confirmed: Wrong user name or password.' });
      const unentitled = await supervisor.call('masks.lift', { cameraId: cam.north1, reason: why, secondPerson: { username: 'reviewer.masks', password: PASSWORD } });
      expect(!unentitled.ok && unentitled.error).toMatchObject({ kind: 'PermissionDenied', message: 'The second person may not lift privacy masks.' });
      const confirmed = await supervisor.must('masks.lift', { cameraId: cam.north1, reason: why, secondPerson: { username: 'sup2.masks', password: PASSWORD } });
      expect(confirmed.authorisedBy).toBe('sup2.masks');
      const entries = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'action', 'reason', 'details']).where('action', 'in', ['masks.lift', 'masks.liftConfirmed']).where('outcome', '=', 'allowed').orderBy('seq', 'desc').limit(2).execute();
      expect(entries.map((e) => [e.actor, e.action, e.reason])).toEqual([
        ['sup2.masks', 'masks.liftConfirmed', why],
        ['sup.masks', 'masks.lift', why],
      ]);
      // The second person's password never reaches the audit log.
      for (const e of entries) expect(e.details).not.toContain(PASSWORD);
      await admin.must('settings.updateSecurity', { ...security, maskLiftSecondPerson: false });
    });

    it('ends when the lifter’s console locks or signs out', async () => {
      await supervisor.must('masks.lift', { cameraId: cam.north1, reason: why });
      await supervisor.must('session.lock', {});
      await supervisor.must('session.unlock', { password: PASSWORD });
      expect((await supervisor.must('live.open', { cameraId: cam.north1, stream: 'sub' })).lift).toBeNull();
    });
  });
});
