// The site's PostgreSQL store (docs/design/scale.md): several engines share one database, selected
// with `--database postgres://...`. The same migrations and queries as the embedded SQLite store
// (./dialect.ts holds where the two differ).
import { CompiledQuery, Kysely, PostgresDialect, sql, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
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

/**
 * The key of the advisory lock every read-write transaction takes first. The engine's transactions
 * read, check and write (a sign-in throttle's count, a hold's items, a grant's state, the recording
 * index's rows): on SQLite they run one at a time, and the code relies on that. On PostgreSQL, with a
 * pool of connections and several engines, this lock keeps that one-at-a-time rule for every engine
 * of the site at once, so no service needs its own locking. Transactions are short (no file or
 * network work inside one); statements outside a transaction do not take it. The audit chain's own
 * lock (audit/audit-log.ts) is taken after this one, never before, so the two cannot deadlock.
 */
export const WRITE_LOCK_KEY = 0x5ca1ab1e;

class OneWriterAtATime implements Driver {
  constructor(private readonly inner: Driver) {}
  init(): Promise<void> {
    return this.inner.init();
  }
  acquireConnection(): Promise<DatabaseConnection> {
    return this.inner.acquireConnection();
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.inner.beginTransaction(connection, settings);
    if (settings.accessMode !== 'read only') await connection.executeQuery(CompiledQuery.raw('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY]));
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

class SiteDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new OneWriterAtATime(super.createDriver());
  }
}

/** A Kysely over a pool of the site's database, with the one-writer rule above (openPostgresStore's). */
export function siteKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SiteDialect({ pool }) });
}

/**
 * A pool with the store's type parsing (int8 and numeric as numbers) and time limits, so a link
 * that is gone (a node cut off from the database) fails its queries instead of hanging them:
 * the server ends a session left idle inside a transaction after `idleInTransactionMs` (its locks,
 * the site's write lock among them, are released for the other nodes), waits at most `lockMs` for a
 * lock, and the client gives up a query after `queryMs` and notices dead connections (keep-alive).
 */
export function sitePool(url: string, o: { max?: number; queryMs?: number; lockMs?: number; idleInTransactionMs?: number; node?: string } = {}): pg.Pool {
  // The node's name on every connection (`console.node`): the database's own notices of a change to
  // the site's configuration say which node made it (migration 0029, nodes/event-relay.ts).
  if (o.node !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(o.node)) throw new Error(`node name ${JSON.stringify(o.node)}: use letters, digits and dashes (at most 63)`);
  const node = o.node ? ` -c console.node=${o.node}` : '';
  return new pg.Pool({
    connectionString: url,
    max: o.max ?? 10,
    types: TYPES,
    application_name: 'cctv-console-engine',
    connectionTimeoutMillis: Math.min(10_000, o.queryMs ?? 10_000),
    idleTimeoutMillis: 30_000,
    query_timeout: o.queryMs ?? 120_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5000,
    options: `-c idle_in_transaction_session_timeout=${o.idleInTransactionMs ?? 10_000} -c lock_timeout=${o.lockMs ?? 30_000}${node}`,
  });
}

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
  /** This engine's node name on a site of several (`--node`): set on each of its connections. */
  node?: string;
}

/** Connects, brings the schema to the latest migration (several engines starting at once take
 *  turns: Kysely's migrator holds an advisory lock) and returns the store. */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions): Promise<PostgresStore> {
  const shown = redactDatabaseUrl(url);
  const pool = sitePool(url, { max: opts.poolSize, node: opts.node });
  // A connection that breaks while idle must not take the engine down; the next query reconnects.
  pool.on('error', (err) => opts.logger.warn('database connection lost', { database: shown, error: err.message }));
  const db = siteKysely(pool);
  try {
    await sql`SELECT 1`.execute(db);
  } catch (err) {
    await db.destroy();
    throw new Error(`the database at ${shown} cannot be reached: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  await migrate(db);
  const leasePool = sitePool(url, { max: 2, queryMs: 2000, lockMs: 2000, idleInTransactionMs: 2000, node: opts.node });
  leasePool.on('error', (err) => opts.logger.warn('database connection for leases lost', { database: shown, error: err.message }));
  const leaseDb = siteKysely(leasePool);
  return {
    kind: 'postgres',
    db,
    leaseDb,
    url: shown,
    close: async () => {
      await leaseDb.destroy();
      await db.destroy();
    },
  };
}
