// Test/demo client: spawns the camera simulator as a child process, waits for its ready line and
// drives it through the control API.
//
//   const sim = await startSimulator({ cameras: 4 });           // random ports by default
//   sim.cameras[0].rtspMain   // rtsp://127.0.0.1:PORT/cam1/main (no credentials in the URL)
//   await sim.stopCamera(1);  // camera 1 "loses power"; await sim.startCamera(1);
//   await sim.close();        // SIGTERM, waits for the simulator (and its children) to exit
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SimulatedPtz } from './onvif-ptz';
import type { CameraInfo, ReadyInfo } from './sim';

export type { CameraInfo, ReadyInfo } from './sim';

export interface StartOptions {
  cameras?: number;
  /** 0 (default here) = random free ports; otherwise RTSP P, control P+99, ONVIF P+100+i */
  portBase?: number;
  auth?: 'digest' | 'basic' | 'none';
  codec?: 'h264' | 'h265';
  /** The main stream's picture, `WxH` (default 1280x720); the sub stream is half of it each way. */
  size?: string;
  user?: string;
  password?: string;
  faultyOnvif?: number[];
  /** Cameras with pan-tilt-zoom (1-based): an ONVIF PTZ service and their own moving picture. */
  ptz?: number[];
  discovery?: boolean;
  verbose?: boolean;
  /** RTSP on this address (inside a test's network namespace; see sim-options.ts). */
  address?: string;
  /** extra environment, e.g. CAMERA_SIM_PYTHON */
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** Starts the simulator's process (default: a child of this one), e.g. inside a network namespace. */
  spawner?: (command: string, args: string[], opts: SpawnOptions) => ChildProcess;
}

export interface SimulatorHandle {
  cameras: CameraInfo[];
  ready: ReadyInfo;
  controlUrl: string;
  pid: number;
  /** mode 'stall' (default): sessions stop receiving data, like a camera losing power; 'close': sessions are closed */
  stopCamera(index: number, mode?: 'stall' | 'close'): Promise<void>;
  startCamera(index: number): Promise<void>;
  status(): Promise<unknown>;
  /** A PTZ camera's state as the camera sees it (GET /cameras/N/ptz). */
  ptzState(index: number): Promise<SimulatedPtzState>;
  close(): Promise<void>;
  process: ChildProcess;
}

export type SimulatedPtzState = ReturnType<SimulatedPtz['state']>;

/**
 * The picture of tests that exercise the console rather than the picture's size: a quarter of the
 * pixels of the default 1280x720 costs the simulator's encoder a quarter of the CPU (measured on
 * this project's 2-core CI machine: 0.76 of a core at 1280x720, 0.20 at 640x360), which the engine,
 * ffmpeg and Chromium under test then have. The sub stream is 320x180: still a picture whose
 * burned-in timecode decodes, and still a different stream from the main one.
 */
export const SMALL_PICTURE = '640x360';

export const SIM_ENTRY = fileURLToPath(new URL('./sim.ts', import.meta.url));

export function simulatorArgs(opts: StartOptions, passwordFile?: string): string[] {
  const args = ['--cameras', String(opts.cameras ?? 1), '--port-base', String(opts.portBase ?? 0)];
  if (opts.auth) args.push('--auth', opts.auth);
  if (opts.codec) args.push('--codec', opts.codec);
  if (opts.size) args.push('--size', opts.size);
  if (opts.user !== undefined) args.push('--user', opts.user);
  if (passwordFile !== undefined) args.push('--password-file', passwordFile);
  else if (opts.password !== undefined) args.push('--password', opts.password);
  if (opts.faultyOnvif?.length) args.push('--faulty-onvif', opts.faultyOnvif.join(','));
  if (opts.ptz?.length) args.push('--ptz', opts.ptz.join(','));
  if (opts.discovery) args.push('--discovery');
  if (opts.address) args.push('--address', opts.address);
  if (opts.verbose) args.push('--verbose');
  return args;
}

export async function startSimulator(opts: StartOptions = {}): Promise<SimulatorHandle> {
  // The password reaches the simulator in a private file, never in an argv: tests check that no
  // process on the machine shows a camera password in /proc/*/cmdline.
  const secretDir = opts.password !== undefined ? mkdtempSync(path.join(tmpdir(), 'camera-sim-')) : undefined;
  const passwordFile = secretDir && path.join(secretDir, 'password');
  if (passwordFile) writeFileSync(passwordFile, opts.password ?? '', { mode: 0o600 });
  const removeSecret = () => secretDir && rmSync(secretDir, { recursive: true, force: true });
  const child = (opts.spawner ?? spawn)(process.execPath, ['--import', 'tsx', SIM_ENTRY, ...simulatorArgs(opts, passwordFile)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  child.once('exit', removeSecret);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
    if (opts.verbose) process.stderr.write(d);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = await new Promise<ReadyInfo>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`camera simulator not ready in time:\n${stderr}`));
    }, opts.readyTimeoutMs ?? 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const msg = JSON.parse(line) as ReadyInfo;
        if (msg.event === 'ready') {
          clearTimeout(timer);
          removeSecret();
          resolve(msg);
        }
      } catch {
        // not ours
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`camera simulator exited (${code}):\n${stderr}`));
    });
  });

  const call = async (method: string, path: string): Promise<unknown> => {
    const res = await fetch(`${ready.controlUrl}${path}`, { method });
    const body = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  let closing: Promise<void> | undefined;
  return {
    cameras: ready.cameras,
    ready,
    controlUrl: ready.controlUrl,
    pid: ready.pid,
    process: child,
    stopCamera: async (i, mode = 'stall') => void (await call('POST', `/cameras/${i}/stop?mode=${mode}`)),
    startCamera: async (i) => void (await call('POST', `/cameras/${i}/start`)),
    status: () => call('GET', '/status'),
    ptzState: async (i) => (await call('GET', `/cameras/${i}/ptz`)) as SimulatedPtzState,
    close: () =>
      (closing ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
          await exited;
          clearTimeout(timer);
        }
      })()),
  };
}
