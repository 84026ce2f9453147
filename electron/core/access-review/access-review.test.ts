// The periodic access review (docs/design/access-review.md; BRN art. 34(1)(ii), JON 15.3) through the
// real engine, dispatcher and SQLite, users made through the engine's commands, time on a manual
// clock: a campaign lists every active account's role and camera groups with their last uses from
// the audit log; a right unused for the whole period is flagged, a used one is not; the reviewer's
// revoke takes the right away at once (the account no longer sees that group's cameras); nobody
// decides on their own access; decisions are written once and the database refuses to change them;
// a review N months after the last one opens itself, and one left open 30 days raises an alarm to
// supervisors and the auditor that clears itself once the review closes.
import { sql } from 'kysely';
import { dropTrigger, refuseChange } from '../store/dialect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_REVIEW_OPEN_MAX_DAYS, addMonthsMs, type CampaignView, type ReviewLineView } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { addUser, northSouthSite, recordFootage, setUpAdmin, signInReady, startTestEngine, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';

const DAY = 86_400_000;
/** The password addUser's users have after their first sign-in (harness signInReady). */
const RENEWED = `${TEST_PASSWORD}-Renewed`;
const REASON = 'checked with the head of the monitoring room';

const lineOf = (c: CampaignView, username: string, group: string | null): ReviewLineView => {
  const l = c.lineViews.find((x) => x.username === username && (group === null ? x.kind === 'role' : x.groupName === group));
  if (!l) throw new Error(`no line for ${username} ${group ?? 'role'}`);
  return l;
};
const errorKind = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.kind);

/** Password expiry off: these tests move the clock by months and sign in again after. */
async function noPasswordExpiry(admin: Caller) {
  const s = await admin.must('settings.getSecurity', {});
  await admin.must('settings.updateSecurity', { ...s, passwordMaxAgeDays: 0 });
}

describe('months between reviews', () => {
  it('are calendar months, the day clamped to the month’s end (31 August + 6 = 28 February)', () => {
    expect(new Date(addMonthsMs(Date.UTC(2026, 7, 31, 9), 6)).toISOString()).toBe('2027-02-28T09:00:00.000Z');
    expect(new Date(addMonthsMs(Date.UTC(2027, 7, 31, 9), 6)).toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(new Date(addMonthsMs(Date.UTC(2026, 2, 31), -1)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addMonthsMs(Date.UTC(2026, 0, 15), 12)).toBe(Date.UTC(2027, 0, 15));
  });
});

describe('a review campaign', () => {
  let t: TestEngine;
  let admin: Caller;
  let guardUsed: Caller;
  let guardIdle: Caller;
  let reviewer: Caller;
  let dpo: Caller;
  let supervisor: Caller;
  let cam = { north1: 0, north2: 0, south1: 0 };
  let campaign: CampaignView;
  const T0 = { live: 0, playback: 0, export: 0 };

  beforeAll(async () => {
    t = await startTestEngine();
    admin = await setUpAdmin(t);
    await noPasswordExpiry(admin);
    const site = await northSouthSite(admin);
    cam = site.cam;
    guardUsed = await addUser(t, admin, { username: 'guard.used', role: 'guard', groupIds: [site.north] });
    guardIdle = await addUser(t, admin, { username: 'guard.idle', role: 'guard', groupIds: [site.north, site.south] });
    reviewer = await addUser(t, admin, { username: 'rev.south', role: 'reviewer', groupIds: [site.south] });
    dpo = await addUser(t, admin, { username: 'dpo.ana', role: 'auditor', groupIds: [] });
    supervisor = await addUser(t, admin, { username: 'sup.eva', role: 'supervisor', groupIds: [site.south] });

    // Uses the audit log records: a live view, a playback with its reason, an export request.
    t.clock.advance(60_000);
    T0.live = t.clock.nowMs();
    await guardUsed.must('live.open', { cameraId: cam.north1, stream: 'main' });
    const from = await recordFootage(t, [cam.south1], 2);
    t.clock.advance(60_000);
    T0.playback = t.clock.nowMs();
    await reviewer.must('playback.open', { cameraIds: [cam.south1], fromMs: from, toMs: from + 1000, reason: { category: 'incident_investigation', text: 'a bag left on the platform' } });
    t.clock.advance(60_000);
    T0.export = t.clock.nowMs();
    await reviewer.must('exports.create', {
      bodyType: 'police', bodyName: 'City Police', bodyReference: 'KMP-7/26', receivedAtMs: T0.export, purpose: 'the bag left on the platform', legalBasis: 'Art. 217 KPK',
      urgent: false, recipient: 'Officer on duty', incidentId: null, items: [{ cameraId: cam.south1, fromMs: from, toMs: from + 1000 }],
    });
    t.clock.advance(60_000);
    campaign = await dpo.must('access.reviewOpen', {});
  }, 90_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('lists every active account’s role and camera groups with the last uses the audit log holds', async () => {
    expect(campaign).toMatchObject({ reference: `AR-${campaign.id}`, status: 'open', trigger: 'manual', openedBy: 'dpo.ana', months: 6 });
    expect(campaign.periodFromMs).toBe(addMonthsMs(campaign.openedAtMs, -6));
    const names = [...new Set(campaign.lineViews.map((l) => l.username))].sort();
    expect(names).toEqual(expect.arrayContaining(['admin.anna', 'dpo.ana', 'guard.idle', 'guard.used', 'rev.south', 'sup.eva']));
    const active = (await admin.must('users.list', { includeInactive: false })).users.map((u) => u.username).sort();
    expect(names).toEqual(active);
    // One role line per account, one line per camera group it belongs to.
    expect(campaign.lineViews.filter((l) => l.username === 'guard.idle').map((l) => l.groupName ?? l.kind)).toEqual(['role', 'North', 'South']);
    expect(lineOf(campaign, 'guard.used', 'North')).toMatchObject({ lastLiveMs: T0.live, lastPlaybackMs: null, lastExportMs: null, unused: false });
    expect(lineOf(campaign, 'rev.south', 'South')).toMatchObject({ lastLiveMs: null, lastPlaybackMs: T0.playback, lastExportMs: T0.export, unused: false });
    // Every account signed in during the period: no role line is flagged.
    expect(campaign.lineViews.filter((l) => l.kind === 'role' && l.unused)).toEqual([]);
    expect(lineOf(campaign, 'guard.used', null).lastSignInMs).not.toBeNull();
  });

  it('flags a camera group unused for the whole period, and not a used one', () => {
    expect(lineOf(campaign, 'guard.idle', 'North')).toMatchObject({ unused: true, lastLiveMs: null, lastPlaybackMs: null, lastExportMs: null });
    expect(lineOf(campaign, 'guard.idle', 'South').unused).toBe(true);
    // A supervisor in South who never looked at it.
    expect(lineOf(campaign, 'sup.eva', 'South').unused).toBe(true);
    expect(lineOf(campaign, 'guard.used', 'North').unused).toBe(false);
    expect(campaign.unused).toBe(3);
  });

  it('a revoke on the reviewer’s word takes the group away at once: the guard no longer sees its cameras', async () => {
    const before = (await guardIdle.must('cameras.list', {})).cameras.map((c) => c.id);
    expect(before).toContain(cam.north1);
    const line = lineOf(campaign, 'guard.idle', 'North');
    const after = await dpo.must('access.reviewRevoke', { campaignId: campaign.id, lineId: line.id, reason: 'works on the south platform only since March' });
    expect(lineOf(after, 'guard.idle', 'North').decision).toMatchObject({ decision: 'revoked', effect: 'group_removed', by: 'dpo.ana', reason: 'works on the south platform only since March' });
    const visible = (await guardIdle.must('cameras.list', {})).cameras.map((c) => c.id);
    expect(visible).not.toContain(cam.north1);
    expect(visible).toContain(cam.south1);
    expect(errorKind(await guardIdle.call('live.open', { cameraId: cam.north1, stream: 'main' }))).toBe('NotFound');
    // The decision is in the audit log with its reason.
    const trail = await dpo.must('audit.query', { filter: { action: 'access.reviewRevoke' }, limit: 5 });
    expect(trail.entries.map((e) => [e.actor, e.outcome, e.target, e.reason])).toContainEqual(['dpo.ana', 'allowed', `access-review#${campaign.id}`, 'works on the south platform only since March']);
  });

  it('nobody decides on their own access, and a line is decided once', async () => {
    const own = await dpo.call('access.reviewConfirm', { campaignId: campaign.id, lineIds: [lineOf(campaign, 'dpo.ana', null).id], reason: REASON });
    expect(errorKind(own)).toBe('PermissionDenied');
    const view = await dpo.must('access.reviewGet', { campaignId: campaign.id });
    expect(lineOf(view, 'dpo.ana', null).canDecide).toBe(false);
    expect(lineOf(view, 'sup.eva', null).canDecide).toBe(true);
    const again = await supervisor.call('access.reviewConfirm', { campaignId: campaign.id, lineIds: [lineOf(campaign, 'guard.idle', 'North').id], reason: REASON });
    expect(errorKind(again)).toBe('FailedPrecondition');
    // A line of another campaign, a reason too short, a role without the permission.
    expect(errorKind(await dpo.call('access.reviewConfirm', { campaignId: campaign.id, lineIds: [999_999], reason: REASON }))).toBe('NotFound');
    expect(errorKind(await dpo.call('access.reviewConfirm', { campaignId: campaign.id, lineIds: [lineOf(campaign, 'guard.used', 'North').id], reason: 'ok' }))).toBe('InvalidArgument');
    expect(errorKind(await reviewer.call('access.reviewGet', { campaignId: campaign.id }))).toBe('PermissionDenied');
    expect(errorKind(await admin.call('access.reviewOpen', {}))).toBe('PermissionDenied');
    // One campaign at a time.
    expect(errorKind(await supervisor.call('access.reviewOpen', {}))).toBe('FailedPrecondition');
  });

  it('revoking the role line deactivates the account, ends its sessions and takes its other groups with it', async () => {
    const line = lineOf(campaign, 'guard.idle', null);
    const after = await supervisor.must('access.reviewRevoke', { campaignId: campaign.id, lineId: line.id, reason: 'left the municipal guard at the end of May' });
    expect(lineOf(after, 'guard.idle', null).decision).toMatchObject({ decision: 'revoked', effect: 'account_deactivated', by: 'sup.eva' });
    expect(lineOf(after, 'guard.idle', 'South').decision).toMatchObject({ decision: 'revoked', effect: 'with_account', reason: 'left the municipal guard at the end of May' });
    expect(errorKind(await guardIdle.call('cameras.list', {}))).toBe('Unauthenticated');
    expect(errorKind(await guardIdle.call('auth.signIn', { username: 'guard.idle', password: RENEWED }))).toBe('Unauthenticated');
    const user = (await admin.must('users.list', { includeInactive: true })).users.find((u) => u.username === 'guard.idle');
    expect(user).toMatchObject({ active: false, groupIds: [] });
  });

  it('decisions and lines are append-only: the database refuses to change or delete them', async () => {
    const db = t.engine.store.db;
    const refused = (statement: ReturnType<typeof sql>) => expect(statement.execute(db)).rejects;
    await refused(sql`UPDATE access_review_decisions SET decision = 'confirmed'`).toThrow(/append-only/);
    await refused(sql`DELETE FROM access_review_decisions`).toThrow(/append-only/);
    await refused(sql`UPDATE access_review_lines SET unused = 0`).toThrow(/append-only/);
    await refused(sql`DELETE FROM access_review_lines`).toThrow(/append-only/);
    await refused(sql`DELETE FROM access_review_campaigns`).toThrow(/never deleted/);
    // A second decision for a line is refused by the database itself, whatever the engine does.
    const decided = await db.selectFrom('access_review_decisions').select(['line_id', 'campaign_id']).limit(1).executeTakeFirstOrThrow();
    await refused(
      sql`INSERT INTO access_review_decisions (line_id, campaign_id, decision, effect, actor, at_ms, reason) VALUES (${decided.line_id}, ${decided.campaign_id}, 'confirmed', 'none', 'x', 0, 'x')`,
    ).toThrow(/unique/i);
  });

  it('closes when every line is decided; a closed campaign is a record and prints', async () => {
    let view = await dpo.must('access.reviewGet', { campaignId: campaign.id });
    const mine = view.lineViews.filter((l) => l.decision === null && l.userId !== view.lineViews.find((x) => x.username === 'dpo.ana')!.userId);
    view = await dpo.must('access.reviewConfirm', { campaignId: campaign.id, lineIds: mine.map((l) => l.id), reason: REASON });
    expect(view.status).toBe('open');
    view = await supervisor.must('access.reviewConfirm', { campaignId: campaign.id, lineIds: [lineOf(view, 'dpo.ana', null).id], reason: 'the data protection officer of the site' });
    expect(view).toMatchObject({ status: 'closed', closedBy: 'sup.eva', decided: view.lines });
    expect(errorKind(await dpo.call('access.reviewRevoke', { campaignId: campaign.id, lineId: lineOf(view, 'guard.used', 'North').id, reason: REASON }))).toBe('FailedPrecondition');
    await expect(sql`UPDATE access_review_campaigns SET status = 'open'`.execute(t.engine.store.db)).rejects.toThrow(/record/);
    const closing = await dpo.must('audit.query', { filter: { action: 'access.reviewClosed' }, limit: 5 });
    expect(closing.entries.map((e) => [e.actor, e.target])).toEqual([['sup.eva', `access-review#${campaign.id}`]]);
    // The next review is due six months after this one closed.
    const list = await dpo.must('access.reviewList', {});
    expect(list.schedule).toMatchObject({ openCampaignId: null, overdue: null, dueAtMs: addMonthsMs(view.closedAtMs!, 6) });
    const csv = await dpo.must('access.reviewExport', { campaignId: campaign.id, format: 'csv', language: 'cs', separator: ';' });
    expect(csv).toMatchObject({ rows: view.lines });
    const text = await (await fetch(csv.downloadUrl)).text();
    expect(text).toContain('Skupina kamer North');
    expect(text).toContain('Odebráno (skupina odebrána)');
    expect(text).toContain(`Přezkum přístupových oprávnění AR-${campaign.id}`);
    const pdf = await dpo.must('access.reviewExport', { campaignId: campaign.id, format: 'pdf', language: 'pl' });
    expect(Buffer.from(await (await fetch(pdf.downloadUrl)).arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('the schedule (BRN art. 34(1)(ii): periodic)', () => {
  let t: TestEngine;
  let admin: Caller;
  const startMs = { value: 0 };

  beforeAll(async () => {
    t = await startTestEngine();
    startMs.value = t.clock.nowMs();
    admin = await setUpAdmin(t);
    await noPasswordExpiry(admin);
    const site = await northSouthSite(admin);
    const guard = await addUser(t, admin, { username: 'guard.old', role: 'guard', groupIds: [site.north] });
    await guard.must('live.open', { cameraId: site.cam.north1, stream: 'main' });
    await addUser(t, admin, { username: 'sup.eva', role: 'supervisor', groupIds: [] });
    await addUser(t, admin, { username: 'dpo.ana', role: 'auditor', groupIds: [] });
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  /** A fresh session after the clock moved (the ones before are idle-locked). */
  const again = (username: string) => signInReady(t, username, RENEWED);
  const overdueAlarms = async (c: Caller) => (await c.must('alarms.list', { openOnly: true })).alarms.filter((a) => a.kind === 'access.review_overdue');

  it('opens a campaign itself N months after the engine started, flagging a use older than the period', async () => {
    const dueAtMs = addMonthsMs(startMs.value, 6);
    t.clock.set(dueAtMs - 60_000);
    await t.engine.accessReviewSchedule.check();
    const dpo = await again('dpo.ana');
    let list = await dpo.must('access.reviewList', {});
    expect(list.schedule).toMatchObject({ dueAtMs, openCampaignId: null, overdue: null, months: 6 });
    expect(list.campaigns).toEqual([]);

    // The engine was off over the due date: it opens the review at its next check, two days late.
    t.clock.set(dueAtMs + 2 * DAY);
    await t.engine.accessReviewSchedule.check();
    const dpoLater = await again('dpo.ana');
    list = await dpoLater.must('access.reviewList', {});
    expect(list.campaigns).toHaveLength(1);
    expect(list.campaigns[0]).toMatchObject({ status: 'open', trigger: 'due', openedBy: 'system', openedAtMs: dueAtMs + 2 * DAY });
    expect(list.schedule).toMatchObject({ openCampaignId: list.campaigns[0]!.id, dueAtMs: null, overdue: null });
    const c = await dpoLater.must('access.reviewGet', { campaignId: list.campaigns[0]!.id });
    // The guard watched North once, at the start: shown, but older than the period, so flagged.
    const north = lineOf(c, 'guard.old', 'North');
    expect(north.lastLiveMs).not.toBeNull();
    expect(north.lastLiveMs!).toBeLessThan(c.periodFromMs);
    expect(north.unused).toBe(true);
    // Only the auditor signed in during the six months (a minute before the due date): every other role line is flagged.
    expect(c.lineViews.filter((l) => l.kind === 'role' && !l.unused).map((l) => l.username)).toEqual(['dpo.ana']);
    expect(lineOf(c, 'guard.old', null)).toMatchObject({ unused: true, lastSignInMs: startMs.value });
    const opened = await dpoLater.must('audit.query', { filter: { action: 'access.reviewOpened' }, limit: 5 });
    expect(opened.entries.map((e) => e.actor)).toEqual(['system']);
    // Not overdue yet: no alarm.
    expect(await overdueAlarms(dpoLater)).toEqual([]);
  });

  it('a campaign open 30 days raises one alarm to supervisors and the auditor; it clears once the campaign closes', async () => {
    const list = await (await again('dpo.ana')).must('access.reviewList', {});
    const openedAtMs = list.campaigns[0]!.openedAtMs;
    t.clock.set(openedAtMs + ACCESS_REVIEW_OPEN_MAX_DAYS * DAY - 60_000);
    await t.engine.accessReviewSchedule.check();
    expect(await overdueAlarms(await again('sup.eva'))).toEqual([]);

    t.clock.set(openedAtMs + ACCESS_REVIEW_OPEN_MAX_DAYS * DAY);
    await t.engine.accessReviewSchedule.check();
    await t.engine.accessReviewSchedule.check();
    const dpo = await again('dpo.ana');
    const sup = await again('sup.eva');
    for (const c of [dpo, sup]) {
      const alarms = await overdueAlarms(c);
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatchObject({ severity: 'warning', params: { reason: 'open_too_long', reference: list.campaigns[0]!.reference, days: 30 }, canAcknowledge: true });
    }
    // Guards and administrators do not see it.
    expect(await overdueAlarms(await again('guard.old'))).toEqual([]);
    expect(await overdueAlarms(await signInReady(t, 'admin.anna', 'Vistula-Lantern-48'))).toEqual([]);
    const reviewList = await dpo.must('access.reviewList', {});
    expect(reviewList.schedule.overdue).toBe('open_too_long');

    // Every line decided: the campaign closes and the alarm clears itself.
    const c = await dpo.must('access.reviewGet', { campaignId: list.campaigns[0]!.id });
    await dpo.must('access.reviewConfirm', { campaignId: c.id, lineIds: c.lineViews.filter((l) => l.canDecide).map((l) => l.id), reason: REASON });
    const closed = await sup.must('access.reviewConfirm', { campaignId: c.id, lineIds: [lineOf(c, 'dpo.ana', null).id], reason: REASON });
    expect(closed.status).toBe('closed');
    expect(await overdueAlarms(dpo)).toEqual([]);
    const all = (await dpo.must('alarms.list', { openOnly: false })).alarms.filter((a) => a.kind === 'access.review_overdue');
    expect(all).toHaveLength(1);
    expect(all[0]!.clearedAtMs).not.toBeNull();
  });

  it('follows accessReviewMonths: the next review is due that many months after the last one closed', async () => {
    const a = await signInReady(t, 'admin.anna', 'Vistula-Lantern-48');
    const s = await a.must('settings.getSecurity', {});
    expect(s.accessReviewMonths).toBe(6);
    expect(errorKind(await a.call('settings.updateSecurity', { ...s, accessReviewMonths: 0 }))).toBe('InvalidArgument');
    await a.must('settings.updateSecurity', { ...s, accessReviewMonths: 3 });
    const dpo = await again('dpo.ana');
    const { schedule, campaigns } = await dpo.must('access.reviewList', {});
    expect(schedule).toMatchObject({ months: 3, dueAtMs: addMonthsMs(campaigns[0]!.closedAtMs!, 3) });
  });

  it('a review due that the engine cannot open raises the alarm at once; it clears once one opens', async () => {
    const dueAtMs = (await (await again('dpo.ana')).must('access.reviewList', {})).schedule.dueAtMs!;
    // The database refuses new campaigns for a while (a full disk, a damaged file).
    const db = t.engine.store.db;
    await refuseChange(db, { name: 'test_refuse_campaigns', table: 'access_review_campaigns', event: 'INSERT', message: 'refused by the test' });
    try {
      t.clock.set(dueAtMs + DAY);
      await t.engine.accessReviewSchedule.check();
      const sup = await again('sup.eva');
      const alarms = await overdueAlarms(sup);
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.params).toMatchObject({ reason: 'not_opened', dueAtMs, months: 3 });
      expect((await sup.must('access.reviewList', {})).schedule).toMatchObject({ overdue: 'not_opened', openCampaignId: null });
    } finally {
      await dropTrigger(db, 'test_refuse_campaigns', 'access_review_campaigns');
    }
    await t.engine.accessReviewSchedule.check();
    const dpo = await again('dpo.ana');
    expect((await dpo.must('access.reviewList', {})).schedule).toMatchObject({ overdue: null });
    expect(await overdueAlarms(dpo)).toEqual([]);
  });
});
