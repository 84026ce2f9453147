// The register of data-subject requests (BRN art. 15-17; JON 17-20; docs/design/subject-requests.md):
// the data protection officer (auditor role) records a person's request for a copy of their footage
// with the identity check, extends the month once with the reason the requester was told, and links
// the data subject's export request a reviewer registered (produced only with other people redacted,
// JON 19). Screenshots in English and Polish at 1366x768. Any console error, page error or failed
// request fails the test.
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { REVIEWER } from './people';
import { addRtspCameraBySocket, createGroupBySocket, createUserBySocket, pick, readyUserBySocket, setUpAdminBySocket, signIn, signInBySocket, tid } from './steps';

test.use({ viewport: { width: 1366, height: 768 } });

const ADMIN = { username: 'admin.anna', displayName: 'Anna Nowak', password: 'Kamera-Wschod-2024!x' };
const OFFICER = { username: 'dpo.marta', displayName: 'Marta Lis', temp: 'Cichy-Port-2031', password: 'Wysoki-Brzeg-2032' };
const REASON = 'Footage of six cameras over two days must be reviewed and other people covered';

async function language(page: Page, option: 'English' | 'Polski') {
  await tid(page, 'header-language').click();
  await page.getByRole('option', { name: option }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', option === 'English' ? 'en' : 'pl');
}

test('the DPO records a request for a copy, extends it once and links the data subject’s export', async ({ page, host, errors }) => {
  void errors;
  const admin = await setUpAdminBySocket(host.url, ADMIN);
  const groupId = await createGroupBySocket(admin, 'Dworzec');
  const cameraId = await addRtspCameraBySocket(admin, { name: 'Kasy biletowe', site: 'Dworzec Główny', groupId, purpose: 'Safety of passengers', mainUrl: 'rtsp://127.0.0.1:9/x' });
  await createUserBySocket(admin, { ...REVIEWER, role: 'reviewer', groupIds: [groupId] });
  await createUserBySocket(admin, { ...OFFICER, role: 'auditor' });
  admin.close();
  await readyUserBySocket(host.url, OFFICER);
  // The copy itself is a data subject's export request, registered in Exports by a reviewer.
  const reviewer = await signInBySocket(host.url, { username: REVIEWER.username, password: REVIEWER.temp, newPassword: REVIEWER.password });
  const now = Date.now();
  const exportRequest = await reviewer.must('exports.create', {
    bodyType: 'data_subject',
    bodyName: 'Anna Wiśniewska',
    bodyReference: 'RODO-12/26',
    receivedAtMs: now - 3_600_000,
    purpose: 'Copy of her own recorded footage at the ticket office',
    legalBasis: 'Art. 15(3) GDPR',
    urgent: false,
    recipient: 'Anna Wiśniewska',
    incidentId: null,
    items: [{ cameraId, fromMs: now - 30 * 60_000, toMs: now - 25 * 60_000 }],
  });
  reviewer.close();

  await page.goto(host.url);
  await signIn(page, OFFICER.username, OFFICER.password);

  await test.step('the officer records the request with the identity check; the month runs', async () => {
    await tid(page, 'nav-subjects').click();
    await expect(tid(page, 'subjects-empty')).toBeVisible();
    await tid(page, 'subjects-record').click();
    await expect(tid(page, 'subject-record-kind-hint')).toContainText('every other person redacted');
    await pick(page, 'subject-record-channel', 'In person');
    await tid(page, 'subject-record-name').fill('Anna Wiśniewska');
    await tid(page, 'subject-record-contact').fill('anna.w@example.org');
    await tid(page, 'subject-record-footage').fill('Ticket office, today about 10:15');
    await tid(page, 'subject-record-identity-now').check();
    await tid(page, 'subject-identity-checked-by').fill('Front desk, Jan Kowalski');
    await shot(page, 'subject-requests-01-record');
    await tid(page, 'subject-record-submit').click();
    await expect(tid(page, 'subject-detail-reference')).toHaveText('DSR-1');
    await expect(tid(page, 'subject-detail-deadline')).toHaveAttribute('data-state', 'ok');
    await expect(tid(page, 'subject-detail-deadline')).toHaveText(/^Answer by \d{2}\/\d{2}\/\d{4}$/);
    await expect(tid(page, 'subject-detail-identity')).toHaveText('Identity document seen; checked by Front desk, Jan Kowalski');
    await expect(tid(page, 'subject-row')).toHaveCount(1);
  });

  await test.step('extended once by two months, with the reason the requester was told', async () => {
    const before = await tid(page, 'subject-detail-deadline').textContent();
    await tid(page, 'subject-extend').click();
    await expect(tid(page, 'subject-extend-form')).toContainText('Once only, by one or two further months');
    await tid(page, 'subject-extend-reason').fill(REASON);
    await shot(page, 'subject-requests-02-extend');
    await tid(page, 'subject-extend-submit').click();
    await expect(tid(page, 'subject-detail-extension')).toContainText('Extended by 2 month(s) until');
    await expect(tid(page, 'subject-detail-deadline')).not.toHaveText(before ?? '');
    // Once only: the step is no longer offered (the engine refuses a second one too).
    await expect(tid(page, 'subject-extend')).toHaveCount(0);
    await expect(tid(page, 'subject-history-entry').last()).toContainText('Deadline extended');
  });

  await test.step('the data subject’s export request is linked; it will be produced only with other people redacted', async () => {
    await tid(page, 'subject-link').click();
    await pick(page, 'subject-link-target', new RegExp(`^EXP-${exportRequest.id} · Anna Wiśniewska`));
    await tid(page, 'subject-link-submit').click();
    const link = tid(page, 'subject-link-entry');
    await expect(link).toHaveCount(1);
    await expect(link).toContainText(`Export EXP-${exportRequest.id} · Awaiting decision`);
    await expect(tid(page, 'subject-link-redaction')).toHaveText('Not produced yet: it will be only with other people redacted');
    await shot(page, 'subject-requests-03-linked-en');
  });

  await test.step('a refusal is not sent without its reason and the remedies told (BRN 16.2)', async () => {
    await tid(page, 'subject-decide').click();
    await tid(page, 'subject-decide-outcome').getByText('Refused', { exact: true }).click();
    await tid(page, 'subject-decide-submit').click();
    await expect(tid(page, 'subject-decide-form')).toContainText('Give the reason in 10 to 2000 characters.');
    await expect(tid(page, 'subject-decide-form')).toContainText('Confirm that the answer tells the requester about the complaint and the court.');
    // The segmented control's indicator slides to its choice: shot once it has arrived.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await shot(page, 'subject-requests-04-refusal-needs-reason');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(tid(page, 'subject-detail-status')).toHaveAttribute('data-status', 'open');
  });

  await test.step('in Polish', async () => {
    await language(page, 'Polski');
    await expect(tid(page, 'nav-subjects')).toContainText('Żądania osób');
    await expect(tid(page, 'subject-detail-deadline')).toHaveText(/^Odpowiedź do \d{2}\.\d{2}\.\d{4}$/);
    await expect(tid(page, 'subject-link-entry')).toContainText(`Wniosek o eksport EXP-${exportRequest.id}`);
    await shot(page, 'subject-requests-05-linked-pl');
    await language(page, 'English');
  });
});
