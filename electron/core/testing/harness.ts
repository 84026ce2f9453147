// Test harness: a real engine on a throwaway data directory with a manual clock.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandName, RequestOf, ResponseOf } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { ManualClock } from '../clock';
import type { Connection } from '../dispatcher';
import { assembleEngine, type Engine, type EngineDeps, type EngineInternals } from '../engine';
import { createNodeOnvifClient, OnvifError, type OnvifClient } from '../cameras/onvif';
import { createKeytarSecretStore } from '../secrets/secret-store';
import { silentLogger } from '../logger';
import { encodeFmp4, split } from './ffmpeg-fixtures';
import { createDatabaseAt, dropDatabaseAt } from './pg-cluster';
import type { Store } from '../store/db';
import { openEngineStore } from '../store/open';

export const ADMIN = { username: 'admin.anna', displayName: 'Anna Nowak', password: 'Vistula-Lantern-48' };

/** The engine with its parts reachable: only tests and benchmarks build one. */
export type TestableEngine = Engine & EngineInternals;

/** Builds a real engine and keeps its parts reachable (production code calls createEngine). */
export async function createEngineForTests(deps: EngineDeps): Promise<TestableEngine> {
  const { engine, internals } = await assembleEngine(deps);
  return Object.assign(Object.create(null) as object, engine, internals) as TestableEngine;
}

export interface TestEngine {
  engine: TestableEngine;
  clock: ManualClock;
  dataDir: string;
  connect(id?: string): Caller;
  dispose(): Promise<void>;
}

export interface Caller {
  connection: Connection;
  call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<Result<ResponseOf<N>>>;
  /** Like call, but throws on an error result: for set-up steps. */
  must<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>>;
}

let counter = 0;

/** The real ONVIF client, except that WS-Discovery (multicast) never runs on the host's network:
 *  discovery is tested only inside a private network namespace (tools/camera-sim). */
const real = createNodeOnvifClient({ timeoutMs: 5000 });
export const noDiscoveryOnvif: OnvifClient = {
  discover: () => Promise.reject(new OnvifError('unreachable', 'Discovery is disabled outside a private network namespace.')),
  probe: (x, u, p) => real.probe(x, u, p),
};

/**
 * With CONSOLE_TEST_POSTGRES set (a superuser's connection string; the `postgres` test project's
 * global set-up starts a throwaway cluster and sets it), every test engine uses a PostgreSQL
 * database of its own instead of SQLite: one per data directory, so an engine restarted on the same
 * directory finds its database again.
 */
const TEST_POSTGRES = process.env.CONSOLE_TEST_POSTGRES;
const databases = new Map<string, Promise<string>>();
export const testStoreKind: 'sqlite' | 'postgres' = TEST_POSTGRES ? 'postgres' : 'sqlite';

function testDatabaseFor(dir: string): Promise<string> | undefined {
  if (!TEST_POSTGRES) return undefined;
  let url = databases.get(dir);
  if (!url) databases.set(dir, (url = createDatabaseAt(TEST_POSTGRES)));
  return url;
}

/** A store for a test that needs only the database (no engine): SQLite in `dataDir`, or, in the
 *  `postgres` project, the PostgreSQL database of that directory. */
export async function openTestStore(dataDir: string): Promise<Store> {
  return openEngineStore(dataDir, { database: await testDatabaseFor(dataDir), logger: silentLogger });
}

export async function startTestEngine(dataDir?: string, opts: Partial<EngineDeps> = {}): Promise<TestEngine> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'console-test-'));
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 8, 0, 0));
  const database = await testDatabaseFor(dir);
  const engine = await createEngineForTests({
    clock,
    dataDir: dir,
    logger: silentLogger,
    secrets: createKeytarSecretStore({ service: 'operator-console-test' }),
    onvif: noDiscoveryOnvif,
    ...(database ? { database } : {}),
    ...opts,
  });
  return {
    engine,
    clock,
    dataDir: dir,
    connect(id = `test:${++counter}`) {
      const connection: Connection = { id, transport: 'ws', peer: id };
      const call = (name: CommandName, request: unknown) => engine.dispatch(connection, name, request);
      return {
        connection,
        call: call as Caller['call'],
        must: (async (name: CommandName, request: unknown) => {
          const r = await call(name, request);
          if (!r.ok) throw new Error(`${name} failed: ${r.error.kind}: ${r.error.message}`);
          return r.value;
        }) as Caller['must'],
      };
    },
    async dispose() {
      await engine.close();
      if (!dataDir) {
        fs.rmSync(dir, { recursive: true, force: true });
        if (database && TEST_POSTGRES) {
          databases.delete(dir);
          await dropDatabaseAt(TEST_POSTGRES, database);
        }
      }
    },
  };
}

/** The password of an account after signInReady's forced change. */
const renewed = (password: string) => `${password}-Renewed`;

/** Signs a freshly created user in through the forced steps (new password, commitment). */
export async function signInReady(t: TestEngine, username: string, password: string, newPassword?: string): Promise<Caller> {
  const c = t.connect();
  const s = await c.must('auth.signIn', { username, password });
  let current = password;
  if (s.mustChangePassword) {
    const next = newPassword ?? renewed(password);
    await c.must('auth.changePassword', { currentPassword: password, newPassword: next });
    current = next;
  }
  if (s.commitmentPending) {
    const text = await c.must('commitment.get', { language: 'en' });
    await c.must('commitment.accept', { version: text.version });
  }
  void current;
  return c;
}

export async function setUpAdmin(t: TestEngine): Promise<Caller> {
  const anon = t.connect();
  await anon.must('setup.createAdmin', ADMIN);
  return signInReady(t, ADMIN.username, ADMIN.password);
}

/** Initial password of users made by `addUser`. */
export const TEST_PASSWORD = 'Temporary-Pass-2026';

/** The basis tests give grants of access (docs/design/authorised-persons.md). */
export const TEST_BASIS = 'authorisation 1/2026 (test)';

/** Accounts made by addUser that may approve grants, per engine: the second persons of the harness. */
const approversOf = new WeakMap<TestEngine, string[]>();

/**
 * Approves the grant waiting for `username` as a second person (KRK §5.4.5), signed in afresh on
 * a connection of its own: an approver the harness made before, or else a harness auditor
 * `dpo.harness`, which is then the site's first approver (its grant takes effect as the site's set-up).
 */
export async function approveGrant(t: TestEngine, admin: Caller, username: string): Promise<void> {
  const waiting = (await admin.must('access.grants', { state: 'pending' })).grants.filter((g) => g.username === username);
  if (waiting.length === 0) return;
  const approvers = approversOf.get(t) ?? [];
  approversOf.set(t, approvers);
  let approver = approvers.find((a) => a !== username);
  let caller: Caller;
  if (approver) {
    caller = t.connect();
    await caller.must('auth.signIn', { username: approver, password: renewed(TEST_PASSWORD) });
  } else {
    approver = 'dpo.harness';
    await admin.must('users.create', { username: approver, displayName: 'Harness DPO', role: 'auditor', language: 'en', initialPassword: TEST_PASSWORD, groupIds: [], basis: TEST_BASIS });
    caller = await signInReady(t, approver, TEST_PASSWORD);
    approvers.push(approver);
  }
  for (const g of waiting) await caller.must('access.approve', { grantId: g.id });
  await caller.must('auth.signOut', {});
}

/** Creates a user in a role and camera groups, has a second person approve the grant, then signs
 *  them in through the forced first steps. */
export async function addUser(
  t: TestEngine,
  admin: Caller,
  u: { username: string; role: 'guard' | 'reviewer' | 'supervisor' | 'auditor'; groupIds: number[]; displayName?: string },
): Promise<Caller> {
  await admin.must('users.create', { username: u.username, displayName: u.displayName ?? `${u.username} (${u.role})`, role: u.role, language: 'en', initialPassword: TEST_PASSWORD, groupIds: u.groupIds, basis: TEST_BASIS });
  await approveGrant(t, admin, u.username);
  const caller = await signInReady(t, u.username, TEST_PASSWORD);
  if (u.role === 'supervisor' || u.role === 'auditor') approversOf.set(t, [...(approversOf.get(t) ?? []), u.username]);
  return caller;
}

/** A camera whose address nobody answers: for tests that write its footage through the recorder themselves. */
export async function addOfflineCamera(admin: Caller, name: string, groupId: number): Promise<number> {
  const c = await admin.must('cameras.add', {
    settings: { name, site: 'Station', groupId, purpose: 'safety of travellers', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
    source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/none', subUrl: null },
    username: null,
    password: null,
  });
  return c.id;
}

/** Writes `seconds` of real footage (H.264, 200 ms fragments) from now on for each camera, through the
 * real recorder, as ingest would; returns the wall-clock time the footage starts. */
export async function recordFootage(t: TestEngine, cameraIds: number[], seconds: number): Promise<number> {
  const { init, fragments } = split(encodeFmp4(seconds));
  const from = t.clock.nowMs();
  for (const id of cameraIds) {
    const rec = t.engine.recording.recorderFor(id)!;
    rec.onInit(init);
    fragments.forEach((f, i) => rec.onFragment(f, from + (i + 1) * 200));
    rec.onEnd();
    await rec.drain();
  }
  return from;
}

/** The two-group site several tests share: cameras North 1 and North 2 (group North), South 1 (group South). */
export async function northSouthSite(admin: Caller): Promise<{ north: number; south: number; cam: { north1: number; north2: number; south1: number } }> {
  const north = (await admin.must('groups.create', { name: 'North', description: '' })).id;
  const south = (await admin.must('groups.create', { name: 'South', description: '' })).id;
  const cam = { north1: await addOfflineCamera(admin, 'North 1', north), north2: await addOfflineCamera(admin, 'North 2', north), south1: await addOfflineCamera(admin, 'South 1', south) };
  return { north, south, cam };
}

/**
 * Engines a test starts and stops on data directories it keeps across restarts (crash and anchor
 * tests); `cleanUp()` (in afterEach) disposes what is still running and removes the directories.
 */
export class EngineRestarts {
  private readonly engines: TestEngine[] = [];
  private readonly dirs: string[] = [];

  tmpDir(prefix: string): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  async start(dir: string, opts: Partial<EngineDeps> = {}): Promise<TestEngine> {
    const t = await startTestEngine(dir, opts);
    this.engines.push(t);
    return t;
  }

  async stop(t: TestEngine): Promise<void> {
    this.engines.splice(this.engines.indexOf(t), 1);
    await t.dispose();
  }

  async cleanUp(): Promise<void> {
    for (const e of this.engines.splice(0)) await e.dispose().catch(() => undefined);
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }
}
