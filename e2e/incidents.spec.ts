// Incidents (docs/design/playback.md "Incidents"; KRK §1.16): a guard marks an incident on the live wall with one key,
// and the incident keeps the moment the key was pressed, not the moment the form was saved. A
// reviewer finds it in the list, adds a note, closes it with a reason and reopens it. An
// administrator adds a category and cannot remove one in use. An auditor sees how many playback
// sessions each user opened without naming an incident or a case. No video is needed: the camera
// points where nothing answers.
import fs from 'node:fs';
import { expect, shot, test } from './fixtures';
import { ADMIN, GUARD, REVIEWER } from './people';
import { addRtspCameraBySocket, createGroupBySocket, createUserBySocket, firstSignIn, openPlaybackWithReason, pick, setUpAdminBySocket, signIn, signOut, tid } from './steps';

const AUDITOR = { username: 'eva.dpo', displayName: 'Eva Nováková', temp: 'Modry-Kocour-4471', password: 'Tichy-Pramen-9032' };
const GROUP = 'Dworzec';
const CAMERA = 'Peron 3';

test('incidents: a key on the live wall keeps its moment; notes, close and reopen with reasons; categories; unlinked viewing', async ({ page, host, errors }) => {
  void errors;
  test.setTimeout(240_000);
  let cameraId = 0;

  await test.step('an administrator sets up a camera, a guard, a reviewer and an auditor (through the socket)', async () => {
    const admin = await setUpAdminBySocket(host.url, ADMIN);
    const groupId = await createGroupBySocket(admin, GROUP);
    cameraId = await addRtspCameraBySocket(admin, { name: CAMERA, site: 'Dworzec Główny', groupId, purpose: 'Safety of passengers on the platforms', mainUrl: 'rtsp://127.0.0.1:9/peron3' });
    await createUserBySocket(admin, { ...GUARD, role: 'guard', groupIds: [groupId] });
    await createUserBySocket(admin, { ...REVIEWER, role: 'reviewer', groupIds: [groupId] });
    await createUserBySocket(admin, { ...AUDITOR, role: 'auditor' });
    admin.close();
    await page.goto(host.url);
    await expect(tid(page, 'signin-screen')).toBeVisible();
  });

  let markedAtMs = 0;
  await test.step('a guard presses M on the wall; the incident keeps that moment', async () => {
    await firstSignIn(page, GUARD);
    await expect(tid(page, `tile-mark-${cameraId}`)).toBeVisible();
    await expect(tid(page, 'nav-incidents')).toHaveCount(0);
    await page.keyboard.press('m');
    await expect(tid(page, 'mark-incident-modal')).toBeVisible();
    markedAtMs = Number(await tid(page, 'mark-incident-time').getAttribute('data-at-ms'));
    expect(Math.abs(Date.now() - markedAtMs)).toBeLessThan(5000);
    // The guard takes a while to fill the form: the engine's clock moves on a minute (a mark may be
    // up to 15 minutes old), and the time stays the key press, on screen and in the saved incident.
    await host.advanceClock(60_000);
    await pick(page, 'mark-incident-category', 'Violence');
    await tid(page, 'mark-incident-note').fill('Two men fighting on platform 3, one fell.');
    await expect(tid(page, 'mark-incident-time')).toHaveAttribute('data-at-ms', String(markedAtMs));
    await shot(page, 'incidents-01-mark');
    await tid(page, 'mark-incident-submit').click();
    await expect(tid(page, 'live-mark-notice')).toContainText('INC-1');
    await signOut(page);
  });

  await test.step('a reviewer finds it, adds a note, closes and reopens it with reasons', async () => {
    await firstSignIn(page, REVIEWER);
    await tid(page, 'nav-incidents').click();
    const row = tid(page, 'incident-row-1');
    await expect(row).toHaveAttribute('data-start-ms', String(markedAtMs));
    await expect(row).toContainText(CAMERA);
    await row.click();
    await expect(tid(page, 'incident-detail')).toBeVisible();
    await expect(tid(page, 'incident-notes')).toContainText('Two men fighting on platform 3');
    await tid(page, 'incident-note-input').fill('Police patrol informed at 12:05, arrived 6 minutes later.');
    await tid(page, 'incident-note-add').click();
    await expect(tid(page, 'incident-notes')).toContainText('Police patrol informed');
    await tid(page, 'incident-close').click();
    await tid(page, 'incident-reason-input').fill('Handed over to the police, nothing more to do here.');
    await tid(page, 'incident-reason-submit').click();
    await expect(tid(page, 'incident-detail-status')).toHaveAttribute('data-status', 'closed');
    await expect(tid(page, 'incident-history')).toContainText('Handed over to the police');
    await tid(page, 'incident-reopen').click();
    await tid(page, 'incident-reason-input').fill('The police asked for the footage of the second camera too.');
    await tid(page, 'incident-reason-submit').click();
    await expect(tid(page, 'incident-detail-status')).toHaveAttribute('data-status', 'open');
    await shot(page, 'incidents-02-detail');
    await page.keyboard.press('Escape');

    // A playback session without an incident or case reference (nothing recorded: it still counts).
    await openPlaybackWithReason(page, { category: 'System check', text: 'Checking that the platform camera records' });
    await signOut(page);
  });

  await test.step('an administrator adds a category and cannot remove one in use', async () => {
    await signIn(page, ADMIN.username, ADMIN.password);
    await tid(page, 'admin-tab-incidents').click();
    await tid(page, 'category-new-label').fill('Graffiti');
    await tid(page, 'category-add').click();
    await tid(page, 'category-row-violence').getByTestId('category-remove').click();
    await tid(page, 'categories-save').click();
    await expect(tid(page, 'categories-error')).toContainText('violence');
    await shot(page, 'incidents-03-categories');
  });

  await test.step('the administrator names the new category in Polish and Czech; the names are kept', async () => {
    await tid(page, 'categories-undo').click();
    await tid(page, 'category-new-label').fill('Graffiti');
    await tid(page, 'category-add').click();
    const graffiti = tid(page, 'category-row-graffiti');
    await graffiti.getByTestId('category-names-toggle').click();
    const names = tid(page, 'category-names-graffiti');
    await names.getByTestId('category-name-pl').fill('Napisy na ścianach');
    await names.getByTestId('category-name-cs').fill('Sprejerství');
    await shot(page, 'incidents-03-category-names');
    await tid(page, 'categories-save').click();
    await expect(tid(page, 'categories-saved')).toBeVisible();
    await tid(page, 'admin-tab-users').click();
    await tid(page, 'admin-tab-incidents').click();
    await expect(graffiti.getByTestId('category-names-toggle')).toHaveText('Names 2/4');
    await graffiti.getByTestId('category-names-toggle').click();
    await expect(names.getByTestId('category-name-pl')).toHaveValue('Napisy na ścianach');
    await expect(names.getByTestId('category-name-lt')).toHaveValue('');
    await signOut(page);
  });

  await test.step('an auditor sees playback without a linked incident or case, per user', async () => {
    await firstSignIn(page, AUDITOR);
    await tid(page, 'nav-audit').click();
    await tid(page, 'unlinked-viewing-toggle').click();
    const row = tid(page, `unlinked-row-${REVIEWER.username}`);
    await expect(row).toHaveAttribute('data-sessions', '1');
    await expect(row).toHaveAttribute('data-without-link', '1');
    await shot(page, 'incidents-04-unlinked');
  });

  await test.step('the auditor exports the log in Polish: a file a Polish spreadsheet opens (BOM, semicolons, local times with offset)', async () => {
    await tid(page, 'header-language').click();
    await page.getByRole('option', { name: 'Polski' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
    const downloaded = page.waitForEvent('download');
    await tid(page, 'audit-export').click();
    const file = await (await downloaded).path();
    await expect(tid(page, 'audit-export-result')).toBeVisible();
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('seq;time_utc;time_local;actor;action;target;outcome;reason;details');
    // Every entry's time twice: UTC, and the site's (Poland's) local time with its offset.
    const row = lines[1]!.split(';');
    expect(row[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(row[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00$/);
    expect(Date.parse(row[2]!)).toBe(Date.parse(row[1]!));
  });
});
