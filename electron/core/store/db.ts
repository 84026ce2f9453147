// Opens the embedded SQLite store (DESIGN §4): WAL, foreign keys, durable commits, migrations.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { MIGRATIONS } from './migrations';
import type { Database } from './schema';

export interface Store {
  db: Kysely<Database>;
  /** For SQLite-only maintenance (checkpoints, integrity checks); services use `db`. */
  sqlite: BetterSqlite3.Database;
  path: string;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'console.sqlite';

export function openSqlite(file: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk when it returns; the audit log depends on this (R4).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

export async function openStore(dataDir: string): Promise<Store> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, DATABASE_FILE);
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { db, sqlite, path: file, close: () => db.destroy() };
}
