// Shared set-up of the engine benchmarks: simulated cameras without passwords (nothing reaches
// the keychain), a real engine in-process, an administrator, and every camera added through the
// command contract, then wait until every main stream is live.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type SimulatorHandle } from '../tools/camera-sim/client';
import { systemClock } from '../electron/core/clock';
import type { Connection } from '../electron/core/dispatcher';
import { createEngineForTests, type TestableEngine } from '../electron/core/testing/harness';
import { silentLogger } from '../electron/core/logger';
import { NO_PASSWORDS } from '../electron/core/secrets/secret-store';

export interface BenchEngine {
  engine: TestableEngine;
  sim: SimulatorHandle;
  call(name: string, payload: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Calls on a connection of their own (`id`), straight through the engine's dispatcher as a seat's
 *  socket would; a refused call throws naming the command. */
export function dispatchCaller(engine: Pick<TestableEngine, 'dispatch'>, id: string, peer = 'bench') {
  const conn: Connection = { id, transport: 'ws', peer };
  return async <T = Record<string, unknown>>(name: string, payload: unknown): Promise<T> => {
    const r = await engine.dispatch(conn, name, payload);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };
}

/** Waits (60 s at most) until `count` cameras' main streams are live, read with cameras.adminList
 *  by `call`, an administrator's caller of any kind (the dispatcher, a seat's socket). */
export async function waitMainStreamsLive(call: (name: string, payload: unknown) => Promise<unknown>, count: number): Promise<void> {
  for (const deadline = Date.now() + 60_000; ; ) {
    const { cameras } = (await call('cameras.adminList', {})) as { cameras: { main: { state: string } }[] };
    const live = cameras.filter((c) => c.main.state === 'live').length;
    if (live === count) return;
    if (Date.now() > deadline) throw new Error(`only ${live}/${count} main streams live after 60 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function startBenchEngine(opts: { cameras: number; withSub: boolean; say: (s: string) => void }): Promise<BenchEngine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-engine-'));
  const sim = await startSimulator({ cameras: opts.cameras, auth: 'none' });
  const engine = await createEngineForTests({ clock: systemClock, dataDir, logger: silentLogger, secrets: NO_PASSWORDS });
  const close = async () => {
    await engine.close();
    await sim.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const call = dispatchCaller(engine, 'bench');
    await call('setup.createAdmin', { username: 'bench.admin', displayName: 'Bench', password: 'Quiet-Harbour-Lantern-42' });
    await call('auth.signIn', { username: 'bench.admin', password: 'Quiet-Harbour-Lantern-42' });
    await call('commitment.accept', { version: (await call('commitment.get', { language: 'en' })).version });
    const group = (await call('groups.create', { name: 'Bench', description: '' })).id;
    for (const c of sim.cameras) {
      await call('cameras.add', {
        settings: { name: c.name, site: 'Bench', groupId: group, purpose: 'benchmark camera', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
        source: { kind: 'rtsp', mainUrl: c.rtspMain, subUrl: opts.withSub ? c.rtspSub : null },
        username: null,
        password: null,
      });
    }
    opts.say(`${opts.cameras} cameras added; waiting for every main stream to be live...`);
    await waitMainStreamsLive(call, opts.cameras);
    return { engine, sim, call, close };
  } catch (err) {
    await close();
    throw err;
  }
}
