// The register of data-subject requests (docs/design/subject-requests.md; BRN art. 15-17; JON 17-20;
// ELB 1.14) through the real engine, dispatcher and SQLite, on the engine's manual clock: who reads
// and keeps it (guards and reviewers do not see it at all); deadlines by the site's country at
// receipt; the extension once and only before the month ends; no refusal or fee without its reason;
// near and overdue requests pushed to the supervisors' and the officer's queues once; the history
// append-only and every step written once; every command audited; the register printed.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, RequestOf } from '../../../shared/contract';
import { REPORTS_DIR } from '../audit/audit-trail';
import { addUser, northSouthSite, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

const DAY = 86_400_000;
let t: TestEngine;
let admin: Caller;
let guard: Caller;
let reviewer: Caller;
let supervisor: Caller;
let dpo: Caller;
const cam = { north1: 0, north2: 0, south1: 0 };

beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  Object.assign(cam, site.cam);
  guard = await addUser(t, admin, { username: 'guard.dsr', role: 'guard', groupIds: [site.north] });
  reviewer = await addUser(t, admin, { username: 'rev.dsr', role: 'reviewer', groupIds: [site.north] });
  supervisor = await addUser(t, admin, { username: 'sup.dsr', role: 'supervisor', groupIds: [site.south] });
  dpo = await addUser(t, admin, { username: 'dpo.dsr', role: 'auditor', groupIds: [] });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

type NewRequest = RequestOf<'subjects.record'>;
const record = (by: Caller, over: Partial<NewRequest> = {}) =>
  by.must('subjects.record', {
    kind: 'copy',
    receivedAtMs: t.clock.nowMs() - 3_600_000,
    channel: 'letter',
    requesterName: 'Anna Wiśniewska',
    requesterContact: 'anna@example.org',
    footage: 'Ticket office, 30 October about 10:15',
    ...over,
  });
const identity = { method: 'id_document', checkedBy: 'Front desk, Jan Kowalski' } as const;

/** Events pushed to a caller while `run` runs (and a moment after). */
async function pushedTo(callers: Caller[], run: () => Promise<unknown>): Promise<EngineEvent[][]> {
  const got = callers.map(() => [] as EngineEvent[]);
  const offs = callers.map((c, i) => t.engine.subscribe(c.connection.id, (e) => got[i]!.push(e)));
  await run();
  await new Promise((resolve) => setTimeout(resolve, 100));
  offs.forEach((off) => off());
  return got.map((events) => events.filter((e) => e.type.startsWith('subject.')));
}

describe('who reads and keeps the register', () => {
  it('the officer and supervisors record and read every request; guards and reviewers cannot even read it, nor hear of it', async () => {
    const [toDpo = [], toSupervisor = [], toReviewer = [], toGuard = []] = await pushedTo([dpo, supervisor, reviewer, guard], async () => {
      const r = await record(dpo);
      expect(r).toMatchObject({ reference: `DSR-${r.id}`, status: 'open', country: 'PL', recordedBy: 'dpo.dsr', identity: null, decision: null });
      expect(r.history.map((h) => h.action)).toEqual(['recorded']);
      expect((await supervisor.must('subjects.list', {})).requests.map((q) => q.id)).toContain(r.id);
      for (const c of [guard, reviewer]) {
        expect(await c.call('subjects.list', {})).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
        expect(await c.call('subjects.get', { requestId: r.id })).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
        expect(await c.call('subjects.record', { kind: 'erasure', receivedAtMs: t.clock.nowMs(), channel: 'email', requesterName: 'X Y', requesterContact: 'x@y.z' })).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
        expect(await c.call('subjects.export', { format: 'csv', language: 'en' })).toMatchObject({ ok: false, error: { kind: 'PermissionDenied' } });
      }
    });
    expect(toDpo.map((e) => e.type)).toEqual(['subject.recorded']);
    expect(toSupervisor.map((e) => e.type)).toEqual(['subject.recorded']);
    expect(toReviewer).toEqual([]);
    expect(toGuard).toEqual([]);
  });

  it('refuses a receipt in the future and a missing request', async () => {
    expect(await dpo.call('subjects.record', { kind: 'copy', receivedAtMs: t.clock.nowMs() + 3_600_000, channel: 'letter', requesterName: 'A B', requesterContact: 'a@b.c' })).toMatchObject({
      ok: false,
      error: { kind: 'InvalidArgument', issues: ['receivedAtMs: future'] },
    });
    expect(await dpo.call('subjects.get', { requestId: 987_654 })).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
  });
});

describe('deadlines by the site’s country at receipt', () => {
  it('PL: a calendar month on the site’s calendar (engine clock: Monday 2 November 2026)', async () => {
    const r = await record(dpo, { receivedAtMs: t.clock.nowMs() });
    // Dec 2 2026 is a Wednesday: the end of that day in Warsaw.
    expect(r.deadline).toMatchObject({ phase: 'answer', dueMs: Date.parse('2026-12-02T22:59:59.999Z'), originalDueMs: Date.parse('2026-12-02T22:59:59.999Z'), state: 'ok', extendable: true });
  });
});

describe('the extension (GDPR art. 12(3), BRN 16.4)', () => {
  it('once, with the reason the requester was told before the month ended; a second one is refused', async () => {
    const r = await record(dpo, { receivedAtMs: t.clock.nowMs() - 20 * DAY });
    const told = t.clock.nowMs() - DAY;
    const extended = await dpo.must('subjects.extend', { requestId: r.id, months: 2, reason: 'Footage of six cameras over two days must be reviewed', toldRequesterAtMs: told });
    // Oct 13 + 3 months = Jan 13 2027, a Wednesday.
    expect(extended.extension).toMatchObject({ months: 2, untilMs: Date.parse('2027-01-13T22:59:59.999Z'), toldRequesterAtMs: told, by: 'dpo.dsr' });
    expect(extended.deadline).toMatchObject({ dueMs: Date.parse('2027-01-13T22:59:59.999Z'), extendable: false });
    expect(extended.history.at(-1)).toMatchObject({ action: 'extended', note: 'Footage of six cameras over two days must be reviewed', details: { months: 2 } });
    expect(await supervisor.call('subjects.extend', { requestId: r.id, months: 1, reason: 'Still more footage to review here', toldRequesterAtMs: told })).toMatchObject({
      ok: false,
      error: { kind: 'FailedPrecondition', message: expect.stringContaining('second time') },
    });
  });

  it('refused once the month has ended, and when the requester was told after it', async () => {
    const r = await record(dpo, { receivedAtMs: t.clock.nowMs() - 40 * DAY });
    expect(r.deadline).toMatchObject({ state: 'overdue', extendable: false });
    expect(await dpo.call('subjects.extend', { requestId: r.id, months: 1, reason: 'We did not manage to look at it in time', toldRequesterAtMs: t.clock.nowMs() - 39 * DAY })).toMatchObject({
      ok: false,
      error: { kind: 'FailedPrecondition', message: expect.stringContaining('has passed') },
    });
    expect(await dpo.call('subjects.extend', { requestId: r.id, months: 1, reason: 'A reason that is long enough', toldRequesterAtMs: t.clock.nowMs() + DAY })).toMatchObject({ ok: false });
  });
});

describe('the decision (BRN 16.2, 16.5)', () => {
  it('a refusal or a fee without its reason is refused, as is granting before the identity is checked', async () => {
    const r = await record(dpo);
    const decide = (over: Partial<RequestOf<'subjects.decide'>>) => dpo.call('subjects.decide', { requestId: r.id, outcome: 'refused', ...over });
    expect(await decide({})).toMatchObject({ ok: false, error: { kind: 'InvalidArgument', issues: ['reason: required'] } });
    expect(await decide({ reason: 'no' })).toMatchObject({ ok: false, error: { kind: 'InvalidArgument', issues: ['reason: required'] } });
    expect(await decide({ outcome: 'partly', remediesTold: true })).toMatchObject({ ok: false, error: { issues: ['reason: required'] } });
    expect(await decide({ reason: 'Footage of that day was overwritten after 30 days' })).toMatchObject({ ok: false, error: { issues: ['remediesTold: required'] } });
    expect(await decide({ outcome: 'granted' })).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition', issues: ['identity: required'] } });
    await dpo.must('subjects.verifyIdentity', { requestId: r.id, ...identity });
    expect(await decide({ outcome: 'granted', feeAmountMinor: 5000 })).toMatchObject({ ok: false, error: { kind: 'InvalidArgument', issues: ['feeReason: required'] } });
    expect(await decide({ outcome: 'granted', feeAmountMinor: 5000, feeReason: 'x' })).toMatchObject({ ok: false, error: { issues: ['feeReason: required'] } });
    expect(await decide({ outcome: 'granted', feeReason: 'The fifth identical request this month' })).toMatchObject({ ok: false, error: { issues: ['feeAmountMinor: required'] } });
    expect(await decide({ reason: 'Manifestly excessive: asked weekly', remediesTold: true, feeAmountMinor: 5000, feeReason: 'The fifth identical request this month' })).toMatchObject({ ok: false, error: { issues: ['feeAmountMinor: refused'] } });
    // Nothing was written by the refused calls.
    expect((await dpo.must('subjects.get', { requestId: r.id })).history.map((h) => h.action)).toEqual(['recorded', 'identity checked']);

    const decided = await dpo.must('subjects.decide', { requestId: r.id, outcome: 'granted', feeAmountMinor: 5000, feeReason: 'The fifth identical request this month (BRN 16.5)' });
    expect(decided).toMatchObject({ status: 'decided', decision: { outcome: 'granted', fee: { amountMinor: 5000, currency: 'PLN', reason: 'The fifth identical request this month (BRN 16.5)' }, by: 'dpo.dsr' } });
    expect(await dpo.call('subjects.decide', { requestId: r.id, outcome: 'refused', reason: 'Changed our mind about it', remediesTold: true })).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition' } });
  });

  it('a refusal with its reason and the remedies told; then the answer, which ends the deadline', async () => {
    const r = await record(dpo);
    expect(await dpo.call('subjects.recordAnswer', { requestId: r.id, answeredAtMs: t.clock.nowMs(), channel: 'letter' })).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition' } });
    await dpo.must('subjects.decide', { requestId: r.id, outcome: 'refused', reason: 'Footage of that day was overwritten after 30 days', remediesTold: true });
    expect(await dpo.call('subjects.recordAnswer', { requestId: r.id, answeredAtMs: t.clock.nowMs() + DAY, channel: 'letter' })).toMatchObject({ ok: false, error: { issues: ['answeredAtMs: future'] } });
    expect(await dpo.call('subjects.recordAnswer', { requestId: r.id, answeredAtMs: t.clock.nowMs(), channel: 'letter', appointmentAtMs: t.clock.nowMs() + DAY })).toMatchObject({ ok: false, error: { issues: ['appointmentAtMs: refused'] } });
    const answered = await dpo.must('subjects.recordAnswer', { requestId: r.id, answeredAtMs: t.clock.nowMs(), channel: 'letter', note: 'Registered letter RR123' });
    expect(answered).toMatchObject({ status: 'answered', answer: { channel: 'letter', recordedBy: 'dpo.dsr' }, deadline: { state: 'done', answeredLate: false } });
    expect(answered.history.map((h) => h.action)).toEqual(['recorded', 'decided', 'answered']);
    expect(await dpo.call('subjects.verifyIdentity', { requestId: r.id, ...identity })).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition' } });
  });
});

describe('near and overdue on the queues', () => {
  it('flags an unanswered request near its deadline and past it, pushed once per change to supervisors and the officer only', async () => {
    // Received Oct 2: due Monday Nov 2, today (near). Received Sep 30: due Friday Oct 30 (overdue).
    const near = await record(dpo, { receivedAtMs: Date.parse('2026-10-02T08:00:00Z') });
    const overdue = await record(dpo, { receivedAtMs: Date.parse('2026-09-30T08:00:00Z') });
    expect(near.deadline.state).toBe('near');
    expect(overdue.deadline.state).toBe('overdue');
    const [toDpo = [], toSupervisor = [], toReviewer = []] = await pushedTo([dpo, supervisor, reviewer], async () => {
      await t.engine.subjects.sweepDeadlines();
      await t.engine.subjects.sweepDeadlines();
    });
    for (const got of [toDpo, toSupervisor]) {
      expect(got.filter((e) => e.type === 'subject.deadline' && e.requestId === near.id)).toEqual([expect.objectContaining({ state: 'near' })]);
      expect(got.filter((e) => e.type === 'subject.deadline' && e.requestId === overdue.id)).toEqual([expect.objectContaining({ state: 'overdue' })]);
    }
    expect(toReviewer).toEqual([]);
    // A day later the near one is overdue: pushed again, once. Only the sweep runs while the clock is
    // a day on (the idle lock paused: it would lock every session idle for a day), then it goes back.
    t.engine.idleLock.stop();
    const start = t.clock.nowMs();
    try {
      t.clock.advance(DAY);
      const [later = []] = await pushedTo([dpo], () => t.engine.subjects.sweepDeadlines());
      expect(later.filter((e) => e.type === 'subject.deadline' && e.requestId === near.id)).toEqual([expect.objectContaining({ state: 'overdue' })]);
      expect(later.filter((e) => e.type === 'subject.deadline' && e.requestId === overdue.id)).toEqual([]);
      expect((await t.engine.subjects.get(near.id))?.deadline.state).toBe('overdue');
    } finally {
      t.clock.set(start);
      t.engine.idleLock.start();
    }
  });
});

describe('links and viewings', () => {
  it('links the hold a request caused (once), and records who showed which cameras, when', async () => {
    const r = await record(dpo, { kind: 'viewing' });
    const hold = await supervisor.must('holds.place', {
      kind: 'data_subject',
      caseReference: `DSR-${r.id}`,
      legalBasis: 'Art. 15 GDPR',
      requestingBody: 'Data subject',
      reason: 'kept until the person has viewed it',
      reviewDateMs: t.clock.nowMs() + 30 * DAY,
      items: [{ cameraId: cam.south1, fromMs: t.clock.nowMs() - 2 * DAY, toMs: t.clock.nowMs() - 2 * DAY + 600_000 }],
    });
    // The officer sees every record (records.readAll), whatever their camera groups.
    const linked = await dpo.must('subjects.link', { requestId: r.id, holdId: hold.id });
    expect(linked.links).toEqual([expect.objectContaining({ kind: 'hold', targetId: hold.id, label: `DSR-${r.id}`, status: 'active', linkedBy: 'dpo.dsr' })]);
    expect(await dpo.call('subjects.link', { requestId: r.id, holdId: hold.id })).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition' } });
    expect(await dpo.call('subjects.link', { requestId: r.id, holdId: 987_654 })).toMatchObject({ ok: false, error: { kind: 'NotFound' } });

    const viewing = { requestId: r.id, cameraIds: [cam.south1, cam.north1], fromMs: t.clock.nowMs() - 2 * DAY, toMs: t.clock.nowMs() - 2 * DAY + 600_000, shownBy: 'Jan Kowalski, IT', shownAtMs: t.clock.nowMs() - 60_000 };
    expect(await dpo.call('subjects.recordViewing', viewing)).toMatchObject({ ok: false, error: { kind: 'FailedPrecondition' } });
    await dpo.must('subjects.verifyIdentity', { requestId: r.id, ...identity });
    await dpo.must('subjects.decide', { requestId: r.id, outcome: 'granted' });
    expect(await dpo.call('subjects.recordViewing', { ...viewing, toMs: viewing.fromMs })).toMatchObject({ ok: false, error: { issues: ['toMs: beforeFrom'] } });
    expect(await dpo.call('subjects.recordViewing', { ...viewing, cameraIds: [987_654] })).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
    const shown = await dpo.must('subjects.recordViewing', { ...viewing, note: 'Other people blurred on the screen' });
    expect(shown.viewings).toEqual([
      expect.objectContaining({ cameras: [{ cameraId: cam.north1, cameraName: 'North 1' }, { cameraId: cam.south1, cameraName: 'South 1' }], shownBy: 'Jan Kowalski, IT', recordedBy: 'dpo.dsr' }),
    ]);
    expect(shown.history.map((h) => h.action)).toEqual(['recorded', 'linked', 'identity checked', 'decided', 'viewing']);
  });
});

describe('a record', () => {
  it('history, links and viewings are append-only; a request is never deleted; each step is written once; the status only moves forward', async () => {
    const db = t.engine.store.db;
    const r = await record(dpo);
    await dpo.must('subjects.verifyIdentity', { requestId: r.id, ...identity });
    await dpo.must('subjects.decide', { requestId: r.id, outcome: 'granted', reason: 'Copy to be produced' });
    await expect(sql`UPDATE subject_request_events SET note = 'x' WHERE request_id = ${r.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM subject_request_events WHERE request_id = ${r.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM subject_request_links`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM subject_request_viewings`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM subject_requests WHERE id = ${r.id}`.execute(db)).rejects.toThrow(/never deleted/);
    await expect(sql`UPDATE subject_requests SET decision = 'refused' WHERE id = ${r.id}`.execute(db)).rejects.toThrow(/written once/);
    await expect(sql`UPDATE subject_requests SET received_at_ms = 0 WHERE id = ${r.id}`.execute(db)).rejects.toThrow(/written once/);
    await expect(sql`UPDATE subject_requests SET identity_checked_by = 'someone else' WHERE id = ${r.id}`.execute(db)).rejects.toThrow(/written once/);
    await expect(sql`UPDATE subject_requests SET status = 'open' WHERE id = ${r.id}`.execute(db)).rejects.toThrow(/written once/);
  });

  it('every command is audited, with the request as its target', async () => {
    const r = await record(supervisor);
    await supervisor.must('subjects.get', { requestId: r.id });
    const rows = await t.engine.store.db.selectFrom('audit_log').select(['action', 'target', 'actor', 'outcome']).where('actor', '=', 'sup.dsr').where('action', 'like', 'subjects.%').execute();
    expect(rows).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'subjects.record', target: 'subject-requests', outcome: 'allowed' }), expect.objectContaining({ action: 'subjects.get', target: `subject-request#${r.id}` })]));
    const denied = await t.engine.store.db.selectFrom('audit_log').select(['action', 'outcome']).where('actor', '=', 'rev.dsr').where('action', 'like', 'subjects.%').execute();
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((d) => d.outcome === 'denied')).toBe(true);
  });

  it('is printed as CSV and PDF, one row per request, history after the table', async () => {
    const all = (await dpo.must('subjects.list', {})).requests;
    const csv = await dpo.must('subjects.export', { format: 'csv', language: 'pl', separator: ';' });
    expect(csv.rows).toBe(all.length);
    const text = fs.readFileSync(path.join(t.dataDir, REPORTS_DIR, csv.fileName), 'utf8');
    expect(text.startsWith('\ufeffNr;Żądanie;Wpłynęło')).toBe(true);
    expect(text).toContain('Rejestr żądań osób, których dane dotyczą');
    expect(text).toContain('PO TERMINIE');
    expect(text).toContain('sprawdzono tożsamość');
    // The contact is read on screen only.
    expect(text).not.toContain('anna@example.org');
    const pdf = await dpo.must('subjects.export', { format: 'pdf', language: 'en' });
    expect(fs.readFileSync(path.join(t.dataDir, REPORTS_DIR, pdf.fileName)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('Lithuania (JON 20)', () => {
  it('a request received at a Lithuanian site: 5 working days to decide, then the next working day; no extension', async () => {
    await admin.must('site.setCountry', { country: 'LT' });
    try {
      // Received on Sunday Nov 1 (All Saints' Day); Monday Nov 2 is All Souls' Day in Lithuania: Nov 3, 4, 5, 6, 9.
      const r = await record(dpo, { receivedAtMs: t.clock.nowMs() - DAY });
      expect(r.country).toBe('LT');
      expect(r.deadline).toMatchObject({ phase: 'decision', dueMs: Date.parse('2026-11-09T21:59:59.999Z'), extendable: false });
      expect(await dpo.call('subjects.extend', { requestId: r.id, months: 1, reason: 'Much footage to review', toldRequesterAtMs: t.clock.nowMs() })).toMatchObject({
        ok: false,
        error: { kind: 'FailedPrecondition', message: expect.stringContaining('JON 20') },
      });
      await dpo.must('subjects.verifyIdentity', { requestId: r.id, ...identity });
      const decided = await dpo.must('subjects.decide', { requestId: r.id, outcome: 'granted', feeAmountMinor: 1000, feeReason: 'Repeated request, the third this month' });
      // Decided on Monday Nov 2, a Lithuanian holiday: tell by the next working day, Tuesday Nov 3.
      expect(decided.deadline).toMatchObject({ phase: 'answer', dueMs: Date.parse('2026-11-03T21:59:59.999Z'), decidedLate: false });
      expect(decided.decision?.fee).toMatchObject({ currency: 'EUR' });
    } finally {
      await admin.must('site.setCountry', { country: 'PL' });
    }
    // A request keeps the country it was received under.
    const earlier = (await dpo.must('subjects.list', {})).requests.filter((q) => q.country === 'PL');
    expect(earlier.length).toBeGreaterThan(0);
  });
});
