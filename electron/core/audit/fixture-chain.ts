// Tests and benchmarks only: a valid audit chain of many entries written straight into a data
// directory's database (one transaction, no group commit), with its anchor, or into a running
// engine's database through Kysely (either store), in a fraction of the time real appends take; and a full consistent rewrite of a chain, as an attacker with the files
// would do it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { canonicalJson, chainHash, GENESIS_HASH, type AuditRecord } from '../../../shared/audit-chain';
import { DATABASE_FILE, openStore } from '../store/db';
import { isPostgres } from '../store/dialect';
import type { Database } from '../store/schema';
import { AUDIT_APPEND_LOCK_KEY } from './audit-log';
import { ANCHOR_FILE, writeAnchorFile, type ChainHead } from './anchor';
import { sha256Hex } from './sha256';

/** A plausible entry for `seq` (the same on every store). */
function syntheticRecord(seq: number, atMs: number): AuditRecord {
  return {
    seq,
    atMs: atMs + seq,
    actor: `operator.${seq % 40}`,
    action: seq % 7 === 0 ? 'audit.query' : 'users.update',
    target: `user#${seq % 1000}`,
    outcome: seq % 13 === 0 ? 'denied' : 'allowed',
    details: canonicalJson({ request: { userId: seq % 1000, displayName: 'Jan Kowalski', role: 'guard' }, peer: `ws:${seq % 9}@127.0.0.1` }),
    reason: seq % 11 === 0 ? 'incident investigation: case 2026/1234' : null,
  };
}

/** Appends `n` plausible entries after the current head and anchors the new head. */
export async function writeSyntheticChain(dataDir: string, n: number, atMs = Date.UTC(2026, 10, 2, 8)): Promise<ChainHead> {
  const store = await openStore(dataDir);
  await store.close();
  const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE));
  try {
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined;
    let head: ChainHead = last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
    const insert = db.prepare('INSERT INTO audit_log (seq, at_ms, actor, action, target, outcome, details, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const record = syntheticRecord(head.seq + 1, atMs);
        const hash = chainHash(sha256Hex, record, head.hash);
        insert.run(record.seq, record.atMs, record.actor, record.action, record.target, record.outcome, record.details, record.reason, head.hash, hash);
        head = { seq: record.seq, hash };
      }
    })();
    writeAnchorFile(path.join(dataDir, ANCHOR_FILE), head);
    return head;
  } finally {
    db.close();
  }
}

/**
 * The same entries through Kysely, into a running engine's database (PostgreSQL, whose tests cannot
 * write the file first), in transactions of 1,000 that take the append lock as AuditLog does: the
 * engine appends after them. Its anchor is left behind, which the anchor check accepts.
 */
export async function appendSyntheticEntries(db: Kysely<Database>, n: number, atMs = Date.UTC(2026, 10, 2, 8)): Promise<ChainHead> {
  const postgres = isPostgres(db);
  let head: ChainHead = { seq: 0, hash: GENESIS_HASH };
  for (let done = 0; done < n; ) {
    const count = Math.min(1000, n - done);
    head = await db.transaction().execute(async (trx) => {
      if (postgres) await sql`SELECT pg_advisory_xact_lock(${sql.lit(AUDIT_APPEND_LOCK_KEY)})`.execute(trx);
      const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      let h: ChainHead = last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
      const rows = Array.from({ length: count }, () => {
        const record = syntheticRecord(h.seq + 1, atMs);
        const hash = chainHash(sha256Hex, record, h.hash);
        const row = { seq: record.seq, at_ms: record.atMs, actor: record.actor, action: record.action, target: record.target, outcome: record.outcome, details: record.details, reason: record.reason, prev_hash: h.hash, hash };
        h = { seq: record.seq, hash };
        return row;
      });
      await trx.insertInto('audit_log').values(rows).execute();
      return h;
    });
    done += count;
  }
  return head;
}

/**
 * What someone with the database and the anchor can do: change entry `fromSeq` (its actor), then
 * recompute every hash from there on and write the anchor at the new head. The chain and the anchor
 * are consistent again; only a checkpoint kept elsewhere shows it. Either store.
 */
export async function rewriteChain(db: Kysely<Database>, dataDir: string, fromSeq: number): Promise<ChainHead> {
  const on = isPostgres(db) ? sql` ON audit_log` : sql``;
  await sql`DROP TRIGGER IF EXISTS audit_log_no_update${on}`.execute(db);
  await sql`DROP TRIGGER IF EXISTS audit_log_no_delete${on}`.execute(db);
  const head = await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('audit_log').select(['seq', 'at_ms', 'actor', 'action', 'target', 'outcome', 'details', 'reason']).where('seq', '>=', fromSeq).orderBy('seq').execute();
    const before = await trx.selectFrom('audit_log').select('hash').where('seq', '=', fromSeq - 1).executeTakeFirst();
    let prev = before?.hash ?? GENESIS_HASH;
    let h: ChainHead = { seq: fromSeq - 1, hash: prev };
    for (const r of rows) {
      const actor = Number(r.seq) === fromSeq ? 'nobody' : r.actor;
      const record: AuditRecord = { seq: Number(r.seq), atMs: Number(r.at_ms), actor, action: r.action, target: r.target, outcome: r.outcome as AuditRecord['outcome'], details: r.details, reason: r.reason };
      const hash = chainHash(sha256Hex, record, prev);
      await trx.updateTable('audit_log').set({ actor, prev_hash: prev, hash }).where('seq', '=', record.seq).execute();
      prev = hash;
      h = { seq: record.seq, hash };
    }
    return h;
  });
  writeAnchorFile(path.join(dataDir, ANCHOR_FILE), head);
  return head;
}

const REPO = path.resolve(import.meta.dirname, '../../..');

/** `npm run audit:verify` / `audit:checkpoint` as an auditor runs them: exit code and all output. */
export function runAuditCli(tool: 'verify' | 'checkpoint', args: string[]): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', `electron/core/audit/${tool}-cli.ts`, ...args], { cwd: REPO }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 99) : 0, stdout, stderr, out: stdout + stderr });
    });
  });
}
