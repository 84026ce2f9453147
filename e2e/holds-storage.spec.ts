// Legal holds and storage (docs/design/recording.md; R1, R2, §6; ELB 1.13, 1.14, JON 11): an administrator
// sets up a camera and two colleagues; a reviewer secures footage for the police and cannot release
// it; a supervisor extends and releases a hold with reasons; a hold left past its review date is
// flagged; the history shows who did what. The administrator sees the storage page with its
// settings, and a critical alarm turns the shell red; a supervisor sees storage without settings.
// Holds need no video: the camera points at an address where nothing answers.
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { ADMIN, REVIEWER } from './people';
import { adminWithReviewTeam, firstSignIn, pick, signIn, signOut, tid } from './steps';

const SUPERVISOR = { username: 'piotr.super', displayName: 'Piotr Zieliński', temp: 'Zolty-Autobus-2031', password: 'Szary-Parasol-4412' };
const GROUP = 'Dworzec autobusowy';
const CAMERA = 'Peron 3';
const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');
/** Local `YYYY-MM-DD`, as a date input takes it (the browser runs in the test's time zone). */
const dateInput = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
const dateTimeInput = (ms: number) => {
  const d = new Date(ms);
  return `${dateInput(ms)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

const holdRow = (page: Page, caseReference: string) => page.locator(`[data-testid=hold-row][data-case="${caseReference}"]`);

/** Fills the place-hold form: one camera row over the given range. */
async function placeHold(
  page: Page,
  h: { kind: 'legal' | 'data_subject'; caseReference: string; body: string; basis: string; reason: string; reviewMs: number; fromMs: number; toMs: number },
) {
  await tid(page, 'holds-place').click();
  await expect(tid(page, 'hold-form')).toBeVisible();
  if (h.kind === 'data_subject') await tid(page, 'hold-form-kind').getByText('Data subject request').click();
  await tid(page, 'hold-form-case').fill(h.caseReference);
  await tid(page, 'hold-form-body').fill(h.body);
  await tid(page, 'hold-form-basis').fill(h.basis);
  await tid(page, 'hold-form-review').fill(dateInput(h.reviewMs));
  await tid(page, 'hold-form-reason').fill(h.reason);
  await pick(page, 'hold-form-item-camera', new RegExp(CAMERA));
  await tid(page, 'hold-form-item-from').fill(dateTimeInput(h.fromMs));
  await tid(page, 'hold-form-item-to').fill(dateTimeInput(h.toMs));
}

test('legal holds from placing to release, overdue reviews, and the storage page by role', async ({ page, host, errors }) => {
  void errors;
  const now = Date.now();

  await test.step('the administrator sets up a group, a camera, a reviewer and a supervisor (through the socket), then signs in', async () => {
    await adminWithReviewTeam(page, host.url, { admin: ADMIN, group: GROUP, camera: CAMERA, reviewer: REVIEWER, supervisor: SUPERVISOR });
  });

  await test.step('the administrator sees the storage page with its settings', async () => {
    // Storage lives in Administration for administrators; no extra navigation entry.
    await expect(tid(page, 'nav-storage')).toHaveCount(0);
    await tid(page, 'admin-tab-storage').click();
    await expect(tid(page, 'storage-screen')).toBeVisible();
    await expect(tid(page, 'storage-root')).toHaveCount(1);
    await expect(tid(page, 'storage-settings')).toBeVisible();
    await expect(tid(page, 'storage-delete')).toBeVisible();
    await expect(tid(page, 'deletion-log-empty')).toBeVisible();
    const row = page.locator(`[data-testid=recording-status-row][data-name="${CAMERA}"]`);
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute('data-state', 'waiting_for_video');
    await expect(row).toContainText('Waiting for video');
    // Why it waits, in the word its tile and the camera tree use (the camera's address answers nothing).
    await expect(row.getByTestId('recording-camera-state')).toHaveAttribute('data-state', 'no_signal', { timeout: 30_000 });
    await expect(row.getByTestId('recording-camera-state')).toHaveText('No signal');
    await expect(tid(page, 'storage-alarms-empty')).toBeVisible();
    await expect(tid(page, 'storage-critical-banner')).toHaveCount(0);
    await shot(page, 'storage-01-admin');
  });

  await test.step('a free-space floor above the disk raises a critical alarm: the shell turns red until it clears', async () => {
    // Only held footage could be deleted (there is none): recording stops and says so (R2 over R1).
    await tid(page, 'storage-settings-floor').fill('1000000');
    await tid(page, 'storage-settings-submit').click();
    await expect(tid(page, 'storage-settings-saved')).toHaveText('Changes saved.');
    await expect(tid(page, 'storage-critical-banner')).toBeVisible();
    await expect(tid(page, 'storage-critical-banner')).toContainText('recording has stopped');
    await expect(page.locator('[data-testid=storage-alarm][data-active=true][data-severity=critical]')).toHaveCount(1);
    await expect(page.locator(`[data-testid=recording-status-row][data-name="${CAMERA}"]`)).toHaveAttribute('data-state', 'stopped_storage_full', { timeout: 20_000 });
    await expect(tid(page, 'storage-root-below-floor')).toBeVisible();
    await shot(page, 'storage-02-critical-alarm');
    // From another page the banner is still there and leads back to storage.
    await tid(page, 'admin-tab-users').click();
    await expect(tid(page, 'storage-critical-banner')).toBeVisible();
    await tid(page, 'storage-critical-banner-open').click();
    await expect(tid(page, 'storage-screen')).toBeVisible();

    await tid(page, 'storage-settings-floor').fill('1');
    await tid(page, 'storage-settings-submit').click();
    await expect(tid(page, 'storage-critical-banner')).toHaveCount(0);
    await expect(page.locator('[data-testid=storage-alarm][data-active=false][data-severity=critical]')).toHaveCount(1);
  });

  await test.step('deleting by hand reports what was deleted and what was kept', async () => {
    await pick(page, 'storage-delete-camera', new RegExp(CAMERA));
    await tid(page, 'storage-delete-from').fill(dateTimeInput(now - 2 * DAY_MS));
    await tid(page, 'storage-delete-to').fill(dateTimeInput(now - DAY_MS));
    await tid(page, 'storage-delete-reason').fill('Footage recorded during a platform test');
    await tid(page, 'storage-delete-submit').click();
    await tid(page, 'storage-delete-confirm').check();
    await tid(page, 'storage-delete-run').click();
    await expect(tid(page, 'storage-delete-result')).toHaveAttribute('data-deleted', '0');
    await expect(tid(page, 'storage-delete-result')).toHaveAttribute('data-kept', '0');
    await signOut(page);
  });

  const POLICE = 'RSD-451/2026';
  const SUBJECT = 'WN-17/2026';
  await test.step('the reviewer secures footage for the police and for a data subject, and cannot release holds', async () => {
    await firstSignIn(page, REVIEWER);
    await expect(tid(page, 'nav-storage')).toHaveCount(0);
    await tid(page, 'nav-holds').click();
    await expect(tid(page, 'holds-screen')).toBeVisible();
    await expect(tid(page, 'holds-empty')).toBeVisible();

    await placeHold(page, {
      kind: 'legal',
      caseReference: POLICE,
      body: 'Komenda Miejska Policji',
      basis: 'Art. 217 KPK',
      reason: 'Theft of a bag on platform 3, evidence for the police',
      reviewMs: now + 30 * DAY_MS,
      fromMs: now - 3 * 3_600_000,
      toMs: now - 2 * 3_600_000,
    });
    // A second range on the same hold.
    await tid(page, 'hold-form-add-item').click();
    await expect(tid(page, 'hold-form-item')).toHaveCount(2);
    await tid(page, 'hold-form-item-from').nth(1).fill(dateTimeInput(now - 26 * 3_600_000));
    await tid(page, 'hold-form-item-to').nth(1).fill(dateTimeInput(now - 25 * 3_600_000));
    await shot(page, 'holds-01-reviewer-place');
    await tid(page, 'hold-form-submit').click();
    await expect(holdRow(page, POLICE)).toHaveAttribute('data-status', 'active');
    await expect(holdRow(page, POLICE)).toHaveAttribute('data-overdue', 'false');

    // A review date in the past is refused in words.
    await placeHold(page, {
      kind: 'data_subject',
      caseReference: SUBJECT,
      body: 'Jan Nowak (passenger)',
      basis: 'Art. 15 RODO, ELB 1.14',
      reason: 'The passenger asks to secure footage of his fall for the insurer',
      reviewMs: now - 2 * DAY_MS,
      fromMs: now - 5 * 3_600_000,
      toMs: now - 4 * 3_600_000,
    });
    await tid(page, 'hold-form-submit').click();
    await expect(tid(page, 'hold-form-error')).toContainText('The review date must be in the future.');
    await tid(page, 'hold-form-review').fill(dateInput(now + DAY_MS));
    await tid(page, 'hold-form-submit').click();
    await expect(holdRow(page, SUBJECT)).toBeVisible();
    await expect(tid(page, 'hold-row')).toHaveCount(2);

    await holdRow(page, POLICE).click();
    await expect(tid(page, 'hold-detail')).toBeVisible();
    await expect(tid(page, 'hold-item')).toHaveCount(2);
    await expect(tid(page, 'hold-extend')).toBeVisible();
    await expect(tid(page, 'hold-release')).toHaveCount(0);
    await shot(page, 'holds-02-reviewer-detail');
    await signOut(page);
  });

  await test.step('the supervisor extends one hold and releases it with a reason', async () => {
    await firstSignIn(page, SUPERVISOR);
    await tid(page, 'nav-holds').click();
    await holdRow(page, POLICE).click();
    await tid(page, 'hold-extend').click();
    await tid(page, 'hold-extend-review').fill(dateInput(now + 90 * DAY_MS));
    await tid(page, 'hold-extend-add-item').click();
    await pick(page, 'hold-extend-item-camera', new RegExp(CAMERA));
    await tid(page, 'hold-extend-item-from').fill(dateTimeInput(now - 50 * 3_600_000));
    await tid(page, 'hold-extend-item-to').fill(dateTimeInput(now - 49 * 3_600_000));
    await tid(page, 'hold-extend-reason').fill('The police asked for the day before as well');
    await shot(page, 'holds-03-supervisor-extend');
    await tid(page, 'hold-extend-submit').click();
    await expect(tid(page, 'hold-item')).toHaveCount(3);
    await expect(tid(page, 'hold-history-entry')).toHaveCount(2);

    await tid(page, 'hold-release').click();
    await expect(tid(page, 'hold-release-submit')).toBeDisabled();
    await tid(page, 'hold-release-reason').fill('Proceedings discontinued, the prosecutor returned the case');
    await expect(tid(page, 'hold-release-submit')).toBeDisabled();
    await tid(page, 'hold-release-confirm').check();
    await shot(page, 'holds-04-supervisor-release');
    await tid(page, 'hold-release-submit').click();
    // The list shows active holds by default: the released one leaves it.
    await expect(holdRow(page, POLICE)).toHaveCount(0);
    await pick(page, 'holds-filter-status', /^All$/);
    await expect(holdRow(page, POLICE)).toHaveAttribute('data-status', 'released');
    await expect(tid(page, 'hold-release')).toHaveCount(0);
    await expect(tid(page, 'hold-extend')).toHaveCount(0);
    await expect(page.locator('[data-testid=hold-history-entry]').nth(2)).toHaveAttribute('data-action', 'released');
    await expect(tid(page, 'hold-detail-released')).toContainText('Proceedings discontinued');
    await signOut(page);
  });

  await test.step('past its review date an active hold is flagged as overdue', async () => {
    await host.advanceClock(3 * DAY_MS);
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password);
    await tid(page, 'nav-holds').click();
    await expect(holdRow(page, SUBJECT)).toHaveAttribute('data-overdue', 'true');
    await expect(holdRow(page, SUBJECT).getByTestId('hold-overdue-badge')).toBeVisible();
    await expect(tid(page, 'holds-overdue-count')).toBeVisible();
    await tid(page, 'holds-filter-overdue').check();
    await expect(tid(page, 'hold-row')).toHaveCount(1);
    await pick(page, 'holds-filter-status', /^All$/);
    await expect(tid(page, 'hold-row')).toHaveCount(1);
    await tid(page, 'holds-filter-overdue').uncheck();
    await expect(tid(page, 'hold-row')).toHaveCount(2);
    await tid(page, 'holds-filter-search').fill('RSD-451');
    await expect(tid(page, 'hold-row')).toHaveCount(1);
    await tid(page, 'holds-filter-search').fill('');
    await holdRow(page, SUBJECT).click();
    await expect(tid(page, 'hold-detail-overdue')).toBeVisible();
    await shot(page, 'holds-05-supervisor-overdue');
  });

  await test.step('the supervisor reads the history of the released hold, in Czech', async () => {
    await tid(page, 'header-language').click();
    await page.getByRole('option', { name: 'Čeština' }).click();
    await expect(tid(page, 'nav-holds')).toContainText('Zajištění záznamů');
    await holdRow(page, POLICE).click();
    await expect(tid(page, 'hold-history-entry')).toHaveCount(3);
    await expect(tid(page, 'hold-history')).toContainText('Zrušeno');
    await expect(tid(page, 'hold-history')).toContainText(REVIEWER.username);
    await expect(tid(page, 'hold-history')).toContainText(SUPERVISOR.username);
    // The engine's part of each line is worded in Czech, its instants in local time.
    const history = await tid(page, 'hold-history').innerText();
    expect(history).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|review date|range\(s\) added|Handed over/);
    expect(history).toMatch(/[Pp]řidané úseky: 1/);
    await shot(page, 'holds-06-history-cs');
  });

  await test.step('the supervisor sees the storage page without settings or deletion', async () => {
    await tid(page, 'nav-storage').click();
    await expect(tid(page, 'storage-screen')).toBeVisible();
    await expect(tid(page, 'recording-status-row')).toHaveCount(1);
    await expect(tid(page, 'deletion-log')).toBeVisible();
    await expect(tid(page, 'storage-settings')).toHaveCount(0);
    await expect(tid(page, 'storage-delete')).toHaveCount(0);
    await expect(page.locator('[data-testid=storage-alarm][data-active=false]')).toHaveCount(1);
    await shot(page, 'storage-03-supervisor-cs');
  });
});
