// Where SQLite and PostgreSQL must differ, in one place (docs/design/scale.md "One schema, two
// databases"). Everything else is written once with Kysely's builders and runs on both.
import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema';

export type StoreKind = 'sqlite' | 'postgres';

/** Which database a Kysely instance (or a transaction of one) talks to. */
export function storeKind<DB>(db: Kysely<DB>): StoreKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export function isPostgres<DB>(db: Kysely<DB>): boolean {
  return storeKind(db) === 'postgres';
}

/** A table's `id`: SQLite's autoincrement rowid, PostgreSQL's serial (never reused on either). */
export function idColumn<DB>(db: Kysely<DB>) {
  return <T extends string, C extends string>(t: CreateTableBuilder<T, C>) =>
    isPostgres(db) ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** "Now" on the clock leases are written with (docs/design/scale.md "Leases"): PostgreSQL's own,
 *  shared by every node of the site; on a SQLite store (one machine), the engine's. */
export async function databaseNowMs(db: Kysely<Database>, engineNowMs: () => number): Promise<number> {
  if (!isPostgres(db)) return engineNowMs();
  const r = await sql<{ now: number }>`SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000) AS BIGINT) AS now`.execute(db);
  return Number(r.rows[0]!.now);
}

/** Case-insensitive matching, as a search box means it: SQLite's LIKE already ignores (ASCII)
 *  case, PostgreSQL's does not (ILIKE does, for every letter). */
export function caseInsensitiveLike<DB>(db: Kysely<DB>): 'like' | 'ilike' {
  return isPostgres(db) ? 'ilike' : 'like';
}

/** Bytes: SQLite's blob, PostgreSQL's bytea (both read back as a Buffer). */
export function blobType<DB>(db: Kysely<DB>): 'blob' | 'bytea' {
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
export async function refuseChange<DB>(db: Kysely<DB>, t: RefusalTrigger): Promise<void> {
  const message = t.message.replaceAll("'", "''");
  if (isPostgres(db)) {
    const when = t.when ? ` WHEN (${t.when})` : '';
    await sql.raw(`CREATE TRIGGER ${t.name} BEFORE ${t.event} ON ${t.table} FOR EACH ROW${when} EXECUTE FUNCTION console_refuse('${message}')`).execute(db);
  } else {
    const when = t.when ? ` WHEN ${t.when}` : '';
    await sql.raw(`CREATE TRIGGER ${t.name} BEFORE ${t.event} ON ${t.table}${when} BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(db);
  }
}

export async function dropTrigger<DB>(db: Kysely<DB>, name: string, table: string): Promise<void> {
  await sql.raw(isPostgres(db) ? `DROP TRIGGER ${name} ON ${table}` : `DROP TRIGGER ${name}`).execute(db);
}

/** Both ways of changing an append-only table refused, with one message. */
export async function appendOnly<DB>(db: Kysely<DB>, table: string, message = `${table} is append-only`): Promise<void> {
  await refuseChange(db, { name: `${table}_no_update`, table, event: 'UPDATE', message });
  await refuseChange(db, { name: `${table}_no_delete`, table, event: 'DELETE', message });
}

/**
 * PostgreSQL only, made by the first migration: the function every refusal trigger calls (its
 * argument is the message), and `console_json_array(text, path)`: the JSON array at `path` of a text
 * column, or an empty one when the text is not JSON or holds no array there (SQLite's json_valid
 * and json_each answer the same; a damaged audit entry must not fail a report).
 */
export async function createPostgresFunctions<DB>(db: Kysely<DB>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`CREATE OR REPLACE FUNCTION console_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$`.execute(db);
  await sql`CREATE OR REPLACE FUNCTION console_json_array(doc text, at text[]) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE v jsonb;
    BEGIN
      v := doc::jsonb #> at;
      RETURN CASE WHEN jsonb_typeof(v) = 'array' THEN v ELSE '[]'::jsonb END;
    EXCEPTION WHEN others THEN RETURN '[]'::jsonb;
    END $$`.execute(db);
}

/** The number after `prefix` in a column such as 'camera#12', or NULL when the column is not one. */
export function idAfterPrefix<DB>(db: Kysely<DB>, column: string, prefix: string): RawBuilder<number | null> {
  const col = sql.ref(column);
  const from = sql.lit(prefix.length + 1);
  // PostgreSQL's CAST fails on anything but digits, so the pattern is exact there; CASE keeps the
  // cast from ever seeing another row.
  return isPostgres(db)
    ? sql<number | null>`CASE WHEN ${col} ~ ${`^${prefix.replace(/[^A-Za-z0-9]/g, '\\$&')}[0-9]{1,15}$`} THEN CAST(substr(${col}, ${from}) AS BIGINT) END`
    : sql<number | null>`CASE WHEN ${col} GLOB ${`${prefix}[0-9]*`} THEN CAST(substr(${col}, ${from}) AS INTEGER) END`;
}
