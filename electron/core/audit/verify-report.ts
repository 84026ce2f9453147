// The end of every verification (docs/design/audit-chain.md "Verification"): once the chain has
// been read, the anchor, the signed checkpoint and the acknowledged breaks are looked at with three
// small lookups. The same decisions for every store; the lookups go through `ReportLookups`,
// answered synchronously by better-sqlite3 (verify.ts, verify-parallel.ts) and asynchronously by
// Kysely (verify-paged.ts: PostgreSQL).
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { GENESIS_HASH } from '../../../shared/audit-chain';
import type { AuditVerifyReport } from '../../../shared/contract';
import type { Database } from '../store/schema';
import { ANCHOR_FILE, BREAK_ACTION, checkAnchor, readAnchorFile, type AnchorRead, type ChainHead } from './anchor';

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

/** An `audit.break_acknowledged` entry as stored. */
export interface BreakRow {
  seq: number;
  atMs: number;
  actor: string;
  details: string;
}

/** The three lookups a report needs besides the chain: each an indexed query. */
export interface ReportLookups {
  /** The stored hashes of these entries (an entry that is not there is absent from the map). */
  hashesAt(seqs: readonly number[]): Map<number, string>;
  /** Entries recording an acknowledged anchor break (anchor-guard.ts) up to `uptoSeq`, in seq order, at most 100. */
  breaksUpTo(uptoSeq: number): BreakRow[];
}

/** The same lookups on a connection that answers asynchronously. */
export type AsyncReportLookups = { [K in keyof ReportLookups]: (...args: Parameters<ReportLookups[K]>) => Promise<ReturnType<ReportLookups[K]>> };

const MAX_BREAKS = 100;

/** What the report's decisions look at: the entries the anchor and the checkpoint name, and the breaks up to the head. */
function wanted(chain: ChainResult, anchor: AnchorRead | null, opts: VerifyOptions): { seqs: number[]; uptoSeq: number } {
  const seqs: number[] = [];
  if (chain.problem === null) {
    if (anchor?.state === 'ok' && anchor.anchor.seq > 0) seqs.push(anchor.anchor.seq);
    if (opts.checkpoint) seqs.push(opts.checkpoint.seq);
  }
  return { seqs, uptoSeq: chain.last?.seq ?? 0 };
}

/** Adds to a chain result the anchor, the checkpoint and the acknowledged breaks (better-sqlite3). */
export function finishReport(lookups: ReportLookups, chain: ChainResult, anchor: AnchorRead | null, opts: VerifyOptions, started: number): AuditVerifyReport {
  const w = wanted(chain, anchor, opts);
  return decide(chain, anchor, opts, started, w.seqs.length > 0 ? lookups.hashesAt(w.seqs) : new Map(), lookups.breaksUpTo(w.uptoSeq));
}

/** finishReport for a connection that answers asynchronously (Kysely: PostgreSQL). */
export async function finishReportAsync(lookups: AsyncReportLookups, chain: ChainResult, anchor: AnchorRead | null, opts: VerifyOptions, started: number): Promise<AuditVerifyReport> {
  const w = wanted(chain, anchor, opts);
  const hashes = w.seqs.length > 0 ? await lookups.hashesAt(w.seqs) : new Map<number, string>();
  return decide(chain, anchor, opts, started, hashes, await lookups.breaksUpTo(w.uptoSeq));
}

function decide(chain: ChainResult, anchor: AnchorRead | null, opts: VerifyOptions, started: number, hashes: Map<number, string>, breaks: BreakRow[]): AuditVerifyReport {
  const head = chain.last ?? { seq: 0, hash: GENESIS_HASH };
  const report = (firstBadSeq: number | null, problem: string | null): AuditVerifyReport => ({
    ok: problem === null,
    entries: chain.entries,
    headSeq: head.seq,
    headHash: head.hash,
    firstBadSeq,
    problem,
    elapsedMs: opts.nowMs() - started,
    acknowledgedBreaks: breaks.map(breakView),
  });
  if (chain.problem !== null) return report(chain.firstBadSeq, chain.problem);
  const hashAt = (seq: number) => hashes.get(seq);
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

function breakView(r: BreakRow): AuditVerifyReport['acknowledgedBreaks'][number] {
  let found = '';
  try {
    const d = JSON.parse(r.details) as { found?: unknown };
    found = typeof d.found === 'string' ? d.found.slice(0, 500) : '';
  } catch {
    // the chain check covers the entry; an unreadable detail only loses the sentence
  }
  return { seq: r.seq, atMs: r.atMs, acknowledgedBy: r.actor, found };
}

const toBreak = (r: { seq: number | string; at_ms: number | string; actor: string; details: string }): BreakRow => ({ seq: Number(r.seq), atMs: Number(r.at_ms), actor: r.actor, details: r.details });

/** The lookups on a raw better-sqlite3 handle (read-only copies and files included). */
export function sqliteLookups(sqlite: BetterSqlite3.Database): ReportLookups {
  return {
    hashesAt(seqs) {
      const stmt = sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?');
      const out = new Map<number, string>();
      for (const seq of seqs) {
        const row = stmt.get(seq) as { hash: string } | undefined;
        if (row) out.set(seq, row.hash);
      }
      return out;
    },
    breaksUpTo(uptoSeq) {
      const rows = sqlite
        .prepare('SELECT seq, at_ms, actor, details FROM audit_log WHERE action = ? AND seq <= ? ORDER BY seq LIMIT ?')
        .all(BREAK_ACTION, uptoSeq, MAX_BREAKS) as { seq: number; at_ms: number; actor: string; details: string }[];
      return rows.map(toBreak);
    },
  };
}

/** The lookups through Kysely (either store; the engine's PostgreSQL connections). */
export function kyselyLookups(db: Kysely<Database>): AsyncReportLookups {
  return {
    async hashesAt(seqs) {
      const rows = await db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', 'in', [...seqs]).execute();
      const out = new Map<number, string>();
      for (const r of rows) if (!out.has(Number(r.seq))) out.set(Number(r.seq), r.hash);
      return out;
    },
    async breaksUpTo(uptoSeq) {
      const rows = await db
        .selectFrom('audit_log')
        .select(['seq', 'at_ms', 'actor', 'details'])
        .where('action', '=', BREAK_ACTION)
        .where('seq', '<=', uptoSeq)
        .orderBy('seq')
        .limit(MAX_BREAKS)
        .execute();
      return rows.map(toBreak);
    },
  };
}
