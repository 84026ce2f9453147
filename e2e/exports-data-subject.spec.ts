// A data subject's package (JON 19; docs/design/exports.md "Data-subject packages"): the produce
// dialog says the rule, offers to confirm that the redaction boxes cover every other person (once
// there are boxes) or to attest with a reason that nobody else is visible, and starts nothing until
// one is given. Set up through the socket; the dialog in English and in Polish at 1366x768. The
// engine's refusal itself is tested in electron/core/exports/exports-data-subject.test.ts.
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { ADMIN, REVIEWER } from './people';
import { addRtspCameraBySocket, createGroupBySocket, createUserBySocket, proxyConsoleSocket, readyUserBySocket, setUpAdminBySocket, signIn, signInBySocket, tid } from './steps';

const SUPERVISOR = { username: 'ewa.sup', displayName: 'Ewa Zielińska', temp: 'Szary-Kamien-4411', password: 'Wysoka-Brama-2031' };

async function language(page: Page, option: 'English' | 'Polski') {
  await tid(page, 'header-language').click();
  await page.getByRole('option', { name: option }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', option === 'English' ? 'en' : 'pl');
}

/** Drags a rectangle on the redaction frame, corners in fractions of the frame. */
async function drawBox(page: Page, x0: number, y0: number, x1: number, y1: number) {
  const box = (await tid(page, 'redaction-canvas').boundingBox())!;
  await page.mouse.move(box.x + x0 * box.width, box.y + y0 * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + x1 * box.width, box.y + y1 * box.height, { steps: 6 });
  await page.mouse.up();
}

test('a data subject’s package: the produce dialog says the rule and asks for the boxes’ confirmation or an attestation with a reason', async ({ page, host, errors }) => {
  void errors;
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const socket = proxyConsoleSocket(page);
  await socket.ready;
  let exportId = 0;

  await test.step('set up through the socket: a camera, a reviewer and a supervisor; the reviewer registers a data subject request, the supervisor approves it', async () => {
    const admin = await setUpAdminBySocket(host.url, ADMIN);
    const groupId = await createGroupBySocket(admin, 'Kasy biletowe');
    const cameraId = await addRtspCameraBySocket(admin, { name: 'Kasa 2', site: 'Dworzec Główny', groupId, purpose: 'Safety at the ticket office', mainUrl: 'rtsp://127.0.0.1:9/x' });
    await createUserBySocket(admin, { ...REVIEWER, role: 'reviewer', groupIds: [groupId] });
    await createUserBySocket(admin, { ...SUPERVISOR, role: 'supervisor', groupIds: [groupId] });
    admin.close();
    await readyUserBySocket(host.url, REVIEWER);
    const reviewer = await signInBySocket(host.url, REVIEWER);
    const now = Date.now();
    const e = await reviewer.must('exports.create', {
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
    exportId = e.id;
    reviewer.close();
    const supervisor = await signInBySocket(host.url, { username: SUPERVISOR.username, password: SUPERVISOR.temp, newPassword: SUPERVISOR.password });
    await supervisor.must('exports.decide', { exportId, approve: true, reason: 'Identity of the person checked at the desk' });
    supervisor.close();
  });

  const openProduce = async () => {
    await tid(page, 'nav-exports').click();
    await page.locator(`[data-testid=export-row][data-export-id="${exportId}"]`).click();
    await expect(tid(page, 'export-detail')).toHaveAttribute('data-status', 'approved');
    await tid(page, 'export-produce').click();
    await expect(tid(page, 'export-produce-modal')).toBeVisible();
  };

  await test.step('English: burn-in is chosen, the rule is said, nothing starts until the boxes are confirmed', async () => {
    await page.goto(host.url);
    await signIn(page, REVIEWER.username, REVIEWER.password);
    await openProduce();
    await expect(tid(page, 'export-produce-mode-burn_in')).toBeChecked();
    await expect(tid(page, 'export-produce-data-subject')).toContainText('nobody other than the person who asked');
    // No boxes yet: only the attestation is offered, and the start is held.
    await expect(tid(page, 'export-produce-confirm-boxes')).toHaveCount(0);
    await expect(tid(page, 'export-produce-others-missing')).toContainText('Draw redaction boxes over the other people');
    await expect(tid(page, 'export-produce-submit')).toBeDisabled();
    await shot(page, 'exports-data-subject-00-en-rule');
    await drawBox(page, 0.55, 0.3, 0.7, 0.85);
    await expect(tid(page, 'redaction-box')).toHaveCount(1);
    await tid(page, 'redaction-box-label').fill('Man at the next window');
    await expect(tid(page, 'export-produce-others')).toContainText('I confirm that the redaction box covers every person other than the data subject');
    await expect(tid(page, 'export-produce-submit')).toBeDisabled();
    await tid(page, 'export-produce-confirm-boxes').check();
    await expect(tid(page, 'export-produce-submit')).toBeEnabled();
    await expect(tid(page, 'redaction-track')).toBeVisible();
    await tid(page, 'export-produce-modal').locator('.mantine-Modal-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shot(page, 'exports-data-subject-01-en');
    await page.keyboard.press('Escape');
    await expect(tid(page, 'export-produce-modal')).toHaveCount(0);
  });

  await test.step('Polish: copy mode offers only the attestation; a reason too short holds the start', async () => {
    await tid(page, 'export-detail-close').click();
    await language(page, 'Polski');
    await openProduce();
    await expect(tid(page, 'export-produce-data-subject')).toContainText('nikogo poza osobą, która o nią prosi');
    await tid(page, 'export-produce-mode-copy').check();
    await expect(tid(page, 'export-produce-confirm-boxes')).toHaveCount(0);
    await tid(page, 'export-produce-attest').check();
    await tid(page, 'export-produce-attest-reason').fill('krótko');
    await expect(tid(page, 'export-produce-submit')).toBeDisabled();
    await expect(tid(page, 'export-produce-modal')).toContainText('Wpisz co najmniej 10 znaków.');
    await tid(page, 'export-produce-attest-reason').fill('Obejrzano cały zakres w odtwarzaniu: przy okienku stoi tylko wnioskodawczyni');
    await expect(tid(page, 'export-produce-submit')).toBeEnabled();
    await shot(page, 'exports-data-subject-02-pl');
    await page.keyboard.press('Escape');
    await language(page, 'English');
  });
});
