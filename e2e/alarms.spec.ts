// Alarms a second person must see (shared/contract/alarms.ts, docs/design/audit-chain.md "Anchor"):
// an administrator's grant of footage is seen and acknowledged by another supervisor, never by the
// administrator or the account; an engine held by a deleted audit anchor tells a guard it is held,
// shows an administrator what was found and lets them acknowledge it, after which the console works
// and the auditor's verification lists the break. Screenshots in English and Polish at 1366x768.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { spawnHostChild, type HostChild } from '../electron/core/testing/host-process';
import { expect, shot, test } from './fixtures';
import { approveBySocket, createUser, createUserBySocket, proxyConsoleSocket, readyUserBySocket, setUpAdminBySocket, signIn, signInBySocket, signOut, tid } from './steps';

test.use({ viewport: { width: 1366, height: 768 } });

const ADMIN = { username: 'admin.anna', displayName: 'Anna Nowak', password: 'Kamera-Wschod-2024!x' };
const SUPERVISOR = { username: 'sup.first', displayName: 'Piotr Zieliński', temp: 'Zolty-Autobus-2031', password: 'Szary-Parasol-4412' };
const AUDITOR = { username: 'dpo.anna', displayName: 'Anna Kowalczyk', temp: 'Zielony-Tramwaj-77', password: 'Ciche-Schody-2026' };
const NEW_SUPERVISOR = { username: 'evil.sup', displayName: 'Second Supervisor', temp: 'Niebieski-Statek-88', password: 'Czerwony-Rower-2025' };
const ACK_NOTE = 'Checked with the head of security: evil.sup is the new night-shift supervisor';

async function language(page: Page, option: 'English' | 'Polski') {
  await tid(page, 'header-language').click();
  await page.getByRole('option', { name: option }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', option === 'English' ? 'en' : 'pl');
}

async function closeModal(page: Page) {
  await page.keyboard.press('Escape');
  await expect(page.locator('.mantine-Modal-content')).toHaveCount(0);
}

const grantRow = (page: Page, username: string) => page.locator('[data-testid=alarm-row][data-kind="access.footage_granted"]').filter({ hasText: username });

test('a grant of footage is seen by a second person and acknowledged by one who did not make it', async ({ page, host, errors }) => {
  void errors;
  test.setTimeout(240_000);
  const pageSocket = proxyConsoleSocket(page);
  await pageSocket.ready;

  await test.step('set up through the socket: the administrator, a supervisor and the auditor', async () => {
    const admin = await setUpAdminBySocket(host.url, ADMIN);
    await createUserBySocket(admin, { ...SUPERVISOR, role: 'supervisor' });
    await createUserBySocket(admin, { ...AUDITOR, role: 'auditor' });
    admin.close();
    await readyUserBySocket(host.url, SUPERVISOR);
    // The supervisor's own account was a grant too: the auditor has seen it.
    const auditor = await signInBySocket(host.url, { username: AUDITOR.username, password: AUDITOR.temp, newPassword: AUDITOR.password });
    for (const a of (await auditor.must('alarms.list', { openOnly: true })).alarms) {
      await auditor.must('alarms.acknowledge', { alarmId: a.id, note: 'Set up of the site: the first supervisor' });
    }
    auditor.close();
  });

  let alarmId = 0;
  await test.step('the administrator creates a supervisor account and is offered no acknowledgement of it', async () => {
    await page.goto(host.url);
    await signIn(page, ADMIN.username, ADMIN.password);
    await createUser(page, NEW_SUPERVISOR, /^Supervisor$/, null);
    // The administrator's role does not see grants at all, nor can close one through the engine.
    const own = (await pageSocket.call('alarms.list', { openOnly: true })) as { ok: true; value: { alarms: unknown[] } };
    expect(own.value.alarms).toEqual([]);
    await expect(tid(page, 'alarm-acknowledge')).toHaveCount(0);
    await expect(tid(page, 'alarm-strip')).toHaveCount(0);
    await signOut(page);
    // The grant waits for a second person (docs/design/authorised-persons.md): the site's DPO approves it.
    const admin = await signInBySocket(host.url, ADMIN);
    await approveBySocket(admin, NEW_SUPERVISOR.username);
    admin.close();
  });

  await test.step('the account it is about sees it, and that another person acknowledges it', async () => {
    await readyUserBySocket(host.url, NEW_SUPERVISOR);
    await signIn(page, NEW_SUPERVISOR.username, NEW_SUPERVISOR.password);
    const row = grantRow(page, NEW_SUPERVISOR.username);
    await expect(row).toHaveCount(1);
    alarmId = Number(await row.getAttribute('data-alarm-id'));
    await expect(row.getByTestId('alarm-acknowledge')).toHaveCount(0);
    await expect(row.getByTestId('alarm-who')).toHaveText('This alarm concerns your own account: another supervisor or the auditor acknowledges it.');
    await signOut(page);
  });

  await test.step('a second supervisor sees the alarm naming the administrator, above the live wall', async () => {
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password);
    const strip = tid(page, 'alarm-strip');
    await expect(strip).toHaveAttribute('data-count', '1');
    const row = grantRow(page, NEW_SUPERVISOR.username);
    await expect(row.getByTestId('alarm-text')).toContainText(
      'Administrator admin.anna asked for access to footage for the account evil.sup as supervisor (new account, 0 camera groups); it takes effect once a second person approves it in Authorised persons',
    );
    await expect(row).toHaveAttribute('data-alarm-id', String(alarmId));
    // The strip takes room above the page: the wall starts below it.
    const stripBox = await strip.boundingBox();
    const pageBox = await tid(page, 'page-live').boundingBox();
    expect(stripBox!.y + stripBox!.height).toBeLessThanOrEqual(pageBox!.y + 1);
    // Folded to a count, and back.
    await tid(page, 'alarm-strip-toggle').click();
    await expect(strip).toHaveAttribute('data-folded', 'true');
    await expect(tid(page, 'alarm-row')).toHaveCount(0);
    await expect(tid(page, 'alarm-strip-title')).toHaveText('⚠ 1 alarm needs attention');
    await tid(page, 'alarm-strip-toggle').click();
    await expect(row).toBeVisible();

    for (const l of ['en', 'pl'] as const) {
      if (l === 'pl') await language(page, 'Polski');
      await shot(page, `alarms-${l}-01-strip`);
      await row.getByTestId('alarm-acknowledge').click();
      await expect(tid(page, 'alarm-ack-dialog')).toBeVisible();
      await tid(page, 'alarm-ack-note').fill(ACK_NOTE);
      await shot(page, `alarms-${l}-02-acknowledge-dialog`);
      await closeModal(page);
    }
    await language(page, 'English');
  });

  await test.step('the supervisor acknowledges it with a note and the strip clears', async () => {
    await grantRow(page, NEW_SUPERVISOR.username).getByTestId('alarm-acknowledge').click();
    // A note shorter than the contract's minimum cannot be sent.
    await tid(page, 'alarm-ack-note').fill('ok');
    await expect(tid(page, 'alarm-ack-submit')).toBeDisabled();
    await tid(page, 'alarm-ack-note').fill(ACK_NOTE);
    await tid(page, 'alarm-ack-submit').click();
    await expect(tid(page, 'alarm-ack-dialog')).toHaveCount(0);
    await expect(tid(page, 'alarm-strip')).toHaveCount(0);
    await signOut(page);
  });

  await test.step('the auditor finds the acknowledgement and its note in the audit log', async () => {
    await signIn(page, AUDITOR.username, AUDITOR.password);
    await expect(tid(page, 'alarm-strip')).toHaveCount(0);
    await tid(page, 'nav-audit').click();
    await tid(page, 'audit-filter-action').fill('alarms.acknowledge');
    await tid(page, 'audit-filter-target').fill(`alarm#${alarmId}`);
    await tid(page, 'audit-filter-apply').click();
    const row = page.locator('[data-testid=audit-row][data-outcome=allowed]').filter({ hasText: SUPERVISOR.username });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('audit-reason')).toHaveText(ACK_NOTE);
  });
});

/** Starts the journeys' host (e2e/host-entry.ts, as fixtures.ts does) on an existing data directory. */
function startHostOn(dataDir: string): Promise<HostChild> {
  return spawnHostChild(['--import', 'tsx', 'e2e/host-entry.ts', '--data-dir', dataDir, '--port', '0']);
}

const ADMIN_PL = { username: 'adam.admin', displayName: 'Adam Nowicki', temp: 'Bialy-Most-7720', password: 'Dluga-Ulica-4410' };
const GUARD = { username: 'jan.guard', displayName: 'Jan Kowalski', temp: 'Szary-Kamien-4411', password: 'Wysoka-Brama-2031' };
const GUARD_PL = { username: 'ewa.guard', displayName: 'Ewa Wiśniewska', temp: 'Czarny-Kot-5512', password: 'Jasny-Dzien-8823' };
const BREAK_NOTE = 'Checked with the DPO: the anchor file was deleted during a disk clean-up on 6 December';

test('an engine held by a deleted audit anchor: guards are told, an administrator acknowledges, verification lists the break', async ({ page, host, errors }) => {
  void errors;
  test.setTimeout(300_000);

  await test.step('set up through the socket, then the anchor is deleted while the engine is stopped', async () => {
    const admin = await setUpAdminBySocket(host.url, ADMIN);
    await createUserBySocket(admin, { ...ADMIN_PL, role: 'administrator', language: 'pl' });
    await createUserBySocket(admin, { ...GUARD, role: 'guard' });
    await createUserBySocket(admin, { ...GUARD_PL, role: 'guard', language: 'pl' });
    await createUserBySocket(admin, { ...AUDITOR, role: 'auditor' });
    admin.close();
    for (const u of [ADMIN_PL, GUARD, GUARD_PL]) await readyUserBySocket(host.url, u);
    // The guards' accounts were grants the auditor has seen.
    const auditor = await signInBySocket(host.url, { username: AUDITOR.username, password: AUDITOR.temp, newPassword: AUDITOR.password });
    for (const a of (await auditor.must('alarms.list', { openOnly: true })).alarms) {
      await auditor.must('alarms.acknowledge', { alarmId: a.id, note: 'Set up of the site: the guards of the first shift' });
    }
    auditor.close();
    await host.stop();
    fs.rmSync(path.join(host.dataDir, 'audit-anchor.json'));
  });

  const held = await startHostOn(host.dataDir);
  try {
    await page.goto(held.url);

    await test.step('a guard sees that the console is held, not a screen of refused calls', async () => {
      for (const [l, guard] of [
        ['pl', GUARD_PL],
        ['en', GUARD],
      ] as const) {
        await signIn(page, guard.username, guard.password);
        await expect(tid(page, 'held-screen')).toHaveAttribute('data-mode', 'wait');
        await expect(tid(page, 'held-finding')).toHaveCount(0);
        await expect(tid(page, 'nav-live')).toHaveAttribute('data-disabled', 'true');
        await expect(page.locator('[data-error-kind]')).toHaveCount(0);
        if (l === 'en') {
          await expect(tid(page, 'held-text')).toContainText('The console cannot be used until an administrator has looked at it and acknowledged it.');
        }
        await shot(page, `alarms-${l}-03-held-guard`);
        if (l === 'en') {
          // The engine does not save a language while held; the choice holds in this console.
          await language(page, 'Polski');
          await expect(tid(page, 'held-title')).toHaveText('⚠ Konsola wstrzymana');
        }
        await signOut(page);
      }
    });

    await test.step('an administrator sees what was found, what it means and what to do', async () => {
      for (const [l, admin] of [
        ['pl', { username: ADMIN_PL.username, password: ADMIN_PL.password }],
        ['en', ADMIN],
      ] as const) {
        await signIn(page, admin.username, admin.password);
        await expect(tid(page, 'held-screen')).toHaveAttribute('data-mode', 'acknowledge');
        if (l === 'en') {
          await expect(tid(page, 'held-finding')).toHaveText(/^The anchor file was missing while the log had entries up to No\. \d+ \(it was deleted\)\.$/);
          await expect(tid(page, 'held-technical')).toContainText('Anchor file: none. End of the log at the check: No.');
          // The audit log stays open while held, under a bar leading back.
          await tid(page, 'held-open-audit').click();
          await expect(tid(page, 'held-bar')).toBeVisible();
          await expect(tid(page, 'audit-row').first()).toBeVisible();
          await tid(page, 'held-show').click();
        }
        await shot(page, `alarms-${l}-04-held-admin`);
        await tid(page, 'held-acknowledge').click();
        await tid(page, 'alarm-ack-note').fill(BREAK_NOTE);
        await shot(page, `alarms-${l}-05-held-acknowledge-dialog`);
        if (l === 'pl') {
          await closeModal(page);
          await signOut(page);
        }
      }
    });

    await test.step('the administrator acknowledges it and the console works again', async () => {
      await tid(page, 'alarm-ack-submit').click();
      await expect(tid(page, 'held-screen')).toHaveCount(0);
      await expect(tid(page, 'admin-screen')).toBeVisible();
      // Four colleagues, the administrator and the site's DPO who approved their grants.
      await expect(tid(page, 'user-row')).toHaveCount(6);
      await signOut(page);
      await signIn(page, GUARD.username, GUARD.password);
      await expect(tid(page, 'page-live')).toBeVisible();
      await expect(tid(page, 'held-screen')).toHaveCount(0);
      await signOut(page);
    });

    await test.step("the auditor's verification lists the acknowledged break: when, who, what was found", async () => {
      await signIn(page, AUDITOR.username, AUDITOR.password);
      await tid(page, 'nav-audit').click();
      for (const l of ['en', 'pl'] as const) {
        if (l === 'pl') await language(page, 'Polski');
        await tid(page, 'audit-verify').click();
        const item = tid(page, 'audit-break');
        await expect(item).toHaveCount(1);
        await expect(item.getByTestId('audit-break-when')).toContainText(ADMIN.username);
        if (l === 'en') await expect(item.getByTestId('audit-break-found')).toHaveText(/^Found: the anchor file was missing while the log had entries up to No\. \d+ \(it was deleted\)$/);
        await shot(page, `alarms-${l}-06-audit-break`);
      }
      await language(page, 'English');
    });
  } finally {
    // Leave the page first, so its socket does not try to reconnect to a stopped engine.
    await page.goto('about:blank');
    await held.stop();
  }
});
