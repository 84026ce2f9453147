import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, addUser, approveGrant, setUpAdmin, signInReady, startTestEngine, TEST_BASIS, type TestEngine } from './testing/harness';

let t: TestEngine;
beforeEach(async () => {
  t = await startTestEngine();
});
afterEach(async () => {
  await t.dispose();
});

describe('first run', () => {
  it('has no accounts until the first administrator is created, then setup closes', async () => {
    const anon = t.connect();
    expect(await anon.must('setup.status', {})).toEqual({ needsSetup: true });
    const weak = await anon.call('setup.createAdmin', { ...ADMIN, password: 'short' });
    expect(weak.ok === false && weak.error.kind).toBe('InvalidArgument');
    await anon.must('setup.createAdmin', ADMIN);
    expect(await anon.must('setup.status', {})).toEqual({ needsSetup: false });
    const again = await anon.call('setup.createAdmin', { ...ADMIN, username: 'mallory' });
    expect(again.ok === false && again.error.kind).toBe('FailedPrecondition');
  });
});

describe('sign-in', () => {
  it('forces a new password and the commitment before anything else (JON 15.2, 15.6)', async () => {
    const admin = await setUpAdmin(t);
    await admin.must('users.create', {
      username: 'guard.jan', displayName: 'Jan Kowalski', role: 'guard', language: 'pl', initialPassword: 'Temporary-Pass-2026', groupIds: [], basis: TEST_BASIS,
    });
    const g = t.connect();
    const s = await g.must('auth.signIn', { username: 'guard.jan', password: 'Temporary-Pass-2026' });
    expect(s.mustChangePassword).toBe(true);
    expect(s.commitmentPending).toBe(true);
    const blocked = await g.call('commitment.accept', { version: 'x' });
    expect(blocked.ok === false && blocked.error.kind).toBe('PasswordChangeRequired');
    const containsName = await g.call('auth.changePassword', { currentPassword: 'Temporary-Pass-2026', newPassword: 'guard.jan-is-here-2026' });
    expect(containsName.ok === false && containsName.error.issues).toContain('newPassword: containsUsername');
    const common = await g.call('auth.changePassword', { currentPassword: 'Temporary-Pass-2026', newPassword: 'Password123456!' });
    expect(common.ok === false && common.error.issues).toContain('newPassword: common');
    await g.must('auth.changePassword', { currentPassword: 'Temporary-Pass-2026', newPassword: 'Amber-Harbour-Quiet-7' });
    const pending = await g.call('users.list', { includeInactive: false });
    expect(pending.ok === false && pending.error.kind).toBe('CommitmentRequired');
    const text = await g.must('commitment.get', { language: 'pl' });
    expect(text.title).toMatch(/poufności/);
    const accepted = await g.must('commitment.accept', { version: text.version });
    expect(accepted.commitmentPending).toBe(false);
    const denied = await g.call('users.list', { includeInactive: false });
    expect(denied.ok === false && denied.error.kind).toBe('PermissionDenied');
    const list = await admin.must('users.list', { includeInactive: true });
    expect(list.users.find((u) => u.username === 'guard.jan')?.commitmentAcceptedAtMs).toBe(t.clock.nowMs());
  });

  it('locks a user name after five wrong passwords, whether or not it exists, for the configured time', async () => {
    await setUpAdmin(t);
    for (const username of [ADMIN.username, 'nobody.here']) {
      const c = t.connect();
      const kinds: string[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await c.call('auth.signIn', { username, password: 'Wrong-Password-000' });
        kinds.push(r.ok ? 'ok' : r.error.kind);
      }
      expect(kinds).toEqual(['Unauthenticated', 'Unauthenticated', 'Unauthenticated', 'Unauthenticated', 'TooManyAttempts', 'TooManyAttempts']);
    }
    const c = t.connect();
    const stillLocked = await c.call('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    expect(stillLocked.ok === false && stillLocked.error.kind).toBe('TooManyAttempts');
    t.clock.advance(15 * 60_000);
    expect((await c.call('auth.signIn', { username: ADMIN.username, password: ADMIN.password })).ok).toBe(true);
  });

  it('locks an idle session in core and lets another user take over (BRN 33.3)', async () => {
    const admin = await setUpAdmin(t);
    await admin.must('users.create', {
      username: 'rev.ola', displayName: 'Ola Wiśniewska', role: 'reviewer', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [], basis: TEST_BASIS,
    });
    t.clock.advance(10 * 60_000);
    const r = await admin.call('users.list', { includeInactive: false });
    expect(r.ok === false && r.error.kind).toBe('SessionLocked');
    expect(await admin.must('session.activity', { input: true })).toEqual({ locked: true });
    const wrong = await admin.call('session.unlock', { password: 'Not-The-Password-1' });
    expect(wrong.ok).toBe(false);
    await admin.must('session.unlock', { password: ADMIN.password });
    expect((await admin.call('users.list', { includeInactive: false })).ok).toBe(true);
    await admin.must('session.lock', {});
    const taken = await admin.must('auth.signIn', { username: 'rev.ola', password: 'Temporary-Pass-2026' });
    expect(taken.user.username).toBe('rev.ola');
    const audit = await signInReady(t, ADMIN.username, ADMIN.password);
    const ended = await audit.must('audit.query', { filter: { action: 'session.' }, limit: 50 });
    expect(ended.entries.map((e) => `${e.action}:${e.actor}`)).toEqual(
      expect.arrayContaining(['session.locked:admin.anna', 'session.lock:admin.anna', 'session.ended:admin.anna']),
    );
    expect(ended.entries.find((e) => e.action === 'session.ended')?.details).toMatch(/replaced by sign-in of rev.ola/);
  });

  it('never deletes users: deactivation ends their sessions and keeps them in the trail', async () => {
    const admin = await setUpAdmin(t);
    // Another approver first: the last account that may approve grants cannot be deactivated.
    await addUser(t, admin, { username: 'aud.eva', role: 'auditor', groupIds: [] });
    const u = await admin.must('users.create', {
      username: 'aud.petr', displayName: 'Petr Novák', role: 'auditor', language: 'cs', initialPassword: 'Temporary-Pass-2026', groupIds: [], basis: TEST_BASIS,
    });
    await approveGrant(t, admin, 'aud.petr');
    const p = await signInReady(t, 'aud.petr', 'Temporary-Pass-2026');
    await admin.must('users.deactivate', { userId: u.id, reason: 'left the office' });
    const r = await p.call('audit.query', { filter: {}, limit: 10 });
    expect(r.ok === false && r.error.kind).toBe('Unauthenticated');
    const again = await t.connect().call('auth.signIn', { username: 'aud.petr', password: 'Temporary-Pass-2026-Renewed' });
    expect(again.ok === false && again.error.kind).toBe('Unauthenticated');
    const all = await admin.must('users.list', { includeInactive: true });
    expect(all.users.find((x) => x.id === u.id)?.active).toBe(false);
    const last = await admin.call('users.deactivate', { userId: 1, reason: 'testing the last admin' });
    expect(last.ok === false && last.error.kind).toBe('FailedPrecondition');
  });
});
