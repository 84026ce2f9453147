// The live fragment path in the real renderer (docs/design/live-pipeline.md "Fragment path"): a
// guard's wall plays its tiles from one-frame fMP4 fragments over a WebSocket into MSE (the wall
// hook says which path each tile uses), at well under a second glass to glass (the simulator's
// burned-in capture time read from the decoded picture); the LL-HLS setting still plays through hls.js.
import type { Page } from '@playwright/test';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { decodeTimecode } from '../tools/camera-sim/timecode';
import { expect, shot, test } from './fixtures';
import { ADMIN, GUARD } from './people';
import { addRtspCameraBySocket, createGroupBySocket, createUserBySocket, expectWallAdvancing, firstSignIn, setUpAdminBySocket, signIn, tid, wallTiles } from './steps';

const PURPOSE = 'Protection of the entrance against burglary';

/** Glass-to-glass of one tile: now minus the capture time burned into the frame it shows. */
async function latencyOf(page: Page, cameraId: number): Promise<number | null> {
  const raw = await page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(`[data-testid=wall-tile][data-camera-id="${id}"] [data-testid=tile-video]`);
    if (!video || video.videoWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0);
    return { atMs: Date.now(), data: Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data), width: canvas.width, height: canvas.height };
  }, cameraId);
  if (!raw) return null;
  const t = decodeTimecode(new Uint8ClampedArray(raw.data), raw.width, raw.height);
  return t === null ? null : raw.atMs - t;
}

test('live fragment path: the wall plays over the socket at the live edge, and LL-HLS stays as the fallback', async ({ page, host, errors }) => {
  void errors;
  test.setTimeout(240_000);
  let sim: SimulatorHandle | null = null;
  try {
    sim = await startSimulator({ cameras: 2, size: SMALL_PICTURE });
    const [c1, c2] = sim.cameras as [SimulatorHandle['cameras'][number], SimulatorHandle['cameras'][number]];
    await test.step('an administrator adds two cameras and a guard who sees them', async () => {
      const admin = await setUpAdminBySocket(host.url, ADMIN);
      const group = await createGroupBySocket(admin, 'Depot gate A');
      await addRtspCameraBySocket(admin, { name: 'Gate entrance', site: 'North depot', groupId: group, purpose: PURPOSE, mainUrl: c1.rtspMain, subUrl: c1.rtspSub, user: c1.user, password: c1.password });
      await addRtspCameraBySocket(admin, { name: 'Gate car park', site: 'North depot', groupId: group, purpose: PURPOSE, mainUrl: c2.rtspMain, subUrl: c2.rtspSub, user: c2.user, password: c2.password });
      await createUserBySocket(admin, { ...GUARD, role: 'guard', groupIds: [group] });
      admin.close();
    });

    let ids: number[] = [];
    await test.step('the guard’s wall plays both cameras through the fragment path, under a second behind the camera', async () => {
      await page.goto(host.url);
      await firstSignIn(page, GUARD);
      await expect(tid(page, 'live-screen')).toBeVisible();
      // The camera list arrives after the screen: all() does not wait for it.
      await expect(tid(page, 'camera-item')).toHaveCount(2);
      ids = await Promise.all((await tid(page, 'camera-item').all()).map(async (i) => Number(await i.getAttribute('data-camera-id'))));
      expect(ids).toHaveLength(2);
      await expectWallAdvancing(page, ids, 45_000);
      await expect.poll(async () => (await wallTiles(page)).filter((t) => ids.includes(t.cameraId)).map((t) => t.path), { timeout: 20_000 }).toEqual(['fragments', 'fragments']);
      // Several looks, the best of them: one busy moment of the machine is not the path's latency.
      const seen: number[] = [];
      for (let i = 0; i < 8; i++) {
        const l = await latencyOf(page, ids[0]!);
        if (l !== null) seen.push(l);
        await page.waitForTimeout(300);
      }
      expect(seen.length).toBeGreaterThan(3);
      expect(Math.min(...seen)).toBeLessThan(1000);
      await expect(page.locator(`[data-testid=wall-tile][data-camera-id="${ids[0]}"] [data-testid=tile-state]`)).toHaveText('Live');
      await shot(page, 'live-fragments-01-wall');
    });

    await test.step('LL-HLS as the seat’s setting: the same wall plays through hls.js', async () => {
      await page.evaluate(() => localStorage.setItem('console.livePath', 'hls'));
      await page.reload();
      await signIn(page, GUARD.username, GUARD.password);
      await expect(tid(page, 'live-screen')).toBeVisible({ timeout: 30_000 });
      await expectWallAdvancing(page, ids, 45_000);
      await expect.poll(async () => (await wallTiles(page)).filter((t) => ids.includes(t.cameraId)).map((t) => t.path), { timeout: 20_000 }).toEqual(['hls', 'hls']);
      await page.evaluate(() => localStorage.removeItem('console.livePath'));
    });
  } finally {
    await sim?.close();
  }
});
