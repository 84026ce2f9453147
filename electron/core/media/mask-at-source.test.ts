// Masking at the source (R7: a camera masked at the source never has its unmasked pixels written or
// sent; KRK §6.2-6.3, JON 8-9; docs/design/privacy-masks.md): with the setting on and a permanent mask,
// every frame the engine records and every byte a seat fetches, main and sub stream, decodes to black
// inside the mask, the picture outside stays the camera's, and a new mask version restarts the ingest.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rasterizeMasks, type MaskShape } from '../../../shared/privacy-masks';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { addUser, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';

// Over the simulator's bright bars (yellow, cyan; red, blue), away from its black bar and from the
// timecode band at the top (tools/camera-sim/README.md).
const MASK_A: MaskShape = { kind: 'permanent', points: [[0.15, 0.3], [0.45, 0.3], [0.45, 0.7], [0.15, 0.7]] };
const MASK_B: MaskShape = { kind: 'permanent', points: [[0.66, 0.55], [0.9, 0.55], [0.78, 0.92]] };
/** Liftable masks are lifted in the console, never burned in at the source. */
const LIFTABLE: MaskShape = { kind: 'liftable', points: [[0.02, 0.2], [0.1, 0.2], [0.1, 0.9], [0.02, 0.9]] };
/** The grey bar at the left, under the liftable mask: bright, since liftable masks are not burned in. */
const GREY_BAR = { x0: 0.02, x1: 0.1, y0: 0.2, y1: 0.9 };
/** Black, read with room for the encoder's noise: the brightest channel deep inside a burned-in mask
 *  is 4 as a rule (libx264 ultrafast, see EDGE_PX) and was 9 once on a loaded machine; what a mask
 *  hides (the scene's bars and the grey bar, checked above 100 below) would read far brighter. */
const BLACK_TOLERANCE = 16;

let sim: SimulatorHandle;
let t: TestEngine;
let admin: Caller;
let guard: Caller;
let cameraId = 0;

const label = (m: MaskShape, i: number) => ({ ...m, label: `mask ${i}: windows of the house opposite` });

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function streamState(stream: 'main' | 'sub'): Promise<{ state: string; detail: string | null } | null | undefined> {
  const st = await guard.must('live.status', { viewIds: [] });
  const cam = st.cameras.find((c) => c.cameraId === cameraId);
  return stream === 'main' ? cam?.main : cam?.sub;
}

/** Every frame of an fMP4 byte stream as RGB24 pictures. */
function decode(bytes: Buffer, width: number, height: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'mp4', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, 'pipe:1']);
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.on('error', () => {});
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg could not decode (${code}): ${err}`));
      const all = Buffer.concat(out);
      const size = width * height * 3;
      resolve(Array.from({ length: Math.floor(all.length / size) }, (_, i) => all.subarray(i * size, (i + 1) * size)));
    });
    child.stdin.end(bytes);
  });
}

/**
 * Pixels whose whole 17x17 neighbourhood the mask covers. Nearer its edge the codec blends: a 4:2:0
 * chroma transform block spans 8x8 pixels and deblocking crosses block edges, so the colour of the
 * bright bars next to the mask rings into the black. Measured (brightest channel, 640x360 and 320x180):
 * 10 within 2 px of the edge, 8 within 4 px, 4 beyond 8 px; the hidden bars themselves are ~190.
 */
const EDGE_PX = 8;
function deepInside(shapes: MaskShape[], width: number, height: number): number[] {
  const cover = rasterizeMasks(shapes, width, height);
  const r = EDGE_PX;
  const out: number[] = [];
  for (let y = r; y < height - r; y++) {
    for (let x = r; x < width - r; x++) {
      let all = true;
      for (let dy = -r; dy <= r && all; dy++) for (let dx = -r; dx <= r && all; dx++) all = cover[(y + dy) * width + x + dx] === 255;
      if (all) out.push(y * width + x);
    }
  }
  return out;
}

/** The brightest channel inside the masks and the mean luma of a region outside them, per frame. */
function measure(frames: Buffer[], shapes: MaskShape[], width: number, height: number, region: typeof GREY_BAR) {
  const inside = deepInside(shapes, width, height);
  expect(inside.length).toBeGreaterThan(100);
  let maxInside = 0;
  let minRegionMean = 255;
  for (const f of frames) {
    for (const i of inside) maxInside = Math.max(maxInside, f[i * 3]!, f[i * 3 + 1]!, f[i * 3 + 2]!);
    let sum = 0;
    let n = 0;
    for (let y = Math.ceil(region.y0 * height); y < Math.floor(region.y1 * height); y++) {
      for (let x = Math.ceil(region.x0 * width); x < Math.floor(region.x1 * width); x++) {
        const i = (y * width + x) * 3;
        sum += (f[i]! + f[i + 1]! + f[i + 2]!) / 3;
        n++;
      }
    }
    minRegionMean = Math.min(minRegionMean, sum / n);
  }
  return { maxInside, minRegionMean };
}

/** Fetches a live view as a player does (playlist, init, every part and segment it lists) for a while. */
async function fetchLive(url: string, forMs: number): Promise<{ init: Buffer; parts: Buffer[]; segments: Buffer[] }> {
  const base = url.replace(/index\.m3u8$/, '');
  const get = async (u: string) => {
    const r = await fetch(base + u);
    if (!r.ok) throw new Error(`${u}: ${r.status}`);
    return Buffer.from(await r.arrayBuffer());
  };
  // A part or segment listed in one playlist may have left the live window by the time it is asked
  // for (a slow machine, parts fetched one after another): 404 then, as for a player, and it is skipped.
  const getListed = async (u: string) => {
    const r = await fetch(base + u);
    if (r.status === 404) return null;
    if (!r.ok) throw new Error(`${u}: ${r.status}`);
    return Buffer.from(await r.arrayBuffer());
  };
  const parts = new Map<number, Buffer>();
  const segments = new Map<number, Buffer>();
  let initUri = '';
  for (const end = Date.now() + forMs; Date.now() < end; ) {
    const playlist = (await get('index.m3u8')).toString();
    const map = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist);
    if (map) initUri = map[1]!;
    for (const m of playlist.matchAll(/URI="part\/(\d+)\.m4s"/g)) {
      const id = Number(m[1]);
      if (!parts.has(id) && !playlist.includes(`PRELOAD-HINT:TYPE=PART,URI="part/${id}.m4s"`)) {
        const part = await getListed(`part/${id}.m4s`);
        if (part) parts.set(id, part);
      }
    }
    for (const m of playlist.matchAll(/^seg\/(\d+)\.m4s$/gm)) {
      const msn = Number(m[1]);
      if (!segments.has(msn)) {
        const segment = await getListed(`seg/${msn}.m4s`);
        if (segment) segments.set(msn, segment);
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const inOrder = (m: Map<number, Buffer>) => [...m.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  return { init: await get(initUri), parts: inOrder(parts), segments: inOrder(segments) };
}

/** Every recorded file of the camera (the whole tree, whatever its state). */
function recordedFiles(): string[] {
  const dir = path.join(t.dataDir, 'recordings', `cam-${cameraId}`);
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

async function expectMaskedLive(stream: 'main' | 'sub', masks: MaskShape[], uncovered: MaskShape[]) {
  const [width, height] = stream === 'main' ? [640, 360] : [320, 180];
  const view = await guard.must('live.open', { cameraId, stream });
  await waitFor(`the masked ${stream} stream live`, async () => (await streamState(stream))?.state === 'transcoding');
  const { init, parts, segments } = await fetchLive(view.url, 3000);
  expect(parts.length).toBeGreaterThanOrEqual(8);
  for (const bytes of [Buffer.concat([init, ...parts]), Buffer.concat([init, ...segments])]) {
    const frames = await decode(bytes, width, height);
    expect(frames.length).toBeGreaterThanOrEqual(25);
    const m = measure(frames, masks, width, height, GREY_BAR);
    expect(m.maxInside, `${stream}: brightest channel inside the mask`).toBeLessThanOrEqual(BLACK_TOLERANCE);
    expect(m.minRegionMean, `${stream}: the camera's picture outside the masks`).toBeGreaterThan(100);
    for (const u of uncovered) expect(measure(frames, [u], width, height, GREY_BAR).maxInside, `${stream}: an area no permanent mask covers`).toBeGreaterThan(100);
  }
  await guard.must('live.close', { viewId: view.viewId });
}

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, auth: 'none', size: SMALL_PICTURE });
  t = await startTestEngine(undefined, { live: { stallMs: 3000, subGraceMs: 2000 } });
  admin = await setUpAdmin(t);
  const g = await admin.must('groups.create', { name: 'Square', description: '' });
  const settings = { name: 'Square north', site: 'Rynek', groupId: g.id, purpose: 'public order in the square', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false, maskAtSource: true } as const;
  // Added where nothing answers, masks saved, then pointed at the camera: every byte this camera
  // ever sends through the engine has a permanent mask to burn in.
  const cam = await admin.must('cameras.add', { settings, source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/none', subUrl: null }, username: null, password: null });
  cameraId = cam.id;
  expect(cam.maskAtSource).toBe(true);
  await admin.must('masks.save', { cameraId, masks: [label(MASK_A, 1), label(LIFTABLE, 2)], reason: 'residential windows in view' });
  const source = { kind: 'rtsp', mainUrl: sim.cameras[0]!.rtspMain, subUrl: sim.cameras[0]!.rtspSub } as const;
  await admin.must('cameras.update', { cameraId, settings, source, username: null, password: null });
  guard = await addUser(t, admin, { username: 'guard.mask', role: 'guard', groupIds: [g.id] });
}, 60_000);

afterAll(async () => {
  await t?.dispose();
  await sim?.close();
});

describe('a camera masked at the source', () => {
  it('records every frame black inside its permanent mask and the camera picture outside', { timeout: 90_000 }, async () => {
    await waitFor('the masked main stream live', async () => (await streamState('main'))?.state === 'transcoding');
    // Three seconds recorded, flushed to disk every 2 s.
    await new Promise((r) => setTimeout(r, 4500));
    const files = recordedFiles();
    expect(files.length).toBeGreaterThan(0);
    let frames = 0;
    for (const f of files) {
      const decoded = await decode(fs.readFileSync(f), 640, 360);
      frames += decoded.length;
      const m = measure(decoded, [MASK_A], 640, 360, GREY_BAR);
      expect(m.maxInside, `${f}: brightest channel inside the mask`).toBeLessThanOrEqual(BLACK_TOLERANCE);
      expect(m.minRegionMean, `${f}: the camera's picture outside the masks`).toBeGreaterThan(100);
    }
    expect(frames).toBeGreaterThanOrEqual(50);
  });

  it('sends seats only masked bytes: every part, segment and init of the main and sub stream', { timeout: 90_000 }, async () => {
    await expectMaskedLive('main', [MASK_A], [MASK_B]);
    await expectMaskedLive('sub', [MASK_A], [MASK_B]);
  });

  it('restarts with a new mask version: the new area is black from then on, live and on disk', { timeout: 90_000 }, async () => {
    const filesBefore = new Set(recordedFiles());
    await admin.must('masks.save', { cameraId, masks: [label(MASK_B, 1)], reason: 'the house opposite was rebuilt' });
    await waitFor('the masked main stream live again', async () => (await streamState('main'))?.state === 'transcoding');
    await expectMaskedLive('main', [MASK_B], [MASK_A]);
    await expectMaskedLive('sub', [MASK_B], [MASK_A]);
    // Every file begun after the save (the recorder starts a file at the restart) has the new mask.
    const after = recordedFiles().filter((f) => !filesBefore.has(f));
    expect(after.length).toBeGreaterThan(0);
    for (const f of after) {
      const m = measure(await decode(fs.readFileSync(f), 640, 360), [MASK_B], 640, 360, GREY_BAR);
      expect(m.maxInside, `${f}: brightest channel inside the new mask`).toBeLessThanOrEqual(BLACK_TOLERANCE);
    }
  });
});
