// `npm run bench:ingest -- --cameras 16 [--seconds 60] [--json]`: CPU of the engine and its ffmpeg
// children while N simulated cameras are ingested and packaged (not decoded). Issue 3 target:
// <= 1 % of one core per camera stream. The simulator runs in its own process and is not counted.
import { parseArgs } from 'node:util';
import { startBenchEngine } from './engine-setup';
import { machine, treeCpuMs } from './proc-cpu';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '16' }, seconds: { type: 'string', default: '60' }, json: { type: 'boolean', default: false } } });
const cameras = Number(values.cameras);
const seconds = Number(values.seconds);
const say = (s: string) => (values.json ? process.stderr : process.stdout).write(s + '\n');

const bench = await startBenchEngine({ cameras, withSub: true, say });
try {
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
  await bench.close();
}
