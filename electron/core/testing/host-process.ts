// Starts `electron/core/host/cli.ts` as a real child process and talks to it over its WebSocket,
// as a browser seat would.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Result } from '../../../shared/result';

const REPO = path.resolve(import.meta.dirname, '../../..');

export interface HostProcess {
  child: ChildProcess;
  url: string;
  origin: string;
  seatKey: string;
  connect(opts?: { origin?: string; seatKey?: string }): Promise<WsClient>;
}

export interface WsClient {
  call(name: string, payload: unknown): Promise<Result<unknown>>;
  close(): void;
}

/** A minimal built renderer, for tests that need only the engine behind the host. */
export function stubRendererDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renderer-stub-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>stub</title>');
  return dir;
}

export interface HostChild {
  child: ChildProcess;
  /** The address the host printed ("Open: URL"), with its `#seat=KEY`. */
  url: string;
  /** SIGTERM, and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * How long a test waits for an engine, host or seat process it started to say it is ready. A wait,
 * not a measure: no test asserts how fast an engine starts. A host that starts in 2-4 s on an idle
 * machine (tsx compiling the engine, with an empty cache on a fresh machine) once took over 20 s in
 * CI, beside two other media test files with engines, ffmpeg and PostgreSQL of their own on the two
 * cores; a tighter wait failed a test about something else entirely.
 */
export const CHILD_START_TIMEOUT_MS = 90_000;

/**
 * Starts a host as `node ...nodeArgs` from the repository root and waits for the address it prints.
 * Node itself, with tsx as a loader or a bundle (not the tsx wrapper): a signal must reach the engine
 * process. Rejects with the host's stderr when it exits or prints nothing within `timeoutMs`.
 */
export async function spawnHostChild(nodeArgs: string[], timeoutMs = CHILD_START_TIMEOUT_MS): Promise<HostChild> {
  const child = spawn(process.execPath, nodeArgs, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host did not start in ${timeoutMs} ms (stopped; its stderr follows): ${stderr}`));
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open: (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${stderr}`)));
  });
  return {
    child,
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function startHostProcess(dataDir: string, extraArgs: string[] = []): Promise<HostProcess> {
  const { child, url } = await spawnHostChild(['--import', 'tsx', 'electron/core/host/cli.ts', '--data-dir', dataDir, '--port', '0', '--renderer-dir', stubRendererDir(), ...extraArgs]);
  const parsed = new URL(url);
  const seatKey = new URLSearchParams(parsed.hash.slice(1)).get('seat') ?? '';
  const origin = parsed.origin;
  return {
    child,
    url,
    origin,
    seatKey,
    connect: (opts = {}) => connectWs(origin, opts.origin ?? origin, opts.seatKey ?? seatKey),
  };
}

export function connectWs(origin: string, sendOrigin: string, seatKey: string): Promise<WsClient> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?seat=${encodeURIComponent(seatKey)}`, { origin: sendOrigin });
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let next = 1;
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { id: number; result: Result<unknown> };
    pending.get(msg.id)?.(msg.result);
    pending.delete(msg.id);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () =>
      resolve({
        call: (name, payload) =>
          new Promise((res) => {
            const id = next++;
            pending.set(id, res);
            ws.send(JSON.stringify({ id, name, payload }));
          }),
        close: () => ws.close(),
      }),
    );
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}
