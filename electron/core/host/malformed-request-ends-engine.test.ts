// Fault: `GET /index.html%00` on host mode's page server threw inside the request handler (fs.stat
// with a NUL byte) and ended the engine process: every seat, tile and recorder with it. Rule: no
// HTTP or WebSocket request, however malformed, ends the engine (electron/core/host/http-guard.ts).
//
// The engine runs as a child process (host mode, with a simulated camera live and recording), so a
// crash is a dead process, not a failed test runner. fast-check throws random paths (%00, %2e%2e,
// overlong UTF-8, broken percent escapes, very long), methods, headers (Range, Origin, Upgrade,
// Content-Length lies, huge), encodings and bodies, as raw TCP, at every HTTP surface: the page
// server and its socket upgrade, /live/... and /vod/... of the media server, and WebSocket frames.
// After every batch the process must be alive; at the end a command still answers, a live tile
// still plays (LL-HLS playlist and parts) and recorded footage is still served.
// Reproduce a failure with FUZZ_SEED=<seed printed in the failure>.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { approveWaiting, SETUP_BASIS } from '../testing/grant-approval';
import { ADMIN, TEST_PASSWORD } from '../testing/harness';
import { CHILD_START_TIMEOUT_MS, startHostProcess, type HostProcess, type WsClient } from '../testing/host-process';
import { exchange, fuzzRequest, wsFrames, type Targets } from '../testing/fuzz-http';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);
/** Runs per property: sized so the whole file stays within about 40 s on a 2-core machine. */
const RUNS = { static: 120, live: 120, vod: 100, ws: 50 } as const;

let sim: SimulatorHandle;
let host: HostProcess;
let reviewer: WsClient;
let stderrTail = '';
let dataDir: string;
const t: Targets = { hostPort: 0, mediaPort: 0, origin: '', seatKey: '', cameraId: 0, liveToken: '', vodToken: '', recordingId: 0, recordingBytes: 0 };

async function must<T = Record<string, unknown>>(c: WsClient, name: string, payload: unknown): Promise<T> {
  const r = await c.call(name, payload);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.kind}: ${r.error.message}`);
  return r.value as T;
}

/** Signs in through the forced first steps (new password, confidentiality commitment). */
async function signIn(c: WsClient, username: string, password: string) {
  const s = await must<{ mustChangePassword: boolean; commitmentPending: boolean }>(c, 'auth.signIn', { username, password });
  if (s.mustChangePassword) await must(c, 'auth.changePassword', { currentPassword: password, newPassword: `${password}-Renewed` });
  if (s.commitmentPending) {
    const text = await must<{ version: string }>(c, 'commitment.get', { language: 'en' });
    await must(c, 'commitment.accept', { version: text.version });
  }
}

async function waitFor<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn().catch(() => null);
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; engine stderr: ${stderrTail}`);
}

function alive(): boolean {
  return host.child.exitCode === null && host.child.signalCode === null;
}

function assertAlive(input: unknown) {
  if (!alive()) {
    const shown = JSON.stringify(input, (_k, v: unknown) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}…(${v.length})` : v));
    throw new Error(`the engine process died (exit ${host.child.exitCode ?? host.child.signalCode}) after: ${shown}\nengine stderr (tail): ${stderrTail}`);
  }
}

/** A live tile as the wall plays it: a fresh view, its playlist, the preload-hinted part. */
async function liveTilePlays(): Promise<void> {
  const view = await must<{ url: string }>(reviewer, 'live.open', { cameraId: t.cameraId, stream: 'sub' });
  const playlist = await waitFor('a live playlist', async () => {
    const r = await fetch(view.url);
    const text = await r.text();
    return r.status === 200 && text.includes('#EXT-X-PART:') ? text : null;
  });
  const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="([^"]+)"/.exec(playlist)?.[1];
  expect(hint, playlist).toBeTruthy();
  const part = await fetch(new URL(hint!, view.url));
  expect(part.status).toBe(200);
  expect((await part.arrayBuffer()).byteLength).toBeGreaterThan(100);
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-host-'));
  sim = await startSimulator({ cameras: 1, auth: 'none', size: SMALL_PICTURE });
  host = await startHostProcess(dataDir);
  host.child.stderr?.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-4000)));
  const admin = await host.connect();
  await must(admin, 'setup.createAdmin', ADMIN);
  await signIn(admin, ADMIN.username, ADMIN.password);
  const group = await must<{ id: number }>(admin, 'groups.create', { name: 'Fuzz', description: '' });
  const cam = sim.cameras[0]!;
  const camera = await must<{ id: number }>(admin, 'cameras.add', {
    settings: { name: 'Gate', site: 'Depot', groupId: group.id, purpose: 'safety', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
    source: { kind: 'rtsp', mainUrl: cam.rtspMain, subUrl: cam.rtspSub },
    username: null,
    password: null,
  });
  await must(admin, 'users.create', { username: 'rev.fuzz', displayName: 'Reviewer', role: 'reviewer', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [group.id], basis: SETUP_BASIS });
  await approveWaiting((n, r) => must(admin, n, r), ['rev.fuzz'], () => must(admin, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password }));
  admin.close();
  reviewer = await host.connect();
  await signIn(reviewer, 'rev.fuzz', TEST_PASSWORD);

  const hostUrl = new URL(host.origin);
  t.hostPort = Number(hostUrl.port);
  t.origin = host.origin;
  t.seatKey = host.seatKey;
  t.cameraId = camera.id;
  await liveTilePlays();
  const view = await must<{ url: string }>(reviewer, 'live.open', { cameraId: camera.id, stream: 'sub' });
  const liveUrl = new URL(view.url);
  t.mediaPort = Number(liveUrl.port);
  t.liveToken = liveUrl.pathname.split('/')[4]!;
  // Recorded footage: the open recording is served once its first keyframe groups are indexed.
  const now = Date.now();
  const pb = await must<{ streams: { url: string }[] }>(reviewer, 'playback.open', { cameraIds: [camera.id], fromMs: now - 600_000, toMs: now + 3_600_000, reason: { category: 'system_check', text: 'robustness test of the media server' } });
  const vodUrl = new URL(pb.streams[0]!.url);
  t.vodToken = vodUrl.pathname.split('/')[3]!;
  const vodPlaylist = await waitFor('recorded footage in the playlist', async () => {
    const text = await (await fetch(vodUrl)).text();
    return /#EXT-X-BYTERANGE:\d+@\d+\nrec\/\d+\.mp4/.test(text) ? text : null;
  });
  const m = /#EXT-X-BYTERANGE:(\d+)@(\d+)\nrec\/(\d+)\.mp4/.exec(vodPlaylist)!;
  t.recordingId = Number(m[3]);
  t.recordingBytes = Number(m[1]) + Number(m[2]);
  // The simulator and the host each get their own start wait; the recording then needs seconds.
}, 3 * CHILD_START_TIMEOUT_MS);

afterAll(async () => {
  reviewer?.close();
  if (host && alive()) {
    const exited = new Promise((r) => host.child.once('exit', r));
    host.child.kill('SIGTERM');
    const timer = setTimeout(() => host.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await sim?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('no HTTP or WebSocket request ends the engine', () => {
  it('the requests that ended it before: a NUL in a path, a garbage upgrade, an absurd Range', async () => {
    const seen: string[] = [];
    for (const raw of [
      `GET /index.html%00 HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /ws?seat=x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      `GET http://[::1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
    ]) {
      seen.push(await exchange(t.hostPort, Buffer.from(raw, 'latin1'), 'wait'));
      assertAlive(raw);
    }
    const range = `GET /vod/${t.cameraId}/${t.vodToken}/rec/${t.recordingId}.mp4 HTTP/1.1\r\nHost: x\r\nRange: bytes=99999999999999999999-\r\n\r\n`;
    seen.push(await exchange(t.mediaPort, Buffer.from(range, 'latin1'), 'wait'));
    assertAlive(range);
    expect(seen[0]).toMatch(/^HTTP\/1\.1 400/);
    expect(seen[2]).toMatch(/^HTTP\/1\.1 403/);
  });

  for (const surface of ['static', 'live', 'vod'] as const) {
    it(`random requests at ${surface === 'static' ? 'the page server and its upgrade' : `/${surface}/`}, and malformed HTTP, leave it running`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fuzzRequest(surface, t), { minLength: 1, maxLength: 6 }), async (batch) => {
          await Promise.all(batch.map((r) => exchange(r.port, r.bytes, r.mode, r.second)));
          assertAlive(batch.map((r) => ({ port: r.port === t.hostPort ? 'host' : 'media', mode: r.mode, request: r.bytes.toString('latin1') })));
        }),
        { numRuns: RUNS[surface], seed: SEED, endOnFailure: true },
      );
    }, 60_000);
  }

  it('random WebSocket messages and frames leave it running', async () => {
    await fc.assert(
      fc.asyncProperty(wsFrames(t), async (frames) => {
        if (frames.kind === 'raw') await exchange(t.hostPort, frames.bytes, 'wait', frames.second);
        else {
          const ws = new WebSocket(`ws://127.0.0.1:${t.hostPort}/ws?seat=${encodeURIComponent(t.seatKey)}`, { origin: t.origin });
          ws.on('error', () => {});
          await new Promise<void>((resolve) => {
            ws.once('open', () => {
              for (const m of frames.messages) ws.send(m.data, { binary: m.binary });
              setTimeout(resolve, 150);
            });
            ws.once('close', () => resolve());
            setTimeout(resolve, 2000);
          });
          ws.terminate();
        }
        assertAlive(frames);
      }),
      { numRuns: RUNS.ws, seed: SEED, endOnFailure: true },
    );
  }, 60_000);

  it('afterwards the engine answers commands, plays a live tile and serves recorded footage', async () => {
    expect(alive()).toBe(true);
    const c = await host.connect();
    expect(await c.call('setup.status', {})).toEqual({ ok: true, value: { needsSetup: false } });
    c.close();
    await liveTilePlays();
    const rec = await fetch(`http://127.0.0.1:${t.mediaPort}/vod/${t.cameraId}/${t.vodToken}/rec/${t.recordingId}.mp4`, { headers: { Range: `bytes=0-` } });
    expect(rec.status).toBe(206);
    expect((await rec.arrayBuffer()).byteLength).toBeGreaterThan(0);
    // Reported so a failure can be replayed.
    process.stdout.write(`malformed-request fuzz: seed ${SEED}\n`);
  }, 60_000);
});
