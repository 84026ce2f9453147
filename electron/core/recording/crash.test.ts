// Power-loss discipline of the recorder (docs/design/recording.md): kill -9 the recording engine at random
// moments, many times, while the simulator streams. After each restart the index and the files
// agree, every indexed file plays in ffprobe from its first to its last indexed fragment, and at
// most the fragment being written at the kill is lost.
//
// Where the time goes, and how it is kept short without testing less: a victim spends about 1 s
// waiting for its first fragment (RTSP set-up and the next keyframe) and then 0.15-2.65 s until its
// random kill; both are real time. So the KILLS are shared by LANES victims side by side, each in its
// own data directory recording its own camera of one simulator, and every lane checks its own index
// after each of its kills. A victim is the engine bundled once per run with esbuild (tsx took ~2-3 s
// of CPU to load the engine in every victim); the next victim of a lane loads while the current one
// records and starts its engine only when told to, after the kill and the check. The ffprobe
// decoding of files that are complete (they never change again) runs while the next victim records.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { bundleEntry, type BundledEntry } from '../testing/bundle-entry';
import { freePort } from '../testing/free-port';
import { unpackGops } from './gop-index';
import { listRecordingFiles } from './reconciliation';

const KILLS = Number(process.env.CRASH_KILLS ?? 50);
const LANES = Math.max(1, Math.min(KILLS, Number(process.env.CRASH_LANES ?? 2)));
const CHILD_SOURCE = path.join(import.meta.dirname, '../testing/crash-child.ts');
const MAX_FRAGMENT_BYTES = 2 * 1024 * 1024;
const execFileAsync = promisify(execFile);

let sim: SimulatorHandle;
/** Fixed ports, so a restarted simulator keeps the cameras' URLs (the victims' indexes name them). */
let portBase = 0;
let simRestarts = 0;
/** The bundled victim (testing/bundle-entry.ts). */
let childBundle: BundledEntry | undefined;
const children = new Set<ChildProcess>();
/** Set when a lane fails, so the other lanes stop at their next kill instead of running on. */
let aborted = false;

beforeAll(async () => {
  // RTSP at P, control at P+99, ONVIF at P+100+i: keep them inside the unprivileged range.
  do portBase = await freePort();
  while (portBase > 65_000);
  sim = await startSimulator({ cameras: LANES, auth: 'none', portBase, size: SMALL_PICTURE });
  childBundle = await bundleEntry(CHILD_SOURCE);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sim?.close();
  childBundle?.remove();
});

interface Lane {
  index: number;
  dataDir: string;
  /** Files already decoded by ffprobe (complete files never change). */
  probed: Set<string>;
  /** Decoding of this lane's complete files, running while its next victim records; never rejects. */
  probes: Promise<void>;
  /** The first file that did not decode as indexed (the lane stops at its next kill). */
  probeError: unknown;
  /** A file the last victim had just created when it was killed, before its row was written. */
  unindexed: string | null;
}

interface Run {
  reconciled: Record<string, number>;
  lastAppended: { path: string; bytes: number } | null;
  /** The victim got no video within NO_VIDEO_MS (the simulator, not the recorder, is at fault). */
  noVideo: boolean;
}

/** A victim normally writes its first fragment within 2-3 s of starting. */
const NO_VIDEO_MS = 15_000;

/** Victims running an engine now (a loaded victim waiting for its start does not count). */
let running = 0;
const whenIdle: (() => void)[] = [];
let restarting: Promise<void> | null = null;

/** Restarts the simulator on the same ports once no victim uses it; lanes asking at once share one restart. */
function restartSimulator(): Promise<void> {
  restarting ??= (async () => {
    while (running > 0) await new Promise<void>((r) => whenIdle.push(r));
    simRestarts++;
    expect(simRestarts, 'simulator restarts').toBeLessThanOrEqual(5);
    await sim.close();
    sim = await startSimulator({ cameras: LANES, auth: 'none', portBase, size: SMALL_PICTURE });
  })().finally(() => {
    restarting = null;
  });
  return restarting;
}

interface Victim {
  child: ChildProcess;
  lines: ReturnType<typeof createInterface>;
  stderr: () => string;
}

/** Loads a victim for the lane; its engine starts (and touches the data directory) only at `go`. */
function loadVictim(lane: Lane): Victim {
  const child = spawn(process.execPath, [childBundle!.file, lane.dataDir, sim.cameras[lane.index]!.rtspMain, '--after-go'], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, lines: createInterface({ input: child.stdout! }), stderr: () => stderr };
}

/** Starts the loaded victim; kills it `killAfterMs` after its first written fragment (or lets it reconcile only). */
async function runVictim(victim: Victim, killAfterMs: number | null): Promise<Run> {
  while (restarting) await restarting;
  running++;
  const { child } = victim;
  try {
    return await new Promise<Run>((resolve, reject) => {
      const run: Run = { reconciled: {}, lastAppended: null, noVideo: false };
      let timer: NodeJS.Timeout | null = null;
      const watchdog = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const noVideo =
        killAfterMs === null
          ? null
          : setTimeout(() => {
              run.noVideo = true;
              child.kill('SIGKILL');
            }, NO_VIDEO_MS);
      victim.lines.on('line', (line) => {
        if (line.startsWith('R ')) {
          run.reconciled = JSON.parse(line.slice(2)) as Record<string, number>;
          if (killAfterMs === null) child.kill('SIGKILL');
        } else if (line.startsWith('A ')) {
          const [, p, b] = line.split(' ');
          run.lastAppended = { path: p!, bytes: Number(b) };
          if (noVideo) clearTimeout(noVideo);
          timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs ?? 0);
        }
      });
      const finish = (signal: NodeJS.Signals | null) => {
        clearTimeout(watchdog);
        if (noVideo) clearTimeout(noVideo);
        if (timer) clearTimeout(timer);
        if (signal !== 'SIGKILL') reject(new Error(`victim exited on its own: ${victim.stderr()}`));
        else resolve(run);
      };
      if (child.exitCode !== null || child.signalCode !== null) finish(child.signalCode);
      else {
        child.once('exit', (_code, signal) => finish(signal));
        child.stdin!.end('go\n');
      }
    });
  } finally {
    running--;
    if (running === 0) for (const wake of whenIdle.splice(0)) wake();
  }
}

/** Decodes every frame of a complete file (errors go to stderr) and checks its packets span what the index says. */
async function probeComplete(file: string, label: string, gops: ReturnType<typeof unpackGops>) {
  // Frame counts are not compared: cameras (and the simulator under load) drop frames.
  const decode = await execFileAsync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  expect(decode.stderr, `${label} plays without errors`).toBe('');
  expect(Number(decode.stdout.trim())).toBeGreaterThan(0);
  const out = (await execFileAsync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,dts_time', '-of', 'csv=p=0', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
  const lines = out.split('\n');
  const packets = lines.map((l) => {
    const [pts, dts] = l.split(',').map(Number) as [number, number];
    return { pts, dts };
  });
  const lastGop = gops.at(-1)!;
  const shown = `${label}: last indexed group ${lastGop.startRelMs}+${lastGop.durationMs} ms; packets (pts,dts): ${lines.length > 12 ? `${lines.slice(0, 6).join(' ')} ... ${lines.slice(-6).join(' ')}` : lines.join(' ')}`;
  // One file, one timeline (recorder.ts): decode times never go back within a file.
  const back = packets.findIndex((p, i) => i > 0 && p.dts < packets[i - 1]!.dts);
  expect(back, `${shown}: decode time goes back at packet ${back}`).toBe(-1);
  // The last frame in the file lies in the last indexed keyframe group.
  const lastFrameMs = Math.round((packets.at(-1)!.pts - packets[0]!.pts) * 1000);
  expect(lastFrameMs, shown).toBeGreaterThanOrEqual(lastGop.startRelMs - 1);
  expect(lastFrameMs, shown).toBeLessThan(lastGop.startRelMs + lastGop.durationMs);
}

/** Checks the lane's index against its files while no victim of the lane runs; complete files are decoded after. */
function checkIndexAgainstFiles(lane: Lane, expectLast: Run['lastAppended']) {
  const db = new BetterSqlite3(path.join(lane.dataDir, 'console.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT r.id, r.path, r.bytes, r.state, r.start_ms, r.end_ms, g.gops FROM recordings r JOIN recording_gops g ON g.recording_id = r.id').all() as {
      id: number; path: string; bytes: number; state: string; start_ms: number; end_ms: number; gops: Buffer;
    }[];
    const root = path.join(lane.dataDir, 'recordings');
    // No row without its file. A file without a row is allowed only as the newest file of the camera:
    // the recorder writes a new file's init segment and directory entry to disk before its row
    // (docs/design/recording.md, steps 1-2), so a kill in between leaves that one file, which the
    // next start's reconciliation indexes: checked at the next kill.
    const files = listRecordingFiles(root);
    const indexed = new Set(rows.filter((r) => r.state !== 'missing').map((r) => r.path));
    if (lane.unindexed) expect(indexed.has(lane.unindexed), `${lane.unindexed} indexed by the reconciliation after the kill`).toBe(true);
    const withoutRow = files.filter((f) => !indexed.has(f));
    expect(withoutRow.length, `files without a row: ${withoutRow.join(', ')}`).toBeLessThanOrEqual(1);
    if (withoutRow[0]) {
      const startOf = (f: string) => Number(path.basename(f, '.mp4').split('-')[0]);
      expect(startOf(withoutRow[0]), `${withoutRow[0]} is the newest file`).toBeGreaterThanOrEqual(Math.max(...files.map(startOf)));
    }
    lane.unindexed = withoutRow[0] ?? null;
    expect(new Set(files.filter((f) => f !== lane.unindexed))).toEqual(indexed);
    for (const r of rows) {
      expect(r.state, r.path).not.toBe('missing');
      if (r.state === 'open') continue; // being written by the running victim
      const size = fs.statSync(path.join(root, r.path)).size;
      expect(size, `${r.path}: file size matches the index`).toBe(r.bytes);
      const gops = unpackGops(r.gops);
      expect(gops.length).toBeGreaterThan(0);
      expect(gops.at(-1)!.offset + gops.at(-1)!.size, `${r.path}: last indexed fragment ends the file`).toBe(size);
      if (!lane.probed.has(r.path)) {
        lane.probed.add(r.path);
        const file = path.join(root, r.path);
        lane.probes = lane.probes.then(() =>
          probeComplete(file, `lane ${lane.index} ${r.path}`, gops).catch((err: unknown) => {
            lane.probeError ??= err;
          }),
        );
      }
    }
    // Everything the killed victim had written survived, except at most the fragment in flight.
    if (expectLast) {
      const row = rows.find((r) => r.path === expectLast.path);
      expect(row, `${expectLast.path} indexed after the restart`).toBeDefined();
      expect(row!.state).toBe('complete');
      expect(row!.bytes).toBeGreaterThanOrEqual(expectLast.bytes);
      expect(row!.bytes - expectLast.bytes).toBeLessThanOrEqual(MAX_FRAGMENT_BYTES);
    }
  } finally {
    db.close();
  }
}

/** One lane: `kills` victims killed at random moments, then a last start that only reconciles. Returns files repaired after kills. */
async function runLane(lane: Lane, kills: number): Promise<number> {
  let last: Run['lastAppended'] = null;
  let repaired = 0;
  let next = loadVictim(lane);
  try {
    for (let i = 0; i < kills; ) {
      if (lane.probeError) throw lane.probeError;
      if (aborted) throw new Error('another lane failed');
      const victim = next;
      next = loadVictim(lane);
      const run = await runVictim(victim, 150 + Math.floor(Math.random() * 2500));
      if (i > 0) repaired += run.reconciled.repaired ?? 0;
      checkIndexAgainstFiles(lane, last);
      if (run.noVideo) {
        // The simulator stopped serving (seen after many clients vanished without TEARDOWN):
        // restart it on the same ports and repeat this kill; the index was checked all the same.
        await restartSimulator();
        continue;
      }
      last = run.lastAppended;
      i++;
    }
    // A last start only reconciles; then everything is complete and checked.
    const final = await runVictim(next, null);
    repaired += final.reconciled.repaired ?? 0;
    checkIndexAgainstFiles(lane, last);
    await lane.probes;
    if (lane.probeError) throw lane.probeError;
    return repaired;
  } finally {
    next.child.kill('SIGKILL');
  }
}

describe('recorder under kill -9', () => {
  it(`keeps index and files in agreement across ${KILLS} kills at random moments`, { timeout: 900_000 }, async () => {
    const lanes: Lane[] = Array.from({ length: LANES }, (_, index) => ({
      index,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), `crash-${index}-`)),
      probed: new Set<string>(),
      unindexed: null,
      probes: Promise.resolve(),
      probeError: null,
    }));
    try {
      // KILLS shared out: lane i takes its share of the remainder first.
      const repaired = await Promise.all(
        lanes.map((lane) =>
          runLane(lane, Math.floor(KILLS / LANES) + (lane.index < KILLS % LANES ? 1 : 0)).catch((err: unknown) => {
            aborted = true;
            throw err;
          }),
        ),
      );
      if (simRestarts > 0) console.log(`the simulator was restarted ${simRestarts} time(s)`);
      expect(repaired.reduce((a, b) => a + b, 0), 'open files were repaired after kills').toBeGreaterThan(KILLS / 2);
      expect(lanes.reduce((n, lane) => n + lane.probed.size, 0), 'every run left at least one file').toBeGreaterThanOrEqual(KILLS);
    } finally {
      for (const lane of lanes) fs.rmSync(lane.dataDir, { recursive: true, force: true });
    }
  });
});
