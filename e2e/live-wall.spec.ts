// The live wall against the camera simulator (docs/design/live-pipeline.md): an administrator adds cameras by RTSP
// URL and by ONVIF address into two groups; a guard of group A sees exactly group A's cameras,
// they play (decoded frames carrying the simulator's burned-in capture time), a camera that loses
// power shows it and comes back by itself, a wrong password and an unreachable address say so in
// words, and the guard cannot open a camera of group B. Any console error, page error, failed
// request or HTTP error fails the test (fixtures.ts), except the aborts described at the end.
import type { Page } from '@playwright/test';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { decodeTimecode, TIMECODE_BAND_DIVISOR } from '../tools/camera-sim/timecode';
import { expect, shot, test } from './fixtures';
import { ADMIN, GUARD } from './people';
import { addRtspCameraBySocket, createGroupBySocket, createUserBySocket, edgeColours, expectWallAdvancing, fillCameraSettings, firstSignIn, pick, proxyConsoleSocket, setUpAdminBySocket, submitSignIn as signIn, tid, wallTiles } from './steps';

const GROUP_A = 'Depot gate A';
const GROUP_B = 'Yard B';
const PURPOSE = 'Protection of the entrance against burglary';

/** Decoded pixels of every playing tile: luma variance (a real picture, not black) and the burned-in capture time. */
async function framesOf(page: Page): Promise<{ cameraId: number; variance: number; timecodeMs: number | null; atMs: number }[]> {
  const raw = await page.evaluate(() => {
    const out: { cameraId: number; variance: number; band: number[]; width: number; height: number; atMs: number }[] = [];
    for (const tile of document.querySelectorAll<HTMLElement>('[data-testid=wall-tile], [data-testid=single-view]')) {
      const video = tile.querySelector<HTMLVideoElement>('[data-testid=tile-video]');
      if (!video || video.videoWidth === 0 || tile.offsetParent === null) continue;
      const w = video.videoWidth;
      const h = video.videoHeight;
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) continue;
      ctx.drawImage(video, 0, 0);
      const atMs = Date.now();
      const all = ctx.getImageData(0, 0, w, h).data;
      let sum = 0;
      let sum2 = 0;
      let n = 0;
      for (let i = 0; i < all.length; i += 4 * 97) {
        const y = 0.299 * all[i]! + 0.587 * all[i + 1]! + 0.114 * all[i + 2]!;
        sum += y;
        sum2 += y * y;
        n++;
      }
      const mean = sum / n;
      const bandH = Math.ceil(h / 16);
      out.push({ cameraId: Number(tile.dataset.cameraId), variance: sum2 / n - mean * mean, band: Array.from(all.subarray(0, w * bandH * 4)), width: w, height: h, atMs });
    }
    return out;
  });
  return raw.map((r) => {
    const full = new Uint8ClampedArray(r.width * r.height * 4);
    full.set(r.band);
    void TIMECODE_BAND_DIVISOR;
    return { cameraId: r.cameraId, variance: r.variance, timecodeMs: decodeTimecode(full, r.width, r.height), atMs: r.atMs };
  });
}

async function expectPlaying(page: Page, cameraIds: number[], timeout = 45_000) {
  // Playback advances...
  await expectWallAdvancing(page, cameraIds, timeout);
  // ...and shows a real, current picture: the simulator's capture time is within seconds of now.
  const frames = await framesOf(page);
  for (const id of cameraIds) {
    const f = frames.find((x) => x.cameraId === id);
    expect(f, `decoded frame of camera ${id}`).toBeDefined();
    expect(f!.variance, `picture of camera ${id} is not blank`).toBeGreaterThan(100);
    expect(f!.timecodeMs, `timecode of camera ${id}`).not.toBeNull();
    expect(f!.atMs - f!.timecodeMs!, `latency of camera ${id}`).toBeLessThan(4000);
  }
}

test('live wall: groups decide what a guard sees; pictures play, freeze visibly and recover', async ({ page, host, errors }) => {
  void errors; // the fixture fails the test on console errors and failed requests
  test.setTimeout(300_000);
  let sim: SimulatorHandle | null = null;
  const socket = proxyConsoleSocket(page);
  await socket.ready;
  try {
    sim = await startSimulator({ cameras: 4, size: SMALL_PICTURE });
    const [c1, c2, c3, c4] = sim.cameras as [SimulatorHandle['cameras'][number], SimulatorHandle['cameras'][number], SimulatorHandle['cameras'][number], SimulatorHandle['cameras'][number]];
    let yardId = 0;
    await test.step('an administrator creates two groups, adds cameras (RTSP through the socket, ONVIF in the dialog) and a guard of group A', async () => {
      const admin = await setUpAdminBySocket(host.url, ADMIN);
      const groupA = await createGroupBySocket(admin, GROUP_A);
      const groupB = await createGroupBySocket(admin, GROUP_B);
      await addRtspCameraBySocket(admin, { name: 'Gate entrance', site: 'North depot', groupId: groupA, purpose: PURPOSE, mainUrl: c1.rtspMain, subUrl: c1.rtspSub, user: c1.user, password: c1.password });
      await addRtspCameraBySocket(admin, { name: 'Gate wrong password', site: 'North depot', groupId: groupA, purpose: PURPOSE, mainUrl: c3.rtspMain, subUrl: null, user: c3.user, password: 'wrong-password' });
      await addRtspCameraBySocket(admin, { name: 'Gate unreachable', site: 'South depot', groupId: groupA, purpose: PURPOSE, mainUrl: 'rtsp://127.0.0.1:9/x', subUrl: null, user: '', password: '' });
      yardId = await addRtspCameraBySocket(admin, { name: 'Yard', site: 'North depot', groupId: groupB, purpose: PURPOSE, mainUrl: c4.rtspMain, subUrl: c4.rtspSub, user: c4.user, password: c4.password });
      await createUserBySocket(admin, { ...GUARD, role: 'guard', groupIds: [groupA] });
      admin.close();

      await page.goto(host.url);
      await signIn(page, ADMIN.username, ADMIN.password);
      await expect(tid(page, 'admin-screen')).toBeVisible();
      await tid(page, 'admin-tab-cameras').click();
      await expect(tid(page, 'cameras-tab')).toBeVisible();

      // ONVIF: a wrong password is refused in words, then the profiles are read and chosen.
      await tid(page, 'cameras-add').click();
      await tid(page, 'camera-mode-onvif').click();
      await tid(page, 'camera-form-xaddr').fill(c2.onvifUrl);
      await tid(page, 'camera-form-username').fill(c2.user);
      await tid(page, 'camera-form-password').fill('not-the-password');
      await tid(page, 'camera-form-probe').click();
      await expect(tid(page, 'camera-probe-error')).toContainText('The device refused the user name or password.');
      await tid(page, 'camera-form-password').fill(c2.password);
      await tid(page, 'camera-form-probe').click();
      await expect(tid(page, 'camera-form-device')).toBeVisible();
      await expect(tid(page, 'camera-form-main-profile')).not.toHaveValue('');
      await fillCameraSettings(page, { name: 'Gate car park', site: 'North depot', group: GROUP_A, purpose: 'Protection of parked vehicles' });
      await pick(page, 'camera-form-area', /^Workplace/);
      await expect(tid(page, 'camera-form-retention')).toHaveValue('30');
      // Retention is at most the area type's legal maximum (ELB 1.10: 30 days): the field stops there,
      // and a shorter retention is always allowed without a reason.
      await expect(tid(page, 'camera-form-area')).toHaveValue(/at most 30 d, ELB 1\.10/);
      await tid(page, 'camera-form-retention').fill('45');
      await tid(page, 'camera-form-retention').blur();
      await expect(tid(page, 'camera-form-retention')).toHaveValue('30');
      await tid(page, 'camera-form-retention').fill('21');
      await expect(tid(page, 'camera-form-retention-reason')).toHaveCount(0);
      await shot(page, 'live-wall-01-admin-add-onvif');
      await tid(page, 'camera-form-submit').click();
      await expect(page.locator('[data-testid=camera-row][data-name="Gate car park"]')).toBeVisible();

      // Passwords are never shown, only that one is stored; URLs carry no credentials.
      await expect(page.locator('[data-testid=camera-row][data-name="Gate entrance"] [data-testid=camera-password]')).toHaveText('Password stored');
      await expect(page.locator('[data-testid=camera-urls]').first()).not.toContainText('@');
      await expect(page.locator('[data-testid=camera-row][data-name="Gate wrong password"] [data-testid=camera-state]')).toHaveAttribute('data-state', 'auth_failed', { timeout: 30_000 });
      await expect(page.locator('[data-testid=camera-row][data-name="Gate unreachable"] [data-testid=camera-state]')).toHaveAttribute('data-state', 'no_signal', { timeout: 30_000 });
      await shot(page, 'live-wall-02-admin-cameras');
      await tid(page, 'signout-button').click();
    });

    const ids = new Map<string, number>();
    await test.step('the guard signs in for the first time and sees exactly group A', async () => {
      await firstSignIn(page, GUARD);
      await expect(tid(page, 'live-screen')).toBeVisible();
      const items = tid(page, 'camera-item');
      await expect(items).toHaveCount(4);
      for (const item of await items.all()) {
        const name = (await item.locator('p').first().textContent()) ?? '';
        ids.set(name, Number(await item.getAttribute('data-camera-id')));
      }
      expect([...ids.keys()].sort()).toEqual(['Gate car park', 'Gate entrance', 'Gate unreachable', 'Gate wrong password']);
      // A first wall shows the guard's cameras.
      await expect(tid(page, 'wall-tile')).toHaveCount(4);
    });

    const entrance = () => ids.get('Gate entrance')!;
    const carPark = () => ids.get('Gate car park')!;
    const tile = (id: number) => page.locator(`[data-testid=wall-tile][data-camera-id="${id}"]`);

    await test.step('cameras play; wrong password and unreachable address are told in words', async () => {
      await expectPlaying(page, [entrance(), carPark()]);
      await expect(tile(entrance()).getByTestId('tile-state')).toHaveText('Live');
      await expect(tile(entrance()).getByTestId('tile-clock')).toBeVisible();
      await expect(tile(ids.get('Gate wrong password')!).getByTestId('tile-state')).toHaveText('Password refused', { timeout: 30_000 });
      await expect(tile(ids.get('Gate unreachable')!).getByTestId('tile-state')).toHaveText('No signal', { timeout: 30_000 });
      // A camera without a picture is told over the picture, in red, with the same word as the tree.
      await expect(tile(ids.get('Gate unreachable')!).getByTestId('tile-alarm')).toContainText('No signal');
      await expect(page.locator(`[data-testid=camera-item][data-camera-id="${ids.get('Gate unreachable')!}"] [data-testid=camera-item-state]`)).toHaveText('No signal');
      const tiles = await wallTiles(page);
      expect(tiles.find((t) => t.cameraId === entrance())?.stream).toBe('sub');
      await shot(page, 'live-wall-03-guard-wall');
    });

    await test.step('the guard cannot open a camera of group B, even by asking the engine directly', async () => {
      const result = (await socket.call('live.open', { cameraId: yardId, stream: 'sub' })) as { ok: boolean; error?: { kind: string } };
      expect(result.ok).toBe(false);
      expect(result.error?.kind).toBe('NotFound');
      const visible = (await socket.call('cameras.list', {})) as { ok: boolean; value: { cameras: { id: number }[] } };
      expect(visible.value.cameras.map((c) => c.id).sort()).toEqual([...ids.values()].sort());
    });

    await test.step('a camera that loses power shows it, and plays again by itself', async () => {
      const stoppedAt = Date.now();
      const left = (ms: number) => Math.max(500, ms - (Date.now() - stoppedAt));
      await sim!.stopCamera(1);
      // Seconds after the last picture (what was buffered still plays for under a second): the
      // tile says so over the picture in amber, and its badge no longer says "Live".
      await expect(tile(entrance()).getByTestId('tile-alarm')).toBeVisible({ timeout: left(5_000) });
      await expect(tile(entrance()).getByTestId('tile-state')).not.toHaveText('Live');
      await expect(tile(entrance()).getByTestId('tile-frozen')).toContainText(/No new picture since|No signal/);
      // Within 10 s: "No signal", in red, the same word in the tile and in the camera tree.
      await expect(tile(entrance()).getByTestId('tile-state')).toHaveText('No signal', { timeout: left(10_000) });
      await expect(page.locator(`[data-testid=camera-item][data-camera-id="${entrance()}"] [data-testid=camera-item-state]`)).toHaveText('No signal', { timeout: left(10_000) });
      await expect(tile(entrance()).getByTestId('tile-frozen')).toHaveAttribute('data-alarm', 'red');
      await shot(page, 'live-wall-04-camera-lost');
      // The other camera keeps playing.
      await expectPlaying(page, [carPark()], 15_000);
      await sim!.startCamera(1);
      await expect(tile(entrance()).getByTestId('tile-state')).toHaveText('Live', { timeout: 60_000 });
      await expectPlaying(page, [entrance()], 60_000);
    });

    await test.step('keyboard and drag and drop arrange the wall; it is restored on the next visit', async () => {
      const grid = tid(page, 'wall-grid');
      // Select the top-left tile, move right, clear it with Delete.
      // The selection ring is drawn above the playing picture: its colour is on screen at every edge.
      await expectPlaying(page, [entrance()], 30_000);
      await tile(entrance()).click();
      await expect(tile(entrance())).toHaveAttribute('data-selected', 'true');
      for (const c of await edgeColours(page, tile(entrance()))) expect(c.b > 200 && c.r < 120 && c.g > 90 && c.g < 180, `ring colour ${JSON.stringify(c)}`).toBe(true);
      // A digit picks a tile; Enter would open it alone.
      await tid(page, 'wall-grid').focus();
      await page.keyboard.press('3');
      await expect(page.locator('[data-testid=wall-tile][data-index="2"]')).toHaveAttribute('data-selected', 'true');
      await page.locator('[data-testid=wall-tile][data-index="0"]').click();
      await page.keyboard.press('ArrowRight');
      await expect(page.locator('[data-testid=wall-tile][data-index="1"]')).toHaveAttribute('data-selected', 'true');
      await page.keyboard.press('Delete');
      await expect(page.locator('[data-testid=wall-tile][data-index="1"]')).toHaveAttribute('data-camera-id', '');
      // Enter on a tree item places the camera into the selected tile.
      await page.locator(`[data-testid=camera-item][data-camera-id="${carPark()}"]`).focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('[data-testid=wall-tile][data-index="1"]')).toHaveAttribute('data-camera-id', String(carPark()));
      // 3x3, then drag the entrance camera onto the last tile.
      await tid(page, 'wall-layout-9').click();
      await expect(tid(page, 'wall-tile')).toHaveCount(9);
      await expect(grid).toHaveAttribute('data-layout', '9');
      await page.locator(`[data-testid=camera-item][data-camera-id="${entrance()}"]`).dragTo(page.locator('[data-testid=wall-tile][data-index="8"]'));
      await expect(page.locator('[data-testid=wall-tile][data-index="8"]')).toHaveAttribute('data-camera-id', String(entrance()));
      await expectPlaying(page, [entrance(), carPark()]);
      await shot(page, 'live-wall-05-layout-3x3');
      // Autosave (debounced): the engine has the wall; then leave and come back: the same wall.
      await expect
        .poll(async () => {
          const saved = (await socket.call('walls.list', {})) as { ok: boolean; value?: { walls: { layout: number; tiles: (number | null)[] }[] } };
          const wall = saved.value?.walls[0];
          return wall ? { layout: wall.layout, tile1: wall.tiles[1], tile8: wall.tiles[8] } : null;
        }, { timeout: 10_000, intervals: [250] })
        .toEqual({ layout: 9, tile1: carPark(), tile8: entrance() });
      await page.reload();
      await signIn(page, GUARD.username, GUARD.password);
      await expect(tid(page, 'wall-grid')).toHaveAttribute('data-layout', '9');
      await expect(page.locator('[data-testid=wall-tile][data-index="8"]')).toHaveAttribute('data-camera-id', String(entrance()));
      await expect(page.locator('[data-testid=wall-tile][data-index="1"]')).toHaveAttribute('data-camera-id', String(carPark()));
    });

    await test.step('switching layouts keeps every camera; a second named wall starts empty and the first comes back as it was', async () => {
      const at = (i: number) => page.locator(`[data-testid=wall-tile][data-index="${i}"]`);
      // 2x2 comes back as it was arranged before the 3x3; back to 3x3, each camera is where it was.
      await tid(page, 'wall-layout-4').click();
      await expect(tid(page, 'wall-tile')).toHaveCount(4);
      await expect(at(1)).toHaveAttribute('data-camera-id', String(carPark()));
      await tid(page, 'wall-layout-9').click();
      await expect(tid(page, 'wall-tile')).toHaveCount(9);
      await expect(at(1)).toHaveAttribute('data-camera-id', String(carPark()));
      await expect(at(8)).toHaveAttribute('data-camera-id', String(entrance()));
      // A second wall, by name.
      await tid(page, 'wall-new').click();
      await tid(page, 'wall-new-name').fill('Night shift');
      await tid(page, 'wall-new-submit').click();
      await expect(tid(page, 'wall-select')).toHaveValue('Night shift');
      await expect(tid(page, 'wall-grid')).toHaveAttribute('data-layout', '4');
      await expect(page.locator('[data-testid=wall-tile][data-camera-id=""]')).toHaveCount(4);
      await page.locator(`[data-testid=camera-item][data-camera-id="${entrance()}"]`).dragTo(at(0));
      await expect(at(0)).toHaveAttribute('data-camera-id', String(entrance()));
      await shot(page, 'live-wall-05b-second-wall');
      // Back to the main wall: 3x3, as it was.
      await tid(page, 'wall-select').click();
      await page.getByRole('option', { name: 'Main wall' }).click();
      await expect(tid(page, 'wall-grid')).toHaveAttribute('data-layout', '9');
      await expect(at(1)).toHaveAttribute('data-camera-id', String(carPark()));
      await expect(at(8)).toHaveAttribute('data-camera-id', String(entrance()));
      // The engine keeps both, each with its cameras.
      const onMain = await page.locator('[data-testid=wall-tile]:not([data-camera-id=""])').count();
      await expect
        .poll(async () => {
          const saved = (await socket.call('walls.list', {})) as { ok: boolean; value?: { walls: { name: string; tiles: (number | null)[] }[] } };
          return (saved.value?.walls ?? []).map((w) => `${w.name}:${w.tiles.filter((x) => x !== null).length}`).sort();
        }, { timeout: 10_000, intervals: [250] })
        .toEqual(['Night shift:1', `default:${onMain}`]);
    });

    await test.step('double-click opens the single view on the main stream; Esc returns', async () => {
      await tile(carPark()).dblclick();
      await expect(tid(page, 'single-view')).toBeVisible();
      await expect
        .poll(async () => (await wallTiles(page)).find((t) => t.single)?.stream, { timeout: 15_000 })
        .toBe('main');
      await expect
        .poll(async () => (await wallTiles(page)).find((t) => t.single && t.currentTime > 1 && !t.frozen) !== undefined, { timeout: 45_000 })
        .toBe(true);
      await shot(page, 'live-wall-06-single-view');
      await page.keyboard.press('Escape');
      await expect(tid(page, 'single-view')).toHaveCount(0);
      await expect(tid(page, 'wall-grid')).toBeVisible();
    });

    await test.step('the wall gets the screen: the guard’s one-item menu is folded, the camera list folds away, F11 shows the wall alone', async () => {
      const viewport = page.viewportSize()!;
      const wallWidth = async () => (await tid(page, 'wall-grid').boundingBox())!.width;
      // A guard has one section: the menu shows its icon only.
      await expect(tid(page, 'nav')).toHaveAttribute('data-folded', 'true');
      await tid(page, 'camera-tree-fold').click();
      await expect(tid(page, 'camera-pane')).toBeHidden();
      expect(await wallWidth()).toBeGreaterThanOrEqual(viewport.width * 0.93);
      await shot(page, 'live-wall-06b-folded');
      // Wall only: every pixel of the window; M still opens the mark dialog above it; Esc leaves.
      await tid(page, 'wall-grid').focus();
      await page.keyboard.press('F11');
      await expect(tid(page, 'live-screen')).toHaveAttribute('data-wall-only', 'true');
      expect(await wallWidth()).toBeGreaterThanOrEqual(viewport.width - 10);
      expect((await tid(page, 'wall-grid').boundingBox())!.height).toBeGreaterThanOrEqual(viewport.height - 10);
      await expectPlaying(page, [entrance(), carPark()], 30_000);
      await shot(page, 'live-wall-06c-wall-only');
      await page.keyboard.press('m');
      await expect(tid(page, 'mark-incident-modal')).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(tid(page, 'mark-incident-modal')).toHaveCount(0);
      await expect(tid(page, 'live-screen')).toHaveAttribute('data-wall-only', 'true');
      await page.keyboard.press('Escape');
      await expect(tid(page, 'live-screen')).toHaveAttribute('data-wall-only', 'false');
      await tid(page, 'camera-tree-unfold').click();
      await expect(tid(page, 'camera-pane')).toBeVisible();
      // A tile large enough for more than the sub stream shows the main stream, chosen by its size;
      // the operator can fix the sub stream.
      await tid(page, 'wall-layout-1').click();
      await expect.poll(async () => (await wallTiles(page)).map((w) => `${w.cameraId}:${w.stream}`), { timeout: 15_000 }).toEqual([`${carPark()}:main`]);
      await tid(page, 'wall-stream').getByText('Sub').click();
      await expect.poll(async () => (await wallTiles(page)).map((w) => `${w.cameraId}:${w.stream}`), { timeout: 15_000 }).toEqual([`${carPark()}:sub`]);
      await tid(page, 'wall-stream').getByText('Auto').click();
      await tid(page, 'wall-layout-9').click();
      // (the two cameras with a sub stream; the others were added with a main stream only)
      const withSub = [entrance(), carPark()];
      await expect.poll(async () => (await wallTiles(page)).filter((w) => withSub.includes(w.cameraId)).map((w) => w.stream), { timeout: 15_000 }).toEqual(['sub', 'sub']);
    });

    await test.step('a second monitor: the wall opens alone in a new window, where the guard signs in too', async () => {
      const cameraIdsOf = (p: Page) => p.locator('[data-testid=wall-tile]').evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id') ?? ''));
      const shown = await cameraIdsOf(page);
      const [second] = await Promise.all([page.waitForEvent('popup'), tid(page, 'wall-new-window').click()]);
      await signIn(second, GUARD.username, GUARD.password);
      await expect(tid(second, 'live-screen')).toHaveAttribute('data-wall-only', 'true');
      await expect(tid(second, 'wall-grid')).toHaveAttribute('data-layout', '9');
      await expect.poll(() => cameraIdsOf(second)).toEqual(shown);
      await expectPlaying(second, [entrance(), carPark()], 30_000);
      await shot(second, 'live-wall-06d-second-window');
      // The first window goes on playing its wall.
      await expectPlaying(page, [entrance(), carPark()], 30_000);
      await second.close();
    });

    await test.step('the wall in Polish', async () => {
      await tid(page, 'header-language').click();
      await page.getByRole('option', { name: 'Polski' }).click();
      await expect(tile(ids.get('Gate unreachable')!).getByTestId('tile-state')).toHaveText('Brak sygnału');
      await expect(tile(entrance()).getByTestId('tile-state')).toHaveText('Na żywo');
      await tid(page, 'wall-layout-4').click();
      await shot(page, 'live-wall-07-polish');
    });

    // Leaving the section destroys the players before their views are closed.
    await tid(page, 'signout-button').click();
    await expect(tid(page, 'signin-screen')).toBeVisible();
  } finally {
    await sim?.close();
  }
});
