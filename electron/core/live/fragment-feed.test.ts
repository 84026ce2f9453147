// The live fragment path (docs/design/live-pipeline.md "Fragment path") against the real camera
// simulator and real ffmpeg: the socket is refused exactly where LL-HLS answers 403 (bad token,
// another stream's token, ended session, locked console, camera not visible) and closed with the
// reason when that happens while it is open; it sends the init segment, then one-frame fragments
// from a keyframe on; a seat that stops reading neither grows the engine's memory nor delays another
// seat; a reconnect never starts on a picture from before the cut.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { FRAGMENTED_MP4_ARGS, parseFragment } from '../media/fmp4';
import { addUser, setUpAdmin, startTestEngine, TEST_BASIS, type Caller, type TestEngine } from '../testing/harness';
import { CLOSE_VIEW_ENDED, FLAG_KEYFRAME, HEADER_BYTES, KIND_FRAGMENT, KIND_INIT, MAX_SEAT_BUFFERED_BYTES } from './fragment-feed';

let sim: SimulatorHandle;
let t: TestEngine;
let admin: Caller;
let guard: Caller;
let group = 0;
let other = 0;
let cam = 0;
let noisy = 0;
let foreign = 0;
let scratch = '';

interface Feed {
  ws: WebSocket;
  texts: Record<string, unknown>[];
  media: { kind: number; keyframe: boolean; captureMs: number; sizeBytes: number; bytes: Buffer; atMono: number }[];
  closed: Promise<{ code: number; reason: string }>;
}

const feedUrl = (hlsUrl: string) => hlsUrl.replace(/^http/, 'ws').replace(/index\.m3u8$/, 'frames');

/** Opens the socket; resolves with the HTTP status of a refused upgrade, or the open feed. */
function openFeed(url: string, keepBytes = true): Promise<Feed | { refused: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const feed: Feed = {
      ws,
      texts: [],
      media: [],
      closed: new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() }))),
    };
    ws.on('message', (data, isBinary) => {
      const b = data as Buffer;
      if (!isBinary) feed.texts.push(JSON.parse(b.toString()) as Record<string, unknown>);
      else feed.media.push({ kind: b.readUInt8(0), keyframe: (b.readUInt8(1) & FLAG_KEYFRAME) !== 0, captureMs: b.readDoubleLE(4), sizeBytes: b.length, bytes: keepBytes ? b.subarray(HEADER_BYTES) : Buffer.alloc(0), atMono: performance.now() });
    });
    ws.once('open', () => resolve(feed));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ refused: res.statusCode ?? 0, body }));
    });
    ws.once('error', (err) => reject(err));
  });
}

async function mustOpen(url: string, keepBytes = true): Promise<Feed> {
  const f = await openFeed(url, keepBytes);
  if ('refused' in f) throw new Error(`refused ${f.refused}: ${f.body}`);
  return f;
}

async function waitFor(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function settings(name: string, groupId: number) {
  return { name, site: 'Depot', groupId, purpose: 'safety of the depot', areaType: 'workplace', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false } as const;
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fragment-feed-'));
  // A stream that fills a seat's socket within seconds: 1280x720 noise at about 16 Mbit/s, encoded
  // once and played in real time by real ffmpeg in place of a camera (the simulator's picture is
  // nearly static: ~0.35 Mbit/s would take minutes to fill the 4 MB the kernel buffers on loopback).
  const clip = path.join(scratch, 'noise.mp4');
  const enc = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25,noise=alls=40:allf=t', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-bf', '0', '-b:v', '16M', '-pix_fmt', 'yuv420p', clip]);
  if (enc.status !== 0) throw new Error(enc.stderr.toString());
  // The ingest's ffmpeg, except for the camera at .../noise: exec keeps the pid the relay expects.
  const wrapper = path.join(scratch, 'ffmpeg');
  fs.writeFileSync(wrapper, `#!/bin/bash\nfor a in "$@"; do case "$a" in rtsp://*/noise) exec ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -i '${clip}' -map 0:v:0 -c:v copy ${FRAGMENTED_MP4_ARGS.join(' ')} pipe:1;; esac; done\nexec ffmpeg "$@"\n`, { mode: 0o700 });
  sim = await startSimulator({ cameras: 2, auth: 'none', size: SMALL_PICTURE });
  t = await startTestEngine(undefined, { ffmpeg: { configured: wrapper }, live: { stallMs: 3000, viewIdleMs: 30_000, subGraceMs: 5000 } });
  admin = await setUpAdmin(t);
  group = (await admin.must('groups.create', { name: 'Depot', description: '' })).id;
  other = (await admin.must('groups.create', { name: 'Office', description: '' })).id;
  const add = async (name: string, groupId: number, mainUrl: string, subUrl: string | null) =>
    (await admin.must('cameras.add', { settings: settings(name, groupId), source: { kind: 'rtsp', mainUrl, subUrl }, username: null, password: null })).id;
  cam = await add('Gate', group, sim.cameras[0]!.rtspMain, sim.cameras[0]!.rtspSub);
  foreign = await add('Office door', other, sim.cameras[1]!.rtspMain, null);
  noisy = await add('Yard', group, 'rtsp://127.0.0.1:9/none', 'rtsp://127.0.0.1:9/noise');
  guard = await addUser(t, admin, { username: 'guard.depot', role: 'guard', groupIds: [group] });
}, 120_000);

afterAll(async () => {
  await t?.dispose();
  await sim?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('live fragment path', () => {
  it('sends the init segment, then fragments of one frame each from a keyframe on', { timeout: 60_000 }, async () => {
    const view = await guard.must('live.open', { cameraId: cam, stream: 'sub' });
    const feed = await mustOpen(feedUrl(view.url));
    await waitFor('50 fragments', () => feed.media.filter((m) => m.kind === KIND_FRAGMENT).length >= 50, 40_000);
    expect(feed.texts[0]).toMatchObject({ type: 'init', codec: expect.stringMatching(/^avc1\./) as unknown, width: 320, height: 180 });
    expect(feed.media[0]!.kind).toBe(KIND_INIT);
    const frags = feed.media.filter((m) => m.kind === KIND_FRAGMENT);
    expect(frags[0]!.keyframe).toBe(true);
    expect(frags.every((f) => parseFragment(f.bytes).sampleCount === 1)).toBe(true);
    // A new socket of a running stream starts at the current GOP's keyframe at once (warm start).
    const view2 = await guard.must('live.open', { cameraId: cam, stream: 'sub' });
    const startedAt = performance.now();
    const warm = await mustOpen(feedUrl(view2.url));
    await waitFor('a keyframe', () => warm.media.some((m) => m.kind === KIND_FRAGMENT));
    expect(warm.media.find((m) => m.kind === KIND_FRAGMENT)!.keyframe).toBe(true);
    expect(performance.now() - startedAt).toBeLessThan(1000);
    feed.ws.close();
    warm.ws.close();
  });

  it('refuses what LL-HLS refuses: a made-up token, another stream’s token, a camera the user does not see', async () => {
    const view = await guard.must('live.open', { cameraId: cam, stream: 'main' });
    expect((await fetch(view.url)).status).toBe(200);
    const url = feedUrl(view.url);
    expect(await openFeed(url.replace(/\/[A-Za-z0-9_-]+\/frames$/, '/AAAAAAAAAAAAAAAAAAAAAAAA/frames'))).toMatchObject({ refused: 403, body: 'unknown or expired token' });
    expect(await openFeed(url.replace(`/live/${cam}/main/`, `/live/${foreign}/main/`))).toMatchObject({ refused: 403, body: 'token is for another camera stream' });
    expect(await openFeed(url.replace(`/live/${cam}/main/`, `/live/${cam}/sub/`))).toMatchObject({ refused: 403 });
    expect(await openFeed(url.replace(/frames$/, 'nothing'))).toMatchObject({ refused: 404 });
    const notVisible = await guard.call('live.open', { cameraId: foreign, stream: 'main' });
    expect(notVisible.ok).toBe(false);
    // After expiry (30 s unused, engine clock), as LL-HLS.
    const idle = await guard.must('live.open', { cameraId: cam, stream: 'main' });
    t.clock.advance(31_000);
    expect(await openFeed(feedUrl(idle.url))).toMatchObject({ refused: 403, body: expect.stringMatching(/token expired|unknown or expired token/) as unknown });
    // A view with its socket open is in use: the sweep does not expire it.
    const kept = await guard.must('live.open', { cameraId: cam, stream: 'main' });
    const feed = await mustOpen(feedUrl(kept.url));
    await sleep(1500);
    t.clock.advance(31_000);
    await sleep(1500);
    expect(feed.ws.readyState).toBe(WebSocket.OPEN);
    feed.ws.close();
  });

  it('closes an open socket with the reason, and refuses it after, when the console locks', async () => {
    const c = await addUser(t, admin, { username: 'guard.lock', role: 'guard', groupIds: [group] });
    const view = await c.must('live.open', { cameraId: cam, stream: 'main' });
    const feed = await mustOpen(feedUrl(view.url));
    await c.must('session.lock', {});
    expect(await feed.closed).toEqual({ code: CLOSE_VIEW_ENDED, reason: 'console locked' });
    expect(await openFeed(feedUrl(view.url))).toMatchObject({ refused: 403 });
  });

  it('closes an open socket with the reason, and refuses it after, when the session ends', async () => {
    const c = await addUser(t, admin, { username: 'guard.end', role: 'guard', groupIds: [group] });
    const view = await c.must('live.open', { cameraId: cam, stream: 'main' });
    const feed = await mustOpen(feedUrl(view.url));
    await c.must('auth.signOut', {});
    expect(await feed.closed).toEqual({ code: CLOSE_VIEW_ENDED, reason: 'session ended' });
    expect(await openFeed(feedUrl(view.url))).toMatchObject({ refused: 403 });
  });

  it('closes an open socket when its camera stops being visible to the user (within 4 s)', async () => {
    const c = await addUser(t, admin, { username: 'guard.moved', role: 'guard', groupIds: [group] });
    const view = await c.must('live.open', { cameraId: cam, stream: 'main' });
    const feed = await mustOpen(feedUrl(view.url));
    const userId = (await admin.must('users.list', { includeInactive: false })).users.find((u) => u.username === 'guard.moved')!.id;
    const at = performance.now();
    await admin.must('users.setGroups', { userId, groupIds: [other], basis: TEST_BASIS });
    const closed = await feed.closed;
    expect(performance.now() - at).toBeLessThan(4000);
    expect(closed.code).toBe(CLOSE_VIEW_ENDED);
    expect(closed.reason).toMatch(/no longer visible|session ended/);
    expect(await openFeed(feedUrl(view.url))).toMatchObject({ refused: 403 });
  });

  it('a seat that stops reading skips ahead: the engine keeps at most its bound waiting, and another seat’s frames keep coming on time', { timeout: 90_000 }, async () => {
    const slowView = await guard.must('live.open', { cameraId: noisy, stream: 'sub' });
    const fastView = await guard.must('live.open', { cameraId: noisy, stream: 'sub' });
    const slow = await mustOpen(feedUrl(slowView.url), false);
    const fast = await mustOpen(feedUrl(fastView.url), false);
    await waitFor('the noisy stream', () => fast.media.filter((m) => m.kind === KIND_FRAGMENT).length > 25, 40_000);
    // The fast seat's frame gaps while both seats read: the machine's own (a busy box, the clip's loop).
    const baseFrom = fast.media.length;
    await sleep(6000);
    const gapsOf = (from: number, to = fast.media.length) => {
      const got = fast.media.slice(from, to).filter((m) => m.kind === KIND_FRAGMENT);
      return { count: got.length, gaps: got.slice(1).map((m, i) => m.atMono - got[i]!.atMono).sort((a, b) => a - b) };
    };
    const base = gapsOf(baseFrom);
    const p95 = (g: number[]) => g[Math.floor(g.length * 0.95)]!;
    // The slow seat stops reading: the kernel's buffers fill (~4 MB on loopback), then the engine's.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const client = () => t.engine.live.feeds.client(slowView.viewId)!;
    await waitFor('the engine skipping fragments for the slow seat', () => client().stats.skippedFragments > 50, 40_000);
    const fastFrom = fast.media.length;
    const sampledBuffered: number[] = [];
    for (let i = 0; i < 40; i++) {
      sampledBuffered.push(client().ws.bufferedAmount);
      await sleep(250);
    }
    const largest = Math.max(...fast.media.map((m) => m.sizeBytes));
    // Bounded: what waits for the slow seat never passes the bound by more than one message.
    expect(Math.max(...sampledBuffered)).toBeLessThanOrEqual(MAX_SEAT_BUFFERED_BYTES + largest);
    expect(client().stats.maxBufferedBytes).toBeLessThanOrEqual(MAX_SEAT_BUFFERED_BYTES + largest);
    // 10 s of a 16 Mbit/s stream is 20 MB: the slow seat skipped it rather than kept it.
    expect(client().stats.skippedFragments).toBeGreaterThan(150);
    // The other seat got every frame at the source rate (25 fps), its gaps as when both seats read.
    const during = gapsOf(fastFrom);
    expect(during.count).toBeGreaterThanOrEqual(10 * 25 * 0.9);
    expect(during.gaps[Math.floor(during.gaps.length / 2)]!).toBeLessThan(60);
    expect(p95(during.gaps)).toBeLessThanOrEqual(p95(base.gaps) + 60);
    slow.ws.terminate();
    fast.ws.close();
  });

  it('a reconnect starts at a fresh keyframe after a new init segment, never on a picture from before the cut', { timeout: 60_000 }, async () => {
    const view = await guard.must('live.open', { cameraId: cam, stream: 'sub' });
    const first = await mustOpen(feedUrl(view.url));
    await waitFor('frames', () => first.media.filter((m) => m.kind === KIND_FRAGMENT).length > 10);
    first.ws.terminate();
    // The camera stops: a socket opened now gets the init segment but no picture (the kept GOP is
    // stale), and is told the stream stalled.
    await sim.stopCamera(1);
    await sleep(2000);
    const during = await mustOpen(feedUrl(view.url));
    await waitFor('the stalled signal', () => during.texts.some((m) => m.type === 'stalled' || m.type === 'ended'), 10_000);
    expect(during.media.filter((m) => m.kind === KIND_FRAGMENT)).toHaveLength(0);
    // The engine's clock moves on 10 s: every frame from before the cut is captured before cutAt - 10 s.
    t.clock.advance(10_000);
    const cutAt = t.clock.nowMs();
    await sim.startCamera(1);
    await waitFor('a picture again', () => during.media.some((m) => m.kind === KIND_FRAGMENT), 40_000);
    // A new run: a new init segment comes before its first fragment, which is a keyframe captured after the cut.
    const firstFrag = during.media.findIndex((m) => m.kind === KIND_FRAGMENT);
    expect(during.media.slice(0, firstFrag).filter((m) => m.kind === KIND_INIT).length).toBeGreaterThanOrEqual(2);
    expect(during.media[firstFrag]!.keyframe).toBe(true);
    expect(during.media[firstFrag]!.captureMs).toBeGreaterThanOrEqual(cutAt - 100);
    during.ws.close();
  });
});
