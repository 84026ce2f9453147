// Password age and reuse as the site's security settings set them (JON 15.6: passwords are unique
// and are changed; docs/design/sign-in-and-sessions.md "Password age and reuse"). Real engine, real
// SQLite, real scrypt; only the clock is moved. Every jump of the clock is followed by a fresh
// sign-in: a session from before the jump is idle-locked by then (BRN 33.3), as it should be.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { securitySettings } from '../../../shared/contract';
import { DEFAULT_SECURITY, SettingsService, writeSetting } from '../admin/settings-service';
import { ADMIN, approveGrant, setUpAdmin, startTestEngine, TEST_BASIS, TEST_PASSWORD, type Caller, type TestEngine } from '../testing/harness';

const DAY_MS = 86_400_000;
let t: TestEngine;
beforeEach(async () => {
  t = await startTestEngine();
});
afterEach(async () => {
  await t.dispose();
});

/** Signs in on a new connection; returns the caller and the session it got. */
async function signIn(username: string, password: string) {
  const c = t.connect();
  const session = await c.must('auth.signIn', { username, password });
  return { c, session };
}

/** The admin's security settings with some changed. */
async function setSecurity(admin: Caller, change: Partial<typeof DEFAULT_SECURITY>) {
  const now = await admin.must('settings.getSecurity', {});
  return admin.must('settings.updateSecurity', { ...now, ...change });
}

/** A guard through the first sign-in's steps, whose password is then `first` (created with TEST_PASSWORD). */
async function guardWith(admin: Caller, first: string): Promise<Caller> {
  await admin.must('users.create', { username: 'guard.ola', displayName: 'Ola Guard', role: 'guard', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [], basis: TEST_BASIS });
  await approveGrant(t, admin, 'guard.ola');
  const { c } = await signIn('guard.ola', TEST_PASSWORD);
  await c.must('auth.changePassword', { currentPassword: TEST_PASSWORD, newPassword: first });
  await c.must('commitment.accept', { version: (await c.must('commitment.get', { language: 'en' })).version });
  return c;
}

describe('password maximum age (JON 15.6: passwords are changed)', () => {
  it('a password older than the maximum age forces a change at the next sign-in, worded as expired', async () => {
    const admin = await setUpAdmin(t);
    await guardWith(admin, 'Granite-Willow-Seven');
    expect(DEFAULT_SECURITY.passwordMaxAgeDays).toBe(90);

    t.clock.advance(90 * DAY_MS - 60_000);
    const young = await signIn('guard.ola', 'Granite-Willow-Seven');
    expect(young.session).toMatchObject({ mustChangePassword: false, passwordExpired: false });

    t.clock.advance(120_000);
    const old = await signIn('guard.ola', 'Granite-Willow-Seven');
    expect(old.session).toMatchObject({ mustChangePassword: true, passwordExpired: true });
    // The same forced step as a first sign-in: nothing else until the password is changed.
    const blocked = await old.c.call('cameras.list', {});
    expect(!blocked.ok && blocked.error.kind).toBe('PasswordChangeRequired');
    const changed = await old.c.must('auth.changePassword', { currentPassword: 'Granite-Willow-Seven', newPassword: 'Copper-Meadow-Thirty' });
    expect(changed).toMatchObject({ mustChangePassword: false, passwordExpired: false });
    expect((await old.c.call('cameras.list', {})).ok).toBe(true);

    // The new password's age starts at its change.
    t.clock.advance(89 * DAY_MS);
    expect((await signIn('guard.ola', 'Copper-Meadow-Thirty')).session.mustChangePassword).toBe(false);
  });

  it('follows the site setting, and 0 means passwords never expire', async () => {
    const admin = await setUpAdmin(t);
    await setSecurity(admin, { passwordMaxAgeDays: 30 });
    await guardWith(admin, 'Granite-Willow-Seven');
    t.clock.advance(30 * DAY_MS);
    expect((await signIn('guard.ola', 'Granite-Willow-Seven')).session.passwordExpired).toBe(true);

    // The admin's own password is 30 days old too: it changes it first, then sets 0.
    const a = await signIn(ADMIN.username, ADMIN.password);
    expect(a.session.passwordExpired).toBe(true);
    await a.c.must('auth.changePassword', { currentPassword: ADMIN.password, newPassword: 'Harbour-Lantern-Nine' });
    await setSecurity(a.c, { passwordMaxAgeDays: 0 });
    t.clock.advance(400 * DAY_MS);
    expect((await signIn('guard.ola', 'Granite-Willow-Seven')).session).toMatchObject({ mustChangePassword: false, passwordExpired: false });
  });

  it('a password an administrator set is worded as set by an administrator, even when also old', async () => {
    const admin = await setUpAdmin(t);
    await admin.must('users.create', { username: 'guard.ola', displayName: 'Ola Guard', role: 'guard', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [], basis: TEST_BASIS });
    t.clock.advance(200 * DAY_MS);
    expect((await signIn('guard.ola', TEST_PASSWORD)).session).toMatchObject({ mustChangePassword: true, passwordExpired: false });
  });

  it('an account from before the age was recorded starts counting at its next sign-in, not at once', async () => {
    const admin = await setUpAdmin(t);
    await guardWith(admin, 'Granite-Willow-Seven');
    await t.engine.store.db.updateTable('users').set({ password_changed_at_ms: null }).where('username', '=', 'guard.ola').execute();
    t.clock.advance(500 * DAY_MS);
    expect((await signIn('guard.ola', 'Granite-Willow-Seven')).session.mustChangePassword).toBe(false);
    t.clock.advance(90 * DAY_MS);
    expect((await signIn('guard.ola', 'Granite-Willow-Seven')).session.passwordExpired).toBe(true);
  });

  it('the maximum age is 0 or 30 to 365 days: anything else is refused with the reason', async () => {
    const admin = await setUpAdmin(t);
    for (const bad of [1, 29, 366, -1, 45.5]) {
      const r = await admin.call('settings.updateSecurity', { ...DEFAULT_SECURITY, passwordMaxAgeDays: bad });
      expect(r.ok, `${bad} days`).toBe(false);
      expect(!r.ok && r.error.kind).toBe('InvalidArgument');
    }
    for (const good of [0, 30, 365]) expect((await admin.call('settings.updateSecurity', { ...DEFAULT_SECURITY, passwordMaxAgeDays: good })).ok).toBe(true);
    for (const bad of [-1, 25]) expect((await admin.call('settings.updateSecurity', { ...DEFAULT_SECURITY, passwordHistory: bad })).ok).toBe(false);
  });
});

describe('password reuse (JON 15.6: passwords are unique)', () => {
  it('the current password and the last N are refused without telling which; the N+1-th older one is accepted', async () => {
    const admin = await setUpAdmin(t);
    await setSecurity(admin, { passwordHistory: 2 });
    const g = await guardWith(admin, 'Amber-Quarry-One'); // earlier: TEST_PASSWORD
    await g.must('auth.changePassword', { currentPassword: 'Amber-Quarry-One', newPassword: 'Birch-Quarry-Two' }); // earlier: TEST_PASSWORD, One
    await g.must('auth.changePassword', { currentPassword: 'Birch-Quarry-Two', newPassword: 'Cedar-Quarry-Three' }); // earlier: One, Two

    const current = await g.call('auth.changePassword', { currentPassword: 'Cedar-Quarry-Three', newPassword: 'Cedar-Quarry-Three' });
    expect(!current.ok && current.error.issues).toEqual(['newPassword: sameAsCurrent']);
    const refusals = [];
    for (const earlier of ['Birch-Quarry-Two', 'Amber-Quarry-One']) {
      const r = await g.call('auth.changePassword', { currentPassword: 'Cedar-Quarry-Three', newPassword: earlier });
      expect(r.ok, earlier).toBe(false);
      if (!r.ok) refusals.push(r.error);
    }
    // Same answer for either: nothing says which earlier password it was.
    expect(refusals[0]).toEqual(refusals[1]);
    expect(refusals[0]).toMatchObject({ kind: 'InvalidArgument', issues: ['newPassword: reused'] });
    expect(refusals[0]!.message).not.toMatch(/Quarry|scrypt/);

    // The third before the current one is past the two the site keeps: accepted.
    const third = await g.must('auth.changePassword', { currentPassword: 'Cedar-Quarry-Three', newPassword: TEST_PASSWORD });
    expect(third.mustChangePassword).toBe(false);
  });

  it('the current password typed in another Unicode form is still the current password', async () => {
    const admin = await setUpAdmin(t);
    const composed = 'Łódź-Café-Słońce-9';
    const g = await guardWith(admin, composed);
    const r = await g.call('auth.changePassword', { currentPassword: composed, newPassword: composed.normalize('NFD') });
    expect(!r.ok && r.error.issues).toEqual(['newPassword: reused']);
  });

  it('0 earlier passwords: only the current one is refused, the one before it is accepted again', async () => {
    const admin = await setUpAdmin(t);
    await setSecurity(admin, { passwordHistory: 0 });
    const g = await guardWith(admin, 'Amber-Quarry-One');
    await g.must('auth.changePassword', { currentPassword: 'Amber-Quarry-One', newPassword: 'Birch-Quarry-Two' });
    const same = await g.call('auth.changePassword', { currentPassword: 'Birch-Quarry-Two', newPassword: 'Birch-Quarry-Two' });
    expect(!same.ok && same.error.issues).toEqual(['newPassword: sameAsCurrent']);
    expect((await g.call('auth.changePassword', { currentPassword: 'Birch-Quarry-Two', newPassword: 'Amber-Quarry-One' })).ok).toBe(true);
    expect(await t.engine.store.db.selectFrom('password_history').selectAll().execute()).toEqual([]);
  });

  it("an administrator's reset keeps the password it replaces among the earlier ones, and is not checked against them", async () => {
    const admin = await setUpAdmin(t);
    await guardWith(admin, 'Amber-Quarry-One');
    const user = (await admin.must('users.list', { includeInactive: false })).users.find((u) => u.username === 'guard.ola')!;
    // The temporary password may even be an earlier one of the user's: a refusal would tell the
    // administrator that it was (the user must choose a new one at sign-in in any case).
    await admin.must('users.resetPassword', { userId: user.id, temporaryPassword: TEST_PASSWORD });
    const { c, session } = await signIn('guard.ola', TEST_PASSWORD);
    expect(session).toMatchObject({ mustChangePassword: true, passwordExpired: false });
    const back = await c.call('auth.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'Amber-Quarry-One' });
    expect(!back.ok && back.error.issues).toEqual(['newPassword: reused']);
    expect((await c.call('auth.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'Dune-Quarry-Four' })).ok).toBe(true);
  });

  it('only hashes are stored, no more than the setting asks for, and lowering it drops the rest at once', async () => {
    const admin = await setUpAdmin(t);
    const passwords = ['Amber-Quarry-One', 'Birch-Quarry-Two', 'Cedar-Quarry-Three', 'Dune-Quarry-Four', 'Elm-Quarry-Five', 'Fern-Quarry-Six', 'Gale-Quarry-Seven'];
    const g = await guardWith(admin, passwords[0]!);
    for (let i = 1; i < passwords.length; i++) await g.must('auth.changePassword', { currentPassword: passwords[i - 1]!, newPassword: passwords[i]! });
    const guardId = (await admin.must('users.list', { includeInactive: false })).users.find((u) => u.username === 'guard.ola')!.id;
    const history = () => t.engine.store.db.selectFrom('password_history').select('password_hash').where('user_id', '=', guardId).execute();
    expect((await history()).length).toBe(5);
    for (const { password_hash } of await history()) expect(password_hash).toMatch(/^scrypt\$/);

    await setSecurity(admin, { passwordHistory: 2 });
    expect((await history()).length).toBe(2);

    // Neither a password nor a hash reaches the audit trail.
    const audit = await t.engine.store.db.selectFrom('audit_log').selectAll().execute();
    const text = JSON.stringify(audit);
    for (const p of [...passwords, TEST_PASSWORD, ADMIN.password]) expect(text).not.toContain(p);
    expect(text).not.toContain('scrypt$');
    expect(audit.some((e) => e.action === 'auth.changePassword')).toBe(true);
  });
});

describe('security settings saved before these fields existed', () => {
  it('still read, with 90 days and 5 earlier passwords', async () => {
    const old = { idleLockMinutes: 12, lockoutThreshold: 6, lockoutMinutes: 20 };
    expect(securitySettings.parse(old)).toMatchObject({ ...old, passwordMaxAgeDays: 90, passwordHistory: 5 });
    await writeSetting(t.engine.store.db, 'security', old);
    const settings = await SettingsService.open(t.engine.store.db);
    expect(settings.security).toEqual({ ...old, maskLiftMinutes: 5, maskLiftSecondPerson: false, passwordMaxAgeDays: 90, passwordHistory: 5, accessApprovers: 'supervisor_or_auditor', accessReviewMonths: 6 });
  });
});
