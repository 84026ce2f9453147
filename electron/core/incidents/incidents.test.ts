// Incidents (docs/design/playback.md "Incidents") through the real engine and dispatcher: a live mark keeps the
// key-press time; who sees which incident follows camera visibility; notes and history are
// append-only; close and reopen carry a reason into history and the audit log; viewing without a
// link to an incident or hold is counted per user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_MARK_MAX_AGE_MS, LIVE_MARK_MAX_SKEW_MS, type IncidentView } from '../../../shared/contract';
import { DEFAULT_INCIDENT_CATEGORIES } from '../store/migrations';
import { addUser, northSouthSite, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

let t: TestEngine;
let admin: Caller;
let guard: Caller;
let reviewer: Caller;
let southReviewer: Caller;
let supervisor: Caller;
let auditor: Caller;
/** North 1, North 2 (group North), South 1 (group South). */
const cam = { north1: 0, north2: 0, south1: 0 };


beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  const north = { id: site.north };
  const south = { id: site.south };
  Object.assign(cam, site.cam);
  guard = await addUser(t, admin, { username: 'guard.inc', role: 'guard', groupIds: [north.id] });
  reviewer = await addUser(t, admin, { username: 'rev.inc', role: 'reviewer', groupIds: [north.id] });
  southReviewer = await addUser(t, admin, { username: 'rev.south', role: 'reviewer', groupIds: [south.id] });
  supervisor = await addUser(t, admin, { username: 'sup.inc', role: 'supervisor', groupIds: [north.id, south.id] });
  auditor = await addUser(t, admin, { username: 'aud.inc', role: 'auditor', groupIds: [] });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

const minute = 60_000;

/** A legal hold on one camera from 10 minutes ago to `toAgoMs` ago, reviewed in 30 days. */
function placeHold(by: Caller, h: { caseReference: string; requestingBody: string; reason: string; cameraId: number; toAgoMs: number }) {
  const now = t.clock.nowMs();
  return by.must('holds.place', {
    kind: 'legal',
    caseReference: h.caseReference,
    legalBasis: 'Art. 217 KPK',
    requestingBody: h.requestingBody,
    reason: h.reason,
    reviewDateMs: now + 30 * 86_400_000,
    items: [{ cameraId: h.cameraId, fromMs: now - 10 * minute, toMs: now - h.toAgoMs }],
  });
}

describe('live marks', () => {
  it('keep the key-press time, not the save time', async () => {
    const pressedAt = t.clock.nowMs();
    t.clock.advance(40_000); // the guard fills the form
    const inc = await guard.must('incidents.mark', { cameraId: cam.north1, atMs: pressedAt, category: 'theft', note: 'Man took a bag from the bench' });
    expect(inc.startMs).toBe(pressedAt);
    expect(inc.createdAtMs).toBe(pressedAt + 40_000);
    expect(inc.endMs).toBeNull();
    expect(inc.source).toBe('live');
    expect(inc.status).toBe('open');
    expect(inc.number).toBe(`INC-${inc.id}`);
    expect(inc.title).toBe('Theft: North 1');
    expect(inc.createdBy).toBe('guard.inc');
    expect(inc.noteHistory).toEqual([{ atMs: pressedAt + 40_000, actor: 'guard.inc', text: 'Man took a bag from the bench' }]);
    expect(inc.history.map((h) => h.action)).toEqual(['marked']);
    // An empty note is no note.
    const bare = await guard.must('incidents.mark', { cameraId: cam.north1, atMs: t.clock.nowMs(), category: 'medical', note: '  ' });
    expect(bare.noteHistory).toEqual([]);
    expect(bare.notes).toBe(0);
  });

  it('refuse a time in the future (beyond the skew) or older than the window', async () => {
    const now = t.clock.nowMs();
    const mark = (atMs: number) => guard.call('incidents.mark', { cameraId: cam.north1, atMs, category: 'theft', note: '' });
    const future = await mark(now + LIVE_MARK_MAX_SKEW_MS + 1);
    expect(future.ok === false && future.error).toMatchObject({ kind: 'InvalidArgument', issues: ['atMs: future'] });
    expect(future.ok === false && future.error.message).toMatch(/future/);
    const old = await mark(now - LIVE_MARK_MAX_AGE_MS - 1);
    expect(old.ok === false && old.error).toMatchObject({ kind: 'InvalidArgument', issues: ['atMs: tooOld'] });
    expect(old.ok === false && old.error.message).toMatch(/15 minutes/);
    // The edges are allowed.
    expect((await mark(now + LIVE_MARK_MAX_SKEW_MS)).ok).toBe(true);
    expect((await mark(now - LIVE_MARK_MAX_AGE_MS)).ok).toBe(true);
  });

  it("a guard marks on a visible camera only (another group's camera is like a missing one), and cannot list", async () => {
    const other = await guard.call('incidents.mark', { cameraId: cam.south1, atMs: t.clock.nowMs(), category: 'theft', note: '' });
    const missing = await guard.call('incidents.mark', { cameraId: 99_999, atMs: t.clock.nowMs(), category: 'theft', note: '' });
    expect(other.ok === false && other.error.kind).toBe('NotFound');
    expect(missing.ok === false && missing.error.kind).toBe('NotFound');
    expect(other.ok === false && other.error.message.replace(String(cam.south1), 'N')).toBe(missing.ok === false && missing.error.message.replace('99999', 'N'));
    const list = await guard.call('incidents.list', { limit: 10 });
    expect(list.ok === false && list.error.kind).toBe('PermissionDenied');
    const get = await guard.call('incidents.get', { incidentId: 1 });
    expect(get.ok === false && get.error.kind).toBe('PermissionDenied');
  });

  it('refuse an unknown or retired category', async () => {
    const r = await guard.call('incidents.mark', { cameraId: cam.north1, atMs: t.clock.nowMs(), category: 'no-such-thing', note: '' });
    expect(r.ok === false && r.error).toMatchObject({ kind: 'InvalidArgument', issues: ['category: unknown'] });
  });
});

describe('the incident list', () => {
  const made: Record<string, IncidentView> = {};
  /** The time unit of these fixtures: 30 of them span 10 minutes. */
  const u = 20_000;
  let base = 0;
  beforeAll(async () => {
    // Ranges in the last 12 minutes (no clock jump: that would lock every session). The marks of
    // the tests above lie at now - 15 min or from now on, outside every list below.
    base = t.clock.nowMs() - 12 * minute;
    made.a = await reviewer.must('incidents.create', { cameraIds: [cam.north1], fromMs: base, toMs: base + 2 * u, category: 'vandalism', title: 'Graffiti on the wall', note: '' });
    made.b = await reviewer.must('incidents.create', { cameraIds: [cam.north1, cam.north2], fromMs: base + 10 * u, toMs: base + 12 * u, category: 'violence', title: 'Fight at the gate', note: 'Two men' });
    made.c = await supervisor.must('incidents.create', { cameraIds: [cam.north2, cam.south1], fromMs: base + 20 * u, toMs: base + 21 * u, category: 'vandalism', title: 'Broken window', note: '' });
    made.d = await supervisor.must('incidents.create', { cameraIds: [cam.south1], fromMs: base + 5 * u, toMs: base + 6 * u, category: 'traffic', title: 'Car on the platform', note: '' });
    made.e = await guard.must('incidents.mark', { cameraId: cam.north2, atMs: base + 29 * u, category: 'fire_smoke', note: '' });
  });
  const ids = (r: { incidents: { id: number }[] }) => r.incidents.map((i) => i.id);
  const window = () => ({ fromMs: base, toMs: base + 30 * u });

  it('shows a reviewer only incidents with a camera they can see, newest first', async () => {
    const all = await reviewer.must('incidents.list', { ...window(), limit: 100 });
    expect(ids(all)).toEqual([made.e!.id, made.c!.id, made.b!.id, made.a!.id]);
    // Of an incident also on another group's camera, only the visible camera is named.
    expect(all.incidents.find((i) => i.id === made.c!.id)!.cameras).toEqual([{ cameraId: cam.north2, cameraName: 'North 2' }]);
    const hidden = await reviewer.call('incidents.get', { incidentId: made.d!.id });
    const missing = await reviewer.call('incidents.get', { incidentId: 99_999 });
    expect(hidden.ok === false && hidden.error).toEqual(missing.ok === false && missing.error);
    expect(hidden.ok === false && hidden.error.kind).toBe('NotFound');
    // Supervisors and auditors see all.
    expect(ids(await supervisor.must('incidents.list', { ...window(), limit: 100 }))).toEqual([made.e!.id, made.d!.id, made.c!.id, made.b!.id, made.a!.id]);
    expect(ids(await auditor.must('incidents.list', { ...window(), limit: 100 }))).toHaveLength(5);
    expect((await auditor.must('incidents.get', { incidentId: made.d!.id })).cameras).toEqual([{ cameraId: cam.south1, cameraName: 'South 1' }]);
    // Administrators see no incidents (separation of duties).
    const byAdmin = await admin.call('incidents.list', { limit: 10 });
    expect(byAdmin.ok === false && byAdmin.error.kind).toBe('PermissionDenied');
  });

  it('filters by time (overlap; a live mark is a moment), camera, category, status and author', async () => {
    const f = (extra: object) => supervisor.must('incidents.list', { ...window(), limit: 100, ...extra });
    expect(ids(await f({ fromMs: base + u, toMs: base + 10 * u }))).toEqual([made.d!.id, made.b!.id, made.a!.id]);
    expect(ids(await f({ fromMs: base + 28 * u, toMs: base + 29 * u }))).toEqual([made.e!.id]);
    expect(ids(await f({ fromMs: base + 29 * u + 1 }))).toEqual([]);
    expect(ids(await f({ fromMs: base + 12 * u, toMs: base + 12 * u }))).toEqual([made.b!.id]);
    expect(ids(await f({ cameraIds: [cam.south1] }))).toEqual([made.d!.id, made.c!.id]);
    expect(ids(await f({ cameraIds: [cam.north1, cam.south1] }))).toEqual([made.d!.id, made.c!.id, made.b!.id, made.a!.id]);
    expect(ids(await f({ category: 'vandalism' }))).toEqual([made.c!.id, made.a!.id]);
    expect(ids(await f({ author: 'REV.inc' }))).toEqual([made.b!.id, made.a!.id]);
    await supervisor.must('incidents.close', { incidentId: made.a!.id, reason: 'Graffiti cleaned, no suspect' });
    expect(ids(await f({ status: 'closed' }))).toEqual([made.a!.id]);
    expect(ids(await f({ status: 'open' }))).toEqual([made.e!.id, made.d!.id, made.c!.id, made.b!.id]);
    // A reviewer's filters never widen what they can see.
    expect(ids(await reviewer.must('incidents.list', { ...window(), cameraIds: [cam.south1], limit: 100 }))).toEqual([made.c!.id]);
  });

  it('pages by id, newest first', async () => {
    const p1 = await supervisor.must('incidents.list', { ...window(), limit: 2 });
    expect(ids(p1)).toEqual([made.e!.id, made.d!.id]);
    expect(p1.nextBeforeId).toBe(made.d!.id);
    const p2 = await supervisor.must('incidents.list', { ...window(), limit: 2, beforeId: p1.nextBeforeId! });
    expect(ids(p2)).toEqual([made.c!.id, made.b!.id]);
    const p3 = await supervisor.must('incidents.list', { ...window(), limit: 2, beforeId: p2.nextBeforeId! });
    expect(ids(p3)).toEqual([made.a!.id]);
    expect(p3.nextBeforeId).toBeNull();
  });

  it('counts notes and linked holds in the summary', async () => {
    const b = (await reviewer.must('incidents.list', { ...window(), limit: 100 })).incidents.find((i) => i.id === made.b!.id)!;
    expect(b).toMatchObject({ notes: 1, holds: 0, category: 'violence', categoryLabel: 'Violence', source: 'playback', endMs: base + 12 * u });
  });

  it('a range from playback must not end in the future and needs visible cameras', async () => {
    const now = t.clock.nowMs();
    const future = await reviewer.call('incidents.create', { cameraIds: [cam.north1], fromMs: now - minute, toMs: now + LIVE_MARK_MAX_SKEW_MS + 1, category: 'theft', title: 'Too late', note: '' });
    expect(future.ok === false && future.error.kind).toBe('InvalidArgument');
    const hidden = await reviewer.call('incidents.create', { cameraIds: [cam.north1, cam.south1], fromMs: now - minute, toMs: now, category: 'theft', title: 'Hidden', note: '' });
    expect(hidden.ok === false && hidden.error.kind).toBe('NotFound');
  });
});

describe('notes, close, reopen, holds', () => {
  let inc: IncidentView;
  beforeAll(async () => {
    inc = await reviewer.must('incidents.create', { cameraIds: [cam.north1], fromMs: t.clock.nowMs() - 10 * minute, toMs: t.clock.nowMs() - 5 * minute, category: 'theft', title: 'Bag theft', note: 'First note' });
  });

  it('notes are append-only, also in the database', async () => {
    t.clock.advance(1000);
    const after = await reviewer.must('incidents.addNote', { incidentId: inc.id, text: 'Second note' });
    expect(after.noteHistory.map((n) => n.text)).toEqual(['First note', 'Second note']);
    expect(after.notes).toBe(2);
    expect(after.history.map((h) => h.action)).toEqual(['created', 'note added']);
    const db = t.engine.store.db;
    await expect(db.updateTable('incident_notes').set({ text: 'edited' }).where('incident_id', '=', inc.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('incident_notes').where('incident_id', '=', inc.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.updateTable('incident_events').set({ note: 'edited' }).where('incident_id', '=', inc.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('incident_events').where('incident_id', '=', inc.id).execute()).rejects.toThrow(/append-only/);
    expect((await reviewer.must('incidents.get', { incidentId: inc.id })).noteHistory.map((n) => n.text)).toEqual(['First note', 'Second note']);
    // Someone who cannot see the incident cannot add to it.
    const other = await southReviewer.call('incidents.addNote', { incidentId: inc.id, text: 'Not mine' });
    expect(other.ok === false && other.error.kind).toBe('NotFound');
  });

  it('close and reopen need a reason, which is in the history and in the audit log', async () => {
    const short = await reviewer.call('incidents.close', { incidentId: inc.id, reason: 'done' });
    expect(short.ok === false && short.error.kind).toBe('InvalidArgument');
    const closed = await reviewer.must('incidents.close', { incidentId: inc.id, reason: 'Bag returned to its owner' });
    expect(closed.status).toBe('closed');
    const again = await reviewer.call('incidents.close', { incidentId: inc.id, reason: 'Bag returned to its owner' });
    expect(again.ok === false && again.error.kind).toBe('FailedPrecondition');
    const reopened = await reviewer.must('incidents.reopen', { incidentId: inc.id, reason: 'Owner says a wallet is missing' });
    expect(reopened.status).toBe('open');
    const reopenOpen = await reviewer.call('incidents.reopen', { incidentId: inc.id, reason: 'Owner says a wallet is missing' });
    expect(reopenOpen.ok === false && reopenOpen.error.kind).toBe('FailedPrecondition');
    expect(reopened.history.slice(-2)).toEqual([
      expect.objectContaining({ actor: 'rev.inc', action: 'closed', note: 'Bag returned to its owner' }),
      expect.objectContaining({ actor: 'rev.inc', action: 'reopened', note: 'Owner says a wallet is missing' }),
    ]);
    for (const [action, reason] of [
      ['incidents.close', 'Bag returned to its owner'],
      ['incidents.reopen', 'Owner says a wallet is missing'],
    ] as const) {
      const page = await supervisor.must('audit.query', { filter: { action, actor: 'rev.inc', target: `incident#${inc.id}`, outcome: 'allowed' }, limit: 5 });
      expect(page.entries.map((e) => e.reason)).toContain(reason);
    }
  });

  it('links a visible hold, once', async () => {
    const hold = await placeHold(reviewer, { caseReference: 'RSD-77/26', requestingBody: 'Police', reason: 'possible evidence of theft', cameraId: cam.north1, toAgoMs: 5 * minute });
    const linked = await reviewer.must('incidents.linkHold', { incidentId: inc.id, holdId: hold.id });
    const twice = await reviewer.must('incidents.linkHold', { incidentId: inc.id, holdId: hold.id });
    expect(linked.linkedHolds).toEqual([{ holdId: hold.id, caseReference: 'RSD-77/26', status: 'active' }]);
    expect(twice.linkedHolds).toEqual(linked.linkedHolds);
    expect(twice.holds).toBe(1);
    expect(twice.history.filter((h) => h.action === 'hold linked')).toHaveLength(1);
    // A hold only on another group's camera is like a missing one; so is a missing hold.
    const southHold = await placeHold(supervisor, { caseReference: 'RSD-78/26', requestingBody: 'Police', reason: 'possible evidence of traffic offence', cameraId: cam.south1, toAgoMs: 5 * minute });
    for (const holdId of [southHold.id, 99_999]) {
      const r = await reviewer.call('incidents.linkHold', { incidentId: inc.id, holdId });
      expect(r.ok === false && r.error.kind).toBe('NotFound');
    }
    // Guards place no holds and link none.
    const byGuard = await guard.call('incidents.linkHold', { incidentId: inc.id, holdId: hold.id });
    expect(byGuard.ok === false && byGuard.error.kind).toBe('PermissionDenied');
  });
});

describe('categories', () => {
  const defaults = DEFAULT_INCIDENT_CATEGORIES.map((c) => ({ ...c, active: true }));

  it('are seeded and visible to every role', async () => {
    const { categories } = await guard.must('incidents.categories', {});
    expect(categories.map((c) => c.key)).toEqual(['theft', 'vandalism', 'violence', 'medical', 'suspicious_behaviour', 'traffic', 'lost_person', 'fire_smoke', 'technical_fault', 'other']);
    expect(categories.every((c) => c.active)).toBe(true);
  });

  it('only administrators change them; a used key may be retired but not removed', async () => {
    const byReviewer = await reviewer.call('incidents.saveCategories', { categories: defaults });
    expect(byReviewer.ok === false && byReviewer.error.kind).toBe('PermissionDenied');
    const bySupervisor = await supervisor.call('incidents.saveCategories', { categories: defaults });
    expect(bySupervisor.ok === false && bySupervisor.error.kind).toBe('PermissionDenied');

    const removed = await admin.call('incidents.saveCategories', { categories: defaults.filter((c) => c.key !== 'theft') });
    expect(removed.ok === false && removed.error.kind).toBe('InvalidArgument');
    expect(removed.ok === false && removed.error.message).toMatch(/theft/);
    expect(removed.ok === false && removed.error.issues).toEqual(['categories: theft is in use']);

    // Retire theft, rename vandalism, drop the unused lost_person, add a new one.
    const next = [
      ...defaults.filter((c) => c.key !== 'lost_person').map((c) => (c.key === 'theft' ? { ...c, active: false } : c.key === 'vandalism' ? { ...c, label: 'Damage to property' } : c)),
      { key: 'fare_evasion', label: 'Fare evasion', active: true },
    ];
    const saved = await admin.must('incidents.saveCategories', { categories: next });
    expect(saved.categories).toEqual(next.map((c) => ({ ...c, names: {} })));
    const retired = await guard.call('incidents.mark', { cameraId: cam.north1, atMs: t.clock.nowMs(), category: 'theft', note: '' });
    expect(retired.ok === false && retired.error).toMatchObject({ kind: 'InvalidArgument', issues: ['category: retired'] });
    expect((await guard.must('incidents.mark', { cameraId: cam.north1, atMs: t.clock.nowMs(), category: 'fare_evasion', note: '' })).categoryLabel).toBe('Fare evasion');
    // Old incidents keep their key and show the current label.
    const vandalism = await supervisor.must('incidents.list', { category: 'vandalism', limit: 10 });
    expect(vandalism.incidents.length).toBeGreaterThan(0);
    expect(vandalism.incidents.every((i) => i.categoryLabel === 'Damage to property')).toBe(true);
    await admin.must('incidents.saveCategories', { categories: [...defaults, { key: 'fare_evasion', label: 'Fare evasion', active: true }] });
  });

  it('administrators name a category in each interface language; incidents carry the names', async () => {
    const names = { pl: 'Jazda bez biletu', lt: 'Važiavimas be bilieto', cs: 'Jízda načerno' };
    const saved = await admin.must('incidents.saveCategories', { categories: [...defaults, { key: 'fare_evasion', label: 'Fare evasion', names, active: true }] });
    expect(saved.categories.find((c) => c.key === 'fare_evasion')).toEqual({ key: 'fare_evasion', label: 'Fare evasion', names, active: true });
    const marked = await guard.must('incidents.mark', { cameraId: cam.north1, atMs: t.clock.nowMs(), category: 'fare_evasion', note: '' });
    expect(marked).toMatchObject({ categoryLabel: 'Fare evasion', categoryNames: names });
    const listed = await supervisor.must('incidents.list', { category: 'fare_evasion', limit: 10 });
    expect(listed.incidents[0]?.categoryNames).toEqual(names);
    // A name is bounded human text like the label: an unseen character or an unknown language is refused.
    for (const bad of [{ pl: 'Kradzie\u200bż' }, { de: 'Diebstahl' }, { cs: 'x'.repeat(61) }]) {
      const r = await admin.call('incidents.saveCategories', { categories: [...defaults, { key: 'fare_evasion', label: 'Fare evasion', names: bad, active: true }] });
      expect(r.ok === false && r.error.kind, JSON.stringify(bad)).toBe('InvalidArgument');
    }
  });
});

describe('viewing without a link to an incident or hold', () => {
  it('counts per user the playback sessions whose reference names no existing incident and no hold', async () => {
    const from = t.clock.nowMs();
    const inc = await reviewer.must('incidents.mark', { cameraId: cam.north1, atMs: t.clock.nowMs(), category: 'violence', note: '' });
    const hold = await placeHold(reviewer, { caseReference: 'PR-2026/0042', requestingBody: 'Prosecutor', reason: 'assault on the platform', cameraId: cam.north1, toAgoMs: 0 });
    const open = (reference?: string, who: Caller = reviewer) =>
      who.must('playback.open', {
        cameraIds: [cam.north1],
        fromMs: t.clock.nowMs() - 10 * minute,
        toMs: t.clock.nowMs(),
        reason: { category: 'incident_investigation', text: 'Checking what happened here', ...(reference === undefined ? {} : { reference }) },
      });
    await open(inc.number); // linked: an existing incident
    await open(inc.number.toLowerCase()); // linked: INC-n in any case
    await open('PR-2026/0042'); // linked: a hold's case reference
    await open('INC-99999'); // not linked: no such incident
    await open('asked by the station manager'); // not linked: free text
    await open(); // not linked: no reference
    await open(undefined, supervisor);
    t.clock.advance(1);
    const to = t.clock.nowMs();

    const rows = await t.engine.store.db.selectFrom('playback_sessions').selectAll().where('at_ms', '>=', from).orderBy('at_ms').execute();
    expect(rows.map((r) => [r.incident_id, r.hold_id])).toEqual([
      [inc.id, null],
      [inc.id, null],
      [null, hold.id],
      [null, null],
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect(rows[0]).toMatchObject({ username: 'rev.inc', camera_ids: String(cam.north1), category: 'incident_investigation', reason_text: 'Checking what happened here', reference: inc.number });

    const expected = [
      { username: 'rev.inc', displayName: 'rev.inc (reviewer)', sessions: 6, withoutLink: 3 },
      { username: 'sup.inc', displayName: 'sup.inc (supervisor)', sessions: 1, withoutLink: 1 },
    ];
    expect((await auditor.must('audit.unlinkedViewing', { fromMs: from, toMs: to })).users).toEqual(expected);
    expect((await admin.must('audit.unlinkedViewing', { fromMs: from, toMs: to })).users).toEqual(expected);
    // The range is half-open: nothing opened at or after `to`.
    expect((await auditor.must('audit.unlinkedViewing', { fromMs: to, toMs: to + 1 })).users).toEqual([]);
    const byReviewer = await reviewer.call('audit.unlinkedViewing', { fromMs: from, toMs: to });
    expect(byReviewer.ok === false && byReviewer.error.kind).toBe('PermissionDenied');
  });
});
