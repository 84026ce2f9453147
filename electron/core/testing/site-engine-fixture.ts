// Site engine tests: the engine and its seats as child processes (seat-child.ts), possibly in
// network namespaces of their own (netns.ts). Messages are JSON lines; every wait is bounded.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Result } from '../../../shared/result';
import { CHILD_START_TIMEOUT_MS } from './host-process';

export const REPO = path.resolve(import.meta.dirname, '../../..');
export type Spawner = (command: string, args: string[], opts: SpawnOptions) => ChildProcess;
export const here: Spawner = (command, args, opts) => spawn(command, args, opts);

type Msg = Record<string, unknown> & { op: string };

/** Lines of a child's stdout as parsed messages, with waits for the next one that matches. */
class Lines {
  readonly seen: Msg[] = [];
  private waiters: { test: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  constructor(child: ChildProcess, parse: (line: string) => Msg | null) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = parse(line);
      if (!m) return;
      this.seen.push(m);
      for (const w of [...this.waiters]) {
        if (w.test(m)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(m);
        }
      }
    });
  }
  /** The first message (already seen from index `from`, or still to come) that matches. */
  wait(test: (m: Msg) => boolean, timeoutMs: number, what: string, from = 0): Promise<Msg> {
    const found = this.seen.slice(from).find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const w = { test, resolve: (m: Msg) => (clearTimeout(timer), resolve(m)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; seen: ${JSON.stringify(this.seen.slice(-5))}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }
}

export interface EngineProcess {
  child: ChildProcess;
  fingerprint: string;
  stderr(): string;
  /** Moves the test entry's clock forward. */
  advance(ms: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a site engine: the test entry (with its movable clock) or `npm run engine`'s own cli. */
export async function startEngine(o: { spawner: Spawner; dataDir: string; listen: string; entry?: 'test' | 'cli'; extraArgs?: string[]; env?: NodeJS.ProcessEnv }): Promise<EngineProcess> {
  const args =
    o.entry === 'cli'
      ? ['--import', 'tsx', 'electron/core/host/engine-cli.ts', '--data-dir', o.dataDir, '--listen', o.listen, ...(o.extraArgs ?? [])]
      : ['--import', 'tsx', 'electron/core/testing/site-engine-entry.ts', o.dataDir, o.listen, ...(o.extraArgs ?? [])];
  const child = o.spawner(process.execPath, args, { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 40_000) err = err.slice(-20_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const lines = new Lines(child, (line) => ({ op: 'line', line }));
  const started = lines.wait((m) => String(m.line).startsWith('Site fingerprint: '), CHILD_START_TIMEOUT_MS, 'the engine to start');
  const fingerprint = String((await Promise.race([started, exited.then((e) => Promise.reject(new Error(`engine exited ${JSON.stringify(e)}: ${err}`)))])).line).slice('Site fingerprint: '.length);
  return {
    child,
    fingerprint,
    stderr: () => err,
    advance: async (ms) => {
      const from = lines.seen.length;
      child.stdin!.write(`advance ${ms}\n`);
      await lines.wait((m) => m.line === `advanced ${ms}`, 5000, 'the clock to move', from);
    },
    exited,
  };
}

export class SeatProcess {
  readonly lines: Lines;
  private nextId = 1;
  private constructor(readonly child: ChildProcess) {
    this.lines = new Lines(child, (line) => {
      try {
        return JSON.parse(line) as Msg;
      } catch {
        return null;
      }
    });
  }

  static async start(spawner: Spawner): Promise<SeatProcess> {
    const child = spawner(process.execPath, ['--import', 'tsx', 'electron/core/testing/seat-child.ts'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.on('data', () => {});
    const s = new SeatProcess(child);
    await s.lines.wait((m) => m.op === 'ready', CHILD_START_TIMEOUT_MS, 'the seat process');
    return s;
  }

  send(msg: Msg): void {
    this.child.stdin!.write(`${JSON.stringify(msg)}\n`);
  }

  async enrol(address: string, code: string, expected?: string): Promise<Msg> {
    const from = this.lines.seen.length;
    this.send({ op: 'enrol', address, code, ...(expected ? { expected } : {}) });
    return this.lines.wait((m) => m.op === 'enrolled' || m.op === 'error', 20_000, 'enrolment', from);
  }

  /** `alternates`: the site's other nodes, tried when the node at `address` stays unreachable. */
  connect(address: string, e: { seatId: number; credential: string; fingerprint: string }, alternates?: string[]): void {
    this.send({ op: 'connect', address, seatId: e.seatId, credential: e.credential, fingerprint: e.fingerprint, ...(alternates ? { alternates } : {}) });
  }

  /** How many messages the seat process has sent so far: a starting point for `state(kind, t, from)`. */
  mark(): number {
    return this.lines.seen.length;
  }

  /** The next state of `kind` from message index `from` on (default: any time). */
  state(kind: string, timeoutMs = 15_000, from = 0): Promise<Msg & { state: { kind: string; reason?: string; message?: string }; atMs: number }> {
    return this.lines.wait((m) => m.op === 'state' && (m.state as { kind: string }).kind === kind, timeoutMs, `state ${kind}`, from) as never;
  }

  async call(name: string, payload: unknown, timeoutMs = 20_000): Promise<Result<unknown>> {
    const id = this.nextId++;
    this.send({ op: 'call', id, name, payload });
    return (await this.lines.wait((m) => m.op === 'result' && m.id === id, timeoutMs, `${name}'s result`)).result as Result<unknown>;
  }

  async must<T = Record<string, unknown>>(name: string, payload: unknown): Promise<T> {
    const r = await this.call(name, payload);
    if (!r.ok) throw new Error(`${name} failed: ${r.error.kind}: ${r.error.message}`);
    return r.value as T;
  }

  async media(url: string, fingerprint?: string): Promise<{ status: number; bytes: number; text: string }> {
    const id = this.nextId++;
    this.send({ op: 'media', id, url, ...(fingerprint ? { fingerprint } : {}) });
    return (await this.lines.wait((m) => m.op === 'media' && m.id === id, 20_000, 'a media answer')) as never;
  }

  /** The site's other nodes as the engine at `address` names them to this seat (seat-client/site-nodes.ts). */
  async nodes(address: string, e: { credential: string; fingerprint: string }): Promise<{ nodes?: string[]; error?: string }> {
    const id = this.nextId++;
    this.send({ op: 'nodes', id, address, credential: e.credential, fingerprint: e.fingerprint });
    return (await this.lines.wait((m) => m.op === 'nodes' && m.id === id, 20_000, 'the nodes answer')) as never;
  }

  /** learnSiteNodes: the enrolled node asked first, then the `known` ones while it does not answer. */
  async learn(address: string, e: { credential: string; fingerprint: string }, known: string[]): Promise<{ nodes?: string[]; answeredBy?: string; error?: string }> {
    const id = this.nextId++;
    this.send({ op: 'learn', id, address, credential: e.credential, fingerprint: e.fingerprint, known });
    return (await this.lines.wait((m) => m.op === 'learn' && m.id === id, 60_000, 'the learnt nodes')) as never;
  }

  async raw(host: string, port: number, text: string): Promise<string> {
    const id = this.nextId++;
    this.send({ op: 'raw', id, host, port, text });
    return String((await this.lines.wait((m) => m.op === 'raw' && m.id === id, 10_000, 'a raw answer')).answer);
  }

  /** Signs in through the forced first steps (new password, confidentiality commitment). */
  async signIn(username: string, password: string): Promise<void> {
    const s = await this.must<{ mustChangePassword: boolean; commitmentPending: boolean }>('auth.signIn', { username, password });
    if (s.mustChangePassword) await this.must('auth.changePassword', { currentPassword: password, newPassword: `${password}-Renewed` });
    if (s.commitmentPending) {
      const text = await this.must<{ version: string }>('commitment.get', { language: 'en' });
      await this.must('commitment.accept', { version: text.version });
    }
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}
