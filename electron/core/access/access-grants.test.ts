// The register of authorised persons (docs/design/authorised-persons.md; KRK §5.4.1, §5.4.4-5.4.5):
// an administrator alone cannot give any account access to footage, by any path; a parked account
// sees nothing; fewer rights take effect at once; grants run out; the register is a record and prints.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS, COMMAND_NAMES, type GrantView } from '../../../shared/contract';
import { addOfflineCamera, addUser, approveGrant, setUpAdmin, signInReady, startTestEngine, TEST_BASIS, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';

let t: TestEngine;
let admin: Caller;
let groupId: number;
let otherGroupId: number;
let cameraId: number;
/** The site's approvers: the auditor (first approver) and a supervisor. */
let dpo: Caller;
let sup: Caller;

beforeEach(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  groupId = (await admin.must('groups.create', { name: 'North', description: '' })).id;
  otherGroupId = (await admin.must('groups.create', { name: 'South', description: '' })).id;
  cameraId = await addOfflineCamera(admin, 'Gate', groupId);
  await addOfflineCamera(admin, 'Yard', otherGroupId);
  dpo = await addUser(t, admin, { username: 'dpo.eva', role: 'auditor', groupIds: [] });
  sup = await addUser(t, admin, { username: 'sup.jan', role: 'supervisor', groupIds: [groupId] });
});
afterEach(async () => {
  await t.dispose();
});

const RENEWED = `${TEST_PASSWORD}-Renewed`;
const grantsOf = async (username: string): Promise<GrantView[]> => (await admin.must('access.grants', {})).grants.filter((g) => g.username === username);
const waiting = async (username: string) => (await grantsOf(username)).find((g) => g.state === 'pending');
const userId = async (username: string) => (await admin.must('users.list', { includeInactive: true })).users.find((u) => u.username === username)!.id;
/** What an account reaches: its permissions, its cameras, and whether live view of the camera is refused. */
async function reach(c: Caller) {
  const session = await c.must('session.status', {});
  const cameras = await c.call('cameras.list', {});
  const live = await c.call('live.open', { cameraId, stream: 'sub' });
  return {
    permissions: session.signedIn ? session.session.permissions : [],
    accessState: session.signedIn ? session.session.accessState : null,
    cameras: cameras.ok ? cameras.value.cameras.map((x) => x.id) : cameras.error.kind,
    live: live.ok ? 'ok' : live.error.kind,
  };
}

describe('an administrator alone cannot give any account access to footage', () => {
  it('a new account is parked until a second person approves: it signs in, holds no permission and sees no camera', async () => {
    const created = await admin.must('users.create', { username: 'guard.ola', displayName: 'Ola', role: 'guard', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [groupId], basis: 'order 12/2026' });
    expect(created).toMatchObject({ accessState: 'pending', role: 'guard', groupIds: [groupId] });
    const ola = await signInReady(t, 'guard.ola', TEST_PASSWORD);
    expect(await reach(ola)).toEqual({ permissions: [], accessState: 'pending', cameras: 'PermissionDenied', live: 'PermissionDenied' });

    const g = (await waiting('guard.ola'))!;
    expect(g).toMatchObject({ basis: 'order 12/2026', requestedBy: 'admin.anna', change: 'created', groupNames: ['North'], canDecide: false });
    // The administrator holds no approval right; the register is theirs to read.
    expect((await admin.call('access.approve', { grantId: g.id })).ok).toBe(false);
    await sup.must('access.approve', { grantId: g.id, note: 'checked with the order' });
    // Approval ends the parked session; the next sign-in holds the rights.
    expect((await ola.call('session.status', {})).ok && (await ola.must('session.status', {})).signedIn).toBe(false);
    const again = await signInReady(t, 'guard.ola', RENEWED);
    expect(await reach(again)).toMatchObject({ accessState: 'granted', cameras: [cameraId], permissions: expect.arrayContaining(['live.view']) });
  });

  it('every path that gives more rights parks the account until approved: promotion, a camera group, reactivation', async () => {
    const rev = await addUser(t, admin, { username: 'rev.ada', role: 'reviewer', groupIds: [groupId] });
    const id = await userId('rev.ada');
    const paths: [string, () => Promise<unknown>][] = [
      ['promotion', () => admin.must('users.update', { userId: id, displayName: 'Ada', role: 'supervisor', language: 'en', basis: 'order 13/2026' })],
      ['a camera group', () => admin.must('users.setGroups', { userId: id, groupIds: [groupId, otherGroupId], basis: 'order 14/2026' })],
      ['reactivation', async () => {
        await admin.must('users.deactivate', { userId: id, reason: 'on leave for a year' });
        return admin.must('users.reactivate', { userId: id, reason: 'back from leave', basis: 'order 15/2026' });
      }],
    ];
    let session = rev;
    for (const [path, give] of paths) {
      await give();
      // Its open session held the old rights: it ended with the change.
      expect((await session.must('session.status', {})).signedIn, path).toBe(false);
      const parked = await signInReady(t, 'rev.ada', RENEWED);
      expect(await reach(parked), path).toMatchObject({ permissions: [], cameras: 'PermissionDenied', live: 'PermissionDenied' });
      await dpo.must('access.approve', { grantId: (await waiting('rev.ada'))!.id });
      session = await signInReady(t, 'rev.ada', RENEWED);
      expect((await reach(session)).cameras, path).toContain(cameraId);
    }
    const history = (await grantsOf('rev.ada')).map((g) => [g.change, g.state, g.endReason]);
    expect(history).toEqual([
      ['reactivated', 'approved', null],
      ['groups_changed', 'ended', 'deactivated'],
      ['role_changed', 'ended', 'superseded'],
      ['created', 'ended', 'superseded'],
    ]);
  });

  it('no one approves alone: not the administrator, not the account itself, not a parked approver, not a role the site excludes', async () => {
    // A supervisor's own change of groups waits for someone else.
    const supId = await userId('sup.jan');
    await admin.must('users.setGroups', { userId: supId, groupIds: [groupId, otherGroupId], basis: 'order 16/2026' });
    const own = (await waiting('sup.jan'))!;
    const supAgain = await signInReady(t, 'sup.jan', RENEWED);
    const self = await supAgain.call('access.approve', { grantId: own.id });
    expect(!self.ok && self.error.kind).toBe('PermissionDenied');
    // A second auditor, still parked, cannot approve anyone.
    await admin.must('users.create', { username: 'dpo.two', displayName: 'Two', role: 'auditor', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [], basis: 'order 17/2026' });
    const two = await signInReady(t, 'dpo.two', TEST_PASSWORD);
    expect((await two.call('access.approve', { grantId: own.id })).ok).toBe(false);
    // The site may keep approvals to the auditor: a supervisor then may not approve.
    const security = await admin.must('settings.getSecurity', {});
    await admin.must('settings.updateSecurity', { ...security, accessApprovers: 'auditor' });
    await dpo.must('access.approve', { grantId: own.id });
    await admin.must('users.create', { username: 'guard.max', displayName: 'Max', role: 'guard', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [groupId], basis: 'order 18/2026' });
    const bySup = await (await signInReady(t, 'sup.jan', RENEWED)).call('access.approve', { grantId: (await waiting('guard.max'))!.id });
    expect(!bySup.ok && bySup.error.kind).toBe('PermissionDenied');
    // Refusing needs a reason and keeps the account parked.
    const refused = await dpo.must('access.refuse', { grantId: (await waiting('guard.max'))!.id, note: 'no order on file' });
    expect(refused).toMatchObject({ state: 'refused', decidedBy: 'dpo.eva', decisionNote: 'no order on file' });
    expect((await admin.must('users.list', { includeInactive: false })).users.find((u) => u.username === 'guard.max')?.accessState).toBe('refused');
  });

  it('a grant that reaches footage needs its basis, and a validity in the future', async () => {
    const base = { username: 'guard.nob', displayName: 'N', role: 'guard' as const, language: 'en' as const, initialPassword: TEST_PASSWORD, groupIds: [groupId] };
    const noBasis = await admin.call('users.create', base);
    expect(!noBasis.ok && noBasis.error.issues).toContain('basis: required');
    const past = await admin.call('users.create', { ...base, basis: 'order 19/2026', validUntilMs: t.clock.nowMs() - 1 });
    expect(!past.ok && past.error.kind).toBe('InvalidArgument');
    // Nothing was written by the refusals.
    expect((await admin.must('users.list', { includeInactive: true })).users.some((u) => u.username === 'guard.nob')).toBe(false);
    // An administrator account needs no second person: it sees no footage.
    const adm = await admin.must('users.create', { ...base, username: 'admin.two', role: 'administrator', groupIds: [] });
    expect(adm.accessState).toBe('granted');
    expect((await grantsOf('admin.two'))[0]).toMatchObject({ state: 'approved', auto: 'no_footage' });
  });

  it('the basis of a grant in force is not rewritten on its own: it is the record of what was approved', async () => {
    const supId = await userId('sup.jan');
    const r = await admin.call('users.update', { userId: supId, displayName: 'Jan', role: 'supervisor', language: 'en', basis: 'a better-looking order 99/2026' });
    expect(!r.ok && r.error.kind).toBe('InvalidArgument');
    // Refused whole: the display name of that request was not written either.
    expect((await admin.must('users.list', { includeInactive: false })).users.find((u) => u.id === supId)?.displayName).not.toBe('Jan');
    expect((await grantsOf('sup.jan'))[0]).toMatchObject({ basis: TEST_BASIS, state: 'approved' });
    // The display name alone changes as before.
    expect((await admin.must('users.update', { userId: supId, displayName: 'Jan Nowak', role: 'supervisor', language: 'en' })).displayName).toBe('Jan Nowak');
  });

  it('the site keeps an approver: the last one cannot be demoted or deactivated, and approvals cannot be narrowed to a role with none', async () => {
    // dpo.eva is the only auditor; sup.jan the only supervisor: narrowing to auditors leaves eva alone.
    const security = await admin.must('settings.getSecurity', {});
    await admin.must('settings.updateSecurity', { ...security, accessApprovers: 'auditor' });
    const eva = await userId('dpo.eva');
    const off = await admin.call('users.deactivate', { userId: eva, reason: 'testing the last approver' });
    expect(!off.ok && off.error.kind).toBe('FailedPrecondition');
    const demoted = await admin.call('users.update', { userId: eva, displayName: 'Eva', role: 'reviewer', language: 'en', basis: 'order 20/2026' });
    expect(!demoted.ok && demoted.error.kind).toBe('FailedPrecondition');
    await admin.must('users.deactivate', { userId: await userId('sup.jan'), reason: 'moved to another site' });
    const narrowed = await admin.call('settings.updateSecurity', { ...security, accessApprovers: 'supervisor' });
    expect(!narrowed.ok && narrowed.error.kind).toBe('FailedPrecondition');
  });
});

describe('fewer rights, and rights that run out', () => {
  it('taking a group away takes effect at once, without approval, and the register says so', async () => {
    const rev = await addUser(t, admin, { username: 'rev.ida', role: 'reviewer', groupIds: [groupId, otherGroupId] });
    expect(((await reach(rev)).cameras as number[]).length).toBe(2);
    await admin.must('users.setGroups', { userId: await userId('rev.ida'), groupIds: [groupId] });
    expect(await reach(rev)).toMatchObject({ accessState: 'granted', cameras: [cameraId] });
    expect((await grantsOf('rev.ida'))[0]).toMatchObject({ state: 'approved', auto: 'fewer_rights', change: 'fewer_rights', basis: TEST_BASIS });
  });

  it('a grant good until a date parks its account then, ending its sessions; a sign-in after it is parked', async () => {
    await admin.must('users.create', { username: 'guard.tom', displayName: 'Tomasz', role: 'guard', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [groupId], basis: 'contract 4/2026', validUntilMs: t.clock.nowMs() + 5 * 60_000 });
    await approveGrant(t, admin, 'guard.tom');
    const tmp = await signInReady(t, 'guard.tom', TEST_PASSWORD);
    expect((await reach(tmp)).cameras).toEqual([cameraId]);
    // (Within the idle lock's ten minutes: the administrator's console stays unlocked.)
    t.clock.advance(5 * 60_000);
    await t.engine.grantExpiry.runOnce();
    expect((await tmp.must('session.status', {})).signedIn).toBe(false);
    expect((await grantsOf('guard.tom'))[0]).toMatchObject({ state: 'ended', endReason: 'expired' });
    const after = await signInReady(t, 'guard.tom', RENEWED);
    expect(await reach(after)).toMatchObject({ accessState: 'expired', permissions: [], cameras: 'PermissionDenied' });
  });
});

describe('a parked account sees nothing', () => {
  it('every command that needs a permission is refused for a parked supervisor, and no alarm or event reaches it', async () => {
    await admin.must('users.create', { username: 'sup.fresh', displayName: 'Fresh Supervisor', role: 'supervisor', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [groupId], basis: 'order 21/2026' });
    const parked = await signInReady(t, 'sup.fresh', TEST_PASSWORD);
    for (const name of COMMAND_NAMES) {
      const access = COMMANDS[name].access;
      if (access.kind !== 'permission') continue;
      const r = await parked.call(name, COMMANDS[name].example as never);
      expect(!r.ok && r.error.kind, name).toBe('PermissionDenied');
    }
    expect((await parked.must('alarms.list', { openOnly: false })).alarms).toEqual([]);
    // It may still report a suspected breach and change its password: what any signed-in person may.
    expect((await parked.call('breaches.report', { what: 'A monitor shows footage to the corridor', discoveredAtMs: t.clock.nowMs(), cameraIds: [] })).ok).toBe(true);
  });
});

describe('the register is a record, and prints', () => {
  it('what a grant gives and why never changes, and no grant is deleted', async () => {
    const db = t.engine.store.db;
    const [g] = await grantsOf('sup.jan');
    await expect(db.updateTable('access_grants').set({ basis: 'forged' }).where('id', '=', g!.id).execute()).rejects.toThrow(/record/);
    await expect(db.updateTable('access_grants').set({ decided_by: 'someone.else' }).where('id', '=', g!.id).execute()).rejects.toThrow(/record/);
    await expect(db.deleteFrom('access_grants').where('id', '=', g!.id).execute()).rejects.toThrow(/never deleted/);
  });

  it('the first approver of a site takes effect as its set-up, once only', async () => {
    expect((await grantsOf('dpo.eva'))[0]).toMatchObject({ auto: 'first_approver', state: 'approved' });
    expect((await grantsOf('sup.jan'))[0]).toMatchObject({ auto: null, decidedBy: expect.stringMatching(/dpo/) });
  });

  it('exports as CSV and PDF in the reader’s language, with who asked, who approved and when', async () => {
    const csv = await dpo.must('access.export', { format: 'csv', language: 'pl', separator: ';' });
    const text = await (await fetch(csv.downloadUrl)).text();
    expect(text).toContain('Rejestr osób upoważnionych');
    expect(text).toContain(TEST_BASIS);
    expect(text).toMatch(/sup\.jan/);
    expect(csv.rows).toBe(3);
    const pdf = await admin.must('access.export', { format: 'pdf', language: 'cs' });
    const bytes = Buffer.from(await (await fetch(pdf.downloadUrl)).arrayBuffer());
    const file = `${t.dataDir}/register.pdf`;
    fs.writeFileSync(file, bytes);
    const words = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(words).toContain('Registr oprávněných osob');
    expect(words).toContain('dpo.eva');
  });
});
