// Verifies the whole audit chain (R4): recomputes every hash in seq order, checks the anchor
// file and, when given, a signed checkpoint, naming the first bad entry. The engine and
// `npm run audit:verify` use the parallel form on SQLite (verify-parallel.ts, worker threads) and
// the paged form on PostgreSQL (verify-paged.ts); this one reads on the caller's thread and is the
// reference both are tested against.
import type BetterSqlite3 from 'better-sqlite3';
import { checkLink, type ChainedAuditRecord } from '../../../shared/audit-chain';
import type { AuditVerifyReport } from '../../../shared/contract';
import type { ChainHead } from './anchor';
import { sha256Hex } from './sha256';
import { finishReport, readAnchorOf, sqliteLookups, type ChainResult } from './verify-report';

type Row = [number, number, string, string, string, ChainedAuditRecord['outcome'], string, string | null, string, string];

export { finishReport, readAnchorOf, type ChainResult, type VerifyOptions } from './verify-report';

/**
 * Reads rows straight from SQLite in seq order. Takes the raw handle so it can run read-only on a
 * copied file.
 */
export function verifyAuditChain(sqlite: BetterSqlite3.Database, dataDir: string | null, nowMs: () => number, checkpoint?: ChainHead): AuditVerifyReport {
  const started = nowMs();
  const anchor = readAnchorOf(dataDir);
  const stmt = sqlite
    .prepare('SELECT seq, at_ms, actor, action, target, outcome, details, reason, prev_hash, hash FROM audit_log ORDER BY seq')
    .raw(true);
  let previous: ChainHead | null = null;
  let entries = 0;
  const entry: ChainedAuditRecord = {
    seq: 0, atMs: 0, actor: '', action: '', target: '', outcome: 'allowed', details: '', reason: null, prevHash: '', hash: '',
  };
  let bad: { seq: number; problem: string } | null = null;
  for (const raw of stmt.iterate() as IterableIterator<Row>) {
    entry.seq = Number(raw[0]);
    entry.atMs = Number(raw[1]);
    entry.actor = raw[2];
    entry.action = raw[3];
    entry.target = raw[4];
    entry.outcome = raw[5];
    entry.details = raw[6];
    entry.reason = raw[7];
    entry.prevHash = raw[8];
    entry.hash = raw[9];
    bad = checkLink(sha256Hex, previous, entry);
    if (bad) break;
    previous = { seq: entry.seq, hash: entry.hash };
    entries += 1;
  }
  const chain: ChainResult = { entries, last: previous, firstBadSeq: bad?.seq ?? null, problem: bad?.problem ?? null };
  return finishReport(sqliteLookups(sqlite), chain, anchor, { dataDir, nowMs, checkpoint }, started);
}
