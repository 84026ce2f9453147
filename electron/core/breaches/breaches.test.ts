// The breach register (docs/design/breaches.md; JON 21-23; BRN 24.3(vii), 36-38) through the real
// engine and dispatcher: anyone reports in one step; supervisors and the auditor (data protection
// officer) read the register, others do not; the auditor assesses and records notifications; the
// 72-hour clock runs from discovery on the engine's clock; history is append-only; an audit chain
// broken on purpose makes the engine propose one record, however often the break is found.
import { tamper } from '../testing/raw-store';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREACH_NOTIFY_WITHIN_MS, BREACH_WARN_AFTER_MS, breachClockAt } from '../../../shared/contract';
import { addUser, northSouthSite, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

const HOUR = 3_600_000;
let t: TestEngine;
let admin: Caller;
let guard: Caller;
let otherGuard: Caller;
let reviewer: Caller;
let supervisor: Caller;
let auditor: Caller;
const cam = { north1: 0, north2: 0, south1: 0 };

beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  Object.assign(cam, site.cam);
  guard = await addUser(t, admin, { username: 'guard.br', role: 'guard', groupIds: [site.north] });
  otherGuard = await addUser(t, admin, { username: 'guard.other', role: 'guard', groupIds: [site.north] });
  reviewer = await addUser(t, admin, { username: 'rev.br', role: 'reviewer', groupIds: [site.north] });
  supervisor = await addUser(t, admin, { username: 'sup.br', role: 'supervisor', groupIds: [site.south] });
  auditor = await addUser(t, admin, { username: 'dpo.br', role: 'auditor', groupIds: [] });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

const report = (by: Caller, agoMs: number, cameraIds?: number[]) =>
  by.must('breaches.report', { what: 'The monitor faced the public corridor for an hour', discoveredAtMs: t.clock.nowMs() - agoMs, cameraIds, records: 'live view of North 1' });

describe('reporting', () => {
  it('a guard reports in one step; supervisors and the auditor see it, other guards and reviewers cannot read the register', async () => {
    const pushedToAuditor: unknown[] = [];
    const pushedToGuard: unknown[] = [];
    const offA = t.engine.subscribe(auditor.connection.id, (e) => pushedToAuditor.push(e));
    const offG = t.engine.subscribe(otherGuard.connection.id, (e) => pushedToGuard.push(e));
    const r = await report(guard, 10 * 60_000, [cam.north1]);
    expect(r.reference).toBe(`BR-${r.id}`);
    const seen = await auditor.must('breaches.get', { breachId: r.id });
    expect(seen).toMatchObject({ status: 'open', source: 'person', reportedBy: 'guard.br', category: null, cameras: [{ cameraId: cam.north1, cameraName: 'North 1' }] });
    expect(seen.history.map((h) => h.action)).toEqual(['reported']);
    // Supervisors read the whole register, whatever their camera groups (South only here).
    expect((await supervisor.must('breaches.list', {})).breaches.map((b) => b.id)).toContain(r.id);
    for (const c of [otherGuard, reviewer, guard]) expect(await c.call('breaches.get', { breachId: r.id })).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    offA();
    offG();
    expect(pushedToAuditor).toContainEqual(expect.objectContaining({ type: 'breach.reported', breachId: r.id }));
    expect(pushedToGuard.filter((e) => (e as { type: string }).type.startsWith('breach.'))).toEqual([]);
  });

  it('refuses a discovery in the future and a camera the reporter does not see (NotFound)', async () => {
    expect(await guard.call('breaches.report', { what: 'Something odd happened here', discoveredAtMs: t.clock.nowMs() + HOUR })).toMatchObject({ ok: false, error: { kind: 'InvalidArgument' } });
    expect(await guard.call('breaches.report', { what: 'Something odd happened here', discoveredAtMs: t.clock.nowMs(), cameraIds: [cam.south1] })).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
  });
});

describe('the 72-hour clock (BRN 37)', () => {
  it('runs from discovery, warns from 48 h, is missed from 72 h (the rule itself)', () => {
    const b = { discoveredAtMs: 0, category: null, authorityNotifiedAtMs: null };
    expect(breachClockAt(b, 47 * HOUR)).toMatchObject({ state: 'running', remainingMs: 25 * HOUR, deadlineMs: 72 * HOUR });
    expect(breachClockAt(b, BREACH_WARN_AFTER_MS).state).toBe('warning');
    expect(breachClockAt(b, BREACH_NOTIFY_WITHIN_MS - 1).state).toBe('warning');
    expect(breachClockAt(b, BREACH_NOTIFY_WITHIN_MS)).toMatchObject({ state: 'missed', remainingMs: 0 });
    expect(breachClockAt({ ...b, category: 1 }, 100 * HOUR).state).toBe('not_required');
    expect(breachClockAt({ ...b, category: 2, authorityNotifiedAtMs: 80 * HOUR }, 100 * HOUR)).toMatchObject({ state: 'notified', notifiedLate: true });
  });

  it('on the engine clock: running at 47 h 59 min, warning a minute later; missed past 72 h until the authority is notified', async () => {
    const early = await report(guard, 48 * HOUR - 60_000);
    const late = await report(guard, 72 * HOUR - 30_000);
    expect((await auditor.must('breaches.get', { breachId: early.id })).clock.state).toBe('running');
    expect((await auditor.must('breaches.get', { breachId: late.id })).clock.state).toBe('warning');
    t.clock.advance(61_000);
    expect((await auditor.must('breaches.get', { breachId: early.id })).clock.state).toBe('warning');
    const missed = await auditor.must('breaches.get', { breachId: late.id });
    expect(missed.clock.state).toBe('missed');
    expect(missed.clock.remainingMs).toBeLessThan(0);
    // Assessed as serious: the authority's notification (time, channel, reference) ends the missed state.
    await auditor.must('breaches.assess', { breachId: late.id, category: 2, reasoning: 'Identifiable travellers were shown to the public' });
    const notifiedAtMs = t.clock.nowMs() - 1000;
    const notified = await auditor.must('breaches.recordNotification', { breachId: late.id, to: 'authority', atMs: notifiedAtMs, channel: 'UODO e-form', reference: 'DKN.5130.7.2026' });
    expect(notified.clock).toMatchObject({ state: 'notified', notifiedLate: true });
    expect(notified.authorityNotification).toEqual({ atMs: notifiedAtMs, channel: 'UODO e-form', reference: 'DKN.5130.7.2026', recordedBy: 'dpo.br' });
    // A recorded notification is not rewritten.
    expect(await auditor.call('breaches.recordNotification', { breachId: late.id, to: 'authority', atMs: notifiedAtMs, channel: 'post', reference: 'x' })).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition' } });
  });

  it('category 1 stops the clock; category 3 needs the decision on the data subjects', async () => {
    const r = await report(guard, 60 * HOUR);
    const low = await auditor.must('breaches.assess', { breachId: r.id, category: 1, reasoning: 'Nobody outside the room could see the screen' });
    expect(low.clock.state).toBe('not_required');
    expect(await auditor.call('breaches.recordNotification', { breachId: r.id, to: 'authority', atMs: t.clock.nowMs(), channel: 'e-mail', reference: 'n/a' })).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition' } });
    expect(await auditor.call('breaches.assess', { breachId: r.id, category: 3, reasoning: 'Faces of children were published' })).toMatchObject({ ok: false, error: { kind: 'InvalidArgument', issues: ['subjectsNotice: required'] } });
    expect(await auditor.call('breaches.assess', { breachId: r.id, category: 3, reasoning: 'Faces of children were published', subjectsNotice: 'not_notify' })).toMatchObject({ ok: false, error: { issues: ['subjectsNotNotifiedReason: required'] } });
    const high = await auditor.must('breaches.assess', { breachId: r.id, category: 3, reasoning: 'Faces of children were published', subjectsNotice: 'not_notify', subjectsNotNotifiedReason: 'A public announcement informs them as effectively (art. 34(3)(c) GDPR)' });
    expect(high).toMatchObject({ category: 3, subjectsNotice: 'not_notify', clock: { state: 'warning' } });
    expect(high.history.map((h) => h.action)).toEqual(['reported', 'assessed', 'assessed']);
    // Supervisors read but do not assess.
    expect(await supervisor.call('breaches.assess', { breachId: r.id, category: 1, reasoning: 'not so bad after all' })).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
  });
});

describe('history', () => {
  it('is append-only: the database refuses to change or delete a line, or delete a breach', async () => {
    const r = await report(guard, 0);
    const db = t.engine.store.db;
    await expect(sql`UPDATE breach_events SET note = 'x' WHERE breach_id = ${r.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM breach_events WHERE breach_id = ${r.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM breaches WHERE id = ${r.id}`.execute(db)).rejects.toThrow(/never deleted/);
  });
});

describe('proposed by the engine (JON 23)', () => {
  it('an audit chain broken on purpose proposes one breach record, however often verification finds it', async () => {
    const before = (await auditor.must('breaches.list', {})).breaches.length;
    // An attacker with the database file: drops the log's triggers and edits an entry.
    await tamper(t.engine.store, 'audit_log', "UPDATE audit_log SET actor = 'nobody' WHERE seq = 3");
    const first = await auditor.must('audit.verify', {});
    expect(first.ok).toBe(false);
    await auditor.must('audit.verify', {});
    await t.engine.verifyAudit();
    const proposed = (await auditor.must('breaches.list', {})).breaches.filter((b) => b.source === 'engine');
    expect((await auditor.must('breaches.list', {})).breaches.length).toBe(before + 1);
    expect(proposed).toHaveLength(1);
    expect(proposed[0]).toMatchObject({ proposal: 'audit_chain', reportedBy: 'system', status: 'open', category: null, clock: { state: 'running' } });
    expect(proposed[0]!.history[0]).toMatchObject({ action: 'proposed', details: { kind: 'audit_chain', firstBadSeq: first.firstBadSeq } });
    const audited = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'target']).where('action', '=', 'breaches.proposed').execute();
    expect(audited).toEqual([{ actor: 'system', target: `breach#${proposed[0]!.id}` }]);
  });
});
