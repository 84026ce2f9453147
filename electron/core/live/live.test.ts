// Live view end to end in the engine, against the real camera simulator (GStreamer RTSP server):
// ingest states, LL-HLS over the token-checked media server (R5), one RTSP connection per stream,
// and no credential anywhere it must not be (docs/design/live-pipeline.md).
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { createJsonLogger } from '../logger';
import { ADMIN, approveGrant, setUpAdmin, signInReady, startTestEngine, TEST_BASIS, type Caller, type TestEngine } from '../testing/harness';

// A password with every character that breaks URLs (docs/design/threat-model.md).
const CAM_USER = 'operator';
const CAM_PASSWORD = 'Ka@m:er/a#5%x';

let sim: SimulatorHandle;
let t: TestEngine;
let admin: Caller;
let guard: Caller;
const logLines: string[] = [];
const responses: string[] = [];
let groupA = 0;
let groupB = 0;
const ids: Record<string, number> = {};

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 25_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

function settings(name: string, groupId: number) {
  return { name, site: 'Rynek', groupId, purpose: 'public order in the square', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: 'pole 3, north corner', locationConfidential: true } as const;
}

async function tileStatus(c: Caller, cameraId: number, stream: 'main' | 'sub' = 'main') {
  const st = await c.must('live.status', { viewIds: [] });
  const cam = st.cameras.find((x) => x.cameraId === cameraId);
  return stream === 'main' ? cam?.main : cam?.sub;
}

/** Waits for one of these tile states; a timeout names the state and ffmpeg's reason last seen. */
async function waitForTile(what: string, cameraId: number, states: string[], timeoutMs = 45_000) {
  let last: unknown;
  await waitFor(
    what,
    async () => {
      const s = await tileStatus(guard, cameraId);
      last = s;
      return s != null && states.includes(s.state);
    },
    timeoutMs,
  ).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)}; last status ${JSON.stringify(last)}`);
  });
}

beforeAll(async () => {
  sim = await startSimulator({ cameras: 3, auth: 'digest', user: CAM_USER, password: CAM_PASSWORD, size: SMALL_PICTURE });
  t = await startTestEngine(undefined, {
    logger: createJsonLogger((l) => logLines.push(l)),
    live: { stallMs: 3000, viewIdleMs: 30_000, subGraceMs: 2000 },
  });
  admin = await setUpAdmin(t);
  const record = <T>(v: T) => (responses.push(JSON.stringify(v)), v);
  groupA = record(await admin.must('groups.create', { name: 'Group A', description: '' })).id;
  groupB = record(await admin.must('groups.create', { name: 'Group B', description: '' })).id;
  const [c1, c2, c3] = sim.cameras;
  ids.a1 = record(await admin.must('cameras.add', {
    settings: settings('Rynek North', groupA),
    source: { kind: 'rtsp', mainUrl: c1!.rtspMain, subUrl: c1!.rtspSub },
    username: CAM_USER,
    password: CAM_PASSWORD,
  })).id;
  // Credentials pasted into the URL are moved to the keychain, percent-encoded or not.
  const pasted = c2!.rtspMain.replace('rtsp://', `rtsp://${CAM_USER}:${encodeURIComponent(CAM_PASSWORD)}@`);
  ids.b1 = record(await admin.must('cameras.add', {
    settings: settings('Rynek South', groupB),
    source: { kind: 'rtsp', mainUrl: pasted, subUrl: null },
    username: null,
    password: null,
  })).id;
  ids.wrong = record(await admin.must('cameras.add', {
    settings: settings('Wrong password', groupA),
    source: { kind: 'rtsp', mainUrl: c3!.rtspMain, subUrl: null },
    username: CAM_USER,
    password: 'not-the-password',
  })).id;
  ids.offline = record(await admin.must('cameras.add', {
    settings: settings('Unplugged', groupA),
    source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/nothing', subUrl: null },
    username: null,
    password: null,
  })).id;
  const g = await admin.must('users.create', { username: 'guard.a', displayName: 'Guard A', role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [groupA], basis: TEST_BASIS });
  record(g);
  await approveGrant(t, admin, 'guard.a');
  guard = await signInReady(t, 'guard.a', 'Temporary-Pass-2026');
}, 90_000);

afterAll(async () => {
  await t?.dispose();
  await sim?.close();
});

describe('live view', () => {
  it('tells live, authentication failed and offline apart', { timeout: 150_000 }, async () => {
    await waitForTile('camera A1 live', ids.a1!, ['live']);
    await waitForTile('wrong password detected', ids.wrong!, ['auth_failed']);
    await waitForTile('unreachable detected', ids.offline!, ['no_signal']);
  });

  it('a guard sees exactly the cameras of the guard’s groups, without confidential locations', async () => {
    const list = await guard.must('cameras.list', {});
    responses.push(JSON.stringify(list));
    expect(list.cameras.map((c) => c.name).sort()).toEqual(['Rynek North', 'Unplugged', 'Wrong password']);
    expect(list.cameras.every((c) => c.location === null)).toBe(true);
    const other = await guard.call('live.open', { cameraId: ids.b1!, stream: 'main' });
    expect(other.ok === false && other.error.kind).toBe('NotFound');
  });

  it('serves LL-HLS through tokens bound to the session and camera; anything else gets 403', async () => {
    const view = await guard.must('live.open', { cameraId: ids.a1!, stream: 'sub' });
    responses.push(JSON.stringify(view));
    expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/live\/\d+\/sub\/[A-Za-z0-9_-]+\/index\.m3u8$/);
    const playlist = await (await fetch(view.url)).text();
    expect(playlist).toContain('#EXT-X-PART-INF');
    expect(playlist).toContain('#EXT-X-PROGRAM-DATE-TIME');
    const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="(part\/\d+\.m4s)"/.exec(playlist)?.[1];
    expect(hint).toBeTruthy();
    const base = view.url.replace(/index\.m3u8$/, '');
    const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)![1]!;
    expect((await fetch(base + init)).status).toBe(200);
    // The preload-hinted part is held until it exists, then served.
    const part = await fetch(base + hint);
    expect(part.status).toBe(200);
    expect((await part.arrayBuffer()).byteLength).toBeGreaterThan(100);
    // Blocking reload for the next part returns a playlist that has it.
    const msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)![1]);
    const blocked = await fetch(`${view.url}?_HLS_msn=${msn + 1}&_HLS_part=0`);
    expect(blocked.status).toBe(200);

    // The guard's token on another group's camera path: 403.
    const foreign = view.url.replace(`/live/${ids.a1}/sub/`, `/live/${ids.b1}/main/`);
    expect((await fetch(foreign)).status).toBe(403);
    // A made-up token: 403.
    expect((await fetch(view.url.replace(/\/[A-Za-z0-9_-]+\/index/, '/AAAAAAAAAAAAAAAAAAAAAAAA/index'))).status).toBe(403);
    // After 31 s unused the token has expired: 403, and the view's end is audited with its duration.
    t.clock.advance(31_000);
    expect((await fetch(view.url)).status).toBe(403);
    const adminAudit = await signInReady(t, ADMIN.username, ADMIN.password);
    const ended = await adminAudit.must('audit.query', { filter: { action: 'live.view.ended' }, limit: 10 });
    expect(ended.entries.some((e) => e.actor === 'guard.a' && /"durationMs":31\d\d\d/.test(e.details) && /token expired/.test(e.details))).toBe(true);
    const opened = await adminAudit.must('audit.query', { filter: { action: 'live.open', actor: 'guard.a' }, limit: 10 });
    expect(opened.entries.length).toBeGreaterThan(0);
  });

  it('a token dies with its session: after sign-out, 403', async () => {
    const c = await signInReady(t, 'guard.a', 'Temporary-Pass-2026-Renewed');
    const view = await c.must('live.open', { cameraId: ids.a1!, stream: 'main' });
    expect((await fetch(view.url)).status).toBe(200);
    await c.must('auth.signOut', {});
    expect((await fetch(view.url)).status).toBe(403);
  });

  it('uses one RTSP connection per camera stream, whatever the number of viewers', async () => {
    const rtspClients = async () => {
      const status = (await sim.status()) as { cameras: { index: number; rtspClients: number }[] };
      return status.cameras.find((c) => c.index === 1)?.rtspClients;
    };
    const first = await guard.must('live.open', { cameraId: ids.a1!, stream: 'main' });
    expect((await fetch(first.url)).status).toBe(200);
    const before = await rtspClients();
    expect(before).toBeGreaterThanOrEqual(1);
    const views = await Promise.all([1, 2, 3].map(() => guard.must('live.open', { cameraId: ids.a1!, stream: 'main' })));
    await Promise.all(views.map(async (v) => expect((await fetch(v.url)).status).toBe(200)));
    expect(await rtspClients()).toBe(before);
  });

  it('says "no signal" within 10 s of a camera stopping, keeps the moment it was lost through the retries, and plays again by itself', async () => {
    const stoppedAt = t.clock.nowMs();
    await sim.stopCamera(1);
    await waitForTile('no signal', ids.a1!, ['no_signal'], 10_000);
    const lost = await tileStatus(guard, ids.a1!);
    expect(lost!.sinceMs).toBe(stoppedAt);
    // The engine retries (its first back-off is ~1 s) on a later (manual) clock: the word and the
    // moment the picture was lost stay.
    t.clock.advance(60_000);
    await sleep(4000);
    const later = await tileStatus(guard, ids.a1!);
    expect(later).toMatchObject({ state: 'no_signal', sinceMs: lost!.sinceMs });
    await sim.startCamera(1);
    await waitForTile('live again', ids.a1!, ['live'], 45_000);
  }, 100_000);

  it('keeps the camera password out of the database, logs and every response', async () => {
    const needles = [CAM_PASSWORD, encodeURIComponent(CAM_PASSWORD), 'not-the-password'];
    await t.engine.audit.drain();
    const files = fs.readdirSync(t.dataDir).map((f) => path.join(t.dataDir, f)).filter((f) => fs.statSync(f).isFile());
    for (const f of files) {
      const bytes = fs.readFileSync(f).toString('latin1');
      for (const n of needles) expect(bytes.includes(n), `${n} in ${path.basename(f)}`).toBe(false);
    }
    const adminList = await admin.must('cameras.adminList', {});
    responses.push(JSON.stringify(adminList));
    expect(adminList.cameras.find((c) => c.id === ids.b1)?.source.mainUrl).toBe(sim.cameras[1]!.rtspMain);
    expect(adminList.cameras.find((c) => c.id === ids.b1)?.hasPassword).toBe(true);
    for (const text of [...responses, ...logLines]) {
      for (const n of needles) expect(text.includes(n), `${n} in ${text.slice(0, 120)}`).toBe(false);
    }
    expect(logLines.length).toBeGreaterThan(0);
  });
});
