// Reason-gated playback (docs/design/playback.md; R3; KRK §5.3.4, JON 15.5): an administrator sets up a
// camera that records; it loses power for a while (a gap). A reviewer opening recordings is stopped
// by the reason dialog, gives a reason, and sees the right wall-clock time: the clock on screen
// matches the capture time burned into the picture by the camera simulator. The reviewer seeks on
// the timeline, plays across the gap, marks an incident and places a hold on the visible range.
// A guard has no playback anywhere. The audit log shows the reason next to the playback.
import type { Page } from '@playwright/test';
import { decodeTimecode } from '../tools/camera-sim/timecode';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { expect, shot, test } from './fixtures';
import { ADMIN, GUARD, REVIEWER } from './people';
import { addRtspCameraBySocket, createGroupBySocket, createUserBySocket, firstSignIn, pick, recordedMs, recordingOf, setUpAdminBySocket, signIn, signOut, tid, type SocketSeat } from './steps';

const GROUP = 'Tramwaje';
const CAMERA = 'Przystanek Rondo';
const REASON = 'Fight reported by the tram driver near the stop';

/** The playback clock as epoch ms (it shows local date and time to the millisecond). */
async function clockMs(page: Page): Promise<number | null> {
  const date = await tid(page, 'playback-clock-date').textContent();
  const time = await tid(page, 'playback-clock-time').textContent();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  const n = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(time ?? '');
  if (!m || !n) return null;
  return new Date(+m[1]!, +m[2]! - 1, +m[3]!, +n[1]!, +n[2]!, +n[3]!, +n[4]!).getTime();
}

/** Reads the clock and the capture time burned into the frame shown, once that frame is decoded and painted. */
async function clockAndPicture(page: Page, cameraId: number): Promise<{ clock: number | null; burned: number | null }> {
  const raw = await page.evaluate(async (id) => {
    const video = document.querySelector<HTMLVideoElement>(`[data-testid=playback-video-${id}]`);
    if (!video || video.videoWidth === 0) return null;
    // The frame at the current position is there (not seeking, current data), and the page has
    // painted twice since, so the clock beside it shows the same position.
    if (video.seeking || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return null;
    await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0);
    return { w: canvas.width, h: canvas.height, data: Array.from(ctx.getImageData(0, 0, canvas.width, Math.ceil(canvas.height / 8)).data) };
  }, cameraId);
  if (!raw) return { clock: null, burned: null };
  const full = new Uint8ClampedArray(raw.w * raw.h * 4);
  full.set(raw.data);
  return { clock: await clockMs(page), burned: decodeTimecode(full, raw.w, raw.h) };
}

async function expectRightTime(page: Page, cameraId: number) {
  // Paused, the frame and the clock stand still: the clock must name the frame's capture time.
  if ((await tid(page, 'playback-play').textContent()) !== 'Play') await tid(page, 'playback-play').click();
  await expect
    .poll(
      async () => {
        const { clock, burned } = await clockAndPicture(page, cameraId);
        return clock !== null && burned !== null ? Math.abs(clock - burned) : Number.POSITIVE_INFINITY;
      },
      { timeout: 15_000, intervals: [500] },
    )
    .toBeLessThan(1000);
}

/** Clicks the timeline where the given instant is. */
async function clickTimelineAt(page: Page, ms: number) {
  const svg = tid(page, 'timeline');
  let from = Number(await svg.getAttribute('data-from'));
  let to = Number(await svg.getAttribute('data-to'));
  if (ms < from || ms > to) {
    // Not in view (the playhead moved the view): the 10-minute view around it holds it.
    await tid(page, 'timeline-zoom-10min').click();
    from = Number(await svg.getAttribute('data-from'));
    to = Number(await svg.getAttribute('data-to'));
  }
  expect(ms, 'instant to click is on the timeline').toBeGreaterThanOrEqual(from);
  expect(ms).toBeLessThanOrEqual(to);
  const box = (await svg.boundingBox())!;
  const labelW = 120;
  await page.mouse.click(box.x + labelW + ((ms - from) / (to - from)) * (box.width - labelW), box.y + 30);
}

test('playback: a reason first, the right time on screen, seek across a gap, incident and hold; guards have none; the audit shows the reason', async ({ page, host, errors }) => {
  void errors;
  test.setTimeout(300_000);
  let sim: SimulatorHandle | null = null;
  const seats: SocketSeat[] = [];
  try {
    sim = await startSimulator({ cameras: 1, size: SMALL_PICTURE });
    const cam = sim.cameras[0]!;

    // The administrator's seat stays open: it watches the recording (as the storage page does).
    const recorder = await setUpAdminBySocket(host.url, ADMIN);
    seats.push(recorder);
    const cameraId = await test.step('an administrator adds a recording camera, a reviewer and a guard (through the socket)', async () => {
      const groupId = await createGroupBySocket(recorder, GROUP);
      const id = await addRtspCameraBySocket(recorder, { name: CAMERA, site: 'Rondo Mogilskie', groupId, purpose: 'Safety of passengers at the tram stop', mainUrl: cam.rtspMain, user: cam.user, password: cam.password });
      await createUserBySocket(recorder, { ...REVIEWER, role: 'reviewer', groupIds: [groupId] });
      await createUserBySocket(recorder, { ...GUARD, role: 'guard', groupIds: [groupId] });
      await page.goto(host.url);
      await expect(tid(page, 'signin-screen')).toBeVisible();
      return id;
    });

    await test.step('a guard has no playback anywhere', async () => {
      await firstSignIn(page, GUARD);
      await expect(tid(page, 'nav-live')).toBeVisible();
      await expect(tid(page, 'nav-playback')).toHaveCount(0);
      await expect(tid(page, 'playback-screen')).toHaveCount(0);
      await signOut(page);
    });

    // Recording runs until there are 8 s of footage before the power loss (the seek below lands 4 s
    // before it). The camera stays off until the recorder has noticed (its stall limit ends the
    // file), so the footage has a gap; then it records again until 8 s past the power's return.
    await expect.poll(() => recordedMs(recorder, cameraId), { timeout: 60_000, intervals: [250] }).toBeGreaterThanOrEqual(8_000);
    const gapFrom = Date.now();
    await sim.stopCamera(1);
    await expect.poll(async () => (await recordingOf(recorder, cameraId)).state, { timeout: 30_000, intervals: [250] }).toBe('waiting_for_video');
    await sim.startCamera(1);
    const gapTo = Date.now();
    await expect
      .poll(async () => {
        const r = await recordingOf(recorder, cameraId);
        return r.gaps >= 1 && r.state === 'recording' ? (r.newestMs ?? 0) - gapTo : -1;
      }, { timeout: 60_000, intervals: [250] })
      .toBeGreaterThanOrEqual(8_000);
    recorder.close();

    await test.step('a reviewer is stopped by the reason dialog, gives a reason, and sees the right time', async () => {
      await firstSignIn(page, REVIEWER);
      await tid(page, 'nav-playback').click();
      await expect(tid(page, 'playback-empty')).toBeVisible();
      // The camera is chosen; the last hour is the default range.
      await tid(page, 'playback-open').click();
      await expect(tid(page, 'reason-dialog')).toBeVisible();
      await expect(tid(page, 'playback-video-' + cameraId)).toHaveCount(0);
      // Too short a reason is refused before anything is sent.
      await tid(page, 'reason-text').fill('look');
      await tid(page, 'reason-submit').click();
      await expect(tid(page, 'reason-dialog')).toContainText('Choose the reason.');
      await pick(page, 'reason-category', 'Incident investigation');
      await tid(page, 'reason-text').fill(REASON);
      await tid(page, 'reason-reference').fill('KMP-2026-114');
      await shot(page, 'playback-01-reason');
      await tid(page, 'reason-submit').click();
      await expect(tid(page, 'reason-dialog')).toHaveCount(0);
      await expect(tid(page, 'playback-stage')).toHaveAttribute('data-mode', 'recorded');
      await expect(tid(page, 'playback-recorded-badge')).toBeVisible();
      await expect.poll(() => clockMs(page), { timeout: 20_000 }).not.toBeNull();
      await expectRightTime(page, cameraId);
    });

    await test.step('the timeline shows the gap; seeking shows the right time; playing crosses the gap', async () => {
      await tid(page, 'timeline-zoom-minute').click();
      await expect.poll(async () => Number(await tid(page, `timeline-row-${cameraId}`).getAttribute('data-spans')), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      await expect(page.locator(`[data-testid=timeline-row-${cameraId}] [data-testid=timeline-gap]`).first()).toBeVisible();
      await shot(page, 'playback-02-timeline-gap');
      // Seek to 4 s before the power loss, and check the picture there.
      await clickTimelineAt(page, gapFrom - 4000);
      await expectRightTime(page, cameraId);
      const before = await clockMs(page);
      expect(Math.abs(before! - (gapFrom - 4000))).toBeLessThan(2000);
      // Play at 2x: the clock runs past the end of the gap by itself.
      await tid(page, 'playback-speed').getByText('2×').click();
      await tid(page, 'playback-play').click();
      await expect.poll(() => clockMs(page), { timeout: 20_000, intervals: [250] }).toBeGreaterThan(gapTo);
      await expectRightTime(page, cameraId);
    });

    await test.step('the keyboard drives playback: Space, Shift+arrows 10 s, - slower, Home; ? lists the keys', async () => {
      await tid(page, 'timeline').hover();
      // Paused (expectRightTime left it so): Space plays, Space pauses.
      await page.keyboard.press('Space');
      await expect(tid(page, 'playback-play')).toHaveText('Pause');
      await page.keyboard.press('Space');
      await expect(tid(page, 'playback-play')).toHaveText('Play');
      // Home: the start of the footage (before the gap); Shift+Right: 10 s on (into the gap, whose
      // end is then shown, or past it).
      await page.keyboard.press('Home');
      await expect.poll(async () => (await clockMs(page)) ?? Infinity, { timeout: 10_000 }).toBeLessThan(gapFrom - 4_000);
      const start = (await clockMs(page))!;
      await page.keyboard.press('Shift+ArrowRight');
      await expect.poll(async () => (await clockMs(page)) ?? 0, { timeout: 10_000 }).toBeGreaterThan(start + 8_000);
      await page.keyboard.press('-');
      await expect(tid(page, 'playback-speed')).toHaveAttribute('data-speed', '1');
      await page.keyboard.press('?');
      await expect(tid(page, 'shortcut-sheet')).toBeVisible();
      await expect(tid(page, 'shortcuts-playback')).toContainText('10 seconds back or forward');
      await shot(page, 'playback-02b-keys');
      await page.keyboard.press('Escape');
      await expect(tid(page, 'shortcut-sheet')).toHaveCount(0);
    });

    await test.step('the reviewer marks an incident and places a hold on the visible range', async () => {
      await tid(page, 'playback-mark-incident').click();
      await pick(page, 'create-incident-category', /Violence/);
      await tid(page, 'create-incident-title').fill('Fight at the stop');
      await tid(page, 'create-incident-note').fill('Two men, one with a red jacket; driver called the police.');
      await tid(page, 'create-incident-submit').click();
      await expect(tid(page, 'create-incident-modal')).toHaveCount(0);
      await expect(page.locator('[data-testid=timeline-incident]').first()).toBeVisible();

      await tid(page, 'playback-place-hold').click();
      await expect(tid(page, 'hold-form-item-camera')).toHaveValue(CAMERA);
      await tid(page, 'hold-form-case').fill('KMP-2026-114');
      await tid(page, 'hold-form-body').fill('Komenda Miejska Policji w Krakowie');
      await tid(page, 'hold-form-basis').fill('Art. 217 of the Code of Criminal Procedure');
      await tid(page, 'hold-form-reason').fill('Evidence of an assault at the tram stop');
      await tid(page, 'hold-form-submit').click();
      await expect(tid(page, 'hold-form')).toHaveCount(0);
      await expect(page.locator('[data-testid=timeline-hold]').first()).toBeVisible();
      // Every band is tall enough to see and to hit: footage 20 px, a hold 6 px, an incident's mark 10 px.
      const heightOf = async (testId: string) => (await page.locator(`[data-testid=${testId}]`).first().boundingBox())?.height ?? 0;
      expect(await heightOf('timeline-span')).toBeGreaterThanOrEqual(20);
      expect(await heightOf('timeline-hold')).toBeGreaterThanOrEqual(6);
      expect(await heightOf('timeline-incident-mark')).toBeGreaterThanOrEqual(10);
      await shot(page, 'playback-03-incident-hold');
    });

    await test.step('footage outside the opened range asks for a reason again, and the last one is reused in one click', async () => {
      await tid(page, 'timeline-zoom-day').click();
      await clickTimelineAt(page, Date.now() - 6 * 3_600_000);
      await expect(tid(page, 'reason-dialog')).toBeVisible();
      await expect(tid(page, 'reason-previous')).toContainText(REASON);
      await tid(page, 'reason-reuse').click();
      await expect(tid(page, 'reason-dialog')).toHaveCount(0);
      // Nothing was recorded six hours ago: the tile says so rather than showing anything else.
      await expect(tid(page, `playback-tile-${cameraId}`)).toHaveAttribute('data-state', 'no_recording', { timeout: 15_000 });
      await signOut(page);
    });

    await test.step('the audit log shows the playback with its reason', async () => {
      await signIn(page, ADMIN.username, ADMIN.password);
      await tid(page, 'nav-audit').click();
      await tid(page, 'audit-filter-actor').fill(REVIEWER.username);
      await tid(page, 'audit-filter-apply').click();
      const opens = page.locator('[data-testid=audit-row]', { hasText: 'playback.open' });
      // Two sessions (the first range, then the wider one), both with the reason and its reference.
      await expect(opens).toHaveCount(2);
      for (const row of await opens.all()) {
        await expect(row).toContainText(REASON);
        await expect(row).toContainText('KMP-2026-114');
      }
      await expect(page.locator('[data-testid=audit-row]', { hasText: 'incidents.create' }).first()).toBeVisible();
      await expect(page.locator('[data-testid=audit-row]', { hasText: 'holds.place' }).first()).toBeVisible();
      await shot(page, 'playback-04-audit-reason');
    });

    await test.step('what just happened: "replay the last 30 s" on a live tile and "play" on an incident open Playback there, a reason asked first', async () => {
      await signOut(page);
      await signIn(page, REVIEWER.username, REVIEWER.password);
      await tid(page, 'nav-live').click();
      const pressedAt = Date.now();
      await tid(page, `tile-replay-${cameraId}`).click();
      await expect(tid(page, 'playback-screen')).toBeVisible();
      await expect(tid(page, 'reason-dialog')).toBeVisible();
      await expect(tid(page, 'reason-summary')).toContainText(CAMERA);
      await pick(page, 'reason-category', 'Incident investigation');
      await tid(page, 'reason-text').fill('Guard reported a fall at the stop a moment ago');
      await tid(page, 'reason-submit').click();
      await expect(tid(page, 'reason-dialog')).toHaveCount(0);
      await expect(tid(page, 'playback-stage')).toHaveAttribute('data-mode', 'recorded');
      // It plays from 30 s before the click.
      await expect.poll(async () => (await clockMs(page)) ?? 0, { timeout: 20_000 }).toBeGreaterThan(pressedAt - 35_000);
      expect((await clockMs(page))!).toBeLessThan(pressedAt - 10_000);
      await shot(page, 'playback-05-replay-30s');
      // From the incident marked above: its camera and moment, the reason prefilled with its number.
      await tid(page, 'nav-incidents').click();
      await page.locator('[data-testid^=incident-row-][data-incident-id]').first().click();
      await tid(page, 'incident-play').click();
      await expect(tid(page, 'reason-dialog')).toBeVisible();
      await expect(tid(page, 'reason-reference')).toHaveValue(/^INC-/);
      await expect(tid(page, 'reason-category')).toHaveValue('Incident investigation');
      await tid(page, 'reason-text').fill('Reviewing the fight for the police report');
      await tid(page, 'reason-submit').click();
      await expect(tid(page, 'reason-dialog')).toHaveCount(0);
      await expect(tid(page, 'playback-stage')).toHaveAttribute('data-mode', 'recorded');
    });
  } finally {
    for (const seat of seats) seat.close();
    await sim?.close();
  }
});
