// An export from request to handover (docs/design/exports.md; R6; ELB 1.12, JON 17-20, KRK §5.3.5): an
// administrator sets the site country and a camera that records. A reviewer watching the recording
// requests an export of what is on screen. Supervisor A registers a request of their own and cannot
// approve it, neither in the interface nor by sending the command to the engine; supervisor B
// approves the reviewer's request after reading it. The reviewer produces it with the time burned in
// and one redaction box, sees the progress, then the package, which `export:verify` checks offline;
// the reviewer records the handover. An auditor finds the whole chain in the audit log.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { expect, shot, test } from './fixtures';
import { ADMIN, REVIEWER } from './people';
import { addRtspCameraBySocket, createGroupBySocket, createUserBySocket, firstSignIn, openPlaybackWithReason, pick, proxyConsoleSocket, recordedMs, setUpAdminBySocket, signIn, signOut, tid, type SocketSeat } from './steps';

const REPO = path.resolve(import.meta.dirname, '..');
const SUP_A = { username: 'ewa.sup', displayName: 'Ewa Zielińska', temp: 'Szary-Kamien-4411', password: 'Wysoka-Brama-2031' };
const SUP_B = { username: 'piotr.sup', displayName: 'Piotr Lewandowski', temp: 'Bialy-Most-7720', password: 'Dluga-Ulica-4410' };
const AUDITOR = { username: 'marta.audit', displayName: 'Marta Kaczmarek', temp: 'Zloty-Klucz-5151', password: 'Cicha-Woda-8080' };
const GROUP = 'Tramwaje';
const CAMERA = 'Przystanek Rondo';
const POLICE = 'Komenda Miejska Policji w Krakowie';
const POLICE_REF = 'RSD-114/26';
const APPROVAL = 'Request is lawful and limited to the assault at the stop';
/** Footage recorded before the reviewer asks for it. */
const FOOTAGE_MS = 15_000;

/** `npm run export:verify -- PATH`, as a court's expert would run it. */
function verifyPackage(dir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/export-verify.ts', dir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** Drags a rectangle on the redaction frame, corners in fractions of the frame. */
async function drawBox(page: Page, x0: number, y0: number, x1: number, y1: number) {
  const box = (await tid(page, 'redaction-canvas').boundingBox())!;
  await page.mouse.move(box.x + x0 * box.width, box.y + y0 * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + ((x0 + x1) / 2) * box.width, box.y + ((y0 + y1) / 2) * box.height, { steps: 4 });
  await page.mouse.move(box.x + x1 * box.width, box.y + y1 * box.height, { steps: 4 });
  await page.mouse.up();
}

const row = (page: Page, exportId: number) => page.locator(`[data-testid=export-row][data-export-id="${exportId}"]`);
const queueRow = (page: Page, exportId: number) => page.locator(`[data-testid=exports-queue-row][data-export-id="${exportId}"]`);

test('exports: a reviewer requests from playback, supervisor A cannot approve their own, supervisor B approves, burn-in with a redaction box, the package verifies, handover, the audit shows the chain', async ({
  page,
  host,
  errors,
}) => {
  void errors; // the fixture fails the test on console errors and failed requests
  test.setTimeout(420_000);
  let sim: SimulatorHandle | null = null;
  const seats: SocketSeat[] = [];
  const socket = proxyConsoleSocket(page);
  await socket.ready;
  try {
    sim = await startSimulator({ cameras: 1, size: SMALL_PICTURE });
    const cam = sim.cameras[0]!;
    // The administrator's seat stays open: it watches the recording (as the storage page does).
    const recorder = await setUpAdminBySocket(host.url, ADMIN);
    seats.push(recorder);
    let cameraId = 0;

    await test.step('an administrator adds a recording camera, a reviewer, two supervisors and an auditor (through the socket), then sets the site country', async () => {
      const groupId = await createGroupBySocket(recorder, GROUP);
      cameraId = await addRtspCameraBySocket(recorder, { name: CAMERA, site: 'Rondo Mogilskie', groupId, purpose: 'Safety of passengers at the tram stop', mainUrl: cam.rtspMain, user: cam.user, password: cam.password });
      await createUserBySocket(recorder, { ...REVIEWER, role: 'reviewer', groupIds: [groupId] });
      await createUserBySocket(recorder, { ...SUP_A, role: 'supervisor', groupIds: [groupId] });
      await createUserBySocket(recorder, { ...SUP_B, role: 'supervisor', groupIds: [groupId] });
      await createUserBySocket(recorder, { ...AUDITOR, role: 'auditor' });
      await page.goto(host.url);
      await signIn(page, ADMIN.username, ADMIN.password);

      // The site country: deadlines follow its working days and holidays. No key until the first package.
      await tid(page, 'admin-tab-security').click();
      await expect(tid(page, 'site-fingerprint-none')).toBeVisible();
      await tid(page, 'site-country').getByText('Lithuania').click();
      await tid(page, 'site-country-save').click();
      await expect(tid(page, 'site-saved')).toBeVisible();
      await tid(page, 'site-country').getByText('Poland').click();
      await tid(page, 'site-country-save').click();
      await expect(tid(page, 'site-saved')).toBeVisible();
      await expect(tid(page, 'site-country-save')).toBeDisabled();
      await shot(page, 'exports-01-admin-site-country');
      await signOut(page);
    });

    // The camera records for a while: enough footage that producing it takes ffmpeg a while (the
    // progress and the time left are shown meanwhile).
    await expect.poll(() => recordedMs(recorder, cameraId), { timeout: 90_000, intervals: [500] }).toBeGreaterThanOrEqual(FOOTAGE_MS);
    recorder.close();

    let reviewerExport = 0;
    await test.step('a reviewer in playback gives the reason, then requests an export of what is on screen', async () => {
      await firstSignIn(page, REVIEWER);
      await openPlaybackWithReason(page, { category: 'Request from police, court or prosecutor', text: 'Police asked for the assault at the tram stop', reference: POLICE_REF });
      await expect(tid(page, 'playback-request-export')).toBeEnabled();
      await tid(page, 'playback-request-export').click();

      const modal = tid(page, 'export-request-modal');
      await expect(modal).toBeVisible();
      // Prefilled: the camera shown and the visible range.
      await expect(tid(page, 'export-form-item-camera')).toHaveValue(new RegExp(CAMERA));
      await expect(tid(page, 'export-form-item-from')).not.toHaveValue('');
      // Nothing is sent while something is missing.
      await tid(page, 'export-form-submit').click();
      await expect(modal).toContainText('Describe the purpose in at least 10 characters.');
      await expect(tid(page, 'export-form-basis')).toHaveAttribute('placeholder', /Art\. 217 §1 of the Code of Criminal Procedure/);
      await tid(page, 'export-form-body-name').fill(POLICE);
      await tid(page, 'export-form-reference').fill(POLICE_REF);
      await tid(page, 'export-form-purpose').fill('Evidence of an assault at the tram stop on the evening shift');
      await tid(page, 'export-form-basis').fill('Art. 217 §1 of the Code of Criminal Procedure');
      await tid(page, 'export-form-urgent').check();
      await tid(page, 'export-form-recipient').fill('asp. Jan Nowak, KMP Kraków');
      await shot(page, 'exports-02-reviewer-request');
      await tid(page, 'export-form-submit').click();
      await expect(tid(page, 'export-created')).toBeVisible();
      reviewerExport = Number(await tid(page, 'export-created').getAttribute('data-export-id'));
      expect(reviewerExport).toBeGreaterThan(0);
      await expect(tid(page, 'export-created-number')).toHaveText(`EXP-${reviewerExport}`);
      // Urgent: one working day; the deadline is shown at once.
      await expect(tid(page, 'export-created-deadline')).toBeVisible();
      await shot(page, 'exports-03-reviewer-created');
      await tid(page, 'export-created-close').click();
      await expect(tid(page, 'export-request-modal')).toHaveCount(0);
      await signOut(page);
    });

    let ownExport = 0;
    await test.step('supervisor A registers a request of their own and cannot approve it, not even by asking the engine', async () => {
      await firstSignIn(page, SUP_A);
      await tid(page, 'nav-exports').click();
      await expect(queueRow(page, reviewerExport)).toBeVisible();
      await tid(page, 'exports-new').click();
      await pick(page, 'export-form-body-type', 'Data subject');
      await tid(page, 'export-form-body-name').fill('Tomasz Malinowski');
      await tid(page, 'export-form-reference').fill('Letter of 3 March');
      await tid(page, 'export-form-purpose').fill('Copy of his own recording at the stop, access request');
      await expect(tid(page, 'export-form-basis')).toHaveAttribute('placeholder', /GDPR Art\. 15\(3\)/);
      await tid(page, 'export-form-basis').fill('GDPR Art. 15(3)');
      await expect(tid(page, 'export-form-urgent')).toHaveCount(0);
      await tid(page, 'export-form-recipient').fill('Tomasz Malinowski');
      await pick(page, 'export-form-item-camera', new RegExp(CAMERA));
      await tid(page, 'export-form-submit').click();
      await expect(tid(page, 'export-created')).toBeVisible();
      ownExport = Number(await tid(page, 'export-created').getAttribute('data-export-id'));
      await tid(page, 'export-created-close').click();

      await expect(queueRow(page, ownExport)).toBeVisible();
      await shot(page, 'exports-04-supervisor-queue');
      await queueRow(page, ownExport).click();
      const detail = tid(page, 'export-detail');
      await expect(detail).toHaveAttribute('data-status', 'pending');
      await expect(tid(page, 'export-own-request')).toBeVisible();
      await expect(tid(page, 'export-approve')).toHaveCount(0);
      await expect(tid(page, 'export-reject')).toHaveCount(0);
      // A data subject's deadline can be extended (by a supervisor, with a reason).
      await expect(tid(page, 'export-extend')).toBeVisible();
      await shot(page, 'exports-05-own-request');
      const refused = (await socket.call('exports.decide', { exportId: ownExport, approve: true, reason: 'Approving my own request directly' })) as { ok: boolean; error?: { kind: string } };
      expect(refused.ok).toBe(false);
      await tid(page, 'export-detail-close').click();
      await tid(page, 'exports-refresh').click();
      await expect(row(page, ownExport)).toHaveAttribute('data-status', 'pending');
      await signOut(page);
    });

    await test.step('supervisor B reads the reviewer’s request and approves it with a reason', async () => {
      await firstSignIn(page, SUP_B);
      await tid(page, 'nav-exports').click();
      await queueRow(page, reviewerExport).click();
      await expect(tid(page, 'export-detail')).toHaveAttribute('data-status', 'pending');
      await tid(page, 'export-approve').click();
      const modal = tid(page, 'export-decide-modal');
      await expect(modal).toBeVisible();
      await expect(tid(page, 'export-decide-summary')).toContainText(POLICE);
      await expect(tid(page, 'export-decide-summary')).toContainText('Art. 217 §1');
      await expect(tid(page, 'export-decide-submit')).toBeDisabled();
      await tid(page, 'export-decide-reason').fill(APPROVAL);
      await shot(page, 'exports-06-supervisor-approve');
      await tid(page, 'export-decide-submit').click();
      await expect(modal).toHaveCount(0);
      await expect(tid(page, 'export-detail')).toHaveAttribute('data-status', 'approved');
      await expect(tid(page, 'export-detail-decision')).toContainText(APPROVAL);
      // Decided requests leave the queue.
      await expect(queueRow(page, reviewerExport)).toHaveCount(0);
      await tid(page, 'export-detail-close').click();
      await signOut(page);
    });

    let packagePath = '';
    await test.step('the reviewer produces it with burn-in and one redaction box, and sees the progress, then the package', async () => {
      await signIn(page, REVIEWER.username, REVIEWER.password);
      await tid(page, 'nav-exports').click();
      await row(page, reviewerExport).click();
      await expect(tid(page, 'export-detail')).toHaveAttribute('data-status', 'approved');
      await tid(page, 'export-produce').click();
      await expect(tid(page, 'export-produce-modal')).toBeVisible();
      await tid(page, 'export-produce-mode-burn_in').check();
      await expect(tid(page, 'redaction-canvas')).toBeVisible();
      // A passer-by: a box at the start of the range, and a second key at the end where they walked to.
      await drawBox(page, 0.1, 0.4, 0.25, 0.8);
      await expect(tid(page, 'redaction-box')).toHaveCount(1);
      await tid(page, 'redaction-box-label').fill('Passer-by in a green coat');
      await tid(page, 'redaction-jump-100').click();
      await drawBox(page, 0.6, 0.35, 0.78, 0.8);
      await expect(tid(page, 'redaction-key')).toHaveCount(2);
      await tid(page, 'redaction-jump-50').click();
      await expect(tid(page, 'redaction-box')).toHaveAttribute('data-at-key', 'false');
      await shot(page, 'exports-07-redaction');
      await tid(page, 'export-produce-submit').click();
      await expect(tid(page, 'export-produce-modal')).toHaveCount(0);
      await expect(tid(page, 'export-progress')).toBeVisible();
      await expect(tid(page, 'export-progress-percent')).toContainText('%');
      // The bar moves and time left is estimated (the engine reports progress while ffmpeg runs).
      await expect
        .poll(async () => ((await tid(page, 'export-package-path').count()) > 0 ? 'done' : ((await tid(page, 'export-progress-eta').textContent()) ?? '')), { timeout: 120_000, intervals: [250] })
        .toMatch(/left$|^done$/);
      if ((await tid(page, 'export-progress').count()) > 0) await shot(page, 'exports-08-producing');
      await expect(tid(page, 'export-package-path')).toBeVisible({ timeout: 180_000 });
      await expect(tid(page, 'export-detail')).toHaveAttribute('data-status', 'produced');
      await expect(tid(page, 'export-manifest-sha')).toHaveText(/^[0-9a-f]{64}$/);
      packagePath = (await tid(page, 'export-package-path').textContent())!.trim();
      await shot(page, 'exports-09-produced');
    });

    await test.step('export:verify checks the package offline', async () => {
      const { code, out } = await verifyPackage(packagePath);
      expect(code, out).toBe(0);
      expect(out).toContain('RESULT: the package is intact');
    });

    await test.step('before the handover, a supervisor releases the hold that protects the package only by naming the export', async () => {
      await signOut(page);
      await signIn(page, SUP_B.username, SUP_B.password);
      await tid(page, 'nav-holds').click();
      await page.locator(`[data-testid=hold-row][data-case="${POLICE_REF}"]`).click();
      await expect(tid(page, 'hold-detail-protects-export')).toContainText(`EXP-${reviewerExport}`);
      await tid(page, 'hold-release').click();
      await expect(tid(page, 'hold-release-protects-export')).toContainText(`EXP-${reviewerExport}`);
      await tid(page, 'hold-release-reason').fill('The case was closed by the prosecutor');
      await tid(page, 'hold-release-confirm').check();
      await expect(tid(page, 'hold-release-submit')).toBeDisabled();
      await tid(page, 'hold-release-confirm-export').fill(`EXP-${reviewerExport}`);
      await expect(tid(page, 'hold-release-submit')).toBeEnabled();
      await shot(page, 'exports-10a-hold-protects-export');
      // Left as it is: the package is handed over next.
      await page.keyboard.press('Escape');
      await expect(tid(page, 'hold-release-form')).toHaveCount(0);
      await signOut(page);
      await signIn(page, REVIEWER.username, REVIEWER.password);
      await tid(page, 'nav-exports').click();
      await row(page, reviewerExport).click();
      await expect(tid(page, 'export-detail')).toHaveAttribute('data-status', 'produced');
    });

    await test.step('the reviewer records the handover; the history shows the whole chain', async () => {
      await tid(page, 'export-handover').click();
      await expect(tid(page, 'export-handover-received-by')).toHaveValue('asp. Jan Nowak, KMP Kraków');
      await tid(page, 'export-handover-medium-dvd').click();
      await tid(page, 'export-handover-medium').fill('DVD-R, serial 0042-1187');
      await tid(page, 'export-handover-note').fill('Receipt signed, police ID checked');
      await shot(page, 'exports-10-handover');
      await tid(page, 'export-handover-submit').click();
      await expect(tid(page, 'export-handover-modal')).toHaveCount(0);
      await expect(tid(page, 'export-detail')).toHaveAttribute('data-status', 'handed_over');
      await expect(tid(page, 'export-detail-handover')).toContainText('DVD-R, serial 0042-1187');
      const actions = await page.locator('[data-testid=export-history-entry]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
      for (const a of ['requested', 'approved', 'production started', 'produced', 'handed over']) expect(actions).toContain(a);
      await tid(page, 'export-history').scrollIntoViewIfNeeded();
      await shot(page, 'exports-11-history');
    });

    await test.step('in Polish, the history has no English from the engine and no UTC timestamps', async () => {
      await tid(page, 'header-language').click();
      await page.getByRole('option', { name: 'Polski' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
      const history = tid(page, 'export-history');
      await expect(history).toContainText('termin decyzji');
      await expect(history).toContainText('Odbiorca: asp. Jan Nowak, KMP Kraków');
      await expect(history).toContainText('Receipt signed, police ID checked'); // the person's own words stay as written
      const text = await history.innerText();
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(text).toMatch(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/);
      for (const english of ['decision due', 'copy without', 'burn-in', 'redaction box', 'file(s)', "engine's copy", 'Cancelled', 'hold #', 'over the approved ranges']) expect(text).not.toContain(english);
      await tid(page, 'export-history').scrollIntoViewIfNeeded();
      await shot(page, 'exports-11-history-pl');
      await tid(page, 'header-language').click();
      await page.getByRole('option', { name: 'English' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await tid(page, 'export-detail-close').click();
      await signOut(page);
    });

    await test.step('an auditor sees the chain in the audit log: request, decision with its reason, production, handover', async () => {
      await firstSignIn(page, AUDITOR);
      await tid(page, 'nav-audit').click();
      await tid(page, 'audit-filter-action').fill('exports.');
      await tid(page, 'audit-filter-apply').click();
      const rows = page.locator('[data-testid=audit-row]');
      await expect(rows.filter({ hasText: 'exports.create' })).toHaveCount(2);
      const decisions = rows.filter({ hasText: 'exports.decide' });
      await expect(decisions.filter({ hasText: APPROVAL })).toHaveCount(1);
      // Supervisor A's direct attempt is in the log too, denied.
      await expect(decisions.filter({ hasText: SUP_A.username }).filter({ hasText: 'Denied' })).toHaveCount(1);
      await expect(rows.filter({ hasText: 'exports.produce' }).first()).toBeVisible();
      await expect(rows.filter({ hasText: 'exports.handover' })).toHaveCount(1);
      await shot(page, 'exports-12-audit-chain');
    });
  } finally {
    for (const seat of seats) seat.close();
    await sim?.close();
  }
});
