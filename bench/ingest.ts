// `npm run bench:ingest -- --cameras 16 [--seconds 60] [--json]`: CPU of the engine and its ffmpeg
// children while N simulated cameras are ingested and packaged (not decoded). Issue 3 target:
// <= 1 % of one core per camera stream. The simulator runs in its own process and is not counted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../tools/camera-sim/client';
import { systemClock } from '../electron/core/clock';
import { createEngine } from '../electron/core/engine';
import { silentLogger } from '../electron/core/logger';
import type { Connection } from '../electron/core/dispatcher';
import { machine, treeCpuMs } from './proc-cpu';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '16' }, seconds: { type: 'string', default: '60' }, json: { type: 'boolean', default: false } } });
const cameras = Number(values.cameras);
const seconds = Number(values.seconds);
const say = (s: string) => (values.json ? process.stderr : process.stdout).write(s + '\n');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
const sim = await startSimulator({ cameras, auth: 'none' });
const engine = await createEngine({
  clock: systemClock,
  dataDir,
  logger: silentLogger,
  // No camera here has a password: nothing reaches the keychain.
  secrets: { set: async () => {}, get: async () => null, delete: async () => false },
});
try {
  const conn: Connection = { id: 'bench', transport: 'ws', peer: 'bench' };
  const call = async (name: string, payload: unknown) => {
    const r = await engine.dispatch(conn, name, payload);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  await call('setup.createAdmin', { username: 'bench.admin', displayName: 'Bench', password: 'Quiet-Harbour-Lantern-42' });
  await call('auth.signIn', { username: 'bench.admin', password: 'Quiet-Harbour-Lantern-42' });
  await call('commitment.accept', { version: (await call('commitment.get', { language: 'en' })).version });
  const group = (await call('groups.create', { name: 'Bench', description: '' })).id;
  for (const c of sim.cameras) {
    await call('cameras.add', {
      settings: { name: c.name, site: 'Bench', groupId: group, purpose: 'benchmark camera', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
      source: { kind: 'rtsp', mainUrl: c.rtspMain, subUrl: c.rtspSub },
      username: null,
      password: null,
    });
  }
  say(`${cameras} cameras added; waiting for every main stream to be live...`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = (await call('cameras.adminList', {})).cameras as { main: { state: string } }[];
    const live = list.filter((c) => c.main.state === 'live').length;
    if (live === cameras) break;
    if (Date.now() > deadline) throw new Error(`only ${live}/${cameras} cameras live after 60 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 5000)); // settle
  const a = treeCpuMs('ffmpeg');
  const t0 = performance.now();
  say(`measuring ${seconds} s...`);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = treeCpuMs('ffmpeg');
  const wallMs = performance.now() - t0;
  let childrenMs = 0;
  for (const [pid, ms] of b.children) childrenMs += ms - (a.children.get(pid) ?? 0);
  const engineMs = b.selfMs - a.selfMs;
  const totalPercent = ((engineMs + childrenMs) / wallMs) * 100;
  const result = {
    cameras,
    streams: cameras,
    seconds,
    cpuPercentPerCamera: Number((totalPercent / cameras).toFixed(3)),
    enginePercent: Number(((engineMs / wallMs) * 100).toFixed(2)),
    ffmpegPercent: Number(((childrenMs / wallMs) * 100).toFixed(2)),
    ffmpegProcesses: b.children.size,
    machine: machine(),
  };
  say(`CPU per camera: ${result.cpuPercentPerCamera}% of one core (engine ${result.enginePercent}%, ffmpeg ${result.ffmpegPercent}% in ${result.ffmpegProcesses} processes)`);
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await engine.close();
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
