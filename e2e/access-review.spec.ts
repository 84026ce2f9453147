// The periodic access review (BRN art. 34(1)(ii), JON 15.3; docs/design/access-review.md): the data
// protection officer (auditor role) opens a review by hand; the guard's camera group used for a live
// view is not flagged, the group never used is; the DPO revokes the unused one with a reason and the
// guard no longer sees its cameras at once. Screenshots in English and Czech at 1366x768. Any
// console error, page error or failed request fails the test.
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { GUARD } from './people';
import { addRtspCameraBySocket, createGroupBySocket, createUserBySocket, readyUserBySocket, setUpAdminBySocket, signIn, signInBySocket, tid } from './steps';

test.use({ viewport: { width: 1366, height: 768 } });

const ADMIN = { username: 'admin.anna', displayName: 'Anna Nowak', password: 'Kamera-Wschod-2024!x' };
const DPO = { username: 'dpo.ewa', displayName: 'Ewa Lis', temp: 'Niebieski-Statek-88', password: 'Czerwony-Rower-2025' };
const REASON = 'Works on the north platform only since the March roster';

async function language(page: Page, option: 'English' | 'Čeština') {
  await tid(page, 'header-language').click();
  await page.getByRole('option', { name: option }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', option === 'English' ? 'en' : 'cs');
}

const line = (page: Page, username: string, group: string) => page.locator(`[data-testid="review-line"][data-username="${username}"][data-group="${group}"]`);

test('the DPO opens an access review and revokes a camera group the guard never used', async ({ page, host, errors }) => {
  void errors;
  const admin = await setUpAdminBySocket(host.url, ADMIN);
  const north = await createGroupBySocket(admin, 'North platform');
  const south = await createGroupBySocket(admin, 'South platform');
  const northCam = await addRtspCameraBySocket(admin, { name: 'North gate', site: 'Dworzec Główny', groupId: north, purpose: 'Safety of passengers on the platforms', mainUrl: 'rtsp://127.0.0.1:9/north' });
  const southCam = await addRtspCameraBySocket(admin, { name: 'South gate', site: 'Dworzec Główny', groupId: south, purpose: 'Safety of passengers on the platforms', mainUrl: 'rtsp://127.0.0.1:9/south' });
  await createUserBySocket(admin, { ...GUARD, role: 'guard', groupIds: [north, south] });
  await createUserBySocket(admin, { ...DPO, role: 'auditor' });
  admin.close();
  await readyUserBySocket(host.url, DPO);
  // The guard watches the north gate: the audit log records that use of the North group.
  const guard = await signInBySocket(host.url, { username: GUARD.username, password: GUARD.temp, newPassword: GUARD.password });
  await guard.must('live.open', { cameraId: northCam, stream: 'main' });
  expect((await guard.must('cameras.list', {})).cameras.map((c) => c.id).sort()).toEqual([northCam, southCam].sort());

  await page.goto(host.url);
  await test.step('the DPO finds no review yet and opens one', async () => {
    await signIn(page, DPO.username, DPO.password);
    await tid(page, 'nav-access-review').click();
    await expect(tid(page, 'access-review-empty')).toBeVisible();
    await expect(tid(page, 'access-review-schedule')).toContainText('Access is reviewed every 6 months');
    await tid(page, 'access-review-open').click();
    await expect(tid(page, 'access-review-summary')).toHaveAttribute('data-status', 'open');
    await expect(tid(page, 'access-review-schedule')).toContainText(/Review AR-1 is open since/);
  });

  await test.step('the group used for a live view is not flagged; the one never used is', async () => {
    await expect(line(page, GUARD.username, 'North platform')).toHaveAttribute('data-unused', 'false');
    await expect(line(page, GUARD.username, 'South platform')).toHaveAttribute('data-unused', 'true');
    await expect(line(page, GUARD.username, 'South platform').getByTestId('review-line-unused')).toHaveText('Unused');
    await expect(line(page, GUARD.username, 'South platform')).toContainText('never');
    // The DPO's own line is decided by someone else.
    await expect(page.locator(`[data-testid="review-line"][data-username="${DPO.username}"][data-kind="role"]`).getByTestId('review-line-own')).toBeVisible();
    await shot(page, 'access-review-01-open-en');
  });

  await test.step('the DPO revokes the unused group with a reason: it takes effect at once', async () => {
    await line(page, GUARD.username, 'South platform').getByTestId('review-line-revoke').click();
    await expect(tid(page, 'review-revoke-effect')).toContainText('stops seeing the cameras of the group South platform at once');
    await tid(page, 'review-revoke-reason').fill(REASON);
    await shot(page, 'access-review-02-revoke-en');
    await tid(page, 'review-revoke-submit').click();
    await expect(line(page, GUARD.username, 'South platform')).toHaveAttribute('data-decision', 'revoked');
    await expect(line(page, GUARD.username, 'South platform')).toContainText(REASON);
    await expect(tid(page, 'access-review-count')).toContainText('1 revoked');
    expect((await guard.must('cameras.list', {})).cameras.map((c) => c.id)).toEqual([northCam]);
    expect((await guard.call('live.open', { cameraId: southCam, stream: 'main' })).ok).toBe(false);
    await shot(page, 'access-review-03-revoked-en');
  });

  await test.step('in Czech', async () => {
    await language(page, 'Čeština');
    await expect(tid(page, 'nav-access-review')).toHaveAttribute('aria-label', 'Přezkum oprávnění');
    await expect(line(page, GUARD.username, 'South platform')).toContainText('Odebráno');
    await expect(line(page, GUARD.username, 'North platform').getByTestId('review-line-confirm')).toHaveText('Potvrdit');
    await shot(page, 'access-review-04-revoked-cs');
    await line(page, GUARD.username, 'North platform').getByTestId('review-line-revoke').click();
    await expect(tid(page, 'review-revoke-effect')).toContainText('okamžitě přestane vidět kamery skupiny North platform');
    await shot(page, 'access-review-05-revoke-cs');
    await page.keyboard.press('Escape');
    await language(page, 'English');
  });
  guard.close();
});
