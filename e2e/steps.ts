// Steps shared by the user journeys: signing in (first time: new password and the commitment),
// picking from a Mantine select, creating users, and a pass-through of the console's WebSocket so
// a test can send a command in the signed-in user's own session (to show the engine refuses it).
import type { Locator, Page, WebSocketRoute } from '@playwright/test';
import { connectWs } from '../electron/core/testing/host-process';
import { AREA_TYPES } from '../shared/cameras';
import type { CommandName, RequestOf, ResponseOf } from '../shared/contract';
import type { Language } from '../shared/i18n-languages';
import type { Role } from '../shared/roles';
import type { Result } from '../shared/result';
import { expect, routedSocketPages } from './fixtures';
import { wallTiles } from './wall-hook';

export { wallTiles, type WallTile } from './wall-hook';

export const tid = (page: Page, id: string) => page.getByTestId(id);

export interface NewUser {
  username: string;
  displayName: string;
  temp: string;
  password: string;
}

/** Fills and submits the sign-in form, whatever comes next (a refusal, a password change, the commitment). */
export async function submitSignIn(page: Page, username: string, password: string) {
  await tid(page, 'signin-username').fill(username);
  await tid(page, 'signin-password').fill(password);
  await tid(page, 'signin-submit').click();
}

export async function signIn(page: Page, username: string, password: string) {
  await submitSignIn(page, username, password);
  await expect(tid(page, 'nav')).toBeVisible();
}

/** First sign-in of a user created by an administrator: new password, then the commitment (JON 15.2). */
export async function firstSignIn(page: Page, user: Pick<NewUser, 'username' | 'temp' | 'password'>) {
  await submitSignIn(page, user.username, user.temp);
  await tid(page, 'chpw-current').fill(user.temp);
  await tid(page, 'chpw-new').fill(user.password);
  await tid(page, 'chpw-confirm').fill(user.password);
  await tid(page, 'chpw-submit').click();
  await tid(page, 'commitment-accept-checkbox').check();
  await tid(page, 'commitment-accept').click();
  await expect(tid(page, 'nav')).toBeVisible();
}

/** First run: the first administrator is created, signs in and accepts the commitment. */
export async function setUpFirstAdmin(page: Page, admin: { username: string; displayName: string; password: string }) {
  await tid(page, 'setup-username').fill(admin.username);
  await tid(page, 'setup-displayname').fill(admin.displayName);
  await tid(page, 'setup-password').fill(admin.password);
  await tid(page, 'setup-password2').fill(admin.password);
  await tid(page, 'setup-submit').click();
  await submitSignIn(page, admin.username, admin.password);
  await tid(page, 'commitment-accept-checkbox').check();
  await tid(page, 'commitment-accept').click();
  await expect(tid(page, 'nav')).toBeVisible();
}

export async function signOut(page: Page) {
  await tid(page, 'signout-button').click();
  await expect(tid(page, 'signin-screen')).toBeVisible();
}

export async function pick(page: Page, testId: string, option: string | RegExp) {
  await tid(page, testId).click();
  await page.getByRole('option', { name: option }).click();
}

/** Creates a user on the Users tab with a temporary password, in one camera group or none, with
 *  the basis of the grant (docs/design/authorised-persons.md). */
export async function createUser(page: Page, u: Pick<NewUser, 'username' | 'displayName' | 'temp'>, role: RegExp, group: string | null, basis = JOURNEY_BASIS) {
  await tid(page, 'users-create').click();
  await tid(page, 'user-form-username').fill(u.username);
  await tid(page, 'user-form-displayname').fill(u.displayName);
  await pick(page, 'user-form-role', role);
  await tid(page, 'user-form-password').fill(u.temp);
  if (group !== null) {
    await pick(page, 'user-form-groups', group);
    await page.keyboard.press('Escape');
  }
  await tid(page, 'user-form-basis').fill(basis);
  await tid(page, 'user-form-submit').click();
  await expect(page.locator(`[data-testid=user-row][data-username="${u.username}"]`)).toBeVisible();
}

/** Creates a camera group on the Groups tab of Administration (which must be open). */
export async function createGroup(page: Page, name: string) {
  await tid(page, 'groups-create').click();
  await tid(page, 'group-form-name').fill(name);
  await tid(page, 'group-form-submit').click();
  await expect(page.locator(`[data-testid=group-row][data-group-name="${name}"]`)).toBeVisible();
}

export interface CameraSettingsInput {
  name: string;
  site: string;
  group: string;
  purpose: string;
}

/** Fills the settings part of the camera dialog (any way of adding). */
export async function fillCameraSettings(page: Page, s: CameraSettingsInput) {
  await tid(page, 'camera-form-name').fill(s.name);
  await tid(page, 'camera-form-site').fill(s.site);
  await pick(page, 'camera-form-group', s.group);
  await tid(page, 'camera-form-purpose').fill(s.purpose);
}

/** Adds a camera by RTSP URL on the Cameras tab of Administration (which must be open); returns its id. */
export async function addRtspCamera(page: Page, c: CameraSettingsInput & { mainUrl: string; subUrl?: string | null; user?: string; password?: string }): Promise<number> {
  await tid(page, 'cameras-add').click();
  await tid(page, 'camera-mode-rtsp').click();
  await tid(page, 'camera-form-main-url').fill(c.mainUrl);
  if (c.subUrl) await tid(page, 'camera-form-sub-url').fill(c.subUrl);
  if (c.user !== undefined) await tid(page, 'camera-form-username').fill(c.user);
  if (c.password !== undefined) await tid(page, 'camera-form-password').fill(c.password);
  await fillCameraSettings(page, c);
  await tid(page, 'camera-form-submit').click();
  const row = page.locator(`[data-testid=camera-row][data-name="${c.name}"]`);
  await expect(row).toBeVisible();
  return Number(await row.getAttribute('data-camera-id'));
}

/** Passes the console's WebSocket through, so the test can send a command in the signed-in user's own session. */
export function proxyConsoleSocket(page: Page) {
  let server: WebSocketRoute | null = null;
  const waiting = new Map<number, (v: unknown) => void>();
  routedSocketPages.add(page);
  const ready = page.routeWebSocket(/\/ws/, (ws) => {
    const s = ws.connectToServer();
    server = s;
    // Nothing is passed to a side known to have closed; a close on one side closes the other, as
    // without the proxy. (A frame can still reach a page socket that began closing before the route
    // heard of it: fixtures.ts collectErrors says why that page error is not the console's.)
    let closed = false;
    ws.onClose((code, reason) => {
      closed = true;
      void s.close({ code, reason });
    });
    s.onClose((code, reason) => {
      closed = true;
      void ws.close({ code, reason });
    });
    ws.onMessage((m) => !closed && s.send(m));
    s.onMessage((m) => {
      const text = typeof m === 'string' ? m : m.toString();
      try {
        const parsed = JSON.parse(text) as { id?: number; result?: unknown };
        if (typeof parsed.id === 'number' && waiting.has(parsed.id)) {
          waiting.get(parsed.id)!(parsed.result);
          waiting.delete(parsed.id);
          return;
        }
      } catch {
        // not JSON: pass through
      }
      if (!closed) ws.send(m);
    });
  });
  let nextId = 9_000_000;
  return {
    ready,
    call(name: string, payload: unknown): Promise<unknown> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (!server) return reject(new Error('no console socket yet'));
        waiting.set(id, resolve);
        server.send(JSON.stringify({ id, name, payload }));
      });
    },
  };
}

// Setting a journey up through the engine's own socket instead of clicking through dialogs: a seat
// of its own, as a second browser at the host would open, speaking the same commands.

export interface SocketSeat {
  call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<Result<ResponseOf<N>>>;
  /** The answer; throws naming the command and the engine's error when it fails. */
  must<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>>;
  /** Ends the seat (the engine ends its session). */
  close(): void;
  /** Lets another user step in on this seat for `fn` (signed in with `password`, then `newPassword`
   *  and the commitment when forced), then signs the seat's user in again. */
  stepIn<T>(user: { username: string; password: string; newPassword?: string }, fn: () => Promise<T>): Promise<T>;
}

/** A seat of its own on the host's socket; `hostUrl` is the address the host printed (with `#seat=KEY`). */
export async function socketSeat(hostUrl: string): Promise<SocketSeat> {
  const url = new URL(hostUrl);
  const seatKey = new URLSearchParams(url.hash.slice(1)).get('seat') ?? '';
  const ws = await connectWs(url.origin, url.origin, seatKey);
  return typedSeat(ws);
}

/** A seat's untyped calls as the contract's typed ones, with `must` for calls that must succeed. */
function typedSeat(client: { call(name: string, payload: unknown): Promise<Result<unknown>>; close(): void }): SocketSeat {
  // Who is signed in, and with which password, so a second person can step in and hand back (resume).
  let credentials: { username: string; password: string } | null = null;
  const call = async <N extends CommandName>(name: N, request: RequestOf<N>) => {
    const r = (await client.call(name, request)) as Result<ResponseOf<N>>;
    if (r.ok && name === 'auth.signIn') credentials = { ...(request as RequestOf<'auth.signIn'>) };
    if (r.ok && name === 'auth.changePassword' && credentials) credentials.password = (request as RequestOf<'auth.changePassword'>).newPassword;
    return r;
  };
  const must = async <N extends CommandName>(name: N, request: RequestOf<N>) => {
    const r = await call(name, request);
    if (!r.ok) throw new Error(`${name} failed: ${r.error.kind}: ${r.error.message}`);
    return r.value;
  };
  return {
    call,
    must,
    close: () => client.close(),
    async stepIn(user, fn) {
      const own = credentials;
      if (!own) throw new Error('nobody signed in on this seat before');
      const s = await must('auth.signIn', { username: user.username, password: user.password });
      if (s.mustChangePassword && user.newPassword) await must('auth.changePassword', { currentPassword: user.password, newPassword: user.newPassword });
      if (s.commitmentPending) await must('commitment.accept', { version: (await must('commitment.get', { language: 'en' })).version });
      try {
        return await fn();
      } finally {
        await must('auth.signIn', own);
      }
    },
  };
}

/** Signs in on a new seat and passes the forced steps (new password, then the commitment). */
export async function signInBySocket(hostUrl: string, user: { username: string; password: string; newPassword?: string }): Promise<SocketSeat> {
  const seat = await socketSeat(hostUrl);
  const session = await seat.must('auth.signIn', { username: user.username, password: user.password });
  if (session.mustChangePassword) {
    if (!user.newPassword) throw new Error(`${user.username} must change the password: give newPassword`);
    await seat.must('auth.changePassword', { currentPassword: user.password, newPassword: user.newPassword });
  }
  if (session.commitmentPending) {
    const commitment = await seat.must('commitment.get', { language: 'en' });
    await seat.must('commitment.accept', { version: commitment.version });
  }
  return seat;
}

/** First run through the socket: the first administrator, signed in on a seat with the commitment accepted. */
export async function setUpAdminBySocket(hostUrl: string, admin: { username: string; displayName: string; password: string }): Promise<SocketSeat> {
  const anonymous = await socketSeat(hostUrl);
  await anonymous.must('setup.createAdmin', admin);
  anonymous.close();
  return signInBySocket(hostUrl, admin);
}

/** The basis journeys give grants of access (docs/design/authorised-persons.md). */
export const JOURNEY_BASIS = 'authorisation 7/2026 (journey)';
/** The second person of the journeys' sites: an auditor made before any other account, so the
 *  site's first approver, who approves the grants createUserBySocket asks for. */
const SITE_DPO = { username: 'dpo.site', displayName: 'Site DPO', temp: 'Amber-Quarry-Falcon-31', password: 'Cedar-Harbour-Signal-64' };
const siteDpoOf = new WeakSet<SocketSeat>();

/** Approves, as the site's DPO, the grant waiting for `username` (KRK §5.4.5: a second person): the
 *  DPO signs in on the administrator's seat, approves, and the administrator signs in again. */
export async function approveBySocket(admin: SocketSeat, username: string): Promise<void> {
  const waiting = (await admin.must('access.grants', { state: 'pending' })).grants.filter((g) => g.username === username);
  if (waiting.length === 0) return;
  await admin.stepIn({ username: SITE_DPO.username, password: SITE_DPO.password }, async () => {
    for (const g of waiting) await admin.must('access.approve', { grantId: g.id });
  });
}

/** An administrator's seat creates a user with a temporary password, and the site's DPO approves
 *  the grant (the DPO account is made first, once per site); returns the user's id. */
export async function createUserBySocket(
  admin: SocketSeat,
  u: Pick<NewUser, 'username' | 'displayName' | 'temp'> & { role: Role; language?: Language; groupIds?: number[] },
): Promise<number> {
  if (!siteDpoOf.has(admin)) {
    siteDpoOf.add(admin);
    const dpo = await admin.call('users.create', { username: SITE_DPO.username, displayName: SITE_DPO.displayName, role: 'auditor', language: 'en', initialPassword: SITE_DPO.temp, groupIds: [], basis: JOURNEY_BASIS });
    // Its first sign-in (new password, commitment) on the administrator's seat, then back.
    if (dpo.ok) await admin.stepIn({ username: SITE_DPO.username, password: SITE_DPO.temp, newPassword: SITE_DPO.password }, async () => undefined);
  }
  const user = await admin.must('users.create', { username: u.username, displayName: u.displayName, role: u.role, language: u.language ?? 'en', initialPassword: u.temp, groupIds: u.groupIds ?? [], basis: JOURNEY_BASIS });
  await approveBySocket(admin, u.username);
  return user.id;
}

/** A user created with a temporary password, made ready to sign in with `password` (first sign-in done on a seat). */
export async function readyUserBySocket(hostUrl: string, u: Pick<NewUser, 'username' | 'temp' | 'password'>): Promise<void> {
  const seat = await signInBySocket(hostUrl, { username: u.username, password: u.temp, newPassword: u.password });
  await seat.must('auth.signOut', {});
  seat.close();
}

/** An administrator's seat creates a camera group; returns its id. */
export async function createGroupBySocket(admin: SocketSeat, name: string): Promise<number> {
  return (await admin.must('groups.create', { name, description: '' })).id;
}

/** An administrator's seat adds a camera by RTSP URL with the camera dialog's defaults (an office,
 *  its preset retention, no location); returns its id. */
export async function addRtspCameraBySocket(
  admin: SocketSeat,
  c: { name: string; site: string; groupId: number; purpose: string; mainUrl: string; subUrl?: string | null; user?: string; password?: string },
): Promise<number> {
  const camera = await admin.must('cameras.add', {
    settings: { name: c.name, site: c.site, groupId: c.groupId, purpose: c.purpose, areaType: 'office', retentionDays: AREA_TYPES.office.maxRetentionDays, retentionReason: null, location: '', locationConfidential: false },
    source: { kind: 'rtsp', mainUrl: c.mainUrl, subUrl: c.subUrl ?? null },
    username: c.user || null,
    password: c.password || null,
  });
  return camera.id;
}

/** The site of the journeys that need no video, set up through the socket: the first administrator,
 *  one group with one camera pointing where nothing answers, and a reviewer and a supervisor of that
 *  group; then the administrator signs in on `page` and sees Administration. */
export async function adminWithReviewTeam(
  page: Page,
  hostUrl: string,
  o: { admin: { username: string; displayName: string; password: string }; group: string; camera: string; reviewer: NewUser; supervisor: NewUser },
): Promise<void> {
  const admin = await setUpAdminBySocket(hostUrl, o.admin);
  const groupId = await createGroupBySocket(admin, o.group);
  await addRtspCameraBySocket(admin, { name: o.camera, site: 'Dworzec Główny', groupId, purpose: 'Safety of passengers on the platforms', mainUrl: 'rtsp://127.0.0.1:9/x' });
  await createUserBySocket(admin, { ...o.reviewer, role: 'reviewer', groupIds: [groupId] });
  await createUserBySocket(admin, { ...o.supervisor, role: 'supervisor', groupIds: [groupId] });
  admin.close();
  await page.goto(hostUrl);
  await signIn(page, o.admin.username, o.admin.password);
  await expect(tid(page, 'admin-screen')).toBeVisible();
}

/** Opens Playback and gives the reason the dialog asks for; the dialog closes once the engine accepts it. */
export async function openPlaybackWithReason(page: Page, reason: { category: string; text: string; reference?: string }) {
  await tid(page, 'nav-playback').click();
  await tid(page, 'playback-open').click();
  await pick(page, 'reason-category', reason.category);
  await tid(page, 'reason-text').fill(reason.text);
  if (reason.reference !== undefined) await tid(page, 'reason-reference').fill(reason.reference);
  await tid(page, 'reason-submit').click();
  await expect(tid(page, 'reason-dialog')).toHaveCount(0);
}

/** One camera's recordings as the storage page sees them (not audited: it carries no footage). */
export async function recordingOf(seat: SocketSeat, cameraId: number): Promise<ResponseOf<'recordings.status'>['cameras'][number]> {
  const camera = (await seat.must('recordings.status', {})).cameras.find((c) => c.cameraId === cameraId);
  if (!camera) throw new Error(`camera ${cameraId} is not in recordings.status`);
  return camera;
}

/** Milliseconds of footage the camera has recorded since its first file (0 before any). */
export async function recordedMs(seat: SocketSeat, cameraId: number): Promise<number> {
  const r = await recordingOf(seat, cameraId);
  return r.oldestMs !== null && r.newestMs !== null ? r.newestMs - r.oldestMs : 0;
}

// The site engine (docs/design/site-engine.md): a seat of its own for setting a journey up (the Node
// seat client, pinning the site CA), a browser enrolling through the enrolment screen, and the wall
// read through the page's test hook.

/** A Node seat of a site engine, enrolled with `code` and pinned to `fingerprint`; signs in as `user` when given. */
export async function siteSeat(origin: string, code: string, fingerprint: string): Promise<SocketSeat> {
  const { enrol, connect } = await import('../electron/core/seat-client');
  const e = await enrol(origin, code, fingerprint, 'journey set-up seat');
  const client = connect(origin, e.seatId, e.credential, e.fingerprint, { version: 'journey set-up seat' });
  await client.ready();
  return typedSeat(client);
}

/** On the enrolment screen: types the code, checks the fingerprint the engine states, continues to sign-in (or setup). */
export async function enrolInBrowser(page: Page, code: string, fingerprint: string) {
  await expect(tid(page, 'enrol-screen')).toBeVisible();
  await tid(page, 'enrol-code').fill(code);
  await tid(page, 'enrol-submit').click();
  await expect(tid(page, 'enrol-fingerprint')).toHaveAttribute('data-fingerprint', fingerprint);
  await tid(page, 'enrol-continue').click();
  await expect(tid(page, 'enrol-done')).toHaveCount(0);
}

/** The burned-in capture time of each playing wall tile's current frame, and when it was read. */
export async function wallTimecodes(page: Page): Promise<{ cameraId: number; timecodeMs: number | null; atMs: number }[]> {
  const { decodeTimecode } = await import('../tools/camera-sim/timecode');
  const raw = await page.evaluate(() => {
    const out: { cameraId: number; band: number[]; width: number; height: number; atMs: number }[] = [];
    for (const tile of document.querySelectorAll<HTMLElement>('[data-testid=wall-tile]')) {
      const video = tile.querySelector<HTMLVideoElement>('[data-testid=tile-video]');
      if (!video || video.videoWidth === 0) continue;
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) continue;
      ctx.drawImage(video, 0, 0);
      const bandH = Math.ceil(canvas.height / 16);
      out.push({ cameraId: Number(tile.dataset.cameraId), band: Array.from(ctx.getImageData(0, 0, canvas.width, bandH).data), width: canvas.width, height: canvas.height, atMs: Date.now() });
    }
    return out;
  });
  return raw.map((r) => {
    const full = new Uint8ClampedArray(r.width * r.height * 4);
    full.set(r.band);
    return { cameraId: r.cameraId, timecodeMs: decodeTimecode(full, r.width, r.height), atMs: r.atMs };
  });
}

/** Within `timeout`, playback of every camera in `cameraIds` on the wall (not the single view) advances by more than
 *  half a second, unfrozen, with a known capture time. */
export async function expectWallAdvancing(page: Page, cameraIds: number[], timeout: number) {
  const before = new Map((await wallTiles(page)).map((t) => [t.cameraId, t.currentTime]));
  await expect
    .poll(
      async () => {
        const tiles = await wallTiles(page);
        return cameraIds.filter((id) => {
          const t = tiles.find((x) => x.cameraId === id && !x.single);
          return t && t.currentTime > (before.get(id) ?? 0) + 0.5 && !t.frozen && t.playingDateMs !== null;
        }).length;
      },
      { timeout, intervals: [500] },
    )
    .toBe(cameraIds.length);
}

/** Every camera in `cameraIds` plays on the wall: playback advances and the decoded capture time is current and moving.
 *  Each camera's capture time must move on from the first reading within 10 s, and be under 4 s old when
 *  it does: a tile that stalls a moment on a loaded machine passes once it plays on, a frozen one never. */
export async function expectWallPlaying(page: Page, cameraIds: number[], timeout = 45_000) {
  await expectWallAdvancing(page, cameraIds, timeout);
  const first = await wallTimecodes(page);
  for (const id of cameraIds) expect(first.find((x) => x.cameraId === id)?.timecodeMs, `timecode of camera ${id}`).not.toBeNull();
  const moved = new Map<number, { timecodeMs: number; atMs: number }>();
  await expect
    .poll(
      async () => {
        const now = await wallTimecodes(page);
        for (const id of cameraIds) {
          const a = first.find((x) => x.cameraId === id)!;
          const b = now.find((x) => x.cameraId === id);
          if (!moved.has(id) && b?.timecodeMs != null && b.timecodeMs > a.timecodeMs!) moved.set(id, { timecodeMs: b.timecodeMs, atMs: b.atMs });
        }
        return cameraIds.filter((id) => !moved.has(id)).map((id) => `timecode of camera ${id} advances`);
      },
      { timeout: 10_000, intervals: [1500, 500] },
    )
    .toEqual([]);
  for (const id of cameraIds) {
    const b = moved.get(id)!;
    expect(b.atMs - b.timecodeMs, `latency of camera ${id}`).toBeLessThan(4000);
  }
}

/**
 * An element as Chromium composited it on screen, as RGBA pixels: the screenshot is decoded in a
 * blank page of the same browser (no PNG decoder needed, no page CSP in the way).
 */
export async function screenPixels(page: Page, element: Locator): Promise<{ width: number; height: number; rgba: Buffer }> {
  const box = await element.boundingBox();
  if (!box) throw new Error('screenPixels: the element is not on screen');
  const png = (await page.screenshot({ clip: box })).toString('base64');
  const blank = await page.context().newPage();
  try {
    const decoded = await blank.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      let binary = '';
      for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return { width: img.width, height: img.height, rgba: btoa(binary) };
    }, png);
    return { width: decoded.width, height: decoded.height, rgba: Buffer.from(decoded.rgba, 'base64') };
  } finally {
    await blank.close();
  }
}

/**
 * The colours on screen along the inner edge of an element (2 px in from each side, at the middle of
 * each side), as Chromium composited them. Proves that something drawn at the edge (a selection
 * ring) is visible above a playing video, not only present in the DOM.
 */
export async function edgeColours(page: Page, element: Locator): Promise<{ r: number; g: number; b: number }[]> {
  const { width: w, height: h, rgba } = await screenPixels(page, element);
  const at = (x: number, y: number) => {
    const i = (y * w + x) * 4;
    return { r: rgba[i]!, g: rgba[i + 1]!, b: rgba[i + 2]! };
  };
  return [at(1, h >> 1), at(w - 2, h >> 1), at(w >> 1, 1), at(w >> 1, h - 2)];
}
