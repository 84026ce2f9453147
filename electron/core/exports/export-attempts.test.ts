// Production attempts are rows of their own (docs/design/exports.md "Production", migration 0008):
// a retry after a cancel or a failure never overwrites the earlier attempt's mode, who, times, error
// or package; every history entry about production names its attempt; the view shows the latest;
// a finished attempt is a record the database refuses to change. Through the real engine and
// dispatcher, with a stand-in producer (the package itself is production/'s, tested there).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standIn, standInProducer, standInSigningKey } from '../testing/export-stand-ins';
import { addOfflineCamera, addUser, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

let t: TestEngine;
let reviewer: Caller;
let supervisor: Caller;
let cameraId = 0;

beforeAll(async () => {
  t = await startTestEngine(undefined, { exports: { producer: standInProducer, signingKey: standInSigningKey } });
  const admin = await setUpAdmin(t);
  const g = await admin.must('groups.create', { name: 'Depot', description: '' });
  cameraId = await addOfflineCamera(admin, 'Depot gate', g.id);
  reviewer = await addUser(t, admin, { username: 'rev.att', role: 'reviewer', groupIds: [g.id] });
  supervisor = await addUser(t, admin, { username: 'sup.att', role: 'supervisor', groupIds: [g.id] });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

const attemptsOf = (exportId: number) => t.engine.store.db.selectFrom('export_productions').selectAll().where('export_id', '=', exportId).orderBy('attempt').execute();

describe('production attempts', () => {
  it('a retry after a cancel and a failure keeps each earlier attempt whole; history names the attempts; the view shows the latest', async () => {
    const now = t.clock.nowMs();
    const e = await reviewer.must('exports.create', {
      bodyType: 'court', bodyName: 'Sąd Rejonowy', bodyReference: 'II K 12/26', receivedAtMs: now - 60_000, purpose: 'Evidence of damage to the depot gate',
      legalBasis: 'Art. 15 KPK', urgent: false, recipient: 'Court clerk', incidentId: null, items: [{ cameraId, fromMs: now - 600_000, toMs: now - 300_000 }],
    });
    await supervisor.must('exports.decide', { exportId: e.id, approve: true, reason: 'Court order checked' });

    standIn.behaviour = 'hang';
    await reviewer.must('exports.produce', { exportId: e.id, mode: 'burn_in', redactions: [] });
    await supervisor.must('exports.cancel', { exportId: e.id });
    standIn.behaviour = 'fail';
    t.clock.advance(1000);
    await supervisor.must('exports.produce', { exportId: e.id, mode: 'copy', redactions: [] });
    await t.engine.exports.idle();
    standIn.behaviour = 'ok';
    t.clock.advance(1000);
    await reviewer.must('exports.produce', { exportId: e.id, mode: 'copy', redactions: [] });
    await t.engine.exports.idle();

    const rows = await attemptsOf(e.id);
    expect(rows.map((r) => ({ attempt: r.attempt, status: r.status, mode: r.mode, by: r.started_by, error: r.error }))).toEqual([
      { attempt: 1, status: 'cancelled', mode: 'burn_in', by: 'rev.att', error: 'Cancelled by sup.att.' },
      { attempt: 2, status: 'failed', mode: 'copy', by: 'sup.att', error: 'Production failed: ffmpeg exited with code 1: Invalid data found when processing input' },
      { attempt: 3, status: 'produced', mode: 'copy', by: 'rev.att', error: null },
    ]);
    expect(rows.map((r) => Number(r.started_at_ms) - now)).toEqual([0, 1000, 2000]);
    expect(rows.every((r) => r.finished_at_ms !== null)).toBe(true);
    expect(rows[2]).toMatchObject({ progress: 1, package_path: path.join(t.dataDir, 'exports', `${e.number}-3`) });
    for (const hash of [rows[2]!.manifest_sha256, rows[2]!.addendum_sha256, rows[2]!.signing_key_fingerprint]) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // The stand-in left the folders of the failed attempts (production/ removes its partial ones); no attempt names them.
    expect(rows.slice(0, 2).map((r) => r.package_path)).toEqual([null, null]);

    const events = await t.engine.store.db.selectFrom('export_events').select(['action', 'attempt']).where('export_id', '=', e.id).orderBy('id').execute();
    expect(events.map((x) => `${x.action}${x.attempt === null ? '' : ` #${x.attempt}`}`)).toEqual([
      'requested', 'approved', 'production started #1', 'hold placed #1', 'production failed #1', 'production started #2', 'production failed #2', 'production started #3', 'produced #3',
    ]);
    const view = await reviewer.must('exports.get', { exportId: e.id });
    expect(view.status).toBe('produced');
    expect(view.production).toMatchObject({ mode: 'copy', by: 'rev.att', startedAtMs: now + 2000, progress: 1, error: null, packagePath: rows[2]!.package_path });
    expect(view.attempts.map((a) => [a.attempt, a.status, a.mode, a.by, a.startedAtMs - now, a.error])).toEqual([
      [1, 'cancelled', 'burn_in', 'rev.att', 0, 'Cancelled by sup.att.'],
      [2, 'failed', 'copy', 'sup.att', 1000, 'Production failed: ffmpeg exited with code 1: Invalid data found when processing input'],
      [3, 'produced', 'copy', 'rev.att', 2000, null],
    ]);
  });

  it('the database refuses to delete an attempt, to rewrite a finished one, or to change who started one', async () => {
    const db = t.engine.store.db;
    const [first] = await db.selectFrom('export_productions').select(['export_id', 'attempt']).where('status', '=', 'cancelled').execute();
    const one = db.updateTable('export_productions').where('export_id', '=', first!.export_id).where('attempt', '=', first!.attempt);
    await expect(one.set({ error: null }).execute()).rejects.toThrow(/finished export production attempt is a record/);
    await expect(one.set({ status: 'produced' }).execute()).rejects.toThrow(/finished export production attempt is a record/);
    await expect(one.set({ started_by: 'someone.else' }).execute()).rejects.toThrow(/keeps who started it/);
    await expect(db.deleteFrom('export_productions').execute()).rejects.toThrow(/append-only/);
  });
});
