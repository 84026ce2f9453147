// What tests do to the database behind the engine's back, on SQLite and PostgreSQL alike: tamper as
// someone with the database owner's rights could, and read everything it holds.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { DATABASE_FILE, type Store } from '../store/db';
import { dropTrigger } from '../store/dialect';

/** Drops the trigger that keeps `table` append-only against UPDATE, then runs `statement`: an
 *  attacker with the owner's rights editing a record. */
export async function tamper(store: Store, table: string, statement: string): Promise<void> {
  await dropTrigger(store.db, `${table}_no_update`, table);
  await sql.raw(statement).execute(store.db);
}

/** Everything the database holds, as text: every byte of SQLite's files (the database, its WAL),
 *  or every row of every table of PostgreSQL's schema. */
export async function everythingStored(store: Store, dataDir: string): Promise<string[]> {
  if (store.kind === 'sqlite') {
    return fs
      .readdirSync(dataDir)
      .filter((f) => f.startsWith(DATABASE_FILE))
      .map((f) => fs.readFileSync(path.join(dataDir, f)))
      .map((b) => b.toString('latin1') + b.toString('utf8'));
  }
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(store.db);
  const out: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql.raw(`SELECT * FROM "${name.replaceAll('"', '""')}"`).execute(store.db);
    out.push(JSON.stringify(rows.rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v)));
  }
  return out;
}
