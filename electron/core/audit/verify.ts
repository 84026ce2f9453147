// Verifies the whole audit chain (R4): recomputes every hash in seq order, checks the anchor
// file and, when given, a signed checkpoint, naming the first bad entry. The engine and
// `npm run audit:verify` use the parallel form (verify-parallel.ts, worker threads); this one reads
// on the caller's thread and is the reference the parallel one is tested against.
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { checkLink, GENESIS_HASH, type ChainedAuditRecord } from '../../../shared/audit-chain';
import type { AuditVerifyReport } from '../../../shared/contract';
import { ANCHOR_FILE, BREAK_ACTION, checkAnchor, readAnchorFile, type AnchorRead, type ChainHead } from './anchor';
import { sha256Hex } from './sha256';

type Row = [number, number, string, string, string, ChainedAuditRecord['outcome'], string, string | null, string, string];

export interface VerifyOptions {
  /** The data directory, for the anchor file; null skips the anchor check. */
  dataDir: string | null;
  nowMs: () => number;
  /** A signed checkpoint's (seq, hash) that the log must still contain (checkpoint-file.ts). */
  checkpoint?: ChainHead;
}

/** The chain part of a report, before the anchor, checkpoint and breaks are looked at. */
export interface ChainResult {
  entries: number;
  /** The last good entry (the head when the chain is intact). */
  last: ChainHead | null;
  firstBadSeq: number | null;
  problem: string | null;
}

/** Reads the anchor first: read after the rows, it could name entries committed meanwhile. */
export function readAnchorOf(dataDir: string | null): AnchorRead | null {
  return dataDir ? readAnchorFile(path.join(dataDir, ANCHOR_FILE)) : null;
}

/**
 * Reads rows straight from SQLite in seq order (the one engine-specific part: PostgreSQL would use
 * a server-side cursor here). Takes the raw handle so it can run read-only on a copied file.
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
  return finishReport(sqlite, chain, anchor, { dataDir, nowMs, checkpoint }, started);
}

/**
 * Adds to a chain result what one connection can answer quickly: the anchor (an indexed lookup),
 * the checkpoint's entry, and the acknowledged breaks (index on action).
 */
export function finishReport(sqlite: BetterSqlite3.Database, chain: ChainResult, anchor: AnchorRead | null, opts: VerifyOptions, started: number): AuditVerifyReport {
  const head = chain.last ?? { seq: 0, hash: GENESIS_HASH };
  const report = (firstBadSeq: number | null, problem: string | null): AuditVerifyReport => ({
    ok: problem === null,
    entries: chain.entries,
    headSeq: head.seq,
    headHash: head.hash,
    firstBadSeq,
    problem,
    elapsedMs: opts.nowMs() - started,
    acknowledgedBreaks: acknowledgedBreaks(sqlite, head.seq),
  });
  if (chain.problem !== null) return report(chain.firstBadSeq, chain.problem);
  const hashAt = (seq: number) => (sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: string } | undefined)?.hash;
  const finding = anchor ? checkAnchor(anchor, head, hashAt) : null;
  if (finding) return report(finding.firstBadSeq, finding.sentence);
  const cp = opts.checkpoint;
  if (cp) {
    if (cp.seq > head.seq) {
      return report(head.seq + 1, `checkpoint seq ${cp.seq}: the log ends at seq ${head.seq}, so entries the checkpoint signed were removed`);
    }
    const found = hashAt(cp.seq);
    if (found !== cp.hash) {
      return report(cp.seq, `checkpoint seq ${cp.seq}: the log's entry ${cp.seq} has hash ${found ?? '(none)'}, the checkpoint signed ${cp.hash}: the log was rewritten after the checkpoint`);
    }
  }
  return report(null, null);
}

/** Entries recording an acknowledged anchor break (anchor-guard.ts), up to `uptoSeq`. */
function acknowledgedBreaks(sqlite: BetterSqlite3.Database, uptoSeq: number): AuditVerifyReport['acknowledgedBreaks'] {
  const rows = sqlite
    .prepare('SELECT seq, at_ms, actor, details FROM audit_log WHERE action = ? AND seq <= ? ORDER BY seq LIMIT 100')
    .all(BREAK_ACTION, uptoSeq) as { seq: number; at_ms: number; actor: string; details: string }[];
  return rows.map((r) => {
    let found = '';
    try {
      const d = JSON.parse(r.details) as { found?: unknown };
      found = typeof d.found === 'string' ? d.found.slice(0, 500) : '';
    } catch {
      // the chain check covers the entry; an unreadable detail only loses the sentence
    }
    return { seq: Number(r.seq), atMs: Number(r.at_ms), acknowledgedBy: r.actor, found };
  });
}
