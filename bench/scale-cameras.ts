// Cameras per node (bench/scale.ts): one real engine in this process ingests and records more and
// more simulated cameras, `step` more at a time, until a step fails or the time budget runs out. A
// step passes when, over its window, every main stream stayed live, no camera went 1.5 s without a
// fragment reaching its recorder (the gap threshold of the recording index,
// electron/core/recording/recording-index.ts), no gap row was written, the event loop was never
// held more than 50 ms, and the simulator kept its frame rate (else the machine, not the engine, is
// what the step measured).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { systemClock } from '../electron/core/clock';
import { silentLogger } from '../electron/core/logger';
import { NO_PASSWORDS } from '../electron/core/secrets/secret-store';
import { createEngineForTests, type TestableEngine } from '../electron/core/testing/harness';
import { startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { descendants, machineBusyMs, round, sleep, type Cleanup, type Say } from './browser';
import { dispatchCaller } from './engine-setup';
import { childPids } from './proc-cpu';
import { pgRates, processIo, readTree, treeRates, watchEventLoop, type PgRates, type PgWatch, type TreeReading } from './scale-measure';

/** The simulator serves at most 64 cameras per process (tools/camera-sim/README.md). */
const CAMERAS_PER_SIMULATOR = 64;
/** The recording index writes a gap when a file opens later than this after the previous one ended. */
const GAP_MS = 1500;
export const MAX_BLOCK_MS = 50;
/** The simulator's nominal 25 fps, less a margin for the reading's own jitter. */
const SOURCE_FPS_MIN = 24;
/** Other processes above this share of the machine (% of one core) during a failed window: measure again. */
const OTHERS_BUSY_PERCENT = 25;

export interface CameraStepsOptions {
  store: 'sqlite' | 'postgres';
  /** The PostgreSQL database the engine uses (store 'postgres'), with its statistics. */
  pg?: { url: string; watch: PgWatch };
  first: number;
  step: number;
  max: number;
  windowSeconds: number;
  /** Nothing new starts after this many ms from the call (a step under way finishes). */
  budgetMs: number;
  codec: 'h264' | 'h265';
  size: string;
  /** Step on after a failed step (figures only; camerasPerNode stays the last step before the first failure). */
  keepGoing?: boolean;
  say: Say;
  cleanup: Cleanup;
}

export interface CameraStep {
  cameras: number;
  passed: boolean;
  failures: string[];
  /** % of one core (200 = both cores of this machine). */
  cpu: { engine: number; ffmpeg: number; simulator: number; postgres: number | null; machine: number; other: number };
  simulatorShareOfMachinePercent: number;
  /** The engine process's writes to the disk (footage, its files' metadata; SQLite when that is the
   *  store). PostgreSQL's are its WAL (`db.walBytesPerSec`): the kernel's write_bytes of its
   *  processes counted 256 kB per commit on this machine (112 bytes of WAL each), so they are not used. */
  diskWriteBytesPerSec: number;
  footageBytesPerSec: number;
  /** Bytes the simulator's RTSP sessions sent (TCP, loopback): what the cameras' network would carry. */
  networkInBytesPerSec: number;
  maxEventLoopBlockMs: number;
  eventLoopDelayP99Ms: number;
  gaps: { indexGapRows: number; camerasWithFragmentGap: number; maxFragmentIntervalMs: number; mainStreamsNotLive: number };
  sourceFps: number | null;
  db: PgRates | null;
  loadAverage: number[];
  windowSeconds: number;
  /** The first window of this step, when it failed while other processes were busy and was measured again. */
  remeasured: { failures: string[]; cpu: CameraStep['cpu']; maxEventLoopBlockMs: number; sourceFps: number | null } | null;
}

export interface CameraStepsResult {
  store: 'sqlite' | 'postgres';
  camerasPerNode: number | null;
  /** Why the stepping stopped: a step failed, the budget ran out, or the largest step passed. */
  stoppedBy: 'failure' | 'budget' | 'max';
  codec: string;
  size: string;
  steps: CameraStep[];
}

/** Fragments reaching each camera's recorder: the longest interval between two, per window. */
class FragmentWatch {
  private readonly lastAt = new Map<number, number>();
  private readonly lastBytes = new Map<number, { path: string; bytes: number }>();
  private maxInterval = new Map<number, number>();
  footageBytes = 0;

  onAppended = (cameraId: number, relPath: string, bytes: number): void => {
    const now = performance.now();
    const prev = this.lastAt.get(cameraId);
    if (prev !== undefined) this.maxInterval.set(cameraId, Math.max(this.maxInterval.get(cameraId) ?? 0, now - prev));
    this.lastAt.set(cameraId, now);
    const f = this.lastBytes.get(cameraId);
    this.footageBytes += f && f.path === relPath ? bytes - f.bytes : bytes;
    this.lastBytes.set(cameraId, { path: relPath, bytes });
  };

  /** Starts a window: every camera counts from now, so one that never appends shows its silence. */
  start(cameraIds: readonly number[]): void {
    const now = performance.now();
    this.maxInterval = new Map();
    for (const id of cameraIds) this.lastAt.set(id, now);
    this.footageBytes = 0;
  }

  end(cameraIds: readonly number[]): { maxIntervalMs: number; camerasOver: number } {
    const now = performance.now();
    let max = 0;
    let over = 0;
    for (const id of cameraIds) {
      const m = Math.max(this.maxInterval.get(id) ?? 0, now - (this.lastAt.get(id) ?? now));
      max = Math.max(max, m);
      if (m > GAP_MS) over++;
    }
    return { maxIntervalMs: Math.round(max), camerasOver: over };
  }
}

interface Snapshot {
  at: number;
  engineCpuMs: number;
  engineDiskWrite: number;
  ffmpeg: TreeReading;
  sims: TreeReading;
  postgres: TreeReading | null;
  machineMs: number;
  gapRows: number;
  frames: number;
  rtspBytesSent: number;
}

export async function measureCameraSteps(o: CameraStepsOptions): Promise<CameraStepsResult> {
  const startedAt = Date.now();
  const { say, cleanup } = o;
  const fragments = new FragmentWatch();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-cameras-'));
  cleanup.add('cameras data dir', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const engine: TestableEngine = await createEngineForTests({
    clock: systemClock,
    dataDir,
    logger: silentLogger,
    secrets: NO_PASSWORDS,
    // On PostgreSQL as one node of a site (docs/design/scale.md): its cameras under leases renewed
    // every second, so the database load per camera includes them.
    ...(o.store === 'postgres' ? { database: o.pg!.url, node: { name: 'bench-node-1', url: 'https://127.0.0.1:8443' } } : {}),
    recording: { onAppended: fragments.onAppended },
  });
  const closeEngine = once(() => engine.close());
  cleanup.add('cameras engine', closeEngine);
  const call = dispatchCaller(engine, 'bench-scale-admin');
  await call('setup.createAdmin', { username: 'bench.admin', displayName: 'Bench', password: 'Quiet-Harbour-Lantern-42' });
  await call('auth.signIn', { username: 'bench.admin', password: 'Quiet-Harbour-Lantern-42' });
  await call('commitment.accept', { version: (await call('commitment.get', { language: 'en' })).version });
  const groupId = (await call('groups.create', { name: 'Bench', description: '' })).id as number;

  const sims: SimulatorHandle[] = [];
  const simClosers: (() => Promise<void>)[] = [];
  const cameraIds: number[] = [];
  /** Adds cameras until there are `n`, starting a simulator for each 64. */
  const grow = async (n: number) => {
    while (cameraIds.length < n) {
      const simIndex = Math.floor(cameraIds.length / CAMERAS_PER_SIMULATOR);
      if (!sims[simIndex]) {
        say(`starting simulator ${simIndex + 1} (${CAMERAS_PER_SIMULATOR} cameras, ${o.codec} ${o.size})...`);
        const sim = await startSimulator({ cameras: CAMERAS_PER_SIMULATOR, auth: 'none', codec: o.codec, size: o.size });
        sims[simIndex] = sim;
        const close = once(() => sim.close());
        simClosers.push(close);
        cleanup.add(`simulator ${simIndex + 1}`, close);
      }
      const c = sims[simIndex]!.cameras[cameraIds.length % CAMERAS_PER_SIMULATOR]!;
      const added = await call('cameras.add', {
        settings: { name: `${c.name}-${simIndex + 1}`, site: 'Bench', groupId, purpose: 'benchmark camera', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
        source: { kind: 'rtsp', mainUrl: c.rtspMain, subUrl: c.rtspSub },
        username: null,
        password: null,
      });
      cameraIds.push(added.id as number);
    }
  };

  const gapRows = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM recording_gaps`.execute(engine.store.db)).rows[0]!.n);
  const frames = async () => {
    let total = 0;
    for (const s of sims) total += Number(((await s.status()) as { frames?: number }).frames ?? NaN);
    return total / Math.max(1, sims.length);
  };
  const snapshot = async (): Promise<Snapshot> => {
    const u = process.cpuUsage();
    return {
      at: performance.now(),
      engineCpuMs: (u.user + u.system) / 1000,
      engineDiskWrite: processIo('self')?.diskWriteBytes ?? 0,
      ffmpeg: readTree(null, childPids(process.pid, 'ffmpeg')),
      sims: readTree(null, sims.flatMap((s) => [s.pid, ...descendants(s.pid)])),
      postgres: o.pg ? readTree(null, o.pg.watch.serverPids()) : null,
      machineMs: machineBusyMs(),
      gapRows: await gapRows(),
      frames: await frames(),
      rtspBytesSent: tcpBytesSentFrom(sims.map((s) => s.ready.rtspPort)),
    };
  };

  /** One window at the current camera count; `failures` holds what went wrong before it. */
  const measureWindow = async (n: number, before: readonly string[]): Promise<CameraStep> => {
    const failures = [...before];
    fragments.start(cameraIds);
    const a = await snapshot();
    const pgA = o.pg ? await o.pg.watch.read() : null;
    // Watched between the readings only: they scan /proc and run `ss`, which holds this process's
    // event loop itself.
    const loop = watchEventLoop();
    await sleep(o.windowSeconds * 1000);
    const held = loop.stop();
    const pgB = o.pg ? await o.pg.watch.read() : null;
    const b = await snapshot();
    const frag = fragments.end(cameraIds);
    const wall = b.at - a.at;
    const { cameras: states } = (await call('cameras.adminList', {})) as { cameras: { main: { state: string } }[] };
    const notLive = states.filter((c) => !PLAYING.has(c.main.state)).length;
    const engineCpu = round(((b.engineCpuMs - a.engineCpuMs) / wall) * 100, 1)!;
    const ffmpeg = treeRates(a.ffmpeg, b.ffmpeg, wall);
    const sim = treeRates(a.sims, b.sims, wall);
    const postgres = a.postgres && b.postgres ? treeRates(a.postgres, b.postgres, wall) : null;
    const machine = round(((b.machineMs - a.machineMs) / wall) * 100, 1)!;
    const ours = engineCpu + ffmpeg.cpuPercent + sim.cpuPercent + (postgres?.cpuPercent ?? 0);
    const sourceFps = Number.isFinite(b.frames - a.frames) ? round((b.frames - a.frames) / (wall / 1000), 1) : null;
    const step: CameraStep = {
      cameras: n,
      passed: false,
      failures,
      cpu: { engine: engineCpu, ffmpeg: ffmpeg.cpuPercent, simulator: sim.cpuPercent, postgres: postgres?.cpuPercent ?? null, machine, other: round(Math.max(0, machine - ours), 1)! },
      simulatorShareOfMachinePercent: round((sim.cpuPercent / (os.cpus().length * 100)) * 100, 1)!,
      diskWriteBytesPerSec: Math.round(((b.engineDiskWrite - a.engineDiskWrite) / wall) * 1000),
      footageBytesPerSec: Math.round((fragments.footageBytes / wall) * 1000),
      networkInBytesPerSec: Math.round(((b.rtspBytesSent - a.rtspBytesSent) / wall) * 1000),
      maxEventLoopBlockMs: held.maxBlockMs,
      eventLoopDelayP99Ms: held.p99DelayMs,
      gaps: { indexGapRows: b.gapRows - a.gapRows, camerasWithFragmentGap: frag.camerasOver, maxFragmentIntervalMs: frag.maxIntervalMs, mainStreamsNotLive: notLive },
      sourceFps,
      db: pgA && pgB ? pgRates(pgA, pgB) : null,
      loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
      windowSeconds: round(wall / 1000, 1)!,
      remeasured: null,
    };
    if (notLive > 0) failures.push(`${notLive} main streams not live at the end`);
    if (step.gaps.indexGapRows > 0) failures.push(`${step.gaps.indexGapRows} gaps written to the recording index`);
    if (frag.camerasOver > 0) failures.push(`${frag.camerasOver} cameras went over ${GAP_MS} ms without a fragment (longest ${frag.maxIntervalMs} ms)`);
    if (held.maxBlockMs > MAX_BLOCK_MS) failures.push(`event loop held ${held.maxBlockMs} ms (> ${MAX_BLOCK_MS})`);
    if (sourceFps !== null && sourceFps < SOURCE_FPS_MIN) failures.push(`the simulator fell to ${sourceFps} fps: the machine, not the engine, limits this step`);
    step.passed = failures.length === 0;
    say(
      `  ${n} cameras: ${step.passed ? 'pass' : `FAIL (${failures.join('; ')})`}; CPU engine ${engineCpu} %, ffmpeg ${ffmpeg.cpuPercent} %, simulator ${sim.cpuPercent} %` +
        `${postgres ? `, postgres ${postgres.cpuPercent} %` : ''}, others ${step.cpu.other} %, machine ${machine} % of 200; disk ${(step.diskWriteBytesPerSec / 1e6).toFixed(2)} MB/s; ` +
        `loop held ${held.maxBlockMs} ms; longest fragment interval ${frag.maxIntervalMs} ms; source ${sourceFps} fps; load ${step.loadAverage.join(' ')}`,
    );
    return step;
  };

  const steps: CameraStep[] = [];
  let stoppedBy: CameraStepsResult['stoppedBy'] = 'max';
  let lastStepMs = (o.windowSeconds + 30) * 1000;
  for (let n = o.first; n <= o.max; n += o.step) {
    if (Date.now() - startedAt + lastStepMs > o.budgetMs) {
      stoppedBy = 'budget';
      say(`time budget: no step of ${n} cameras (the last took ${Math.round(lastStepMs / 1000)} s)`);
      break;
    }
    const stepStart = Date.now();
    say(`step ${n} cameras: adding ${n - cameraIds.length}...`);
    await grow(n);
    const before: string[] = [];
    try {
      await waitMainStreamsPlaying(call, n);
    } catch (e) {
      before.push((e as Error).message);
    }
    await sleep(5000); // the new ingests' start-up bursts
    let step = await measureWindow(n, before);
    // Others share this machine: a step that failed while they took a good part of it is measured
    // once more before it counts (both windows are reported).
    if (!step.passed && before.length === 0 && step.cpu.other > OTHERS_BUSY_PERCENT && Date.now() - startedAt + o.windowSeconds * 1000 < o.budgetMs) {
      say(`  other processes took ${step.cpu.other} % of the machine during that window: measuring ${n} cameras once more`);
      const first = step;
      step = await measureWindow(n, []);
      step.remeasured = { failures: first.failures, cpu: first.cpu, maxEventLoopBlockMs: first.maxEventLoopBlockMs, sourceFps: first.sourceFps };
    }
    steps.push(step);
    lastStepMs = Date.now() - stepStart;
    // --keep-going: on a shared machine the per-camera costs of larger steps are still worth
    // reading after a step failed on blocking or the simulator; never after footage was lost.
    if (!step.passed && (!o.keepGoing || !footageKept(step))) {
      stoppedBy = 'failure';
      break;
    }
  }
  await closeEngine();
  for (const close of simClosers) await close();
  const firstFailure = steps.findIndex((s) => !s.passed);
  const before = firstFailure === -1 ? steps : steps.slice(0, firstFailure);
  return { store: o.store, camerasPerNode: before.length ? before[before.length - 1]!.cameras : null, stoppedBy, codec: o.codec, size: o.size, steps };
}

/** A main stream that delivers: copied (`live`), or re-encoded from H.265 (`transcoding`, docs/design/live-pipeline.md). */
const PLAYING = new Set(['live', 'transcoding']);

/** Like engine-setup.ts's waitMainStreamsLive (60 s at most), counting transcoded streams as delivering too. */
async function waitMainStreamsPlaying(call: (name: string, payload: unknown) => Promise<unknown>, count: number): Promise<void> {
  for (const deadline = Date.now() + 60_000; ; ) {
    const { cameras } = (await call('cameras.adminList', {})) as { cameras: { main: { state: string } }[] };
    const playing = cameras.filter((c) => PLAYING.has(c.main.state)).length;
    if (playing === count) return;
    if (Date.now() > deadline) throw new Error(`only ${playing}/${count} main streams live after 60 s`);
    await sleep(500);
  }
}

/** Bytes sent so far on the established TCP connections from these local ports (ss's tcp_info):
 *  the simulator's RTSP sessions, i.e. what the cameras put on the network. */
function tcpBytesSentFrom(ports: readonly number[]): number {
  if (ports.length === 0) return 0;
  const out = execFileSync('ss', ['-tinH', 'state', 'established', `( ${ports.map((p) => `sport = :${p}`).join(' or ')} )`], { encoding: 'utf8' });
  let total = 0;
  for (const m of out.matchAll(/bytes_sent:(\d+)/g)) total += Number(m[1]);
  return total;
}

/** Every camera recorded throughout the step's window (whatever else failed). */
export function footageKept(step: CameraStep): boolean {
  return step.gaps.indexGapRows === 0 && step.gaps.camerasWithFragmentGap === 0 && step.gaps.mainStreamsNotLive === 0;
}

/** Runs `fn` once, whoever calls first (the steps' own end or the cleanup after a failure). */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
}
