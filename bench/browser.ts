// Shared by the browser benchmarks (bench/live.ts, bench/wall.ts): the camera simulator, a
// host-mode engine in this process, a guard seeded through engine.dispatch, Debian's Chromium
// driven by playwright-core with bench/page-probe.ts injected, CPU of process trees, and cleanup
// that leaves no process behind.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { systemClock } from '../electron/core/clock';
import { approveWaiting, SETUP_BASIS } from '../electron/core/testing/grant-approval';
import { createEngineForTests, type TestableEngine } from '../electron/core/testing/harness';
import { startHost, type Host } from '../electron/core/host/server';
import { silentLogger } from '../electron/core/logger';
import { dispatchCaller, waitMainStreamsLive } from './engine-setup';
import type { Probe } from './page-probe';
import { childPids, processCpuMs } from './proc-cpu';
import { NO_PASSWORDS } from '../electron/core/secrets/secret-store';

export const REPO = path.resolve(import.meta.dirname, '..');
const RENDERER = path.join(REPO, 'dist/renderer');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

export type Say = (s: string) => void;

export function sayer(json: boolean): Say {
  return (s) => (json ? process.stderr : process.stdout).write(s + '\n');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

export const median = (values: readonly number[]) => percentile(values, 50);
export const round = (v: number | null, digits = 0) => (v === null ? null : Number(v.toFixed(digits)));

/** Builds the renderer when dist/renderer is missing. */
export function ensureRenderer(say: Say): void {
  if (fs.existsSync(path.join(RENDERER, 'index.html'))) return;
  say('dist/renderer missing: building the renderer (vite)...');
  execFileSync(process.execPath, [path.join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Everything started is stopped here, last started first, whatever fails. */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  private done = false;

  constructor() {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        void this.run().finally(() => process.exit(130));
      });
    }
  }

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  async run(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (e) {
        process.stderr.write(`cleanup ${step.name}: ${(e as Error).message}\n`);
      }
    }
  }
}

export interface Stack {
  sim: SimulatorHandle;
  engine: TestableEngine;
  host: Host;
  /** Camera ids in the simulator's order (cam1 first). */
  cameraIds: number[];
  guard: { username: string; password: string };
  /** An administrator's session in the engine (for reading stream states, never for the measured actions). */
  admin: <T = Record<string, unknown>>(name: string, payload: unknown) => Promise<T>;
}

export const ADMIN = { username: 'bench.admin', displayName: 'Bench Administrator', password: 'Quiet-Harbour-Lantern-42' };
const GUARD = { username: 'bench.guard', displayName: 'Bench Guard', temp: 'Amber-Signal-Tower-19', password: 'Silent-Copper-Bridge-73' };

/**
 * Simulator (no camera auth: nothing reaches the keychain), engine and host in this process, one
 * group with every camera, and a guard of that group whose first sign-in (password change,
 * commitment) is already done, with a saved wall (`wall`, camera indexes into the simulator's
 * cameras) so the first visit shows exactly that.
 */
export async function startStack(o: { cameras: number; wall: { layout: 1 | 4 | 9 | 16; tiles: (number | null)[] }; say: Say; cleanup: Cleanup }): Promise<Stack> {
  const { say, cleanup } = o;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-browser-'));
  cleanup.add('data dir', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  say(`starting the camera simulator (${o.cameras} cameras)...`);
  const sim = await startSimulator({ cameras: o.cameras, auth: 'none' });
  cleanup.add('simulator', () => sim.close());
  const engine = await createEngineForTests({
    clock: systemClock,
    dataDir,
    logger: silentLogger,
    secrets: NO_PASSWORDS,
  });
  cleanup.add('engine', () => engine.close());
  const host = await startHost({ engine, logger: silentLogger, rendererDir: RENDERER, port: 0 });
  cleanup.add('host', () => host.close());

  const as = (id: string) => dispatchCaller(engine, id, 'bench seed');
  const call = as('bench-admin');
  await call('setup.createAdmin', { username: ADMIN.username, displayName: ADMIN.displayName, password: ADMIN.password });
  await call('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  const commitment = (await call<{ version: string }>('commitment.get', { language: 'en' })).version;
  await call('commitment.accept', { version: commitment });
  const group = (await call<{ id: number }>('groups.create', { name: 'Bench', description: 'Benchmark cameras' })).id;
  const cameraIds: number[] = [];
  for (const c of sim.cameras) {
    const added = await call<{ id: number }>('cameras.add', {
      settings: { name: c.name, site: 'Bench', groupId: group, purpose: 'benchmark camera', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
      source: { kind: 'rtsp', mainUrl: c.rtspMain, subUrl: c.rtspSub },
      username: null,
      password: null,
    });
    cameraIds.push(added.id);
  }
  await call('users.create', { username: GUARD.username, displayName: GUARD.displayName, role: 'guard', groupIds: [group], language: 'en', initialPassword: GUARD.temp, basis: SETUP_BASIS });
  await approveWaiting(call, [GUARD.username], () => call('auth.signIn', { username: ADMIN.username, password: ADMIN.password }));
  const guard = as('bench-guard-seed');
  await guard('auth.signIn', { username: GUARD.username, password: GUARD.temp });
  await guard('auth.changePassword', { currentPassword: GUARD.temp, newPassword: GUARD.password });
  await guard('commitment.accept', { version: commitment });
  await guard('walls.save', { name: 'default', layout: o.wall.layout, tiles: o.wall.tiles.map((i) => (i === null ? null : cameraIds[i]!)) });
  await guard('auth.signOut', {});
  await call('auth.signOut', {});

  say('waiting for every main stream to be live...');
  const watcher = as('bench-watch');
  await watcher('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  await waitMainStreamsLive(watcher, o.cameras);
  return { sim, engine, host, cameraIds, guard: { username: GUARD.username, password: GUARD.password }, admin: watcher };
}

let probeSource: string | null = null;
export async function probeScript(): Promise<string> {
  if (probeSource) return probeSource;
  const out = await build({ entryPoints: [path.join(REPO, 'bench/page-probe.ts')], bundle: true, format: 'iife', target: 'chrome120', write: false, logLevel: 'silent' });
  probeSource = out.outputFiles[0]!.text;
  return probeSource;
}

export interface BrowserHandle {
  browser: Browser;
  page: Page;
  pid: number | null;
  errors: string[];
}

/** Debian's Chromium, one page of a 1920x1080 console screen with the probe injected. */
export async function launchBrowser(cleanup: Cleanup): Promise<BrowserHandle> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  cleanup.add('chromium', () => browser.close());
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await context.addInitScript({ content: await probeScript() });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { browser, page, pid: browserPid(), errors };
}

/** Chromium's browser process (or Debian's /usr/bin/chromium wrapper script around it): a child of this process. */
function browserPid(): number | null {
  for (const pid of childPids(process.pid)) {
    const comm = commOf(pid);
    if (comm === 'chromium' || ((comm === 'sh' || comm === 'bash') && descendants(pid).some((d) => commOf(d) === 'chromium'))) return pid;
  }
  return null;
}

function commOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  } catch {
    return null;
  }
}

/** Every descendant process of `root` alive now. */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // raced with exit
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [pid, pp] of parent) {
      if (pp === p) {
        out.push(pid);
        walk(pid);
      }
    }
  };
  walk(root);
  return out;
}

/** CPU ms per process of a tree (root included), to subtract two readings. */
export function treeCpu(root: number): Map<number, number> {
  const m = new Map<number, number>();
  for (const pid of [root, ...descendants(root)]) {
    const ms = processCpuMs(pid);
    if (ms !== null) m.set(pid, ms);
  }
  return m;
}

/** % of one core used by a tree between two readings (processes that ended in between are lost). */
export function cpuPercent(a: Map<number, number>, b: Map<number, number>, wallMs: number): number {
  let ms = 0;
  for (const [pid, v] of b) ms += v - (a.get(pid) ?? 0);
  return Number(((ms / wallMs) * 100).toFixed(1));
}

/** Busy CPU ms of the whole machine (all cores) from /proc/stat. */
export function machineBusyMs(): number {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
}

/** CPU readings of the parts that run during a measurement. */
export function cpuSnapshot(b: BrowserHandle | null, stack: Stack) {
  const self = process.cpuUsage();
  const ffmpeg = descendants(process.pid).filter((pid) => commOf(pid) === 'ffmpeg');
  const ff = new Map<number, number>();
  for (const pid of ffmpeg) ff.set(pid, processCpuMs(pid) ?? 0);
  return {
    at: performance.now(),
    chromium: b?.pid ? treeCpu(b.pid) : new Map<number, number>(),
    engineMs: (self.user + self.system) / 1000,
    ffmpeg: ff,
    sim: treeCpu(stack.sim.pid),
    machineMs: machineBusyMs(),
  };
}

export function cpuBetween(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>) {
  const wall = b.at - a.at;
  const ours = {
    chromiumPercent: cpuPercent(a.chromium, b.chromium, wall),
    /** This process: engine, host, playwright driver side. */
    enginePercent: Number((((b.engineMs - a.engineMs) / wall) * 100).toFixed(1)),
    ffmpegPercent: cpuPercent(a.ffmpeg, b.ffmpeg, wall),
    simulatorPercent: cpuPercent(a.sim, b.sim, wall),
  };
  const machinePercent = Number((((b.machineMs - a.machineMs) / wall) * 100).toFixed(1));
  const oursTotal = ours.chromiumPercent + ours.enginePercent + ours.ffmpegPercent + ours.simulatorPercent;
  return {
    ...ours,
    /** All cores together (200 % = both cores of this machine busy). */
    machinePercent,
    /** What other processes on the machine used meanwhile: the benchmark is only meaningful when this is small. */
    otherPercent: Number(Math.max(0, machinePercent - oursTotal).toFixed(1)),
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** Signs the (already seeded) guard in through the UI and waits for the Live wall. */
export async function signInGuard(page: Page, stack: Stack): Promise<void> {
  await page.goto(stack.host.url);
  await page.getByTestId('signin-username').fill(stack.guard.username);
  await page.getByTestId('signin-password').fill(stack.guard.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('live-screen').waitFor({ timeout: 30_000 });
  await page.getByTestId('wall-grid').waitFor({ timeout: 30_000 });
  if (!(await page.evaluate(() => (window as unknown as { __benchProbe?: Probe }).__benchProbe?.hasRvfc() ?? false))) {
    throw new Error('the probe is missing or this Chromium has no requestVideoFrameCallback');
  }
}

/** Calls the probe in the page. */
export function probe<K extends keyof Probe>(page: Page, name: K, ...args: Parameters<Probe[K]>): Promise<Awaited<ReturnType<Probe[K]>>> {
  return page.evaluate(
    ([n, a]) => {
      const p = (window as unknown as { __benchProbe: Record<string, (...x: unknown[]) => unknown> }).__benchProbe;
      return p[n as string]!(...(a as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<Probe[K]>>>;
}

/** Frames the simulator has produced so far (one shared encode for every camera and stream). */
export async function simFrames(stack: Stack): Promise<{ frames: number; at: number }> {
  const s = (await stack.sim.status()) as { frames?: number };
  return { frames: Number(s.frames ?? NaN), at: performance.now() };
}

/** Frame rate the simulator actually produced between two readings (25 unless its frame thread fell behind). */
export function sourceFps(a: { frames: number; at: number }, b: { frames: number; at: number }): number | null {
  const fps = (b.frames - a.frames) / ((b.at - a.at) / 1000);
  return Number.isFinite(fps) ? Number(fps.toFixed(2)) : null;
}
