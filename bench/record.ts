// `npm run bench:record -- --cameras 16 [--seconds 60] [--json]`: CPU and disk write rate that
// recording adds to ingest, for N simulated cameras. Measures the engine process alone (ffmpeg is
// the same in both phases): first ingest and live packaging only, then with the recorders on.
// Issue 4 target: < 0.5 % of one core per camera for the recorder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../tools/camera-sim/client';
import { systemClock } from '../electron/core/clock';
import { createEngine } from '../electron/core/engine';
import { silentLogger } from '../electron/core/logger';
import type { Connection } from '../electron/core/dispatcher';
import { machine } from './proc-cpu';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '16' }, seconds: { type: 'string', default: '60' }, json: { type: 'boolean', default: false } } });
const cameras = Number(values.cameras);
const seconds = Number(values.seconds);
const say = (s: string) => (values.json ? process.stderr : process.stdout).write(s + '\n');
const writeBytes = () => Number(/write_bytes: (\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'))?.[1] ?? 0);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-record-'));
const sim = await startSimulator({ cameras, auth: 'none' });
const engine = await createEngine({ clock: systemClock, dataDir, logger: silentLogger, secrets: { set: async () => {}, get: async () => null, delete: async () => false } });
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
      source: { kind: 'rtsp', mainUrl: c.rtspMain, subUrl: null },
      username: null,
      password: null,
    });
  }
  const rows = await engine.store.db.selectFrom('cameras').selectAll().execute();
  say(`${cameras} cameras; waiting until all are live...`);
  for (const deadline = Date.now() + 60_000; ; ) {
    const live = ((await call('cameras.adminList', {})).cameras as { main: { state: string } }[]).filter((c) => c.main.state === 'live').length;
    if (live === cameras) break;
    if (Date.now() > deadline) throw new Error(`only ${live}/${cameras} live`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const measure = async () => {
    await new Promise((r) => setTimeout(r, 3000)); // settle
    const c0 = cpuMs();
    const w0 = writeBytes();
    const u0 = (await engine.recording.storageView()).roots[0]!.usedBytes;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const wall = performance.now() - t0;
    return {
      cpuPercent: ((cpuMs() - c0) / wall) * 100,
      diskWriteBytesPerSec: ((writeBytes() - w0) / wall) * 1000,
      footageBytesPerSec: (((await engine.recording.storageView()).roots[0]!.usedBytes - u0) / wall) * 1000,
    };
  };
  engine.recording.syncCameras([]);
  say(`ingest only, ${seconds} s...`);
  const ingestOnly = await measure();
  engine.recording.syncCameras(rows);
  say(`ingest + recording, ${seconds} s...`);
  const recording = await measure();
  const files = await engine.store.db.selectFrom('recordings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const result = {
    cameras,
    seconds,
    recorderCpuPercentPerCamera: Number(((recording.cpuPercent - ingestOnly.cpuPercent) / cameras).toFixed(3)),
    writeBytesPerSec: Math.round(recording.diskWriteBytesPerSec),
    footageBytesPerSec: Math.round(recording.footageBytesPerSec),
    engineCpuPercentIngestOnly: Number(ingestOnly.cpuPercent.toFixed(2)),
    engineCpuPercentRecording: Number(recording.cpuPercent.toFixed(2)),
    recordingFiles: Number(files.n),
    machine: machine(),
  };
  say(`recorder adds ${result.recorderCpuPercentPerCamera}% of a core per camera; writes ${(result.writeBytesPerSec / 1e6).toFixed(2)} MB/s (${(result.footageBytesPerSec / 1e6).toFixed(2)} MB/s of footage)`);
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await engine.close();
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
