// Preparing the site's PostgreSQL database (docs/design/scale.md "The engine's role"): the owner
// migrates the schema; the engines connect as a role of their own that may read and write what
// engines write, but never change a record: no UPDATE on a table whose rows are written once, no
// DELETE on a table whose rows are never deleted (the refusal triggers of the migrations name
// them: <table>_no_update, <table>_no_delete), no TRUNCATE anywhere (TRUNCATE passes row triggers
// by), and, not being the owner, no ALTER TABLE or DROP TRIGGER. So the triggers hold even against
// an engine's own credentials; only the owner's can undo them, and the owner's stay off the nodes.
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../logger';
import { migrate } from './db';
import { siteKysely, sitePool } from './postgres';
import type { Database } from './schema';

const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

export interface SiteDatabaseReport {
  migrated: boolean;
  role: string;
  /** Tables the role may not UPDATE, and may not DELETE from. */
  noUpdate: string[];
  noDelete: string[];
}

/** Tables whose rows a refusal trigger keeps from UPDATE or DELETE (the migrations' own list). */
async function protectedTables(db: Kysely<Database>): Promise<{ noUpdate: string[]; noDelete: string[] }> {
  const r = await sql<{ trigger: string; table: string }>`
    SELECT t.tgname AS trigger, c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND NOT t.tgisinternal ORDER BY c.relname`.execute(db);
  const noUpdate = r.rows.filter((x) => x.trigger === `${x.table}_no_update`).map((x) => x.table);
  const noDelete = r.rows.filter((x) => x.trigger === `${x.table}_no_delete`).map((x) => x.table);
  return { noUpdate, noDelete };
}

/**
 * Migrates the database with the owner's connection, then makes `role` (creating it, LOGIN, when
 * missing; with `password` when given) what engines connect as. Run again after every upgrade:
 * new tables get their grants and refusals the same way.
 */
export async function prepareSiteDatabase(o: { ownerUrl: string; role: string; password?: string; logger: Logger }): Promise<SiteDatabaseReport> {
  if (!ROLE.test(o.role)) throw new Error(`role ${JSON.stringify(o.role)}: lower-case letters, digits and underscores`);
  const db = siteKysely(sitePool(o.ownerUrl, { max: 2 }));
  try {
    await migrate(db);
    const role = sql.id(o.role);
    const exists = await sql<{ n: number }>`SELECT count(*) AS n FROM pg_roles WHERE rolname = ${o.role}`.execute(db);
    if (Number(exists.rows[0]!.n) === 0) await sql`CREATE ROLE ${role} LOGIN`.execute(db);
    if (o.password !== undefined) await sql`ALTER ROLE ${role} PASSWORD ${sql.lit(o.password)}`.execute(db);
    const current = await sql<{ db: string; schema: string; owner: string }>`SELECT current_database() AS db, current_schema() AS schema, current_user AS owner`.execute(db);
    const { db: database, schema } = current.rows[0]!;
    if (current.rows[0]!.owner === o.role) throw new Error(`the engine's role must not be the owner (${o.role})`);
    await sql`GRANT CONNECT ON DATABASE ${sql.id(database)} TO ${role}`.execute(db);
    await sql`GRANT USAGE ON SCHEMA ${sql.id(schema)} TO ${role}`.execute(db);
    await sql`REVOKE ALL ON ALL TABLES IN SCHEMA ${sql.id(schema)} FROM ${role}`.execute(db);
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${sql.id(schema)} TO ${role}`.execute(db);
    await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${sql.id(schema)} TO ${role}`.execute(db);
    // The migrations' own bookkeeping is the owner's: engines only read where the schema stands.
    for (const t of ['kysely_migration', 'kysely_migration_lock']) await sql`REVOKE INSERT, UPDATE, DELETE ON ${sql.id(t)} FROM ${role}`.execute(db);
    const { noUpdate, noDelete } = await protectedTables(db);
    for (const t of noUpdate) await sql`REVOKE UPDATE ON ${sql.id(t)} FROM ${role}`.execute(db);
    for (const t of noDelete) await sql`REVOKE DELETE ON ${sql.id(t)} FROM ${role}`.execute(db);
    o.logger.info('site database prepared', { role: o.role, noUpdate, noDelete });
    return { migrated: true, role: o.role, noUpdate, noDelete };
  } finally {
    await db.destroy();
  }
}
