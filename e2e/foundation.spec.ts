// A new site's first day (docs/design/sign-in-and-sessions.md): first-run setup, colleagues with roles, each sees only their
// navigation, lockout, idle lock, the audit screen shows all of it, and audit:verify detects an
// altered row. Any console error, page error or failed request fails the test (fixtures.ts).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { ADMIN, DPO, GUARD, REVIEWER } from './people';
import { createUser, signOut, submitSignIn as signIn, tid } from './steps';

const REPO = path.resolve(import.meta.dirname, '..');

/** First sign-in of a user created by an administrator: new password, then the commitment. */
async function firstSignIn(page: Page, user: { username: string; temp: string; password: string }, shotPrefix?: string) {
  await signIn(page, user.username, user.temp);
  await expect(tid(page, 'chpw-screen')).toBeVisible();
  if (shotPrefix) await shot(page, `${shotPrefix}-change-password`);
  await tid(page, 'chpw-current').fill(user.temp);
  await tid(page, 'chpw-new').fill(user.password);
  await tid(page, 'chpw-confirm').fill(user.password);
  await tid(page, 'chpw-submit').click();
  await expect(tid(page, 'commitment-screen')).toBeVisible();
  if (shotPrefix) await shot(page, `${shotPrefix}-commitment`);
  await tid(page, 'commitment-accept-checkbox').check();
  await tid(page, 'commitment-accept').click();
  await expect(tid(page, 'nav')).toBeVisible();
}

async function navIds(page: Page): Promise<string[]> {
  const ids = await page.locator('[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  return ids.sort();
}

function auditVerify(dataDir: string) {
  return spawnSync(path.join(REPO, 'node_modules/.bin/tsx'), ['electron/core/audit/verify-cli.ts', '--data-dir', dataDir], { cwd: REPO, encoding: 'utf8' });
}

test('first day: setup, roles, lockout, idle lock, audit trail, tamper detection', async ({ page, host, errors }) => {
  void errors;
  await page.goto(host.url);

  await test.step('first-run setup creates the first administrator (no default accounts)', async () => {
    await expect(tid(page, 'setup-screen')).toBeVisible();
    await shot(page, '01-setup');
    await tid(page, 'setup-username').fill(ADMIN.username);
    await tid(page, 'setup-displayname').fill(ADMIN.displayName);
    // Weak password first: the engine refuses it and the screen says why.
    await tid(page, 'setup-password').fill('password1234');
    await tid(page, 'setup-password2').fill('password1234');
    await tid(page, 'setup-submit').click();
    await expect(tid(page, 'setup-error')).toBeVisible();
    await shot(page, '02-setup-weak-password');
    await tid(page, 'setup-password').fill(ADMIN.password);
    await tid(page, 'setup-password2').fill(ADMIN.password);
    await tid(page, 'setup-submit').click();
    await expect(tid(page, 'signin-screen')).toBeVisible();
    await shot(page, '03-signin');
  });

  await test.step('the administrator accepts the commitment and creates the data protection officer, a guard and a reviewer', async () => {
    await signIn(page, ADMIN.username, ADMIN.password);
    await expect(tid(page, 'commitment-screen')).toBeVisible();
    await shot(page, '04-commitment');
    await tid(page, 'commitment-accept-checkbox').check();
    await tid(page, 'commitment-accept').click();
    await expect(tid(page, 'admin-screen')).toBeVisible();
    expect(await navIds(page)).toEqual(['nav-access', 'nav-admin', 'nav-audit']);
    await tid(page, 'admin-tab-groups').click();
    await tid(page, 'groups-create').click();
    await tid(page, 'group-form-name').fill('Brama główna');
    await tid(page, 'group-form-submit').click();
    await expect(page.locator('[data-testid=group-row][data-group-name="Brama główna"]')).toBeVisible();
    await shot(page, '05-admin-groups');
    await tid(page, 'admin-tab-users').click();
    // The DPO first: the site's first approver of grants (its set-up); every later grant that
    // reaches footage waits for a second person (docs/design/authorised-persons.md).
    await createUser(page, DPO, /^Auditor/, null);
    await expect(page.locator(`[data-testid=user-row][data-username="${DPO.username}"] [data-testid=user-access]`)).toHaveCount(0);
    // Without a basis a grant to footage is refused, and the form says which field.
    await tid(page, 'users-create').click();
    await tid(page, 'user-form-username').fill(GUARD.username);
    await tid(page, 'user-form-displayname').fill(GUARD.displayName);
    await tid(page, 'user-form-password').fill(GUARD.temp);
    await tid(page, 'user-form-submit').click();
    await expect(tid(page, 'user-form-error')).toBeVisible();
    await shot(page, '06a-admin-user-without-basis');
    await tid(page, 'user-form-cancel').click();
    await createUser(page, GUARD, /^Guard$/, null);
    await createUser(page, REVIEWER, /^Reviewer$/, null);
    for (const u of [GUARD, REVIEWER]) await expect(page.locator(`[data-testid=user-row][data-username="${u.username}"] [data-testid=user-access]`)).toHaveAttribute('data-state', 'pending');
    await shot(page, '06-admin-users');
    await tid(page, 'admin-tab-security').click();
    await expect(tid(page, 'security-idle-lock')).toBeVisible();
    await shot(page, '07-admin-security');
    await signOut(page);
  });

  await test.step('until a second person approves, the guard sees nothing; the DPO approves both grants', async () => {
    await firstSignIn(page, GUARD, '08-guard');
    await expect(tid(page, 'parked-notice')).toHaveAttribute('data-state', 'pending');
    expect(await navIds(page)).toEqual([]);
    await shot(page, '08a-guard-waiting-for-approval');
    await signOut(page);
    await firstSignIn(page, DPO);
    await tid(page, 'nav-access').click();
    await expect(page.locator('[data-testid=grant-row][data-state=pending]')).toHaveCount(2);
    await shot(page, '08b-dpo-approval-queue');
    for (const u of [GUARD, REVIEWER]) {
      await page.locator(`[data-testid=grant-row][data-username="${u.username}"] [data-testid=grant-approve]`).click();
      await tid(page, 'grant-form-submit').click();
      await expect(tid(page, 'access-notice')).toContainText(u.username);
    }
    await expect(page.locator('[data-testid=grant-row]')).toHaveCount(0);
    await signOut(page);
  });

  await test.step('the guard sees only Live; the reviewer sees what reviewers may use', async () => {
    await signIn(page, GUARD.username, GUARD.password);
    await expect(tid(page, 'nav')).toBeVisible();
    expect(await navIds(page)).toEqual(['nav-live']);
    await shot(page, '09-guard-shell');
    await signOut(page);
    await firstSignIn(page, REVIEWER);
    expect(await navIds(page)).toEqual(['nav-exports', 'nav-holds', 'nav-incidents', 'nav-live', 'nav-playback']);
    await shot(page, '10-reviewer-shell');
    await signOut(page);
  });

  await test.step('five wrong passwords lock the user name; the message does not tell whether it exists', async () => {
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      await signIn(page, GUARD.username, `Wrong-Password-${i}x`);
      await expect(tid(page, 'signin-error')).toBeVisible();
      messages.push((await tid(page, 'signin-error').textContent()) ?? '');
    }
    await shot(page, '11-lockout');
    // The right password is refused while locked.
    await signIn(page, GUARD.username, GUARD.password);
    await expect(tid(page, 'signin-error')).toHaveAttribute('data-error-kind', 'TooManyAttempts');
    // An unknown user name gets the very same answers.
    const unknown: string[] = [];
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'no.such.user', `Wrong-Password-${i}x`);
      unknown.push((await tid(page, 'signin-error').textContent()) ?? '');
    }
    expect(unknown).toEqual(messages);
  });

  await test.step('the console locks itself after the idle time, and unlocks with the password', async () => {
    await signIn(page, REVIEWER.username, REVIEWER.password);
    await expect(tid(page, 'nav')).toBeVisible();
    // The engine's clock moves on 11 minutes: the next heartbeat finds the session idle.
    await host.advanceClock(11 * 60_000);
    await expect(tid(page, 'lock-screen')).toBeVisible({ timeout: 15_000 });
    await expect(tid(page, 'nav')).toHaveCount(0);
    await shot(page, '12-idle-lock');
    await tid(page, 'unlock-password').fill(REVIEWER.password);
    await tid(page, 'unlock-submit').click();
    await expect(tid(page, 'nav')).toBeVisible();
    await signOut(page);
  });

  await test.step('the audit screen shows all of it; opening it is itself audited', async () => {
    await signIn(page, ADMIN.username, ADMIN.password);
    await tid(page, 'nav-audit').click();
    await expect(tid(page, 'audit-row').first()).toBeVisible();
    const actions = await page.locator('[data-testid=audit-row]').allTextContents();
    const all = actions.join('\n');
    for (const a of ['setup.createAdmin', 'commitment.accept', 'users.create', 'auth.lockout', 'session.locked', 'session.unlock', 'auth.signIn', 'audit.query']) {
      expect(all, `audit screen lists ${a}`).toContain(a);
    }
    await tid(page, 'audit-filter-action').fill('auth.lockout');
    await tid(page, 'audit-filter-apply').click();
    await expect(tid(page, 'audit-row')).toHaveCount(2);
    await tid(page, 'audit-details-toggle').first().click();
    await shot(page, '13-audit');
    // In Polish too.
    await tid(page, 'header-language').click();
    await page.getByRole('option', { name: 'Polski' }).click();
    await expect(tid(page, 'nav-audit')).toContainText('Dziennik');
    await shot(page, '14-audit-pl');
    await signOut(page);
  });

  await test.step('audit:verify passes, then names the first bad entry after a row is altered', async () => {
    await host.stop();
    const good = auditVerify(host.dataDir);
    expect(good.status, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(/audit log intact/);
    const db = new BetterSqlite3(path.join(host.dataDir, 'console.sqlite'));
    db.exec('DROP TRIGGER audit_log_no_update');
    const victim = db.prepare("SELECT seq FROM audit_log WHERE action = 'users.create' ORDER BY seq LIMIT 1").get() as { seq: number };
    db.prepare("UPDATE audit_log SET actor = 'someone.else' WHERE seq = ?").run(victim.seq);
    db.close();
    const bad = auditVerify(host.dataDir);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`first bad entry seq ${victim.seq}`);
  });
});
