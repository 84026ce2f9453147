// Password age and reuse as the site sets them (JON 15.6; docs/design/sign-in-and-sessions.md
// "Password age and reuse"): the administrator sets both on the security tab, the clock moves past
// the age, and the guard's next sign-in is the forced password change, saying why; an earlier
// password is refused in words. Any console error, page error or failed request fails the test.
import { expect, shot, test } from './fixtures';
import { ADMIN, GUARD } from './people';
import { createUserBySocket, readyUserBySocket, setUpAdminBySocket, signIn, signOut, submitSignIn, tid } from './steps';

const DAY_MS = 86_400_000;

test('an expired password is changed at sign-in, and an earlier one is refused', async ({ page, host, errors }) => {
  void errors;
  const admin = await setUpAdminBySocket(host.url, ADMIN);
  await createUserBySocket(admin, { ...GUARD, role: 'guard' });
  admin.close();
  await readyUserBySocket(host.url, GUARD);
  await page.goto(host.url);

  await test.step('the administrator sets 30 days and 2 earlier passwords on the security tab', async () => {
    await signIn(page, ADMIN.username, ADMIN.password);
    await tid(page, 'admin-tab-security').click();
    const maxAge = tid(page, 'security-password-max-age');
    await expect(maxAge).toHaveValue('90');
    await expect(tid(page, 'security-password-history')).toHaveValue('5');
    await expect(tid(page, 'security-settings')).toContainText('0: passwords never expire');
    // 10 days is neither 0 nor 30..365: the field says so (its hint in red) and nothing is sent.
    await maxAge.fill('10');
    await tid(page, 'security-save').click();
    await expect(maxAge).toHaveAttribute('aria-invalid', 'true');
    await expect(tid(page, 'security-saved')).toBeHidden();
    await maxAge.fill('30');
    await tid(page, 'security-password-history').fill('2');
    await tid(page, 'security-save').click();
    await expect(tid(page, 'security-saved')).toBeVisible();
    await shot(page, 'password-age-01-security');
    await signOut(page);
  });

  await test.step('31 days on, the guard must choose a new password and is told why', async () => {
    await host.advanceClock(31 * DAY_MS);
    await submitSignIn(page, GUARD.username, GUARD.password);
    await expect(tid(page, 'chpw-screen')).toBeVisible();
    await expect(tid(page, 'chpw-reason')).toHaveText('Your password is older than this site allows. Choose a new one before you continue.');
    await shot(page, 'password-age-02-expired');
  });

  await test.step('the temporary password from before is refused as used before; a new one is accepted', async () => {
    await tid(page, 'chpw-current').fill(GUARD.password);
    await tid(page, 'chpw-new').fill(GUARD.temp);
    await tid(page, 'chpw-confirm').fill(GUARD.temp);
    await tid(page, 'chpw-submit').click();
    await expect(tid(page, 'chpw-screen')).toContainText('You have used this password before. Choose one you have not used recently.');
    await shot(page, 'password-age-03-reused');
    await tid(page, 'chpw-new').fill('Jasny-Peron-Wiosna-5');
    await tid(page, 'chpw-confirm').fill('Jasny-Peron-Wiosna-5');
    await tid(page, 'chpw-submit').click();
    await expect(tid(page, 'nav')).toBeVisible();
  });
});
