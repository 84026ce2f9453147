// The site's PostgreSQL store (docs/design/scale.md): several engines share one database, selected
// with `--database postgres://...`. The same migrations and queries as the embedded SQLite store
// (./dialect.ts holds where the two differ).
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger';
import { migrate, type PostgresStore } from './db';
import type { Database } from './schema';

/** int8 and numeric as JavaScript numbers, as SQLite gives them: every such value here (times in
 *  milliseconds, byte counts, sequence numbers, counts) is far below 2^53. */
const INT8 = 20;
const NUMERIC = 1700;
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? (v: string) => (v === null ? null : Number(v)) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The connection string without its password (for logs, errors and the status screen). */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable address)';
  }
}

export interface PostgresStoreOptions {
  logger: Logger;
  /** Connections kept open (the engine's commands, the recorder, the audit writer). */
  poolSize?: number;
}

/** Connects, brings the schema to the latest migration (several engines starting at once take
 *  turns: Kysely's migrator holds an advisory lock) and returns the store. */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions): Promise<PostgresStore> {
  const shown = redactDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    types: TYPES,
    application_name: 'cctv-console-engine',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // A connection that breaks while idle must not take the engine down; the next query reconnects.
  pool.on('error', (err) => opts.logger.warn('database connection lost', { database: shown, error: err.message }));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`SELECT 1`.execute(db);
  } catch (err) {
    await db.destroy();
    throw new Error(`the database at ${shown} cannot be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
  await migrate(db);
  return { kind: 'postgres', db, url: shown, close: () => db.destroy() };
}
