// What the engine watches for the breach register (breach-watch.ts; JON 23, BRN 37;
// docs/design/breaches.md "Proposed by the engine"), through the real engine with real SQLite, real
// recording files written by the recorder, and a manual clock:
// - recording files: a file changed and files gone each propose once at the next pass, however often
//   found again; footage under a hold is re-checked first and named first; a file being deleted by retention and one
//   deleted by hand through the engine (deletion log) propose nothing; intact files propose nothing;
// - a burst of refused access by one user proposes once, fewer different refusals than the threshold
//   (however often repeated) nothing; three sign-in lockouts within an hour propose once;
// - the daily verification at the site's quiet hour finds a chain broken on purpose and proposes;
// - the reminder a day before the 72-hour deadline: once per record, an alarm pushed to those who
//   read the register, none for category 1 or a notified record.
import { tamper } from '../testing/raw-store';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, COMMANDS, type CommandName, type EngineEvent } from '../../../shared/contract';
import { ROLE_PERMISSIONS } from '../../../shared/roles';
import { addUser, northSouthSite, recordFootage, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';
import { quietHourBefore } from './breach-watch';
import { BreachesService } from './breaches-service';
import { REFUSAL_BURST, RefusalBursts } from './refusal-bursts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The engine's proposals as stored (the clock moves by days: sessions lock meanwhile). */
async function proposals(t: TestEngine) {
  const rows = await t.engine.store.db.selectFrom('breaches').select(['id', 'proposal', 'proposal_key', 'what', 'reported_by']).where('source', '=', 'engine').orderBy('id').execute();
  const cameras = await t.engine.store.db.selectFrom('breach_cameras').selectAll().execute();
  const events = await t.engine.store.db.selectFrom('breach_events').select(['breach_id', 'details']).where('action', '=', 'proposed').execute();
  return rows.map((r) => ({
    ...r,
    cameraIds: cameras.filter((c) => c.breach_id === r.id).map((c) => c.camera_id).sort(),
    details: JSON.parse(events.find((e) => e.breach_id === r.id)?.details ?? '{}') as Record<string, unknown>,
  }));
}

describe('recording files re-checked against their stored SHA-256', () => {
  let t: TestEngine;
  let cam: { north1: number; north2: number; south1: number };
  const rowOf = async (cameraId: number) => t.engine.store.db.selectFrom('recordings').selectAll().where('camera_id', '=', cameraId).orderBy('id').execute();

  beforeAll(async () => {
    t = await startTestEngine();
    const admin = await setUpAdmin(t);
    const site = await northSouthSite(admin);
    cam = site.cam;
    const supervisor = await addUser(t, admin, { username: 'sup.watch', role: 'supervisor', groupIds: [site.north, site.south] });
    const from = await recordFootage(t, [cam.north1, cam.north2, cam.south1], 2);
    t.clock.advance(10_000);
    await recordFootage(t, [cam.south1], 2);
    // North 2's footage is held as evidence.
    await supervisor.must('holds.place', { kind: 'legal', caseReference: 'RSD-9/26', legalBasis: 'Art. 217 KPK', requestingBody: 'Police', reason: 'evidence of an assault', reviewDateMs: from + 90 * DAY, items: [{ cameraId: cam.north2, fromMs: from - 1000, toMs: from + 5000 }] });
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('files as recorded propose nothing, and are not checked again before a day has passed', async () => {
    expect((await t.engine.store.db.selectFrom('recordings').select('id').where('state', '=', 'complete').execute()).length).toBe(4);
    await t.engine.breachWatch.recheckRecordings();
    expect(await t.engine.store.db.selectFrom('recordings').select('id').where('checked_at_ms', 'is not', null).execute()).toEqual([]); // none due yet
    t.clock.advance(DAY + HOUR);
    await t.engine.breachWatch.recheckRecordings();
    const rows = await t.engine.store.db.selectFrom('recordings').select(['checked_at_ms', 'integrity']).execute();
    expect(rows).toEqual(rows.map(() => ({ checked_at_ms: t.clock.nowMs(), integrity: null })));
    expect(await proposals(t)).toEqual([]);
  });

  it('a changed file and deleted ones each propose once at the next pass; a retention deletion in progress and a deletion by hand through the engine propose nothing', async () => {
    t.clock.advance(DAY + HOUR);
    const [changed] = await rowOf(cam.north1);
    const [held] = await rowOf(cam.north2);
    const [retained, byHand] = await rowOf(cam.south1);
    const root = t.engine.recording.root;
    // Changed: one byte of the media, same size.
    const fd = fs.openSync(path.join(root, changed!.path), 'r+');
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, Number(changed!.bytes) - 10);
    fs.writeSync(fd, Buffer.from([b[0]! ^ 0xff]), 0, 1, Number(changed!.bytes) - 10);
    fs.closeSync(fd);
    // Gone without the engine: the held file, and a file just recorded (not yet due: found by the stat round).
    fs.unlinkSync(path.join(root, held!.path));
    await recordFootage(t, [cam.north1], 2);
    const fresh = (await rowOf(cam.north1)).at(-1)!;
    fs.unlinkSync(path.join(root, fresh.path));
    // Cut short, just recorded: its size differs (the stat round).
    await recordFootage(t, [cam.south1], 2);
    const cut = (await rowOf(cam.south1)).at(-1)!;
    fs.truncateSync(path.join(root, cut.path), Number(cut.bytes) - 100);
    // Retention between its steps: the row marked deleting and the file unlinked, the log row not yet written.
    const marking = await t.engine.recording.index.markDeleting([retained!.id]);
    fs.unlinkSync(path.join(root, retained!.path));
    // By hand through the engine: logged in the deletion log.
    expect((await t.engine.recording.deleteRange(cam.south1, Number(byHand!.start_ms), Number(byHand!.end_ms), 'admin.anna')).deletedFiles).toBe(1);

    await t.engine.breachWatch.recheckRecordings();
    const found = await proposals(t);
    expect(found.map((p) => p.proposal).sort()).toEqual(['recording_changed', 'recording_missing']);
    const missing = found.find((p) => p.proposal === 'recording_missing')!;
    expect(missing).toMatchObject({ reported_by: 'system', details: { kind: 'recording_missing', files: 2, heldFiles: 1, cameras: 'North 2, North 1' } });
    expect(missing.cameraIds).toEqual([cam.north1, cam.north2].sort());
    // Held footage matters most: said first.
    expect(missing.what).toMatch(/^FOOTAGE UNDER A HOLD IS AFFECTED: 1 of these files/);
    expect(missing.what).toContain(held!.path);
    expect(missing.what).toContain(fresh.path);
    expect(missing.what).not.toContain(retained!.path);
    expect(missing.what).not.toContain(byHand!.path);
    const changedProposal = found.find((p) => p.proposal === 'recording_changed')!;
    expect(changedProposal).toMatchObject({ details: { files: 2, heldFiles: 0, cameras: 'North 1, South 1' } });
    expect(changedProposal.cameraIds).toEqual([cam.north1, cam.south1].sort());
    expect(changedProposal.what).toContain(`SHA-256 recorded ${changed!.sha256}`);
    expect(changedProposal.what).toContain(`${cut.path} (`);
    expect(changedProposal.what).toContain(`${Number(cut.bytes)} bytes recorded, ${Number(cut.bytes) - 100} now`);
    // The rows say what was found; a missing file's row is `missing`, as reconciliation's are.
    const after = await t.engine.store.db.selectFrom('recordings').select(['id', 'state', 'integrity']).where('id', 'in', [changed!.id, held!.id, fresh.id, cut.id]).orderBy('id').execute();
    expect(after).toEqual([
      { id: changed!.id, state: 'complete', integrity: 'changed' },
      { id: held!.id, state: 'missing', integrity: 'missing' },
      { id: fresh.id, state: 'missing', integrity: 'missing' },
      { id: cut.id, state: 'complete', integrity: 'changed' },
    ]);
    const audited = await t.engine.store.db.selectFrom('audit_log').select('target').where('action', '=', 'breaches.proposed').execute();
    expect(audited).toHaveLength(2);

    // Found again at later passes: nothing more is proposed.
    await t.engine.recording.index.logDeletions(marking, 'retention', 'system', t.clock.nowMs());
    t.clock.advance(DAY + HOUR);
    await t.engine.breachWatch.recheckRecordings();
    await t.engine.breachWatch.recheckRecordings();
    expect(await proposals(t)).toHaveLength(2);
    const log = await t.engine.store.db.selectFrom('deletion_log').select(['cause', 'start_ms']).orderBy('id').execute();
    expect(log.map((l) => l.cause).sort()).toEqual(['manual', 'retention']);
  });

  it('one missing file makes the pass look for every other: files beyond the pass’s budget and round are found in the same pass', async () => {
    await recordFootage(t, [cam.north1], 2);
    t.clock.advance(10_000);
    await recordFootage(t, [cam.south1], 2);
    const x = (await rowOf(cam.north1)).at(-1)!;
    const y = (await rowOf(cam.south1)).at(-1)!;
    t.clock.advance(DAY + HOUR);
    for (const r of [x, y]) fs.unlinkSync(path.join(t.engine.recording.root, r.path));
    const reported: number[][] = [];
    const { RecordingIntegrityCheck } = await import('../recording/integrity-check');
    const narrow = new RecordingIntegrityCheck({
      index: t.engine.recording.index,
      root: t.engine.recording.root,
      clock: t.clock,
      logger: { info() {}, warn() {}, error() {} },
      report: async (f) => void reported.push(f.map((x) => x.recordingId)),
      maxFilesPerPass: 1,
      statsPerPass: 0,
    });
    const pass = await narrow.pass();
    expect(pass.checked).toBe(1);
    expect(reported).toEqual([[x.id, y.id]]);
  });

  it('footage under a hold is re-checked first, before files checked less recently', async () => {
    await recordFootage(t, [cam.north1], 2);
    t.clock.advance(10_000);
    const heldFrom = await recordFootage(t, [cam.south1], 2);
    const older = (await rowOf(cam.north1)).at(-1)!;
    const newer = (await rowOf(cam.south1)).at(-1)!;
    const db = t.engine.store.db;
    const hold = await db.insertInto('holds').values({ kind: 'legal', case_reference: 'RSD-10/26', legal_basis: 'Art. 217 KPK', requesting_body: 'Police', reason: 'evidence', review_date_ms: heldFrom + 90 * DAY, status: 'active', created_by: 'sup.watch', created_at_ms: heldFrom, released_by: null, released_at_ms: null, release_reason: null }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('hold_items').values({ hold_id: hold.id, camera_id: cam.south1, from_ms: heldFrom - 1000, to_ms: heldFrom + 5000 }).execute();
    t.clock.advance(DAY + HOUR);
    const { RecordingIntegrityCheck } = await import('../recording/integrity-check');
    const one = new RecordingIntegrityCheck({ index: t.engine.recording.index, root: t.engine.recording.root, clock: t.clock, logger: { info() {}, warn() {}, error() {} }, report: async () => undefined, maxFilesPerPass: 1, statsPerPass: 0 });
    expect((await one.pass()).checked).toBe(1);
    const checked = await db.selectFrom('recordings').select(['id', 'checked_at_ms']).where('id', 'in', [older.id, newer.id]).orderBy('id').execute();
    expect(checked).toEqual([{ id: older.id, checked_at_ms: null }, { id: newer.id, checked_at_ms: t.clock.nowMs() }]);
  });

  it('hashing a large file leaves the engine’s thread free between chunks (event-loop delay measured)', async () => {
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const { hashFile } = await import('../recording/integrity-check');
    const big = path.join(t.dataDir, 'big.bin');
    fs.writeFileSync(big, Buffer.alloc(128 * 1024 * 1024, 7));
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const t0 = performance.now();
    await hashFile(big);
    const elapsedMs = performance.now() - t0;
    h.disable();
    fs.rmSync(big);
    const maxMs = h.max / 1e6;
    console.info(`hashing 128 MiB: ${Math.round(elapsedMs)} ms, event-loop delay p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${maxMs.toFixed(1)} ms`);
    // One 256 KiB chunk is hashed at a time: the thread is never held anywhere near a whole file.
    expect(maxMs).toBeLessThan(elapsedMs / 4);
  });
});

describe('bursts of refused access and of sign-in lockouts', () => {
  let t: TestEngine;
  let guard: Caller;
  let slow: Caller;
  const refusedToGuards = COMMAND_NAMES.filter((n): n is CommandName => {
    const a = COMMANDS[n].access;
    return a.kind === 'permission' && !(ROLE_PERMISSIONS.guard as readonly string[]).includes(a.permission);
  });

  beforeAll(async () => {
    t = await startTestEngine();
    const admin = await setUpAdmin(t);
    const site = await northSouthSite(admin);
    guard = await addUser(t, admin, { username: 'guard.probe', role: 'guard', groupIds: [site.north] });
    slow = await addUser(t, admin, { username: 'sup.slow', role: 'supervisor', groupIds: [] });
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  const refuse = async (name: CommandName) => {
    const r = await guard.call(name, COMMANDS[name].example as never);
    expect(r).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
  };

  it('fewer different refusals than the threshold propose nothing, however often one is repeated (a screen polling)', async () => {
    expect(refusedToGuards.length).toBeGreaterThan(REFUSAL_BURST.refusals + 5);
    for (const name of refusedToGuards.slice(0, REFUSAL_BURST.refusals - 1)) await refuse(name);
    for (let i = 0; i < 20; i++) await refuse(refusedToGuards[0]!);
    await t.engine.breachWatch.scanRefusals();
    expect(await proposals(t)).toEqual([]);
  });

  it('the threshold of different refusals within the window proposes once; the refusals after it do not propose again', async () => {
    await refuse(refusedToGuards[REFUSAL_BURST.refusals - 1]!);
    for (const name of refusedToGuards.slice(REFUSAL_BURST.refusals, REFUSAL_BURST.refusals + 3)) await refuse(name);
    await t.engine.breachWatch.scanRefusals();
    await t.engine.breachWatch.scanRefusals();
    const found = await proposals(t);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ proposal: 'access_refusals', details: { kind: 'access_refusals', username: 'guard.probe', refusals: REFUSAL_BURST.refusals + 20, windowMinutes: 10 } });
    expect(found[0]!.what).toMatch(/^guard\.probe was refused 30 times within 10 minutes, 10 different requests/);
    // An engine started again reads the last window again: the burst is known by its key.
    const again = new RefusalBursts({ db: t.engine.store.db, clock: t.clock, logger: { info() {}, warn() {}, error() {} }, breaches: new BreachesService(t.engine.store.db, t.clock, t.engine.audit), timeZone: async () => 'Europe/Warsaw' });
    expect(await again.scan()).toEqual([]);
    expect(await proposals(t)).toHaveLength(1);
  });

  it('refusals spread wider than the window propose nothing', async () => {
    const refusedToSupervisors = COMMAND_NAMES.filter((n) => {
      const a = COMMANDS[n].access;
      return a.kind === 'permission' && !(ROLE_PERMISSIONS.supervisor as readonly string[]).includes(a.permission);
    });
    for (const name of refusedToSupervisors.slice(0, REFUSAL_BURST.refusals + 2)) {
      expect(await slow.call(name, COMMANDS[name].example as never)).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
      t.clock.advance(REFUSAL_BURST.windowMs / 5);
      await slow.must('session.activity', { input: true });
    }
    await t.engine.breachWatch.scanRefusals();
    expect((await proposals(t)).filter((p) => p.proposal === 'access_refusals')).toHaveLength(1);
  });

  it('three sign-in lockouts within an hour propose once, naming the user names', async () => {
    const lockOut = async (username: string) => {
      const c = t.connect();
      for (let i = 0; i < 5; i++) await c.call('auth.signIn', { username, password: 'wrong-password-1' });
    };
    await lockOut('guard.probe');
    await lockOut('admin.anna');
    await t.engine.breachWatch.scanRefusals();
    expect((await proposals(t)).filter((p) => p.proposal === 'sign_in_lockouts')).toEqual([]);
    await lockOut('nobody.here');
    await t.engine.breachWatch.scanRefusals();
    const found = (await proposals(t)).filter((p) => p.proposal === 'sign_in_lockouts');
    expect(found).toHaveLength(1);
    expect(found[0]!.details).toMatchObject({ lockouts: 3, usernames: 'guard.probe, admin.anna, nobody.here', windowMinutes: 60 });
    await t.engine.breachWatch.scanRefusals();
    expect((await proposals(t)).filter((p) => p.proposal === 'sign_in_lockouts')).toHaveLength(1);
  });
});

describe('the daily audit verification at the site’s quiet hour', () => {
  it('the quiet hour is 03:30 of the site’s local time, summer and winter', () => {
    expect(quietHourBefore(Date.UTC(2026, 10, 3, 2, 31), 'Europe/Warsaw')).toBe(Date.UTC(2026, 10, 3, 2, 30));
    expect(quietHourBefore(Date.UTC(2026, 10, 3, 2, 29), 'Europe/Warsaw')).toBe(Date.UTC(2026, 10, 2, 2, 30));
    expect(quietHourBefore(Date.UTC(2026, 6, 1, 12, 0), 'Europe/Prague')).toBe(Date.UTC(2026, 6, 1, 1, 30));
    expect(quietHourBefore(Date.UTC(2026, 6, 1, 12, 0), 'Europe/Vilnius')).toBe(Date.UTC(2026, 6, 1, 0, 30));
    // The first of a month: the day before is the month before.
    expect(quietHourBefore(Date.UTC(2026, 11, 1, 1, 0), 'Europe/Warsaw')).toBe(Date.UTC(2026, 10, 30, 2, 30));
    // Vilnius springs forward at 03:00: 03:30 does not exist that day; the check still runs that night.
    const spring = quietHourBefore(Date.UTC(2026, 2, 29, 12, 0), 'Europe/Vilnius');
    expect(Math.abs(spring - Date.UTC(2026, 2, 29, 0, 30))).toBeLessThanOrEqual(HOUR);
  });

  it('a log broken on purpose is found at the next quiet hour and proposes a record; not again that day', async () => {
    const t = await startTestEngine();
    try {
      await setUpAdmin(t);
      // 09:00 in Warsaw: the first tick of a new site only notes the time.
      expect(await t.engine.breachWatch.verifyIfDue()).toBe(false);
      await tamper(t.engine.store, 'audit_log', "UPDATE audit_log SET actor = 'nobody' WHERE seq = 2");
      t.clock.set(Date.UTC(2026, 10, 3, 2, 29));
      expect(await t.engine.breachWatch.verifyIfDue()).toBe(false);
      expect(await proposals(t)).toEqual([]);
      t.clock.set(Date.UTC(2026, 10, 3, 2, 31));
      await t.engine.breachWatch.tick();
      const found = await proposals(t);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ proposal: 'audit_chain', details: { kind: 'audit_chain', firstBadSeq: 2 } });
      await t.engine.audit.drain();
      const runs = await t.engine.store.db.selectFrom('audit_log').select('details').where('action', '=', 'audit.verifiedOnSchedule').execute();
      expect(runs).toHaveLength(1);
      expect(JSON.parse(runs[0]!.details)).toMatchObject({ ok: false, firstBadSeq: 2 });
      t.clock.set(Date.UTC(2026, 10, 3, 20, 0));
      expect(await t.engine.breachWatch.verifyIfDue()).toBe(false);
      // An engine down at the next quiet hour verifies at its first tick after.
      t.clock.set(Date.UTC(2026, 10, 5, 9, 0));
      expect(await t.engine.breachWatch.verifyIfDue()).toBe(true);
      expect(await proposals(t)).toHaveLength(1);
    } finally {
      await t.dispose();
    }
  });
});

describe('the reminder a day before the 72-hour deadline', () => {
  it('fires once per record at 48 hours, pushed to those who read the register; not for category 1 nor once the authority is notified', async () => {
    const t = await startTestEngine();
    try {
      const admin = await setUpAdmin(t);
      const site = await northSouthSite(admin);
      const guard = await addUser(t, admin, { username: 'guard.rem', role: 'guard', groupIds: [site.north] });
      const supervisor = await addUser(t, admin, { username: 'sup.rem', role: 'supervisor', groupIds: [] });
      const dpo = await addUser(t, admin, { username: 'dpo.rem', role: 'auditor', groupIds: [] });
      const almost = t.clock.nowMs() - 48 * HOUR + 60_000;
      const due = await guard.must('breaches.report', { what: 'Footage shown to a visitor at the desk', discoveredAtMs: almost });
      const low = await guard.must('breaches.report', { what: 'A monitor turned towards the window', discoveredAtMs: almost });
      await dpo.must('breaches.assess', { breachId: low.id, category: 1, reasoning: 'Nobody could be recognised from outside' });
      const told = await guard.must('breaches.report', { what: 'A pendrive with an export was lost', discoveredAtMs: almost });
      await dpo.must('breaches.assess', { breachId: told.id, category: 2, reasoning: 'Recognisable travellers on the export' });
      await dpo.must('breaches.recordNotification', { breachId: told.id, to: 'authority', atMs: t.clock.nowMs(), channel: 'e-form', reference: 'DKN.1' });
      const pushed: Record<string, EngineEvent[]> = { dpo: [], supervisor: [], guard: [] };
      t.engine.subscribe(dpo.connection.id, (e) => pushed.dpo!.push(e));
      t.engine.subscribe(supervisor.connection.id, (e) => pushed.supervisor!.push(e));
      t.engine.subscribe(guard.connection.id, (e) => pushed.guard!.push(e));

      expect(await t.engine.breachWatch.remind()).toEqual([]);
      t.clock.advance(2 * 60_000);
      await t.engine.breachWatch.tick();
      await t.engine.breachWatch.tick();
      expect(await t.engine.breachWatch.remind()).toEqual([]);

      const alarms = (await dpo.must('alarms.list', { openOnly: true })).alarms.filter((a) => a.kind === 'breaches.deadline');
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatchObject({ severity: 'warning', canAcknowledge: true, params: { breachId: due.id, reference: due.reference, deadlineAtMs: almost + 72 * HOUR, category: 'none' } });
      expect((await supervisor.must('alarms.list', { openOnly: true })).alarms.filter((a) => a.kind === 'breaches.deadline')).toMatchObject([{ canAcknowledge: false }]);
      expect((await guard.must('alarms.list', { openOnly: true })).alarms).toEqual([]);
      const raised = (e: EngineEvent) => e.type === 'alarm.raised' && e.kind === 'breaches.deadline';
      expect(pushed.dpo!.filter(raised)).toHaveLength(1);
      expect(pushed.supervisor!.filter(raised)).toHaveLength(1);
      expect(pushed.guard!.filter(raised)).toEqual([]);
      const view = await dpo.must('breaches.get', { breachId: due.id });
      expect(view.history.map((h) => h.action)).toEqual(['reported', 'reminded']);
      expect(view.history[1]).toMatchObject({ actor: 'system', details: { deadlineAtMs: almost + 72 * HOUR } });
      expect((await dpo.must('breaches.get', { breachId: low.id })).history.map((h) => h.action)).toEqual(['reported', 'assessed']);
    } finally {
      await t.dispose();
    }
  });
});
