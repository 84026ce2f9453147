// An administrator can reach footage alone (fixed, until grants need a second person's approval):
// an administrator could create a supervisor account, sign in as it, and act as the second
// supervisor on an export. Every grant that reaches footage now raises an alarm that supervisors
// and the auditor see, naming who made it; neither the administrator nor the account it is about
// can acknowledge it (docs/design/overview.md §6; KRK §5.4.5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, addUser, approveGrant, setUpAdmin, signInReady, startTestEngine, TEST_BASIS, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';

let t: TestEngine;
let admin: Caller;
let supervisor: Caller;
let auditor: Caller;
let groupId = 0;

beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  groupId = (await admin.must('groups.create', { name: 'Hall', description: '' })).id;
  supervisor = await addUser(t, admin, { username: 'sup.first', role: 'supervisor', groupIds: [groupId] });
  auditor = await addUser(t, admin, { username: 'dpo.anna', role: 'auditor', groupIds: [] });
});
afterAll(async () => {
  await t.dispose();
});

const grantsTo = async (c: Caller, username: string) => (await c.must('alarms.list', { openOnly: true })).alarms.filter((a) => a.kind === 'access.footage_granted' && a.params.username === username);

describe('an administrator alone cannot give footage unseen', () => {
  it('creating a supervisor raises an alarm naming the administrator, seen by supervisors and the auditor', async () => {
    await admin.must('users.create', { username: 'evil.sup', displayName: 'Second Supervisor', role: 'supervisor', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [], basis: TEST_BASIS });
    for (const c of [supervisor, auditor]) {
      const [a] = await grantsTo(c, 'evil.sup');
      expect(a).toMatchObject({ severity: 'warning', params: { actor: ADMIN.username, username: 'evil.sup', role: 'supervisor', change: 'created' } });
    }
    // The administrator does not see security alarms about their own grants, and cannot close them.
    expect(await grantsTo(admin, 'evil.sup')).toEqual([]);
  });

  it('neither the administrator nor the new account can acknowledge it; another supervisor can, audited', async () => {
    const [a] = await grantsTo(supervisor, 'evil.sup');
    const byAdmin = await admin.call('alarms.acknowledge', { alarmId: a!.id, note: 'I made this account myself' });
    expect(!byAdmin.ok && byAdmin.error.kind).toBe('NotFound');
    const evil = await signInReady(t, 'evil.sup', TEST_PASSWORD);
    // Parked until a second person approves (docs/design/authorised-persons.md): it sees no alarm at all.
    const parked = await evil.call('alarms.acknowledge', { alarmId: a!.id, note: 'nothing to see here' });
    expect(!parked.ok && parked.error.kind).toBe('NotFound');
    await approveGrant(t, admin, 'evil.sup');
    const approved = await signInReady(t, 'evil.sup', `${TEST_PASSWORD}-Renewed`);
    const bySelf = await approved.call('alarms.acknowledge', { alarmId: a!.id, note: 'nothing to see here' });
    expect(!bySelf.ok && bySelf.error.kind).toBe('PermissionDenied');
    const ok = await supervisor.must('alarms.acknowledge', { alarmId: a!.id, note: 'checked with the head of security' });
    expect(ok).toMatchObject({ acknowledgedBy: 'sup.first', canAcknowledge: false });
    expect(ok.clearedAtMs).not.toBeNull();
    const trail = await auditor.must('audit.query', { filter: { action: 'alarms.acknowledge' }, limit: 5 });
    expect(trail.entries.map((e) => [e.actor, e.outcome, e.reason])).toEqual(expect.arrayContaining([['sup.first', 'allowed', 'checked with the head of security']]));
  });

  it('every path to footage raises one: promotion, camera groups, reactivation; an auditor account does not', async () => {
    const dpo2 = await admin.must('users.create', { username: 'dpo.two', displayName: 'DPO Two', role: 'auditor', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [], basis: TEST_BASIS });
    expect(await grantsTo(supervisor, 'dpo.two')).toEqual([]);
    await admin.must('users.update', { userId: dpo2.id, displayName: 'DPO Two', role: 'reviewer', language: 'en', basis: TEST_BASIS });
    expect((await grantsTo(supervisor, 'dpo.two')).map((a) => a.params.change)).toEqual(['role_changed']);
    await admin.must('users.setGroups', { userId: dpo2.id, groupIds: [groupId], basis: TEST_BASIS });
    await admin.must('users.deactivate', { userId: dpo2.id, reason: 'moved to another office' });
    await admin.must('users.reactivate', { userId: dpo2.id, reason: 'came back to the office', basis: TEST_BASIS });
    expect((await grantsTo(supervisor, 'dpo.two')).map((a) => a.params.change).sort()).toEqual(['groups_changed', 'reactivated', 'role_changed']);
    // Taking groups away is no grant.
    const before = (await grantsTo(supervisor, 'dpo.two')).length;
    await admin.must('users.setGroups', { userId: dpo2.id, groupIds: [] });
    expect((await grantsTo(supervisor, 'dpo.two')).length).toBe(before);
  });
});
