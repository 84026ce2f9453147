// Where SQLite and PostgreSQL must differ, in one place (docs/design/scale.md "One schema, two
// databases"). Everything else is written once with Kysely's builders and runs on both.
import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely';

export type StoreKind = 'sqlite' | 'postgres';

/** Which database a Kysely instance (or a transaction of one) talks to. */
export function storeKind(db: Kysely<any>): StoreKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export function isPostgres(db: Kysely<any>): boolean {
  return storeKind(db) === 'postgres';
}

/** A table's `id`: SQLite's autoincrement rowid, PostgreSQL's serial (never reused on either). */
export function idColumn(db: Kysely<any>) {
  return <T extends string, C extends string>(t: CreateTableBuilder<T, C>) =>
    isPostgres(db) ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Bytes: SQLite's blob, PostgreSQL's bytea (both read back as a Buffer). */
export function blobType(db: Kysely<any>): 'blob' | 'bytea' {
  return isPostgres(db) ? 'bytea' : 'blob';
}

export interface RefusalTrigger {
  name: string;
  table: string;
  /** 'UPDATE', 'DELETE' or 'UPDATE OF a, b'. */
  event: string;
  /** Refuses only when this holds (OLD and NEW as in both databases; compare with IS DISTINCT FROM). */
  when?: string;
  message: string;
}

/**
 * A trigger in the database that refuses a change to a record (append-only tables, fields written
 * once). The message is the error the writer gets, on both databases. PostgreSQL's triggers call
 * one function, `console_refuse`, created by the first migration (`createRefusalFunction`).
 */
export async function refuseChange(db: Kysely<any>, t: RefusalTrigger): Promise<void> {
  const message = t.message.replaceAll("'", "''");
  if (isPostgres(db)) {
    const when = t.when ? ` WHEN (${t.when})` : '';
    await sql.raw(`CREATE TRIGGER ${t.name} BEFORE ${t.event} ON ${t.table} FOR EACH ROW${when} EXECUTE FUNCTION console_refuse('${message}')`).execute(db);
  } else {
    const when = t.when ? ` WHEN ${t.when}` : '';
    await sql.raw(`CREATE TRIGGER ${t.name} BEFORE ${t.event} ON ${t.table}${when} BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(db);
  }
}

/** Both ways of changing an append-only table refused, with one message. */
export async function appendOnly(db: Kysely<any>, table: string, message = `${table} is append-only`): Promise<void> {
  await refuseChange(db, { name: `${table}_no_update`, table, event: 'UPDATE', message });
  await refuseChange(db, { name: `${table}_no_delete`, table, event: 'DELETE', message });
}

/** PostgreSQL only: the function every refusal trigger calls (its argument is the message). */
export async function createRefusalFunction(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`CREATE OR REPLACE FUNCTION console_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$`.execute(db);
}

/** A JSON array of one column's values, in order, as text ('[]' for none). */
export function jsonArrayOf(db: Kysely<any>, column: RawBuilder<unknown>): RawBuilder<string> {
  return isPostgres(db) ? sql<string>`coalesce(json_agg(${column})::text, '[]')` : sql<string>`coalesce(json_group_array(${column}), '[]')`;
}
