// Runs one job of the audit log in a worker thread, on its own read-only SQLite connection, so the
// engine's event loop never waits for it (docs/design/audit-chain.md "Worker threads"). The worker
// code is plain JavaScript in a string, as the store's checkpointer is (store/db.ts): the engine is
// bundled into the desktop app's main.js, where no separate worker file would exist.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const SQLITE_MODULE = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Niceness of the audit workers' threads (Linux: setpriority on the thread id). The engine's own
 * thread, ingest and recording keep priority over a report or a verification: on a busy machine
 * the workers take the spare CPU, never the engine's.
 */
export const WORKER_NICENESS = 10;

/** Resolves with the worker's one message; rejects if it throws or exits without answering. */
export function runWorker<T>(source: string, workerData: Record<string, unknown>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { module: SQLITE_MODULE, niceness: WORKER_NICENESS, ...workerData } });
    // An engine that is stopping need not wait for a report nobody will read.
    worker.unref();
    let answered = false;
    worker.once('message', (m: { ok: true; value: T } | { ok: false; error: string }) => {
      answered = true;
      if (m.ok) resolve(m.value);
      else reject(new Error(m.error));
    });
    worker.once('error', (err) => {
      answered = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`audit worker exited with code ${code} without an answer`));
    });
  });
}

/** The start of every audit worker: its thread's niceness (above). */
const PRELUDE = `
const { workerData, parentPort } = require('node:worker_threads');
if (process.platform === 'linux' && workerData.niceness > 0) {
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    require('node:os').setPriority(tid, workerData.niceness);
  } catch {}
}
`;

/** The common frame of a worker's source: `body` is a function body with `db`, `workerData`, `require`. */
export function workerSource(body: string): string {
  return `${PRELUDE}
const Database = require(workerData.module);
let answer;
try {
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    answer = { ok: true, value: (() => { ${body} })() };
  } finally {
    db.close();
  }
} catch (err) {
  answer = { ok: false, error: String(err && err.message || err).slice(0, 500) };
}
parentPort.postMessage(answer);
`;
}

/**
 * A worker fed by the engine instead of reading a database itself (PostgreSQL, where the rows come
 * through the engine's connections). `body` is a function body with `workerData` and `require`
 * returning `{ put(items), end(arg), abort() }`: `put` takes one message's items, `end` answers the
 * job's value, `abort` cleans up after a failure on either side.
 */
export function sinkWorkerSource(body: string): string {
  return `${PRELUDE}
let sink = null;
const fail = (err) => {
  try { if (sink) sink.abort(); } catch {}
  sink = null;
  parentPort.postMessage({ ok: false, error: String(err && err.message || err).slice(0, 500) });
};
try {
  sink = (() => { ${body} })();
} catch (err) {
  fail(err);
}
parentPort.on('message', (m) => {
  if (!sink) return;
  try {
    if (m.kind === 'put') { sink.put(m.items); parentPort.postMessage({ ok: true, value: null }); }
    else if (m.kind === 'end') { const value = sink.end(m.arg); sink = null; parentPort.postMessage({ ok: true, value }); }
    else { sink.abort(); sink = null; parentPort.postMessage({ ok: true, value: null }); }
  } catch (err) {
    fail(err);
  }
});
`;
}

/** The engine's side of a sink worker: one message at a time, each answered before the next. */
export interface SinkWorker<T> {
  put(items: unknown[]): Promise<void>;
  end(arg?: unknown): Promise<T>;
  /** Cleans up in the worker (e.g. removes a partial file) and stops it; never rejects. */
  abort(): Promise<void>;
}

export function startSinkWorker<T>(source: string, workerData: Record<string, unknown>): SinkWorker<T> {
  const worker = new Worker(source, { eval: true, workerData: { niceness: WORKER_NICENESS, ...workerData } });
  worker.unref();
  let waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void } | null = null;
  let failed: Error | null = null;
  const settle = (fn: (w: NonNullable<typeof waiting>) => void) => {
    const w = waiting;
    waiting = null;
    if (w) fn(w);
  };
  worker.on('message', (m: { ok: true; value: unknown } | { ok: false; error: string }) => {
    if (!m.ok) failed = new Error(m.error);
    settle((w) => (m.ok ? w.resolve(m.value) : w.reject(new Error(m.error))));
  });
  worker.once('error', (err) => {
    failed = err;
    settle((w) => w.reject(err));
  });
  worker.once('exit', (code) => {
    failed ??= new Error(`audit worker exited with code ${code}`);
    settle((w) => w.reject(failed!));
  });
  const ask = (message: Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      if (failed) return reject(failed);
      if (waiting) return reject(new Error('audit worker: one message at a time'));
      waiting = { resolve, reject };
      worker.postMessage(message);
    });
  return {
    put: async (items) => {
      await ask({ kind: 'put', items });
    },
    end: async (arg) => {
      try {
        return (await ask({ kind: 'end', arg })) as T;
      } finally {
        void worker.terminate();
      }
    },
    abort: async () => {
      await ask({ kind: 'abort' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
