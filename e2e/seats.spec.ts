// Seats of a site engine (docs/design/site-engine.md): `npm run engine` with TLS on 127.0.0.1 and
// the camera simulator, and three browsers as three seats. An administrator registers the seats in
// Administration > Seats and each browser enrols with its one-time code on the enrolment screen.
// A reviewer on seat A requests an export; a supervisor on seat B sees it arrive in the queue
// without reloading (pushed events, docs/design/events.md) and approves it; a guard's wall on seat C
// plays throughout. Then the engine is killed (kill -9) and started again on the same data: every
// seat shows the loss within 3 s, reconnects by itself, asks to sign in again, and the guard's wall
// comes back with its layout and plays. Last, desk B is revoked and asked to enrol again.
//
// The browsers trust the site by its CA's key: Chromium's --ignore-certificate-errors-spki-list with
// the SHA-256 of the site CA's SubjectPublicKeyInfo, which is exactly the site fingerprint the engine
// prints (base64 instead of hex). That pins this site's CA as a seat does; ignoreHTTPSErrors would
// accept any certificate at all, so a wrong engine would go unnoticed.
//
// Any console error, page error, failed request or HTTP error fails the journey (fixtures.ts
// collectErrors), except those named below: the socket refused before a browser enrolled, and
// what the engine's death causes while it is away.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { AREA_TYPES } from '../shared/cameras';
import { requestSeatCode } from '../electron/core/host/local-admin';
import { freePort } from '../electron/core/testing/free-port';
import { here, startEngine, type EngineProcess } from '../electron/core/testing/site-engine-fixture';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { collectErrors, expect, shot, test } from './fixtures';
import { ADMIN, GUARD, REVIEWER } from './people';
import { createUserBySocket, enrolInBrowser, expectWallPlaying, firstSignIn, pick, signIn, signOut, siteSeat, tid, wallTiles, type SocketSeat } from './steps';

const SUPERVISOR = { username: 'piotr.sup', displayName: 'Piotr Lewandowski', temp: 'Bialy-Most-7720', password: 'Dluga-Ulica-4410' };
const GROUP = 'Tramwaje';
const APPROVAL = 'The data subject asked for their own recording; the range is theirs only';
const VIEWPORT = { width: 1366, height: 768 };
/** The engine's death is seen within this (the loss itself closes the sockets; the brief's bound). */
const LOSS_SEEN_MS = 3000;

interface Seat {
  name: string;
  context: BrowserContext;
  page: Page;
  errors: string[];
}

test('seats of a site engine: enrolment, an export request reaching the supervisor at once, the engine killed and back', async ({ playwright, launchOptions }) => {
  test.setTimeout(420_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-site-'));
  const port = await freePort();
  const origin = `https://127.0.0.1:${port}`;
  let engine: EngineProcess | null = null;
  let sim: SimulatorHandle | null = null;
  let browser: Browser | null = null;
  let setup: SocketSeat | null = null;
  const start = () => startEngine({ spawner: here, dataDir, listen: `127.0.0.1:${port}`, entry: 'cli' });
  try {
    sim = await startSimulator({ cameras: 2, size: SMALL_PICTURE });
    engine = await start();
    const fingerprint = engine.fingerprint;
    const spki = Buffer.from(fingerprint, 'hex').toString('base64');
    browser = await playwright.chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), `--ignore-certificate-errors-spki-list=${spki}`] });

    // Errors each page may show, and when (regular expressions over collectErrors' lines).
    const refusedSocket = new RegExp(`^console: WebSocket connection to 'wss://127\\.0\\.0\\.1:${port}/ws' failed`);
    // A browser the engine refuses: its socket fails, then GET /seat answers why (401 not enrolled,
    // 403 revoked), and Chromium logs each refused request.
    const refusedSeat = [
      refusedSocket,
      /^HTTP 40[13]: .*\/seat$/,
      /^console: Failed to load resource: the server responded with a status of 40[13]/,
    ];
    const seats: Seat[] = [];
    const openSeat = async (name: string): Promise<Seat> => {
      const context = await browser!.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      const seat = { name, context, page, errors: collectErrors(page) };
      seats.push(seat);
      return seat;
    };
    /** Takes what a seat logged so far, leaving out what `allowed` names; the rest fails the journey. */
    const unexpected = (seat: Seat, allowed: RegExp[]) => {
      const taken = seat.errors.splice(0);
      return taken
        .filter((e) => !allowed.some((r) => r.test(e)))
        // The player leaving a request behind (a tile cleared, a player destroyed): as fixtures.ts.
        .filter((e) => !new RegExp(`^request failed: ${origin.replace(/\./g, '\\.')}/(live|vod)/\\S+ net::ERR_ABORTED$`).test(e))
        .map((e) => `${seat.name}: ${e}`);
    };

    let cameraIds: number[] = [];
    await test.step('a set-up seat (the engine machine\'s code) makes the first administrator, a group, two cameras, a reviewer, a supervisor and a guard', async () => {
      const code = await requestSeatCode(dataDir, 'Set-up desk', 'Engine room');
      expect(code.fingerprint).toBe(fingerprint);
      setup = await siteSeat(origin, code.code, fingerprint);
      await setup.must('setup.createAdmin', ADMIN);
      await setup.must('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
      const commitment = await setup.must('commitment.get', { language: 'en' });
      await setup.must('commitment.accept', { version: commitment.version });
      const groupId = (await setup.must('groups.create', { name: GROUP, description: '' })).id;
      for (const [i, cam] of sim!.cameras.entries()) {
        const camera = await setup.must('cameras.add', {
          settings: { name: `Przystanek ${i + 1}`, site: 'Rondo Mogilskie', groupId, purpose: 'Safety of passengers at the tram stop', areaType: 'office', retentionDays: AREA_TYPES.office.maxRetentionDays, retentionReason: null, location: '', locationConfidential: false },
          source: { kind: 'rtsp', mainUrl: cam.rtspMain, subUrl: cam.rtspSub },
          username: cam.user,
          password: cam.password,
        });
        cameraIds.push(camera.id);
      }
      cameraIds = cameraIds.sort((a, b) => a - b);
      await createUserBySocket(setup, { ...REVIEWER, role: 'reviewer', groupIds: [groupId] });
      await createUserBySocket(setup, { ...SUPERVISOR, role: 'supervisor', groupIds: [groupId] });
      await createUserBySocket(setup, { ...GUARD, role: 'guard', groupIds: [groupId] });
    });

    const a = await openSeat('seat A');
    const b = await openSeat('seat B');
    const c = await openSeat('seat C');
    const codes = new Map<string, string>();

    await test.step('an administrator registers desk A; the browser at the engine\'s address is asked to enrol and does', async () => {
      const registered = await setup!.must('seats.register', { name: 'Desk A', room: 'Control room' });
      expect(registered.fingerprint).toBe(fingerprint);
      await a.page.goto(`${origin}/`);
      await expect(tid(a.page, 'enrol-screen')).toBeVisible();
      await expect(tid(a.page, 'enrol-screen').locator('[data-refusal]')).toHaveAttribute('data-refusal', 'not-enrolled');
      await shot(a.page, 'seats-01-enrolment-en');
      // A wrong code is refused in words.
      await tid(a.page, 'enrol-code').fill('AAAA-BBBB-CCCC-DDDD');
      await tid(a.page, 'enrol-submit').click();
      await expect(tid(a.page, 'enrol-error')).toHaveAttribute('data-reason', 'bad-code');
      await expect(tid(a.page, 'enrol-error')).toContainText('This code is not valid');
      await enrolInBrowser(a.page, registered.code, fingerprint);
      await expect(tid(a.page, 'signin-screen')).toBeVisible();
      // Used once: the same code again is refused as used.
      const again = await a.page.evaluate(async (code) => {
        const r = await fetch('/enrol', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code, version: 'x', delivery: 'cookie' }) });
        return { status: r.status, body: (await r.json()) as { reason?: string } };
      }, registered.code);
      expect(again).toMatchObject({ status: 409, body: { reason: 'used-code' } });
      expect(unexpected(a, [...refusedSeat, /^HTTP 40[39]: .*\/enrol$/, /^console: Failed to load resource: the server responded with a status of 40[39]/])).toEqual([]);
    });

    await test.step('the administrator registers desks B and C in Administration > Seats; each browser enrols with its code', async () => {
      setup!.close();
      setup = null;
      await signIn(a.page, ADMIN.username, ADMIN.password);
      await tid(a.page, 'admin-tab-seats').click();
      await expect(tid(a.page, 'seats-tab')).toBeVisible();
      await expect(a.page.locator('[data-testid=seat-row][data-name="Desk A"]')).toHaveAttribute('data-status', 'enrolled');
      await expect(a.page.locator('[data-testid=seat-row][data-name="Desk A"] [data-testid=seat-connected]')).toBeVisible();
      for (const [name, language] of [
        ['Desk B', 'en'],
        ['Desk C', 'pl'],
      ] as const) {
        if (language === 'pl') {
          await tid(a.page, 'header-language').click();
          await a.page.getByRole('option', { name: 'Polski' }).click();
          await expect(tid(a.page, 'admin-tab-seats')).toHaveText('Stanowiska');
        }
        await tid(a.page, 'seats-register').click();
        await tid(a.page, 'seat-form-name').fill(name);
        await tid(a.page, 'seat-form-room').fill('Control room');
        await tid(a.page, 'seat-form-submit').click();
        await expect(tid(a.page, 'seat-code')).toBeVisible();
        await expect(tid(a.page, 'seat-code-fingerprint')).toHaveAttribute('data-fingerprint', fingerprint);
        await expect(tid(a.page, 'seat-code-expires')).toContainText('15');
        codes.set(name, ((await tid(a.page, 'seat-code').textContent()) ?? '').trim());
        await shot(a.page, `seats-02-seats-tab-code-${language}`);
        await tid(a.page, 'seat-code-close').click();
        await expect(a.page.locator(`[data-testid=seat-row][data-name="${name}"]`)).toHaveAttribute('data-status', 'waiting');
      }
      await tid(a.page, 'header-language').click();
      await a.page.getByRole('option', { name: 'English' }).click();
      await signOut(a.page);

      await b.page.goto(`${origin}/`);
      await expect(tid(b.page, 'enrol-screen')).toBeVisible();
      // The enrolment screen in Polish (the seat's own language choice before sign-in).
      await pick(b.page, 'signin-language', 'Polski');
      await expect(tid(b.page, 'enrol-submit')).toHaveText('Zarejestruj stanowisko');
      await shot(b.page, 'seats-01-enrolment-pl');
      await pick(b.page, 'signin-language', 'English');
      await enrolInBrowser(b.page, codes.get('Desk B')!, fingerprint);
      await c.page.goto(`${origin}/`);
      await enrolInBrowser(c.page, codes.get('Desk C')!, fingerprint);
      for (const s of [b, c]) {
        await expect(tid(s.page, 'signin-screen')).toBeVisible();
        expect(unexpected(s, refusedSeat)).toEqual([]);
      }
    });

    let exportId = 0;
    let wallBefore: { layout: string | null; tiles: string[] } = { layout: null, tiles: [] };
    await test.step('a guard\'s wall plays on seat C; the supervisor\'s queue on seat B is empty', async () => {
      await firstSignIn(c.page, GUARD);
      await expect(tid(c.page, 'live-screen')).toBeVisible();
      await expect(tid(c.page, 'wall-tile')).toHaveCount(4);
      // The guard arranges the wall: 3x3 with the second camera in the middle.
      await tid(c.page, 'wall-layout-9').click();
      await c.page.locator(`[data-testid=camera-item][data-camera-id="${cameraIds[1]}"]`).dragTo(c.page.locator('[data-testid=wall-tile][data-index="4"]'));
      await expect(c.page.locator('[data-testid=wall-tile][data-index="4"]')).toHaveAttribute('data-camera-id', String(cameraIds[1]));
      await expectWallPlaying(c.page, cameraIds);

      await firstSignIn(b.page, SUPERVISOR);
      await tid(b.page, 'nav-exports').click();
      await expect(tid(b.page, 'exports-queue-empty')).toBeVisible();
    });

    await test.step('a reviewer on seat A requests an export; it arrives in the queue on seat B without a reload, and is approved', async () => {
      await firstSignIn(a.page, REVIEWER);
      await tid(a.page, 'nav-exports').click();
      await tid(a.page, 'exports-new').click();
      await pick(a.page, 'export-form-body-type', 'Data subject');
      await tid(a.page, 'export-form-body-name').fill('Tomasz Malinowski');
      await tid(a.page, 'export-form-reference').fill('Letter of 3 March');
      await tid(a.page, 'export-form-purpose').fill('Copy of his own recording at the stop, access request');
      await tid(a.page, 'export-form-basis').fill('GDPR Art. 15(3)');
      await tid(a.page, 'export-form-recipient').fill('Tomasz Malinowski');
      await pick(a.page, 'export-form-item-camera', /Przystanek 1/);
      await tid(a.page, 'export-form-submit').click();
      await expect(tid(a.page, 'export-created')).toBeVisible();
      exportId = Number(await tid(a.page, 'export-created').getAttribute('data-export-id'));
      const createdAtMs = Date.now();
      expect(exportId).toBeGreaterThan(0);

      // Seat B did nothing: the request is pushed to it and its queue reads it again.
      const queueRow = b.page.locator(`[data-testid=exports-queue-row][data-export-id="${exportId}"]`);
      await expect(queueRow).toBeVisible({ timeout: 5000 });
      const arrivedMs = Date.now() - createdAtMs;
      test.info().annotations.push({ type: 'queue arrival', description: `${arrivedMs} ms after the reviewer's request` });
      await queueRow.click();
      await expect(tid(b.page, 'export-detail')).toHaveAttribute('data-status', 'pending');
      await tid(b.page, 'export-approve').click();
      await tid(b.page, 'export-decide-reason').fill(APPROVAL);
      await tid(b.page, 'export-decide-submit').click();
      await expect(tid(b.page, 'export-detail')).toHaveAttribute('data-status', 'approved');
      await expect(queueRow).toHaveCount(0);
      // ...and the decision reaches the reviewer's list on seat A without a reload.
      await tid(a.page, 'export-created-close').click();
      await expect(a.page.locator(`[data-testid=export-row][data-export-id="${exportId}"]`)).toHaveAttribute('data-status', 'approved', { timeout: 5000 });

      // The guard's wall kept playing all along.
      await expectWallPlaying(c.page, cameraIds, 15_000);
      // The supervisor watches the wall in Polish.
      await tid(b.page, 'export-detail-close').click();
      await tid(b.page, 'nav-live').click();
      await tid(b.page, 'header-language').click();
      await b.page.getByRole('option', { name: 'Polski' }).click();
      // (Only that it plays: the guard's wall is the one whose picture is checked frame by frame.)
      await expect.poll(async () => (await wallTiles(b.page)).filter((t) => t.playingDateMs !== null && !t.frozen).length, { timeout: 45_000 }).toBe(cameraIds.length);
    });

    await test.step('the supervisor publishes her wall for the control room; the guard at desk C opens it, then his own again', async () => {
      const tilesOf = (page: typeof b.page) => page.locator('[data-testid=wall-tile]').evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id') ?? ''));
      const supervisorWall = { layout: await tid(b.page, 'wall-grid').getAttribute('data-layout'), tiles: await tilesOf(b.page) };
      await tid(b.page, 'wall-publish').click();
      await tid(b.page, 'wall-publish-room').fill('Control room');
      await tid(b.page, 'wall-publish-name').fill('Dyżur nocny');
      await shot(b.page, 'seats-05-publish-room-wall-pl');
      await tid(b.page, 'wall-publish-submit').click();
      await expect(tid(b.page, 'wall-publish-modal')).toHaveCount(0);
      // The guard has no button to publish; the room's wall is offered in his list as soon as he opens it.
      await expect(tid(c.page, 'wall-publish')).toHaveCount(0);
      const ownWall = await tid(c.page, 'wall-select').inputValue();
      await tid(c.page, 'wall-select').click();
      await c.page.getByRole('option', { name: 'Dyżur nocny' }).click();
      await expect(tid(c.page, 'wall-grid')).toHaveAttribute('data-layout', supervisorWall.layout!);
      await expect.poll(() => tilesOf(c.page)).toEqual(supervisorWall.tiles);
      await shot(c.page, 'seats-05-room-wall-opened');
      await tid(c.page, 'wall-select').click();
      await c.page.getByRole('option', { name: ownWall }).click();
      await expect(tid(c.page, 'wall-grid')).toHaveAttribute('data-layout', '9');
      await expectWallPlaying(c.page, cameraIds, 30_000);
      wallBefore = {
        layout: await tid(c.page, 'wall-grid').getAttribute('data-layout'),
        tiles: await c.page.locator('[data-testid=wall-tile]').evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id') ?? '')),
      };
      expect(wallBefore.layout).toBe('9');
      for (const s of seats) expect(unexpected(s, [])).toEqual([]);
    });

    // While the engine is away: the sockets and the health probe are refused, the players' requests
    // fail, and right after the restart the old views' media tokens are unknown.
    const lossErrors = [
      refusedSocket,
      new RegExp(`^request failed: ${origin.replace(/\./g, '\\.')}/(healthz|live/\\S+) net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE|CONNECTION_CLOSED|ABORTED)`),
      /^console: Failed to load resource: net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE|CONNECTION_CLOSED)/,
      /^console: Failed to load resource: the server responded with a status of 40[34]/,
      new RegExp(`^HTTP 40[34]: ${origin.replace(/\./g, '\\.')}/live/`),
      // A live tile's fragment socket (docs/design/live-pipeline.md "Fragment path") while the engine is
      // away, or with a view of the engine before it stopped (403): as the same view's LL-HLS requests,
      // until the tile opens anew.
      new RegExp(`^console: WebSocket connection to 'wss://127\\.0\\.0\\.1:${port}/live/\\S+/frames' failed`),
    ];

    await test.step('the engine is killed: every seat shows the loss within 3 s, the wall\'s tiles say so', async () => {
      const killedAtMs = Date.now();
      engine!.child.kill('SIGKILL');
      await engine!.exited;
      await Promise.all(seats.map((s) => expect(tid(s.page, 'connection-lost')).toBeVisible({ timeout: LOSS_SEEN_MS - (Date.now() - killedAtMs) })));
      const seenMs = Date.now() - killedAtMs;
      test.info().annotations.push({ type: 'loss seen', description: `all three seats within ${seenMs} ms` });
      expect(seenMs).toBeLessThan(LOSS_SEEN_MS);
      await expect(tid(c.page, 'tile-engine-lost')).toHaveCount(9);
      await expect(tid(c.page, 'tile-engine-lost').first()).toContainText('No connection to the engine');
      await expect(tid(b.page, 'tile-engine-lost').first()).toContainText('Brak połączenia z silnikiem');
      // The next attempt is shown and moves on by itself.
      await expect(tid(c.page, 'connection-next-attempt')).toContainText(/Next attempt in \d+ s|Connecting/);
      await expect.poll(async () => Number(await tid(c.page, 'connection-lost').getAttribute('data-attempts')), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      await shot(c.page, 'seats-03-engine-lost-wall-en');
      await shot(b.page, 'seats-03-engine-lost-wall-pl');
    });

    await test.step('the engine starts again on the same data: each seat reconnects and asks to sign in again; the guard\'s wall comes back', async () => {
      engine = await start();
      expect(engine.fingerprint).toBe(fingerprint);
      for (const s of seats) {
        await expect(tid(s.page, 'signin-notice')).toHaveAttribute('data-notice', 'sign-in-again', { timeout: 30_000 });
        await expect(tid(s.page, 'connection-lost')).toHaveCount(0);
      }
      await expect(tid(c.page, 'signin-username')).toHaveValue(GUARD.username);
      await expect(tid(a.page, 'signin-username')).toHaveValue(REVIEWER.username);
      await shot(c.page, 'seats-04-sign-in-again-en');
      await pick(b.page, 'signin-language', 'Polski');
      await expect(tid(b.page, 'signin-notice')).toContainText('Zaloguj się ponownie');
      await shot(b.page, 'seats-04-sign-in-again-pl');

      await tid(c.page, 'signin-password').fill(GUARD.password);
      await tid(c.page, 'signin-submit').click();
      await expect(tid(c.page, 'wall-grid')).toHaveAttribute('data-layout', wallBefore.layout!);
      expect(await c.page.locator('[data-testid=wall-tile]').evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id') ?? ''))).toEqual(wallBefore.tiles);
      await expectWallPlaying(c.page, cameraIds, 60_000);
      expect((await wallTiles(c.page)).every((t) => !t.frozen)).toBe(true);
      for (const s of seats) expect(unexpected(s, lossErrors)).toEqual([]);
    });

    await test.step('the administrator revokes desk B with a reason: it is cut off at once and asked to enrol again', async () => {
      await tid(a.page, 'signin-username').fill(ADMIN.username);
      await tid(a.page, 'signin-password').fill(ADMIN.password);
      await tid(a.page, 'signin-submit').click();
      await tid(a.page, 'admin-tab-seats').click();
      const rowB = a.page.locator('[data-testid=seat-row][data-name="Desk B"]');
      await expect(rowB.getByTestId('seat-connected')).toBeVisible();
      await rowB.getByTestId('seat-revoke').click();
      await tid(a.page, 'seat-revoke-reason').fill('The desk was moved to the reception and is replaced');
      await tid(a.page, 'seat-revoke-submit').click();
      await expect(rowB).toHaveAttribute('data-status', 'revoked');
      await expect(rowB).toContainText('The desk was moved to the reception');
      await expect(tid(b.page, 'enrol-revoked')).toBeVisible({ timeout: 5000 });
      await expect(tid(b.page, 'enrol-screen').locator('[data-refusal]')).toHaveAttribute('data-refusal', 'revoked');
    });

    await test.step('after the reconnect no error is left unexplained', async () => {
      await signOut(c.page);
      await signOut(a.page);
      for (const s of seats) expect(unexpected(s, s === b ? refusedSeat : [])).toEqual([]);
    });
  } finally {
    (setup as SocketSeat | null)?.close();
    await browser?.close();
    if (engine && engine.child.exitCode === null && engine.child.signalCode === null) {
      engine.child.kill('SIGTERM');
      await engine.exited;
    }
    await sim?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
