// PTZ from the live wall (docs/design/ptz.md) against the simulator's PTZ camera (a window onto a
// larger scene): a Polish guard drags in the tile and the camera turns while the drag is held
// (longer than the engine's 1 s dead-man time: the seat repeats its move) and stops on release; a
// plain camera beside it has no PTZ controls. A supervisor's seat sees who steers it (name and role)
// and is offered "Take over"; once the supervisor takes it, the guard sees the supervisor named and
// is offered nothing. The supervisor saves the view as a preset, turns away, goes back to it, and
// sends the camera home. Where the camera points is read from the camera itself (the simulator's
// GET /cameras/1/ptz, what its ONVIF GetStatus answers), not from the console.
import type { Page } from '@playwright/test';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { expect, shot, test } from './fixtures';
import { ADMIN, GUARD } from './people';
import { createGroupBySocket, createUserBySocket, expectWallPlaying, firstSignIn, setUpAdminBySocket, tid } from './steps';

const SUPERVISOR = { username: 'piotr.supervisor', displayName: 'Piotr Lewandowski', temp: 'Złoty-Kompas-58', password: 'Ciepły-Wiatr-2026' };
const VIEWPORT = { width: 1366, height: 768 };
const PAN = 0;

/** Drags from the middle of `cameraId`'s tile by (dx, dy) px and holds there for `holdMs`; returns the camera's pan while held, at about 0.5 s and at the end. */
async function dragAndHold(page: Page, sim: SimulatorHandle, cameraId: number, dx: number, dy: number, holdMs: number): Promise<{ early: number; late: number }> {
  const box = (await tid(page, `ptz-layer-${cameraId}`).boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 8 });
  await page.waitForTimeout(500);
  const early = (await sim.ptzState(1)).position[PAN];
  await page.waitForTimeout(holdMs - 500);
  const late = (await sim.ptzState(1)).position[PAN];
  await page.mouse.up();
  return { early, late };
}

/** The camera stood still: its segment has no velocity left (stopped by the seat or the engine). */
async function expectStill(sim: SimulatorHandle, timeout = 3_000) {
  await expect.poll(async () => (await sim.ptzState(1)).moving, { timeout, message: 'the camera stopped' }).toBe(false);
}

test('PTZ: a guard drags the camera round, a supervisor sees who steers it, takes over, saves and uses a preset', async ({ page, host, browser, errors }) => {
  void errors;
  test.setTimeout(240_000);
  await page.setViewportSize(VIEWPORT);
  let sim: SimulatorHandle | null = null;
  try {
    sim = await startSimulator({ cameras: 2, ptz: [1], size: SMALL_PICTURE, auth: 'none' });
    const admin = await setUpAdminBySocket(host.url, ADMIN);
    const groupId = await createGroupBySocket(admin, 'Brama główna');
    const settings = (name: string) => ({ name, site: 'Zakład Północ', groupId, purpose: 'Ochrona wjazdu na teren zakładu', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false });
    const onvif = (i: number) => ({ kind: 'onvif' as const, xaddr: sim!.cameras[i]!.onvifUrl, mainProfile: 'Profile_main', subProfile: 'Profile_sub' });
    const ptzCam = (await admin.must('cameras.add', { settings: settings('Brama - PTZ'), source: onvif(0), username: null, password: null })).id;
    const fixedCam = (await admin.must('cameras.add', { settings: settings('Brama - stała'), source: onvif(1), username: null, password: null })).id;
    await createUserBySocket(admin, { ...GUARD, role: 'guard', language: 'pl', groupIds: [groupId] });
    await createUserBySocket(admin, { ...SUPERVISOR, role: 'supervisor', language: 'en', groupIds: [groupId] });
    admin.close();

    // The guard (Polish): the PTZ camera's tile can be steered, the fixed camera's cannot.
    await page.goto(host.url);
    await firstSignIn(page, GUARD);
    await expectWallPlaying(page, [ptzCam, fixedCam]);
    await expect(tid(page, `ptz-layer-${ptzCam}`)).toBeVisible({ timeout: 20_000 });
    await expect(tid(page, `ptz-presets-${ptzCam}`)).toBeVisible();
    await expect(tid(page, `ptz-layer-${fixedCam}`)).toHaveCount(0);
    await expect(tid(page, `ptz-presets-${fixedCam}`)).toHaveCount(0);
    const start = (await sim.ptzState(1)).position;

    // A drag to the right held for 2.5 s: the first move takes the camera, the seat repeats it, so the
    // camera is still turning after the engine's 1 s dead-man time; letting go stops it.
    const held = await dragAndHold(page, sim, ptzCam, 70, 0, 2_500);
    expect(held.early, 'turning right half a second into the drag').toBeGreaterThan(start[PAN]);
    expect(held.late - held.early, 'still turning right after the 1 s dead-man time').toBeGreaterThan(0.1);
    await expectStill(sim);
    const afterDrag = (await sim.ptzState(1)).position;
    expect(afterDrag[PAN] - held.late, 'stopped on release, not a second later').toBeLessThan(0.25);
    await expect(tid(page, `ptz-holder-${ptzCam}`)).toHaveAttribute('data-mine', 'true');
    await expect(tid(page, `ptz-holder-${ptzCam}`)).toHaveText('Sterujesz tą kamerą');

    // The keyboard on the focused tile: Up tilts up while held.
    await tid(page, `ptz-layer-${ptzCam}`).focus();
    const tiltBefore = (await sim.ptzState(1)).position[1];
    await page.keyboard.down('ArrowUp');
    await page.waitForTimeout(1_500);
    await page.keyboard.up('ArrowUp');
    await expectStill(sim);
    expect((await sim.ptzState(1)).position[1], 'Up tilted the camera up').toBeGreaterThan(tiltBefore + 0.1);
    await shot(page, 'ptz-guard-steers-pl');

    // The supervisor at another seat: sees the guard named with the role, and may take over.
    const context = await browser.newContext({ viewport: VIEWPORT });
    const sup = await context.newPage();
    // A USB joystick cannot be plugged in here: the Gamepad API answers with one the journey moves.
    await sup.addInitScript(() => {
      const pad = { id: 'journey pad', index: 0, connected: true, mapping: 'standard', axes: [0, 0, 0, 0], buttons: [{ pressed: false, touched: false, value: 0 }], timestamp: 0 };
      (window as unknown as { journeyPad: typeof pad }).journeyPad = pad;
      Object.defineProperty(navigator, 'getGamepads', { value: () => [pad] });
    });
    const padAxes = (axes: number[]) =>
      sup.evaluate((a) => {
        (window as unknown as { journeyPad: { axes: number[] } }).journeyPad.axes = a;
        window.dispatchEvent(new Event('gamepadconnected'));
      }, axes);
    try {
      await sup.goto(host.url);
      await firstSignIn(sup, SUPERVISOR);
      await expect(tid(sup, `ptz-holder-${ptzCam}`)).toHaveText(`Steered by ${GUARD.displayName} (Guard)`, { timeout: 20_000 });
      await expect(tid(sup, `ptz-take-over-${ptzCam}`)).toBeVisible();
      // A drag does not take a colleague's camera: it is refused in words, and the camera stays.
      const before = (await sim.ptzState(1)).position;
      await dragAndHold(sup, sim, ptzCam, -70, 0, 800);
      await expect(tid(sup, `ptz-error-${ptzCam}`)).toHaveText(`${GUARD.displayName} (Guard) steers this camera.`);
      expect((await sim.ptzState(1)).position[PAN]).toBeCloseTo(before[PAN], 2);
      await shot(sup, 'ptz-supervisor-sees-holder-en');

      await tid(sup, `ptz-take-over-${ptzCam}`).click();
      await expect(tid(sup, `ptz-holder-${ptzCam}`)).toHaveText('You steer this camera');
      // The guard's tile names the supervisor, and offers no take-over (a guard ranks lower).
      await expect(tid(page, `ptz-holder-${ptzCam}`)).toHaveText(`Steruje: ${SUPERVISOR.displayName} (Kierownik zmiany)`, { timeout: 10_000 });
      await expect(tid(page, `ptz-take-over-${ptzCam}`)).toHaveCount(0);
      await shot(page, 'ptz-guard-sees-supervisor-pl');

      // Presets: save this view, turn away, go back to it; then home.
      const saved = (await sim.ptzState(1)).position;
      await tid(sup, `ptz-presets-${ptzCam}`).click();
      const panel = tid(sup, `ptz-panel-${ptzCam}`);
      await expect(panel).toBeVisible();
      await panel.getByTestId('ptz-preset-name').fill('Wjazd ciężarówek');
      await panel.getByTestId('ptz-save-preset').click();
      await expect(panel.getByTestId('ptz-preset').filter({ hasText: 'Wjazd ciężarówek' })).toBeVisible();
      await shot(sup, 'ptz-presets-panel-en');
      expect((await sim.ptzState(1)).presets.map((p) => p.name)).toContain('Wjazd ciężarówek');
      await sup.keyboard.press('Escape');
      await expect(panel).toBeHidden();

      await dragAndHold(sup, sim, ptzCam, -90, 40, 1_500);
      await expectStill(sim);
      const away = (await sim.ptzState(1)).position;
      expect(Math.abs(away[PAN] - saved[PAN]), 'turned away from the saved view').toBeGreaterThan(0.2);

      await tid(sup, `ptz-presets-${ptzCam}`).click();
      await panel.getByTestId('ptz-preset').filter({ hasText: 'Wjazd ciężarówek' }).click();
      await expect.poll(async () => (await sim!.ptzState(1)).position[PAN], { message: 'back at the preset' }).toBeCloseTo(saved[PAN], 2);
      expect((await sim.ptzState(1)).position[1]).toBeCloseTo(saved[1], 2);

      await panel.getByTestId('ptz-home').click();
      await expect.poll(async () => (await sim!.ptzState(1)).position.map((v) => Math.round(v * 100) / 100), { message: 'at home' }).toEqual([0, 0, 0]);

      // The gamepad steers the tile last touched: the left stick to the right pans right; a stick
      // resting inside the dead zone stops it.
      await padAxes([0.6, 0.05, 0, 0]);
      await expect.poll(async () => (await sim!.ptzState(1)).position[PAN], { message: 'the gamepad pans right' }).toBeGreaterThan(0.1);
      await padAxes([0.1, -0.1, 0, 0.05]);
      await expectStill(sim);

      // The guard (no ptz.presets) sees the preset in Polish but no way to save one.
      await sup.keyboard.press('Escape');
      await tid(sup, `ptz-layer-${ptzCam}`).focus();
      await tid(page, `ptz-presets-${ptzCam}`).click();
      const guardPanel = tid(page, `ptz-panel-${ptzCam}`);
      await expect(guardPanel.getByTestId('ptz-preset').filter({ hasText: 'Wjazd ciężarówek' })).toBeDisabled();
      await expect(guardPanel.getByTestId('ptz-preset-name')).toHaveCount(0);
      await shot(page, 'ptz-guard-panel-pl');
    } finally {
      await context.close();
    }
  } finally {
    await sim?.close();
  }
});
