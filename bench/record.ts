// `npm run bench:record -- --cameras 16 [--seconds 60] [--json]`: CPU and disk write rate that
// recording adds to ingest, for N simulated cameras. Measures the engine process alone (ffmpeg is
// the same in both phases): first ingest and live packaging only, then with the recorders on.
// Issue 4 target: < 0.5 % of one core per camera for the recorder.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startBenchEngine } from './engine-setup';
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

const bench = await startBenchEngine({ cameras, withSub: false, say });
const { engine } = bench;
try {
  const rows = await engine.store.db.selectFrom('cameras').selectAll().execute();
  const measure = async (seconds: number) => {
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
  // The recorder's cost is small next to the engine's own noise: alternate the two phases (twice
  // each, half the time per window) so warm-up and drift fall on both sides.
  const windows: { recording: boolean; m: Awaited<ReturnType<typeof measure>> }[] = [];
  for (const on of [false, true, true, false]) {
    engine.recording.syncCameras(on ? rows : []);
    say(`${on ? 'ingest + recording' : 'ingest only'}, ${seconds / 2} s...`);
    windows.push({ recording: on, m: await measure(seconds / 2) });
  }
  const avg = (on: boolean) => {
    const w = windows.filter((x) => x.recording === on).map((x) => x.m);
    return {
      cpuPercent: w.reduce((a, b) => a + b.cpuPercent, 0) / w.length,
      diskWriteBytesPerSec: w.reduce((a, b) => a + b.diskWriteBytesPerSec, 0) / w.length,
      footageBytesPerSec: w.reduce((a, b) => a + b.footageBytesPerSec, 0) / w.length,
    };
  };
  const ingestOnly = avg(false);
  const recording = avg(true);
  const files = await engine.store.db.selectFrom('recordings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const result = {
    cameras,
    seconds,
    recorderCpuPercentPerCamera: Number(((recording.cpuPercent - ingestOnly.cpuPercent) / cameras).toFixed(3)),
    writeBytesPerSec: Math.round(recording.diskWriteBytesPerSec),
    footageBytesPerSec: Math.round(recording.footageBytesPerSec),
    engineCpuPercentIngestOnly: Number(ingestOnly.cpuPercent.toFixed(2)),
    engineCpuPercentRecording: Number(recording.cpuPercent.toFixed(2)),
    // Upper bound whatever the noise: the whole engine (ingest, packaging, recording) per camera.
    engineCpuPercentPerCameraRecording: Number((recording.cpuPercent / cameras).toFixed(3)),
    recordingFiles: Number(files.n),
    machine: machine(),
  };
  say(`recorder adds ${result.recorderCpuPercentPerCamera}% of a core per camera; writes ${(result.writeBytesPerSec / 1e6).toFixed(2)} MB/s (${(result.footageBytesPerSec / 1e6).toFixed(2)} MB/s of footage)`);
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await bench.close();
}
