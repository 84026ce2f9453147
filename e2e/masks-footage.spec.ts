// Privacy masks on footage (R7; KRK §6.2-6.3, JON 8-9; docs/design/privacy-masks.md): a camera with a
// permanent mask over "the windows of the house opposite" and a liftable one over a doorway. A
// guard's live tile and a reviewer's playback show black inside the permanent mask and the picture
// outside it, checked on the pixels Chromium composited (a screenshot of the tile decoded in the
// same browser), not on the DOM; neither may lift anything. A supervisor lifts the liftable mask
// with a reason: the tile says until when, the permanent mask stays black, and restoring ends it.
import type { Locator, Page } from '@playwright/test';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { expect, shot, test } from './fixtures';
import { ADMIN, GUARD, REVIEWER } from './people';
import { distanceToOutline, pointInPolygon } from '../shared/privacy-masks';
import { addRtspCameraBySocket, createGroupBySocket, createUserBySocket, expectWallPlaying, firstSignIn, openPlaybackWithReason, recordedMs, screenPixels, setUpAdminBySocket, signOut, tid } from './steps';

/** Not a rectangle: a pentagon away from the top band (burned-in time) and the tile's badges. */
const WINDOWS: [number, number][] = [[0.45, 0.3], [0.8, 0.28], [0.88, 0.6], [0.66, 0.82], [0.42, 0.62]];
const DOORWAY: [number, number][] = [[0.05, 0.55], [0.25, 0.55], [0.25, 0.9], [0.05, 0.9]];
const SUPERVISOR = { username: 'ewa.supervisor', displayName: 'Ewa Zielińska', temp: 'Srebrny-Most-31', password: 'Jasny-Plac-2027' };

interface MaskPixels {
  /** Pixels sampled at least 3 px inside the mask, and how many of them were not black. */
  inside: number;
  insideNotBlack: number;
  /** Pixels sampled at least 3 px outside it, and the spread of their brightness (a real picture). */
  outside: number;
  outsideLumaVariance: number;
}

/** Samples the picture of `video` (object-fit: contain inside its box) as composited on screen. */
async function maskPixels(page: Page, video: Locator, polygon: [number, number][]): Promise<MaskPixels> {
  const size = await video.evaluate((v: HTMLVideoElement) => ({ w: v.videoWidth, h: v.videoHeight }));
  const { width, height, rgba } = await screenPixels(page, video);
  const scale = Math.min(width / size.w, height / size.h);
  const pw = size.w * scale;
  const ph = size.h * scale;
  const left = (width - pw) / 2;
  const top = (height - ph) / 2;
  const pts = polygon.map(([x, y]) => [left + x * pw, top + y * ph] as const);
  const r: MaskPixels = { inside: 0, insideNotBlack: 0, outside: 0, outsideLumaVariance: 0 };
  let sum = 0;
  let sum2 = 0;
  // The picture's middle rows only (the top band carries the burned-in time, the corners badges).
  for (let y = Math.ceil(top + ph * 0.2); y < top + ph * 0.9; y += 2) {
    for (let x = Math.ceil(left + 4); x < left + pw - 4; x += 2) {
      if (distanceToOutline(pts, x + 0.5, y + 0.5) < 3) continue;
      const i = (y * width + x) * 4;
      const [red, green, blue] = [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!];
      if (pointInPolygon(pts, x + 0.5, y + 0.5)) {
        r.inside++;
        if (Math.max(red, green, blue) > 8) r.insideNotBlack++;
      } else {
        r.outside++;
        const luma = 0.299 * red + 0.587 * green + 0.114 * blue;
        sum += luma;
        sum2 += luma * luma;
      }
    }
  }
  r.outsideLumaVariance = r.outside ? sum2 / r.outside - (sum / r.outside) ** 2 : 0;
  return r;
}

function expectMasked(p: MaskPixels, where: string) {
  expect(p.inside, `${where}: pixels sampled inside the mask`).toBeGreaterThan(500);
  expect(p.insideNotBlack, `${where}: pixels inside the mask that are not black`).toBe(0);
  expect(p.outsideLumaVariance, `${where}: the picture outside the mask is a picture`).toBeGreaterThan(100);
}

test('privacy masks: a permanent mask is black on the guard’s live tile and in the reviewer’s playback, the picture around it untouched', async ({ page, host, errors }) => {
  void errors;
  test.setTimeout(180_000);
  let sim: SimulatorHandle | null = null;
  try {
    sim = await startSimulator({ cameras: 1, size: SMALL_PICTURE, auth: 'none' });
    const cam = sim.cameras[0]!;
    const admin = await setUpAdminBySocket(host.url, ADMIN);
    const groupId = await createGroupBySocket(admin, 'Rynek');
    const cameraId = await addRtspCameraBySocket(admin, { name: 'Rynek - ratusz', site: 'Rynek', groupId, purpose: 'Safety of people on the market square', mainUrl: cam.rtspMain, subUrl: cam.rtspSub });
    await admin.must('masks.save', {
      cameraId,
      masks: [
        { kind: 'permanent', points: WINDOWS, label: 'windows of the house opposite, KRK §6.3' },
        { kind: 'liftable', points: DOORWAY, label: 'doorway of the house, KRK §6.2' },
      ],
      reason: 'the square camera overlooks flats',
    });
    await createUserBySocket(admin, { ...GUARD, role: 'guard', groupIds: [groupId] });
    await createUserBySocket(admin, { ...REVIEWER, role: 'reviewer', groupIds: [groupId] });
    await createUserBySocket(admin, { ...SUPERVISOR, role: 'supervisor', groupIds: [groupId] });

    await page.goto(host.url);
    await firstSignIn(page, GUARD);
    await expectWallPlaying(page, [cameraId]);
    await expect(tid(page, 'privacy-masks').first()).toHaveAttribute('data-masks', '2');
    // A guard may not lift masks.
    await expect(tid(page, 'mask-lift')).toHaveCount(0);
    const video = page.locator('[data-testid=wall-tile] [data-testid=tile-video]').first();
    expectMasked(await maskPixels(page, video, WINDOWS), 'live tile');
    await shot(page, 'masks-live-tile');
    await signOut(page);

    // Enough footage for playback, then the reviewer opens it with a reason.
    await expect.poll(() => recordedMs(admin, cameraId), { timeout: 60_000 }).toBeGreaterThan(8_000);
    admin.close();
    await firstSignIn(page, REVIEWER);
    await openPlaybackWithReason(page, { category: 'Incident investigation', text: 'checking what the square camera recorded' });
    const played = tid(page, `playback-video-${cameraId}`);
    await expect.poll(() => played.evaluate((v: HTMLVideoElement) => v.readyState >= 2 && v.videoWidth > 0), { timeout: 30_000 }).toBe(true);
    await expect(tid(page, `playback-masks-${cameraId}`)).toHaveAttribute('data-masks', '2');
    await expect(tid(page, 'mask-lift')).toHaveCount(0);
    expectMasked(await maskPixels(page, played, WINDOWS), 'playback');
    await shot(page, 'masks-playback');
    await signOut(page);

    // A supervisor lifts the liftable mask on the live tile, with a reason; the permanent one stays black.
    await firstSignIn(page, SUPERVISOR);
    await expectWallPlaying(page, [cameraId]);
    await tid(page, 'mask-lift').click();
    await tid(page, 'mask-lift-reason').fill('identify the person at the doorway, police request KMP-2026-114');
    await shot(page, 'masks-lift-dialog');
    await tid(page, 'mask-lift-submit').click();
    await expect(tid(page, 'mask-lifted')).toContainText(/Masks lifted until \d{2}:\d{2}/);
    await expect(tid(page, 'privacy-masks').first()).toHaveAttribute('data-lifted', 'true');
    await expect(page.locator('[data-testid=privacy-masks] [data-kind=liftable]')).toHaveCount(0);
    expectMasked(await maskPixels(page, page.locator('[data-testid=wall-tile] [data-testid=tile-video]').first(), WINDOWS), 'live tile, liftable mask lifted');
    await shot(page, 'masks-lifted');
    await tid(page, 'mask-restore').click();
    await expect(tid(page, 'mask-lifted')).toHaveCount(0);
    await expect(page.locator('[data-testid=privacy-masks] [data-kind=liftable]')).toHaveCount(1);
  } finally {
    await sim?.close();
  }
});
