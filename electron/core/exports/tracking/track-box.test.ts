// exports.trackBox through the real engine, with real ffmpeg (docs/design/exports.md
// "Data-subject packages"; JON 19). A clip with a textured object moving on a known path over a
// flat background and a static patch of colour bars is recorded by the real recorder; a box started
// on the object follows it (IoU with its true position >= 0.5 for >= 90 % of the proposals), a box
// on a featureless wall is refused as featureless, a box on a static pattern stays where it is, and
// when the object disappears tracking stops and says when, instead of inventing motion.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportView, TrackedPath } from '../../../../shared/contract';
import { split } from '../../testing/ffmpeg-fixtures';
import { addUser, northSouthSite, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../../testing/harness';

const W = 640;
const H = 360;
const SECONDS = 9;
const OBJECT = 80;
/** The object disappears at this second of the clip. */
const GONE_S = 6.5;
/** Where the object's top left corner is at clip time s. */
const objectAt = (s: number) => ({ x: 40 + 50 * s, y: 60 + 30 * Math.sin(1.2 * s), w: OBJECT, h: OBJECT });
const BARS = { x: 400, y: 230, w: 200, h: 110 };
const FLAT = { x: 550, y: 20, w: 70, h: 70 };

/** The clip as the recorder receives it: H.264 25 fps, 1 s GOP, 200 ms fragments (testing/ffmpeg-fixtures.ts). */
function movingObjectClip(): Buffer {
  const graph = [
    `color=c=0x505050:s=${W}x${H}:r=25:d=${SECONDS}[bg]`,
    `smptehdbars=s=${BARS.w}x${BARS.h}:r=25:d=${SECONDS}[bars]`,
    `testsrc=s=${OBJECT}x${OBJECT}:r=25:d=${SECONDS}[obj]`,
    `[bg][bars]overlay=x=${BARS.x}:y=${BARS.y}[base]`,
    `[base][obj]overlay=x='40+50*t':y='60+30*sin(1.2*t)':enable='lt(t,${GONE_S})'[v]`,
  ].join(';');
  const r = spawnSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-filter_complex', graph, '-map', '[v]', '-t', String(SECONDS),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p',
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '200000', 'pipe:1',
  ], { maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

let t: TestEngine;
let reviewer: Caller;
let guard: Caller;
let camera = 0;
let other = 0;
/** Wall-clock time of the clip's first frame, as the recording index has it. */
let clipStartMs = 0;
let e: ExportView;

beforeAll(async () => {
  t = await startTestEngine();
  const admin = await setUpAdmin(t);
  const site = await northSouthSite(admin);
  camera = site.cam.north1;
  other = site.cam.north2;
  reviewer = await addUser(t, admin, { username: 'rev.track', role: 'reviewer', groupIds: [site.north] });
  guard = await addUser(t, admin, { username: 'guard.track', role: 'guard', groupIds: [site.north] });
  const supervisor = await addUser(t, admin, { username: 'sup.track', role: 'supervisor', groupIds: [site.north] });
  const { init, fragments } = split(movingObjectClip());
  const from = t.clock.nowMs();
  const rec = t.engine.recording.recorderFor(camera)!;
  rec.onInit(init);
  fragments.forEach((f, i) => rec.onFragment(f, from + (i + 1) * 200));
  rec.onEnd();
  await rec.drain();
  const row = await t.engine.store.db.selectFrom('recordings').select('start_ms').where('camera_id', '=', camera).executeTakeFirstOrThrow();
  clipStartMs = Number(row.start_ms);
  t.clock.advance(60_000);
  e = await reviewer.must('exports.create', {
    bodyType: 'data_subject',
    bodyName: 'Anna Wiśniewska',
    bodyReference: 'DS-3/26',
    receivedAtMs: t.clock.nowMs() - 60_000,
    purpose: 'Copy of her own footage at the ticket office',
    legalBasis: 'Art. 15(3) GDPR',
    urgent: false,
    recipient: 'Anna Wiśniewska',
    incidentId: null,
    items: [{ cameraId: camera, fromMs: clipStartMs, toMs: clipStartMs + SECONDS * 1000 }],
  });
  await supervisor.must('exports.decide', { exportId: e.id, approve: true, reason: 'Identity of the person checked' });
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

const frac = (b: { x: number; y: number; w: number; h: number }) => ({ x: b.x / W, y: b.y / H, w: b.w / W, h: b.h / H });

function iou(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

const track = (fromS: number, toS: number, box: { x: number; y: number; w: number; h: number }) =>
  reviewer.must('exports.trackBox', { exportId: e.id, cameraId: camera, from: { atMs: clipStartMs + fromS * 1000, ...frac(box) }, toMs: clipStartMs + toS * 1000 });

/** IoU of every proposal with the object's true position at its time. */
const overlaps = (p: TrackedPath) => p.keyframes.map((k) => iou(k, frac(objectAt((k.atMs - clipStartMs) / 1000))));

describe('exports.trackBox: a redaction box follows a region by template matching', () => {
  it('a box started on the moving object stays on it (IoU >= 0.5 for >= 90 % of the proposals), every 400 ms', async () => {
    const started = performance.now();
    const path = await track(1, 6, objectAt(1));
    const tookMs = performance.now() - started;
    const scores = overlaps(path);
    const onObject = scores.filter((s) => s >= 0.5).length / scores.length;
    console.info(`tracking 5 s: ${path.keyframes.length} proposals in ${tookMs.toFixed(0)} ms; IoU min ${Math.min(...scores).toFixed(2)}, mean ${(scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(2)}; ${(onObject * 100).toFixed(0)} % >= 0.5; match scores min ${Math.min(...path.keyframes.map((k) => k.score)).toFixed(2)}`);
    expect(path.outcome).toBe('reached');
    expect(path.stoppedAtMs).toBe(clipStartMs + 6000);
    expect(path.keyframes.length).toBeGreaterThanOrEqual(11);
    expect(onObject).toBeGreaterThanOrEqual(0.9);
    // In time order, about 400 ms apart, inside the range asked for.
    const times = path.keyframes.map((k) => k.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (let i = 1; i < times.length - 1; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(350);
    expect(times[0]!).toBeGreaterThan(clipStartMs + 1000);
    expect(times.at(-1)!).toBeLessThanOrEqual(clipStartMs + 6000);
  }, 60_000);

  it('a box on a featureless wall is refused as featureless: nothing is proposed', async () => {
    const path = await track(1, 5, FLAT);
    expect(path).toEqual({ keyframes: [], outcome: 'featureless', stoppedAtMs: clipStartMs + 1000 });
  }, 60_000);

  it('a box on a static pattern stays where it is: no motion is invented', async () => {
    const path = await track(1, 5, { x: BARS.x + 20, y: BARS.y + 10, w: 90, h: 80 });
    expect(path.outcome).toBe('reached');
    const start = frac({ x: BARS.x + 20, y: BARS.y + 10, w: 90, h: 80 });
    for (const k of path.keyframes) expect(iou(k, start)).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('when the object disappears, tracking stops there and says when (lost), with the path up to then on the object', async () => {
    const path = await track(4, 8.5, objectAt(4));
    expect(path.outcome).toBe('lost');
    expect(Math.abs(path.stoppedAtMs - (clipStartMs + GONE_S * 1000))).toBeLessThanOrEqual(300);
    expect(path.keyframes.length).toBeGreaterThan(3);
    expect(path.keyframes.every((k) => k.atMs < path.stoppedAtMs)).toBe(true);
    expect(overlaps(path).filter((s) => s >= 0.5).length / path.keyframes.length).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('like exports.produce: guards may not, another camera or a time outside the range is refused, and it is audited', async () => {
    const r = await guard.call('exports.trackBox', { exportId: e.id, cameraId: camera, from: { atMs: clipStartMs + 1000, ...frac(objectAt(1)) }, toMs: clipStartMs + 2000 });
    expect(!r.ok && r.error.kind).toBe('PermissionDenied');
    const foreign = await reviewer.call('exports.trackBox', { exportId: e.id, cameraId: other, from: { atMs: clipStartMs + 1000, ...frac(objectAt(1)) }, toMs: clipStartMs + 2000 });
    expect(!foreign.ok && foreign.error).toMatchObject({ kind: 'FailedPrecondition', message: `Camera ${other} is not in the request.` });
    const outside = await reviewer.call('exports.trackBox', { exportId: e.id, cameraId: camera, from: { atMs: clipStartMs - 5000, ...frac(objectAt(1)) }, toMs: clipStartMs + 2000 });
    expect(!outside.ok && outside.error.kind).toBe('FailedPrecondition');
    const tooLong = await reviewer.call('exports.trackBox', { exportId: e.id, cameraId: camera, from: { atMs: clipStartMs, ...frac(objectAt(0)) }, toMs: clipStartMs + 61_000 });
    expect(!tooLong.ok && tooLong.error.kind).toBe('InvalidArgument');
    const audited = await t.engine.store.db.selectFrom('audit_log').select(['actor', 'outcome']).where('action', '=', 'exports.trackBox').where('target', '=', `export#${e.id}`).execute();
    expect(audited.filter((a) => a.actor === 'rev.track' && a.outcome === 'allowed').length).toBeGreaterThanOrEqual(4);
    expect(audited.some((a) => a.actor === 'guard.track' && a.outcome === 'denied')).toBe(true);
  }, 60_000);
});
