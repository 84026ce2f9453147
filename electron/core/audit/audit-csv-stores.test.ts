// The CSV report is the same file on both stores (docs/design/audit-chain.md "Export"): the
// report PostgreSQL engines write from pages (csv-paged.ts) has, byte for byte, the columns, BOM,
// separator, quoting, local times, row cap and checkpoint trailer of the report the SQLite worker
// writes (csv.ts). The same chain is written to a SQLite file and to this project's store (in the
// `unit` project the paged report reads the SQLite file through Kysely; in `postgres`, PostgreSQL).
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditFilter, CsvSeparator } from '../../../shared/contract';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import { DATABASE_FILE, type Store } from '../store/db';
import type { Database } from '../store/schema';
import { AuditLog, type AuditInput } from './audit-log';
import type { AuditCheckpointRecord } from './checkpoint-file';
import { writeAuditCsv } from './csv';
import { writeAuditCsvPaged } from './csv-paged';
import { AuditStores, auditStoreKind } from './testing/audit-stores';

const stores = new AuditStores();
afterEach(() => stores.cleanUp());

const CHECKPOINT: AuditCheckpointRecord = {
  format: 'operator-console/audit-checkpoint/1',
  seq: 9,
  hash: 'a'.repeat(64),
  time: '2026-03-29T01:00:00.000Z',
  signedText: '{}',
  signature: 'c2lnbmF0dXJl',
  publicKeyPem: '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n',
  fingerprint: 'b'.repeat(64),
};

const INPUTS: AuditInput[] = [
  { actor: '=HYPERLINK("http://x")', action: 'test.csv', target: '+1,"2"\n3', outcome: 'denied', reason: '-2\tminus', details: { s: '@SUM(A1)', pl: 'Zażółć gęślą jaźń' } },
  { actor: 'guard.ola', action: 'test.sep', target: 'Kamera; wejście, główne', outcome: 'allowed' },
  { actor: 'guard.ola', action: 'TEST.upper', target: 'KAMERA 2', outcome: 'failed', reason: 'because' },
  { actor: 'system', action: 'audit.checkpoint', target: 'audit-log#3', outcome: 'allowed', details: { why: 'hourly' } },
];

/** The same entries, at the same times (crossing Warsaw's change to summer time), on `store`. */
async function writeEntries(store: Store, dir: string): Promise<void> {
  const clock = new ManualClock(Date.UTC(2026, 2, 29, 0, 20));
  const log = await AuditLog.open(store.db, clock, silentLogger, dir);
  for (let i = 0; i < 30; i++) {
    await log.append({ ...INPUTS[i % INPUTS.length]!, details: { ...INPUTS[i % INPUTS.length]!.details, i } });
    clock.advance(7 * 60_000);
  }
}

/** The SQLite reference (closed file) and this project's store with the same chain. */
async function twins(): Promise<{ sqliteFile: string; paged: Kysely<Database>; out: string }> {
  const dir = stores.tmpDir('audit-csv-');
  const sqlite = await stores.store(dir, 'sqlite');
  await writeEntries(sqlite, dir);
  await stores.close(sqlite);
  const sqliteFile = path.join(dir, DATABASE_FILE);
  let paged: Kysely<Database>;
  if (auditStoreKind === 'postgres') {
    const pgDir = stores.tmpDir('audit-csv-pg-');
    const pg = await stores.store(pgDir, 'postgres');
    await writeEntries(pg, pgDir);
    paged = pg.db;
  } else {
    paged = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(sqliteFile, { readonly: true }) }) });
    opened.push(paged);
  }
  const out = stores.tmpDir('audit-csv-out-');
  return { sqliteFile, paged, out };
}
const opened: Kysely<Database>[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
});

const CASES: { name: string; filter: AuditFilter; separator: CsvSeparator; maxRows?: number; cp: AuditCheckpointRecord | null }[] = [
  { name: 'everything', filter: {}, separator: ',', cp: CHECKPOINT },
  { name: 'semicolons', filter: {}, separator: ';', cp: CHECKPOINT },
  { name: 'capped', filter: {}, separator: ',', maxRows: 7, cp: null },
  { name: 'capped at a page boundary', filter: {}, separator: ';', maxRows: 6, cp: CHECKPOINT },
  { name: 'action prefix, any case', filter: { action: 'test.' }, separator: ',', cp: CHECKPOINT },
  { name: 'target part, any case', filter: { target: 'kamera' }, separator: ',', cp: CHECKPOINT },
  { name: 'actor, outcome and time range', filter: { actor: 'guard.ola', outcome: 'allowed', fromMs: Date.UTC(2026, 2, 29, 0, 50), toMs: Date.UTC(2026, 2, 29, 3) }, separator: ',', cp: CHECKPOINT },
  { name: 'nothing matches', filter: { actor: 'nobody' }, separator: ',', cp: null },
];

describe('the CSV report is the same file on both stores', () => {
  it.each(CASES)('$name', async (c) => {
    const { sqliteFile, paged, out } = await twins();
    const format = { separator: c.separator, timeZone: 'Europe/Warsaw' };
    const refFile = path.join(out, 'sqlite.csv');
    const pagedFile = path.join(out, 'paged.csv');
    const ref = await writeAuditCsv(sqliteFile, c.filter, refFile, c.cp, format, c.maxRows);
    // Pages of 3 rows, so the cap and the keyset meet page boundaries.
    const got = await writeAuditCsvPaged(paged, c.filter, pagedFile, c.cp, format, c.maxRows, 3);
    expect(got).toEqual(ref);
    expect(fs.readFileSync(pagedFile).equals(fs.readFileSync(refFile))).toBe(true);
    expect(fs.statSync(pagedFile).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(out).sort()).toEqual(['paged.csv', 'sqlite.csv']);
    if (c.maxRows) expect(got).toMatchObject({ rows: c.maxRows, truncated: true });
  });

  it('a report that fails half-way leaves no file behind, and an existing file is never overwritten', async () => {
    const { paged, out } = await twins();
    const file = path.join(out, 'report.csv');
    // The log is read in pages of 3; the fourth read fails (the database went away).
    let reads = 0;
    const failing = paged.withPlugin({
      transformQuery: (a) => {
        if (++reads > 3) throw new Error('connection lost');
        return a.node;
      },
      transformResult: (a) => Promise.resolve(a.result),
    });
    await expect(writeAuditCsvPaged(failing, {}, file, CHECKPOINT, { separator: ',', timeZone: 'UTC' }, 1000, 3)).rejects.toThrow(/connection lost/);
    await expect.poll(() => fs.readdirSync(out)).toEqual([]);

    fs.writeFileSync(file, 'kept');
    await expect(writeAuditCsvPaged(paged, {}, file, CHECKPOINT)).rejects.toThrow(/exists already/);
    expect(fs.readFileSync(file, 'utf8')).toBe('kept');
  });
});
