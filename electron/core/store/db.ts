// Opens the embedded SQLite store (docs/design/overview.md §4): WAL, foreign keys, durable commits, migrations.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { ANCHOR_FILE } from '../audit/audit-log';
import { REPORTS_DIR } from '../audit/audit-trail';
import { CHECKPOINTS_DIR } from '../audit/checkpoint-file';
import { SECRETS_DIR } from '../secrets/credential-secret-store';
import { TLS_DIR } from '../host/tls-dir';
import { createJsonLogger, type Logger } from '../logger';
import { describeModeChanges, PRIVATE_FILE_MODE, restrictDataDir, restrictMode, SQLITE_COMPANIONS, type ModeChange } from './file-modes';
import { MIGRATIONS } from './migrations';
import type { Database } from './schema';

export type { StoreKind } from './dialect';

/** The embedded SQLite store of one machine. */
export interface SqliteStore {
  kind: 'sqlite';
  db: Kysely<Database>;
  /** For SQLite-only maintenance (checkpoints, integrity checks); services use `db`. */
  sqlite: BetterSqlite3.Database;
  path: string;
  close(): Promise<void>;
}

/** The site's PostgreSQL database, shared by several engines (store/postgres.ts). */
export interface PostgresStore {
  kind: 'postgres';
  db: Kysely<Database>;
  /** The connection string with its password left out, for logs and diagnostics. */
  url: string;
  /** Two connections of their own for camera leases, with short time limits: a renewal that cannot
   *  finish in time fails (and the node stops its cameras when its leases end) instead of waiting
   *  behind the engine's other work or on a link that is gone (nodes/camera-leases.ts). */
  leaseDb: Kysely<Database>;
  close(): Promise<void>;
}

export type Store = SqliteStore | PostgresStore;

/** The SQLite handle of a store, for what only SQLite has (pragmas, a file to copy). */
export function sqliteOf(store: Store): BetterSqlite3.Database {
  if (store.kind !== 'sqlite') throw new Error(`this needs the embedded SQLite store; the engine uses ${store.url}`);
  return store.sqlite;
}

export const DATABASE_FILE = 'console.sqlite';
/** What the engine keeps directly in its data directory, private to its user (file-modes.ts). */
const DATABASE_FILES = [DATABASE_FILE, ...SQLITE_COMPANIONS.map((s) => DATABASE_FILE + s)];
const PRIVATE_FILES = [...DATABASE_FILES, ANCHOR_FILE, `${ANCHOR_FILE}.tmp`];
/** TLS_DIR: the site engine's CA and server keys (host/tls-identity.ts). */
const PRIVATE_DIRS = ['recordings', 'exports', CHECKPOINTS_DIR, REPORTS_DIR, SECRETS_DIR, TLS_DIR];

export function openSqlite(file: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk when it returns; the audit log depends on this (R4).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/**
 * WAL checkpoints run on their own connection in a worker thread. Done by the engine's connection
 * (SQLite's default, at commit), a checkpoint copies and fsyncs many pages and stalls the event
 * loop for hundreds of milliseconds on a large database; PASSIVE checkpoints elsewhere never block
 * writers. The engine's connection therefore has wal_autocheckpoint = 0.
 */
const CHECKPOINTER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const tick = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); tick(); db.close(); parentPort.postMessage('stopped'); } });
`;

function startCheckpointer(file: string): { stop(): Promise<void> } {
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: { file, module: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: 1000 },
  });
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          void worker.terminate().then(() => resolve());
        };
        const timer = setTimeout(done, 5000);
        worker.once('message', () => {
          clearTimeout(timer);
          done();
        });
        worker.once('error', () => {
          clearTimeout(timer);
          resolve();
        });
        worker.postMessage('stop');
      }),
  };
}

/** Creates the data directory 0700 and makes what is already in it private (file-modes.ts): whichever
 *  database the engine uses, the directory holds recordings, exports, keys and the audit anchor. */
function makeDataDirPrivate(dataDir: string): ModeChange[] {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return restrictDataDir(dataDir, { files: PRIVATE_FILES, dirs: PRIVATE_DIRS });
}

function logModeChanges(dataDir: string, changes: readonly ModeChange[], logger: Logger | undefined): void {
  if (changes.length > 0) {
    (logger ?? createJsonLogger()).warn(`data directory readable by others: modes restricted (${describeModeChanges(changes)})`, { dataDir, changes });
  }
}

/** The data directory of an engine whose database is elsewhere (PostgreSQL), made private. */
export function prepareDataDir(dataDir: string, opts: { logger?: Logger } = {}): void {
  logModeChanges(dataDir, makeDataDirPrivate(dataDir), opts.logger);
}

/** Brings a store's schema to the latest migration (both databases); closes it and says which failed. */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Opens (creating if needed) the store of a data directory. The directory is made private first
 * (0700, then 0600 for what is already in it, logged in one line when anything had to change), so
 * no other user can open a file in the window before its mode is set. The database file is created
 * 0600 before SQLite opens it: SQLite gives its -wal and -shm the database file's mode, whatever
 * the umask; the modes are checked again once they exist.
 */
export async function openStore(dataDir: string, opts: { logger?: Logger } = {}): Promise<SqliteStore> {
  const changes = makeDataDirPrivate(dataDir);
  const file = path.join(dataDir, DATABASE_FILE);
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  const sqlite = openSqlite(file);
  sqlite.pragma('wal_autocheckpoint = 0');
  try {
    // Touch the database so WAL mode has created its companions, then check them too.
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    for (const f of DATABASE_FILES) {
      const c = restrictMode(path.join(dataDir, f), PRIVATE_FILE_MODE, dataDir);
      if (c) changes.push(c);
    }
  } catch (err) {
    sqlite.close();
    throw err;
  }
  logModeChanges(dataDir, changes, opts.logger);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  const checkpointer = startCheckpointer(file);
  return {
    kind: 'sqlite',
    db,
    sqlite,
    path: file,
    async close() {
      await checkpointer.stop();
      await db.destroy();
    },
  };
}
