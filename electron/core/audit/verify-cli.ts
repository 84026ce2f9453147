// `npm run audit:verify -- --data-dir DIR [--checkpoint FILE [--expect-fingerprint FP]]`: verifies
// the audit chain offline (R4, docs/design/audit-chain.md), in worker threads on every core.
// `npm run audit:verify -- --database postgres://... [--data-dir DIR] [--checkpoint ...]`: the site's
// PostgreSQL database, read in pages (verify-paged.ts), never changed (no migration); with
// --data-dir the anchor of that engine's data directory is checked too (each engine has its own).
// With a checkpoint file copied off the machine earlier, it also proves that the log still holds
// what that checkpoint signed (a rewrite of database and anchor together is found).
// Exit 0: intact. Exit 1: tampering found (the first bad entry is named), or the checkpoint is not
// valid or not in the log. Exit 2: usage or I/O error. Exit 3: the chain is intact but the log
// records acknowledged anchor breaks (listed): entries were lost before them, an administrator
// acknowledged it, and an auditor should know.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { AuditVerifyReport } from '../../../shared/contract';
import { DATABASE_FILE } from '../store/db';
import { isPostgresUrl, redactDatabaseUrl } from '../store/postgres';
import type { Database } from '../store/schema';
import { checkCheckpointSignature, parseCheckpoint, type AuditCheckpointRecord } from './checkpoint-file';
import { verifyAuditChainPaged } from './verify-paged';
import { verifyAuditChainInWorkers } from './verify-parallel';

const USAGE =
  'usage: npm run audit:verify -- --data-dir DIR [--checkpoint FILE [--expect-fingerprint FP]]\n' +
  '       npm run audit:verify -- --database postgres://... [--data-dir DIR] [--checkpoint FILE [--expect-fingerprint FP]]\n';

async function main(): Promise<number> {
  let values: { 'data-dir'?: string; database?: string; checkpoint?: string; 'expect-fingerprint'?: string };
  try {
    values = parseArgs({ options: { 'data-dir': { type: 'string' }, database: { type: 'string' }, checkpoint: { type: 'string' }, 'expect-fingerprint': { type: 'string' } }, strict: true }).values;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const dataDir = values['data-dir'];
  const database = values.database;
  if ((!dataDir && !database) || (values['expect-fingerprint'] !== undefined && values.checkpoint === undefined)) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (database !== undefined && !isPostgresUrl(database)) {
    process.stderr.write(`--database takes a PostgreSQL connection string (postgres://...); for the embedded database give --data-dir\n${USAGE}`);
    return 2;
  }
  const file = dataDir ? path.join(dataDir, DATABASE_FILE) : '';
  if (!database && !fs.existsSync(file)) {
    process.stderr.write(`no console database at ${file}\n`);
    return 2;
  }
  let checkpoint: AuditCheckpointRecord | undefined;
  if (values.checkpoint !== undefined) {
    try {
      checkpoint = parseCheckpoint(fs.readFileSync(values.checkpoint, 'utf8'));
    } catch (err) {
      process.stderr.write(`cannot use the checkpoint ${values.checkpoint}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const problem = checkCheckpointSignature(checkpoint, values['expect-fingerprint']);
    if (problem) {
      process.stdout.write(`CHECKPOINT NOT VALID: ${problem}\n`);
      return 1;
    }
  }
  const opts = { dataDir: dataDir ?? null, nowMs: () => performance.now(), checkpoint };
  const r = database ? await verifyPostgres(database, opts) : await verifyAuditChainInWorkers(file, opts);
  if (database && !dataDir) process.stdout.write('no --data-dir: no engine\'s anchor checked (entries cut from the end are found only through an anchor or a checkpoint)\n');
  const rate = r.elapsedMs > 0 ? Math.round((r.entries / r.elapsedMs) * 1000) : r.entries;
  if (!r.ok) {
    process.stdout.write(
      `AUDIT LOG TAMPERED: ${r.firstBadSeq === null ? '' : `first bad entry seq ${r.firstBadSeq}: `}${r.problem}\n` +
        `${r.entries} entries verified before it (last good seq ${r.headSeq})\n`,
    );
    return 1;
  }
  process.stdout.write(
    `audit log intact: ${r.entries} entries, head seq ${r.headSeq}, head hash ${r.headHash}\n` +
      `verified in ${r.elapsedMs.toFixed(0)} ms (${rate} entries/s)\n`,
  );
  if (checkpoint) {
    process.stdout.write(`checkpoint seq ${checkpoint.seq} of ${checkpoint.time} (key ${checkpoint.fingerprint}): signature valid, the log still holds it\n`);
  }
  if (r.acknowledgedBreaks.length > 0) {
    process.stdout.write(`ACKNOWLEDGED BREAKS: the log records ${r.acknowledgedBreaks.length} break(s) of its anchor that an administrator acknowledged:\n`);
    for (const b of r.acknowledgedBreaks) {
      process.stdout.write(`  seq ${b.seq}, ${isoOrRaw(b.atMs)}, acknowledged by ${b.acknowledgedBy}: ${b.found}\n`);
    }
    return 3;
  }
  return 0;
}

/** The site's database on connections of its own, read only: nothing is migrated or written. */
async function verifyPostgres(url: string, opts: Parameters<typeof verifyAuditChainPaged>[1]): Promise<AuditVerifyReport> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: 'cctv-console-audit-verify',
    connectionTimeoutMillis: 10_000,
    options: '-c default_transaction_read_only=on',
  });
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await verifyAuditChainPaged(db, opts);
  } catch (err) {
    throw new Error(`the database at ${redactDatabaseUrl(url)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    await db.destroy();
  }
}

function isoOrRaw(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : String(ms);
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`audit:verify failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
