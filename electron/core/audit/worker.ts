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

/** The common frame of a worker's source: `body` is a function body with `db`, `workerData`, `require`. */
export function workerSource(body: string): string {
  return `
const { workerData, parentPort } = require('node:worker_threads');
if (process.platform === 'linux' && workerData.niceness > 0) {
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    require('node:os').setPriority(tid, workerData.niceness);
  } catch {}
}
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
