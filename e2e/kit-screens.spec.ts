// Screenshots of the screens built on the renderer's kit (holds, incidents, exports with their
// drawers and dialogs, the users and cameras tabs with their forms, a reason dialog), in English
// and in Polish at 1366x768, for a person to look at: cut-off text, overlaps, empty states. The
// journeys assert the behaviour; this spec only checks that each screen is there before its shot.
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { ADMIN, REVIEWER } from './people';
import { adminWithReviewTeam, firstSignIn, openPlaybackWithReason, pick, signIn, signOut, submitSignIn, tid } from './steps';

test.use({ viewport: { width: 1366, height: 768 } });

const SUPERVISOR = { username: 'piotr.super', displayName: 'Piotr Zieliński', temp: 'Zolty-Autobus-2031', password: 'Szary-Parasol-4412' };
const GROUP = 'Dworzec autobusowy';
const CAMERA = 'Peron 3';
const LANGUAGES = [
  { code: 'en', option: 'English' },
  { code: 'pl', option: 'Polski' },
] as const;
const ALL_LANGUAGES = [...LANGUAGES, { code: 'lt', option: 'Lietuvių' }, { code: 'cs', option: 'Čeština' }] as const;

async function language(page: Page, option: string) {
  await tid(page, 'header-language').click();
  await page.getByRole('option', { name: option }).click();
}

async function closeModal(page: Page) {
  await page.keyboard.press('Escape');
  await expect(page.locator('.mantine-Modal-content')).toHaveCount(0);
}

test('kit screens in English and Polish at 1366x768', async ({ page, host, errors }) => {
  void errors;
  test.setTimeout(420_000);
  await test.step('an administrator sets up a camera and two colleagues (through the socket); users and cameras tabs with their forms', async () => {
    await adminWithReviewTeam(page, host.url, { admin: ADMIN, group: GROUP, camera: CAMERA, reviewer: REVIEWER, supervisor: SUPERVISOR });
    for (const l of LANGUAGES) {
      await language(page, l.option);
      await tid(page, 'admin-tab-users').click();
      // The administrator, two colleagues and the site's DPO who approved their grants.
      await expect(tid(page, 'user-row')).toHaveCount(4);
      await shot(page, `kit-${l.code}-01-users`);
      await tid(page, 'users-create').click();
      await tid(page, 'user-form-username').fill('A!');
      await tid(page, 'user-form-submit').click();
      await expect(tid(page, 'user-form')).toBeVisible();
      await shot(page, `kit-${l.code}-02-users-create`);
      await closeModal(page);
      await tid(page, 'admin-tab-cameras').click();
      await expect(tid(page, 'camera-row')).toHaveCount(1);
      await shot(page, `kit-${l.code}-03-cameras`);
      await tid(page, 'cameras-add').click();
      await tid(page, 'camera-mode-rtsp').click();
      await tid(page, 'camera-form-main-url').fill('http://not-rtsp');
      await tid(page, 'camera-form-retention').fill('40');
      await tid(page, 'camera-form-submit').click();
      // Retention stops at the area type's legal maximum (office: 3 days, BRN 40.4); no reason is asked.
      await expect(tid(page, 'camera-form-retention')).toHaveValue('3');
      await expect(tid(page, 'camera-form-retention-reason')).toHaveCount(0);
      await shot(page, `kit-${l.code}-04-cameras-add`);
      await closeModal(page);
    }
    await language(page, 'English');
    await signOut(page);
  });

  await test.step('a reviewer: a hold, an incident from playback, an export request; lists and drawers', async () => {
    await firstSignIn(page, REVIEWER);
    await tid(page, 'nav-holds').click();
    await expect(tid(page, 'holds-empty')).toBeVisible();
    await shot(page, 'kit-en-05-holds-empty');
    await tid(page, 'holds-place').click();
    await tid(page, 'hold-form-case').fill('RSD-451/2026');
    await tid(page, 'hold-form-body').fill('Komenda Miejska Policji');
    await tid(page, 'hold-form-basis').fill('Art. 217 KPK');
    await tid(page, 'hold-form-reason').fill('Theft of a bag on platform 3, evidence for the police');
    await pick(page, 'hold-form-item-camera', new RegExp(CAMERA));
    await tid(page, 'hold-form-submit').click();
    await expect(tid(page, 'hold-detail')).toBeVisible();

    await openPlaybackWithReason(page, { category: 'System check', text: 'Checking that the platform camera records' });
    await tid(page, 'playback-mark-incident').click();
    await pick(page, 'create-incident-category', 'Violence');
    await tid(page, 'create-incident-title').fill('Fight at the stop');
    await tid(page, 'create-incident-note').fill('Two men, one with a red jacket.');
    await tid(page, 'create-incident-submit').click();
    await expect(tid(page, 'create-incident-modal')).toHaveCount(0);

    await tid(page, 'nav-exports').click();
    await tid(page, 'exports-new').click();
    await tid(page, 'export-form-body-name').fill('Komenda Miejska Policji w Krakowie');
    await tid(page, 'export-form-reference').fill('RSD-114/26');
    await tid(page, 'export-form-purpose').fill('Evidence of an assault at the tram stop on the evening shift');
    await tid(page, 'export-form-basis').fill('Art. 217 §1 of the Code of Criminal Procedure');
    await tid(page, 'export-form-recipient').fill('asp. Jan Nowak, KMP Kraków');
    await pick(page, 'export-form-item-camera', new RegExp(CAMERA));
    await tid(page, 'export-form-submit').click();
    await expect(tid(page, 'export-created')).toBeVisible();
    await tid(page, 'export-created-close').click();

    for (const l of LANGUAGES) {
      await language(page, l.option);
      await tid(page, 'nav-holds').click();
      await tid(page, 'hold-row').first().click();
      await expect(tid(page, 'hold-detail')).toBeVisible();
      await shot(page, `kit-${l.code}-06-holds-detail`);
      await tid(page, 'hold-detail-close').click();
      await shot(page, `kit-${l.code}-07-holds-list`);
      await tid(page, 'nav-incidents').click();
      await expect(tid(page, 'incident-row-1')).toBeVisible();
      // The category a fresh install offers is named in the interface language.
      await expect(tid(page, 'incident-row-1')).toContainText(l.code === 'pl' ? 'Przemoc' : 'Violence');
      await shot(page, `kit-${l.code}-08-incidents-list`);
      await tid(page, 'incident-row-1').click();
      await expect(tid(page, 'incident-history')).toBeVisible();
      await shot(page, `kit-${l.code}-09-incidents-detail`);
      await tid(page, 'incident-close').click();
      await tid(page, 'incident-reason-input').fill('Too short');
      await shot(page, `kit-${l.code}-10-reason-dialog`);
      await closeModal(page);
      await tid(page, 'nav-exports').click();
      await expect(tid(page, 'export-row')).toHaveCount(1);
      await shot(page, `kit-${l.code}-11-exports-list`);
      await tid(page, 'export-row').first().click();
      await expect(tid(page, 'export-history')).toBeVisible();
      await shot(page, `kit-${l.code}-12-exports-detail`);
      await tid(page, 'export-detail-close').click();
      // Dates are typed and shown in the interface language, on a 24-hour clock, whatever the
      // browser's own locale: 06.12.2026 18:26 in Polish, 06/12/2026 18:26 in English.
      await tid(page, 'nav-incidents').click();
      await tid(page, 'incidents-filter-from').fill('2026-12-06T18:26');
      await tid(page, 'incidents-filter-from').blur();
      await expect(tid(page, 'incidents-filter-from')).toHaveValue(l.code === 'pl' ? '06.12.2026 18:26' : '06/12/2026 18:26');
      await tid(page, 'incidents-filter-from').fill(l.code === 'pl' ? '31.02.2026 10:00' : '31/02/2026 10:00');
      await expect(page.getByText(l.code === 'pl' ? 'Wpisz w postaci 06.12.2026 18:26.' : 'Write it like 06/12/2026 18:26.')).toBeVisible();
      await shot(page, `kit-${l.code}-13-date-field`);
      // The calendar: a month in the interface language from Monday; a picked day keeps the time written.
      await tid(page, 'incidents-filter-from').fill('2026-12-06T18:26');
      await tid(page, 'incidents-filter-from-calendar').click();
      await expect(tid(page, 'calendar-month')).toHaveText(l.code === 'pl' ? 'grudzień 2026' : 'December 2026');
      await expect(tid(page, 'calendar-day').first()).toHaveAttribute('data-date', '2026-11-30');
      await shot(page, `kit-${l.code}-13b-calendar`);
      await page.locator('[data-testid=calendar-day][data-date="2026-12-15"]').click();
      await expect(tid(page, 'calendar')).toHaveCount(0);
      await expect(tid(page, 'incidents-filter-from')).toHaveValue(l.code === 'pl' ? '15.12.2026 18:26' : '15/12/2026 18:26');
      await tid(page, 'incidents-filter-from').fill('');
    }
    await language(page, 'English');
    await signOut(page);
  });

  await test.step('a supervisor: the queue, the decision dialog and releasing a hold', async () => {
    await firstSignIn(page, SUPERVISOR);
    for (const l of LANGUAGES) {
      await language(page, l.option);
      await tid(page, 'nav-exports').click();
      await expect(tid(page, 'exports-queue-row')).toHaveCount(1);
      await shot(page, `kit-${l.code}-13-exports-queue`);
      await tid(page, 'exports-queue-row').first().click();
      await tid(page, 'export-approve').click();
      await expect(tid(page, 'export-decide-summary')).toBeVisible();
      await tid(page, 'export-decide-reason').fill('Request is lawful and limited to the assault');
      await shot(page, `kit-${l.code}-14-exports-decide`);
      await closeModal(page);
      await tid(page, 'export-detail-close').click();
      await tid(page, 'nav-holds').click();
      await tid(page, 'hold-row').first().click();
      await tid(page, 'hold-release').click();
      await tid(page, 'hold-release-reason').fill('Proceedings discontinued');
      await shot(page, `kit-${l.code}-15-holds-release`);
      await closeModal(page);
      await tid(page, 'hold-detail-close').click();
    }
    await language(page, 'English');
    await signOut(page);
  });

  await test.step('the wall, playback, exports and audit in all four languages at 1366x768: nothing cut off', async () => {
    // A wrong password first: the audit log then holds a call made before anyone signed in.
    await submitSignIn(page, SUPERVISOR.username, 'Not-The-Password-1');
    await expect(tid(page, 'signin-error')).toBeVisible();
    await signIn(page, SUPERVISOR.username, SUPERVISOR.password);
    for (const l of ALL_LANGUAGES) {
      await language(page, l.option);
      await expect(page.locator('html')).toHaveAttribute('lang', l.code);
      for (const [nav, screen] of [['nav-live', 'live-screen'], ['nav-playback', 'playback-screen'], ['nav-exports', 'exports-count'], ['nav-audit', 'audit-screen']] as const) {
        await tid(page, nav).click();
        await expect(tid(page, screen)).toBeVisible();
        if (screen === 'audit-screen') await expect(tid(page, 'audit-row').first()).toBeVisible();
        await shot(page, `lang-${l.code}-${nav.replace('nav-', '')}`);
        expect(await cutOffTexts(page), `${l.code} ${screen}: labels cut off`).toEqual([]);
      }
      if (l.code === 'pl' || l.code === 'cs') await auditInWords(page, l.code);
    }
    await language(page, 'English');
    await signOut(page);
  });
});

/** Engine codes as they are stored: `exports.decide`, `camera#3`, `user:anna`, `audit-log`. */
const ACTION_CODE = /^[a-z]+(\.[a-zA-Z_]+)+$/;
const TARGET_CODE = /^[a-z-]+[#:]|^[a-z]+(-[a-z]+)+$/;

/**
 * The audit screen in the auditor's language (R4, KRK §5.3.4): actions, targets and the engine's
 * actors in words, the codes kept small under the action for those who search by them. Checked on
 * the newest page, then on the calls before sign-in and on the engine's own entries.
 */
async function auditInWords(page: Page, code: 'pl' | 'cs') {
  const words = {
    pl: { camera: /^Kamera \d+$/, anonymous: 'Przed zalogowaniem', signIn: 'Logowanie', engine: 'Silnik' },
    cs: { camera: /^Kamera \d+$/, anonymous: 'Před přihlášením', signIn: 'Přihlášení', engine: 'Jádro' },
  }[code];
  const cells = async () => ({
    actions: await tid(page, 'audit-action').allInnerTexts(),
    codes: await tid(page, 'audit-action').evaluateAll((els) => els.map((el) => el.getAttribute('data-code') ?? '')),
    targets: await tid(page, 'audit-target').allInnerTexts(),
    actors: await tid(page, 'audit-actor').allInnerTexts(),
  });
  const expectWorded = async (what: string) => {
    const c = await cells();
    expect(c.actions.length, `${code} ${what}: rows`).toBeGreaterThan(0);
    expect(c.actions.filter((text, i) => ACTION_CODE.test(text) || text === c.codes[i]), `${code} ${what}: actions shown as codes`).toEqual([]);
    expect(c.targets.filter((text) => TARGET_CODE.test(text)), `${code} ${what}: targets shown as codes`).toEqual([]);
    expect([...c.actors, ...c.actions, ...c.targets].filter((text) => /anonymous|\bsystem\b/.test(text)), `${code} ${what}: engine actors shown as codes`).toEqual([]);
    return c;
  };
  const filterActor = async (actor: string) => {
    await tid(page, 'audit-filter-actor').fill(actor);
    await tid(page, 'audit-filter-apply').click();
    // Every row shown is the filtered actor's (the table keeps the last page until the new one is in).
    await expect(tid(page, 'audit-actor').first()).toHaveAttribute('data-code', actor);
    await expect(page.locator(`[data-testid=audit-actor]:not([data-code="${actor}"])`)).toHaveCount(0);
  };

  const newest = await expectWorded('newest page');
  // The camera the supervisor just opened on the wall reads in the language; its code stays under the action.
  expect(newest.targets.some((text) => words.camera.test(text)), `${code}: a camera target in words`).toBe(true);
  await expect(tid(page, 'audit-action-code').first()).toHaveText(ACTION_CODE);

  await filterActor('anonymous');
  await expect(tid(page, 'audit-actor').first()).toHaveText(words.anonymous);
  const before = await expectWorded('calls before sign-in');
  expect(before.actions).toContain(words.signIn);
  await shot(page, `lang-${code}-audit-before-sign-in`);

  // A reviewer's work: a legal hold by its case, playback of a camera over a range, an incident, an
  // export request by its body and reference.
  await filterActor(REVIEWER.username);
  await expectWorded('a reviewer’s work');
  await tid(page, 'audit-row').last().scrollIntoViewIfNeeded();
  await shot(page, `lang-${code}-audit-reviewer`);
  expect(await cutOffTexts(page), `${code} audit: labels cut off`).toEqual([]);

  await filterActor('system');
  await expect(tid(page, 'audit-actor').first()).toHaveText(words.engine);
  await expectWorded('the engine’s own entries');
  await shot(page, `lang-${code}-audit-engine`);
  expect(await cutOffTexts(page), `${code} audit: labels cut off`).toEqual([]);

  await tid(page, 'audit-filter-clear').click();
  await expect(tid(page, 'audit-filter-actor')).toHaveValue('');
}

/**
 * Labels that do not fit their box (buttons, menu entries, tabs, table headers, field labels,
 * badges): their text is wider than what shows of it. Text meant to be shortened with an ellipsis
 * (a long camera name in a tile) is not among them.
 */
async function cutOffTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selectors = ['button', '[role=tab]', '.mantine-NavLink-label', 'th', 'label', '.mantine-Badge-label', '.mantine-SegmentedControl-label'];
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selectors.join(','))) {
      if (el.getClientRects().length === 0 || !el.textContent?.trim()) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2) out.push(`${el.tagName.toLowerCase()}: ${el.textContent.trim().slice(0, 60)}`);
    }
    return out;
  });
}
