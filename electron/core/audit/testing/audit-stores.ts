// Tests only: audit logs on either store. The `postgres` test project sets CONSOLE_TEST_POSTGRES
// (testing/pg-global-setup.ts); there every store opened here is a new database of its own in the
// throwaway cluster, elsewhere an embedded SQLite store in a temporary directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { AuditVerifyReport } from '../../../../shared/contract';
import { silentLogger } from '../../logger';
import { openStore, type Store } from '../../store/db';
import { isPostgres, type StoreKind } from '../../store/dialect';
import { openPostgresStore } from '../../store/postgres';
import type { Database } from '../../store/schema';
import { createDatabaseAt, dropDatabaseAt } from '../../testing/pg-cluster';
import type { ChainHead } from '../anchor';
import { verifyAuditChain } from '../verify';
import { verifyAuditChainPaged } from '../verify-paged';

const ADMIN_URL = process.env.CONSOLE_TEST_POSTGRES;
/** The store this test project runs on. */
export const auditStoreKind: StoreKind = ADMIN_URL ? 'postgres' : 'sqlite';

export class AuditStores {
  private readonly dirs: string[] = [];
  private readonly open: Store[] = [];
  private readonly databases: string[] = [];
  private readonly plain: Kysely<Database>[] = [];

  tmpDir(prefix = 'audit-'): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  /** A new empty PostgreSQL database (postgres project only); its connection string. */
  async newDatabase(): Promise<string> {
    if (!ADMIN_URL) throw new Error('no PostgreSQL cluster: run this in the postgres test project');
    const url = await createDatabaseAt(ADMIN_URL);
    this.databases.push(url);
    return url;
  }

  /** A store: SQLite in `dir`, or PostgreSQL (a new database, or `url`). Closed by cleanUp. */
  async store(dir: string, kind: StoreKind = auditStoreKind, url?: string): Promise<Store> {
    const s = kind === 'postgres' ? await openPostgresStore(url ?? (await this.newDatabase()), { logger: silentLogger }) : await openStore(dir);
    this.open.push(s);
    return s;
  }

  /**
   * Kysely on PostgreSQL without the engine's store around it (store/postgres.ts takes a site-wide
   * write lock in every read-write transaction): what the audit log's own lock has to hold alone.
   */
  plainPostgres(url: string): Kysely<Database> {
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 4 }) }) });
    this.plain.push(db);
    return db;
  }

  async close(s: Store): Promise<void> {
    const i = this.open.indexOf(s);
    if (i >= 0) this.open.splice(i, 1);
    await s.close();
  }

  async cleanUp(): Promise<void> {
    for (const s of this.open.splice(0)) await s.close().catch(() => undefined);
    for (const db of this.plain.splice(0)) await db.destroy().catch(() => undefined);
    for (const url of this.databases.splice(0)) await dropDatabaseAt(ADMIN_URL!, url).catch(() => undefined);
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** What an attacker with the database does first: drops the triggers that refuse changes. */
export async function dropAuditTriggers(db: Kysely<Database>): Promise<void> {
  const on = isPostgres(db) ? sql` ON audit_log` : sql``;
  await sql`DROP TRIGGER IF EXISTS audit_log_no_update${on}`.execute(db);
  await sql`DROP TRIGGER IF EXISTS audit_log_no_delete${on}`.execute(db);
}

/** The verification the engine would run on this store, against `dataDir`'s anchor. */
export async function verifyStore(store: Store, dataDir: string | null, checkpoint?: ChainHead): Promise<AuditVerifyReport> {
  if (store.kind === 'postgres') return verifyAuditChainPaged(store.db, { dataDir, nowMs: () => 0, checkpoint });
  const db = new BetterSqlite3(store.path, { readonly: true });
  try {
    return verifyAuditChain(db, dataDir, () => 0, checkpoint);
  } finally {
    db.close();
  }
}
