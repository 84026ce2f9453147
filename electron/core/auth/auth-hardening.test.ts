// Faults found by an attacker in sign-in and the idle lock, each named after what broke.
// JON 15.6 (lockout), BRN 33.3 (lock the workstation when the operator leaves it).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, addOfflineCamera, addUser, setUpAdmin, signInReady, startTestEngine, TEST_PASSWORD, type TestEngine } from '../testing/harness';

let t: TestEngine;
beforeEach(async () => {
  t = await startTestEngine();
});
afterEach(async () => {
  await t.dispose();
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('lockout is bypassed by guessing in parallel (fixed)', () => {
  it('40 guesses sent at once: at most the threshold are checked, and the right password last is refused', async () => {
    await setUpAdmin(t);
    const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? ADMIN.password : `Wrong-Guess-${i}-xyz`));
    const results = await Promise.all(guesses.map((password) => t.connect().call('auth.signIn', { username: ADMIN.username, password })));
    const kinds = results.map((r) => (r.ok ? 'ok' : r.error.kind));
    // Each checked guess is a wrong password (Unauthenticated) until the threshold locks the name.
    expect(kinds.filter((k) => k === 'Unauthenticated').length).toBeLessThanOrEqual(5);
    expect(kinds.filter((k) => k === 'ok')).toEqual([]);
    expect(kinds[39]).toBe('TooManyAttempts');
    expect(kinds.filter((k) => k === 'TooManyAttempts').length).toBeGreaterThanOrEqual(35);
    // And the name stays locked for the right password too, until the lockout time has passed.
    const after = await t.connect().call('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    expect(!after.ok && after.error.kind).toBe('TooManyAttempts');
    t.clock.advance(15 * 60_000 + 1);
    expect((await t.connect().call('auth.signIn', { username: ADMIN.username, password: ADMIN.password })).ok).toBe(true);
  });

  it('a right password among the first guesses still signs in (the budget is the threshold, not less)', async () => {
    await setUpAdmin(t);
    const guesses = [`Wrong-Guess-a-xyz`, ADMIN.password, `Wrong-Guess-b-xyz`];
    const results = await Promise.all(guesses.map((password) => t.connect().call('auth.signIn', { username: ADMIN.username, password })));
    expect(results[1]!.ok).toBe(true);
  });
});

describe('the idle lock does not lock (fixed)', () => {
  it("a wall's polls are not the operator's input: the console locks after the idle time", async () => {
    const admin = await setUpAdmin(t);
    const g = await admin.must('groups.create', { name: 'Lobby', description: '' });
    await addOfflineCamera(admin, 'Lobby 1', g.id);
    const guard = await addUser(t, admin, { username: 'guard.idle', role: 'guard', groupIds: [g.id] });
    // Twelve minutes of a wall polling tile states every few seconds, and nobody touching it.
    for (let i = 0; i < 12 * 12; i++) {
      t.clock.advance(5000);
      await guard.call('live.status', { viewIds: [] });
      await guard.call('session.activity', { input: false });
    }
    const s = await guard.must('session.status', {});
    expect(s.signedIn && s.session.locked).toBe(true);
  });

  it("reported input keeps it unlocked", async () => {
    const admin = await setUpAdmin(t);
    const guard = await addUser(t, admin, { username: 'guard.busy', role: 'guard', groupIds: [] });
    for (let i = 0; i < 12 * 12; i++) {
      t.clock.advance(5000);
      await guard.must('session.activity', { input: true });
    }
    const s = await guard.must('session.status', {});
    expect(s.signedIn && s.session.locked).toBe(false);
  });

  it("a seat that sends nothing is locked by the engine's own timer, and its media tokens stop at that moment", async () => {
    const admin = await setUpAdmin(t);
    const g = await admin.must('groups.create', { name: 'Yard', description: '' });
    const cameraId = await addOfflineCamera(admin, 'Yard 1', g.id);
    const guard = await addUser(t, admin, { username: 'guard.gone', role: 'guard', groupIds: [g.id] });
    const view = await guard.must('live.open', { cameraId, stream: 'main' });
    const init = view.url.replace('index.m3u8', 'init-0.mp4');
    // The operator walks away: the seat sends no command and no input, only its player keeps
    // fetching media (which keeps the token fresh) until the idle time has passed.
    for (let s = 0; s < 30; s++) {
      expect((await fetch(init)).status, `media refused after ${s * 20} s`).not.toBe(403);
      t.clock.advance(20_000);
    }
    t.clock.advance(1);
    await waitFor(async () => (await fetch(init)).status === 403);
    await t.engine.audit.drain();
    // (The administrator's console locked too; they sign in again to read the trail.)
    const reader = await signInReady(t, ADMIN.username, ADMIN.password);
    const locked = await reader.must('audit.query', { filter: { actor: 'guard.gone', action: 'session.locked' }, limit: 5 });
    expect(locked.entries.length).toBe(1);
    const ended = await reader.must('audit.query', { filter: { actor: 'guard.gone', action: 'live.view.ended' }, limit: 5 });
    expect(ended.entries[0]?.details).toContain('console locked');
    // Unlocking does not revive the old token: a new view is opened.
    await guard.must('session.unlock', { password: `${TEST_PASSWORD}-Renewed` });
    expect((await fetch(view.url)).status).toBe(403);
  });
});
