// The breach register (JON 21-23; BRN 36-38; docs/design/breaches.md): a guard reports a suspected
// breach in one step from the top bar; the data protection officer (auditor role) finds it in the
// register, assesses it as category 2, and the 72-hour clock shows the time left; the register is
// saved as a file (CSV in Polish: BOM, semicolons, the record with its history). Screenshots in
// English and Polish at 1366x768. Any console error, page error or failed request fails the test.
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { GUARD } from './people';
import { createUserBySocket, readyUserBySocket, setUpAdminBySocket, signIn, signOut, tid } from './steps';

test.use({ viewport: { width: 1366, height: 768 } });

const ADMIN = { username: 'admin.anna', displayName: 'Anna Nowak', password: 'Kamera-Wschod-2024!x' };
const DPO = { username: 'dpo.ewa', displayName: 'Ewa Lis', temp: 'Niebieski-Statek-88', password: 'Czerwony-Rower-2025' };
const WHAT = 'The wall monitor faced the public corridor window for an hour';

async function language(page: Page, option: 'English' | 'Polski') {
  await tid(page, 'header-language').click();
  await page.getByRole('option', { name: option }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', option === 'English' ? 'en' : 'pl');
}

test('a guard reports a breach in one step; the DPO categorises it and the clock shows', async ({ page, host, errors }) => {
  void errors;
  const admin = await setUpAdminBySocket(host.url, ADMIN);
  await createUserBySocket(admin, { ...GUARD, role: 'guard' });
  await createUserBySocket(admin, { ...DPO, role: 'auditor' });
  admin.close();
  await readyUserBySocket(host.url, GUARD);
  await readyUserBySocket(host.url, DPO);
  await page.goto(host.url);

  await test.step('the guard reports from the top bar in one step and gets its reference', async () => {
    await signIn(page, GUARD.username, GUARD.password);
    await tid(page, 'report-breach-button').click();
    await tid(page, 'breach-report-what').fill(WHAT);
    await tid(page, 'breach-report-records').fill('live view of the north platform');
    await shot(page, 'breaches-01-report');
    await tid(page, 'breach-report-submit').click();
    await expect(tid(page, 'breach-reported')).toHaveText(/Reported as BR-1\./);
    // The guard reads no register: no section for it.
    await expect(tid(page, 'nav-breaches')).toHaveCount(0);
    await signOut(page);
  });

  await test.step('the DPO sees it at once, unassessed, with the 72-hour clock running', async () => {
    await signIn(page, DPO.username, DPO.password);
    await tid(page, 'nav-breaches').click();
    const row = tid(page, 'breach-row').filter({ hasText: 'BR-1' });
    await expect(row).toContainText(WHAT);
    await expect(tid(page, 'breach-clock-1')).toHaveAttribute('data-state', 'running');
    await expect(tid(page, 'breach-clock-1')).toHaveText(/^7[12] h \d+ min left$/);
    await expect(tid(page, 'breaches-unassessed')).toHaveText('Not assessed yet: 1');
    await row.click();
    await expect(tid(page, 'breach-detail-category')).toHaveAttribute('data-category', 'none');
  });

  await test.step('the DPO assesses it as category 2: the authority must be notified, the clock shows', async () => {
    await tid(page, 'breach-assess').click();
    await tid(page, 'breach-assess-category').getByText('2 · serious', { exact: false }).click();
    await expect(tid(page, 'breach-assess-form')).toContainText('notify the supervisory authority within 72 hours of discovery');
    await tid(page, 'breach-assess-reasoning').fill('Travellers on the platform were identifiable from the corridor');
    await tid(page, 'breach-assess-submit').click();
    await expect(tid(page, 'breach-detail-category')).toHaveAttribute('data-category', '2');
    await expect(tid(page, 'breach-detail-clock')).toHaveText(/^72-hour clock: 7[12] h \d+ min left$/);
    await expect(tid(page, 'breach-notify-authority')).toBeVisible();
    await expect(tid(page, 'breach-history-entry')).toHaveCount(2);
    await expect(tid(page, 'breach-history-entry').nth(1)).toContainText('Category 2');
    await shot(page, 'breaches-02-assessed-en');
  });

  await test.step('in Polish', async () => {
    await language(page, 'Polski');
    await expect(tid(page, 'breach-detail-clock')).toHaveText(/^Termin 72 godzin: Zostało 7[12] godz\. \d+ min$/);
    await expect(tid(page, 'report-breach-button')).toHaveText('Zgłoś naruszenie');
    await shot(page, 'breaches-03-assessed-pl');
  });

  await test.step('the DPO saves the register in Polish as a CSV a Polish spreadsheet opens, with the record and its history', async () => {
    await tid(page, 'breach-detail-close').click();
    await tid(page, 'breaches-export').click();
    const downloaded = page.waitForEvent('download');
    await tid(page, 'breaches-export-csv').click();
    const file = await (await downloaded).path();
    await expect(tid(page, 'breaches-export-done')).toContainText('wpisów: 1');
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('Numer;Status;Co się stało;Wykrycie i zgłoszenie;Kategoria i ocena;Termin 72 godzin;Zawiadomienia;Historia');
    expect(text).toContain(`BR-1;Otwarte;"${WHAT}`);
    expect(text).toContain('2 · poważne: zawiadomić organ');
    expect(text).toMatch(/jan\.guard · Zgłoszono: wykryto/);
    expect(text).toMatch(/dpo\.ewa · Oceniono: kategoria 2/);
    await language(page, 'English');
  });
});
