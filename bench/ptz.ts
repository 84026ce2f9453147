// `npm run bench:ptz -- [--json] [--trials 40] [--size 1280x720]`: how long a PTZ command takes to
// show in the picture (docs/design/ptz.md). The camera simulator's PTZ camera is added to a real
// engine through ONVIF; a guard's seat (the engine's dispatcher, as a seat's socket reaches it)
// takes control and sends ptz.move; an RTSP client (ffmpeg over TCP, no buffering) decodes every
// frame of the camera's main stream and reads where it looks from its pixels (ptz-scene.ts).
//
//   command to picture = arrival of the first decoded frame that shows the move - the moment the
//                        seat sent ptz.move (engine, SOAP to the camera, the camera's next frame,
//                        encode, RTSP, decode);
//   command to capture = that frame's burned-in capture time - the moment ptz.move was sent (the
//                        console's and the camera's share);
//   stop to still      = arrival of the first frame that no longer moves - the moment ptz.stop was sent.
// A frame "shows the move" when its pan differs from the still picture before by more than six
// times the readings' noise (at least 0.01 of the pan range; a move at full speed covers 0.04 a
// frame), so the figure includes up to one frame of the move being too small to see.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../electron/core/clock';
import { silentLogger } from '../electron/core/logger';
import { NO_PASSWORDS } from '../electron/core/secrets/secret-store';
import { addUser, setUpAdmin, startTestEngine } from '../electron/core/testing/harness';
import { startSimulator } from '../tools/camera-sim/client';
import { startFrameReader, type I420Frame } from '../tools/camera-sim/frame-reader';
import { readWindow } from '../tools/camera-sim/ptz-scene';
import { machine } from './proc-cpu';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '40' }, size: { type: 'string', default: '1280x720' }, json: { type: 'boolean', default: false } } });
const trials = Number(values.trials);
const [W, H] = values.size.split('x').map(Number) as [number, number];
if (!(trials >= 1) || !(W > 0) || !(H > 0)) throw new Error('--trials must be positive, --size WxH');
const say = (s: string) => (values.json ? process.stderr : process.stdout).write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return Math.round(s[lo]! + (s[hi]! - s[lo]!) * (rank - lo));
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ptz-'));
const sim = await startSimulator({ cameras: 1, ptz: [1], auth: 'none', size: values.size });
const t = await startTestEngine(dataDir, { clock: systemClock, logger: silentLogger, secrets: NO_PASSWORDS });
/** Every decoded frame with its reading, in order of arrival. */
const frames: (I420Frame & { pan: number })[] = [];
const reader = startFrameReader(sim.cameras[0]!.rtspMain, W, H, (f) => {
  frames.push({ ...f, pan: readWindow(f.data, W, H).pan });
  if (frames.length > 500) frames.splice(0, 250);
});
try {
  const admin = await setUpAdmin(t);
  const group = (await admin.must('groups.create', { name: 'Yard', description: '' })).id;
  const camera = await admin.must('cameras.add', {
    settings: { name: 'Yard PTZ', site: 'Bench', groupId: group, purpose: 'benchmark camera', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
    source: { kind: 'onvif', xaddr: sim.cameras[0]!.onvifUrl, mainProfile: 'Profile_main', subProfile: 'Profile_sub' },
    username: null,
    password: null,
  });
  const seat = await addUser(t, admin, { username: 'bench.guard', role: 'guard', groupIds: [group] });
  await reader.next(() => true, 20_000);
  await seat.must('ptz.acquire', { cameraId: camera.id });

  /** The pan of the still picture: the mean of 5 frames captured from now on, and their spread. */
  const still = async (): Promise<{ pan: number; noise: number }> => {
    const from = Date.now();
    await reader.next((f) => (f.capturedAtMs ?? 0) > from && frames.filter((x) => (x.capturedAtMs ?? 0) > from).length >= 5, 5000);
    const pans = frames.filter((x) => (x.capturedAtMs ?? 0) > from).slice(0, 5).map((x) => x.pan);
    const mean = pans.reduce((a, b) => a + b, 0) / pans.length;
    return { pan: mean, noise: Math.max(...pans.map((p) => Math.abs(p - mean))) };
  };

  const toPicture: number[] = [];
  const toCapture: number[] = [];
  const acks: number[] = [];
  const stopToStill: number[] = [];
  let noiseMax = 0;
  const warmUp = 3;
  for (let i = 0; i < trials + warmUp; i++) {
    await sleep(300);
    const base = await still();
    noiseMax = Math.max(noiseMax, base.noise);
    const threshold = Math.max(0.01, 6 * base.noise);
    // Alternate directions, so the camera stays inside its range.
    const pan = i % 2 === 0 ? 1 : -1;
    const sentAt = Date.now();
    const ack = seat.must('ptz.move', { cameraId: camera.id, pan, tilt: 0, zoom: 0 }).then(() => Date.now() - sentAt);
    const moved = await reader.next((f) => f.receivedAtMs >= sentAt && Math.abs(readWindow(f.data, W, H).pan - base.pan) > threshold, 5000);
    const ackMs = await ack;
    await sleep(150);
    const stopAt = Date.now();
    await seat.must('ptz.stop', { cameraId: camera.id });
    // The first frame after the stop that shows no move against the frame before it.
    const stopped = await reader.next((f) => {
      if (f.receivedAtMs < stopAt) return false;
      const prev = frames[frames.length - 2];
      return prev !== undefined && Math.abs(readWindow(f.data, W, H).pan - prev.pan) < threshold / 2;
    }, 5000);
    if (i < warmUp) continue;
    toPicture.push(moved.receivedAtMs - sentAt);
    if (moved.capturedAtMs !== null) toCapture.push(moved.capturedAtMs - sentAt);
    acks.push(ackMs);
    stopToStill.push(stopped.receivedAtMs - stopAt);
    say(`trial ${i - warmUp + 1}/${trials}: command to picture ${moved.receivedAtMs - sentAt} ms (captured ${moved.capturedAtMs === null ? '?' : moved.capturedAtMs - sentAt} ms after), move answered in ${ackMs} ms, stop to still ${stopped.receivedAtMs - stopAt} ms`);
  }
  await seat.must('ptz.release', { cameraId: camera.id });
  const result = {
    trials,
    size: values.size,
    ptzCommandToPictureMsP50: percentile(toPicture, 50),
    ptzCommandToPictureMsP95: percentile(toPicture, 95),
    ptzCommandToCaptureMsP50: percentile(toCapture, 50),
    ptzCommandToCaptureMsP95: percentile(toCapture, 95),
    ptzMoveAnsweredMsP50: percentile(acks, 50),
    ptzMoveAnsweredMsP95: percentile(acks, 95),
    ptzStopToStillMsP50: percentile(stopToStill, 50),
    ptzStopToStillMsP95: percentile(stopToStill, 95),
    panReadingNoise: Number(noiseMax.toFixed(4)),
    machine: machine(),
  };
  say(`command to picture p50 ${result.ptzCommandToPictureMsP50} ms, p95 ${result.ptzCommandToPictureMsP95} ms; stop to still p50 ${result.ptzStopToStillMsP50} ms`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await reader.stop();
  await t.dispose();
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
