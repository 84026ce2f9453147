// Verification off the engine's thread, on every core (docs/design/audit-chain.md "Worker
// threads"): the seq range is cut into chunks, each verified by a worker on its own read-only
// connection (its own links and hashes); the links between chunks are checked here afterwards,
// with the same checkLink as the whole-chain reference (verify.ts), so both name the same first
// bad entry. The engine's `audit.verify` and `npm run audit:verify` use it.
import os from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { checkLink, type ChainedAuditRecord } from '../../../shared/audit-chain';
import type { AuditVerifyReport } from '../../../shared/contract';
import type { ChainHead } from './anchor';
import { sha256Hex } from './sha256';
import { finishReport, readAnchorOf, sqliteLookups, type ChainResult, type VerifyOptions } from './verify-report';
import { runWorker, workerSource } from './worker';

/** Below this many entries one worker does it all (starting a worker costs a few milliseconds). */
const ENTRIES_PER_EXTRA_WORKER = 50_000;

interface ChunkResult {
  /** The chunk's first row: its link to the previous chunk is checked here. */
  first: ChainedAuditRecord | null;
  /** Rows that passed, the first included. */
  count: number;
  /** The last row that passed. */
  last: ChainHead | null;
  problem: { seq: number; problem: string } | null;
}

// The same encoding and messages as shared/audit-chain.ts (canonicalEncoding, checkLink); the
// property test in audit-chain.test.ts holds the two to the same answers.
const VERIFY_RANGE = workerSource(`
  const crypto = require('node:crypto');
  const sha = crypto.hash ? (t) => crypto.hash('sha256', t, 'hex') : (t) => crypto.createHash('sha256').update(t).digest('hex');
  const stmt = db.prepare('SELECT seq, at_ms, actor, action, target, outcome, details, reason, prev_hash, hash FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq').raw(true);
  let first = null;
  let last = null;
  let count = 0;
  for (const r of stmt.iterate(workerData.from, workerData.to)) {
    const seq = Number(r[0]);
    if (first === null) {
      first = { seq, atMs: Number(r[1]), actor: r[2], action: r[3], target: r[4], outcome: r[5], details: r[6], reason: r[7], prevHash: r[8], hash: r[9] };
      last = { seq, hash: r[9] };
      count = 1;
      continue;
    }
    const expectedSeq = last.seq + 1;
    let problem = null;
    if (seq !== expectedSeq) {
      problem = seq > expectedSeq ? 'entries ' + expectedSeq + '..' + (seq - 1) + ' are missing (deleted)' : 'entry ' + seq + ' is out of order or duplicated (expected ' + expectedSeq + ')';
    } else if (r[8] !== last.hash) {
      problem = 'entry ' + seq + ' does not link to entry ' + (expectedSeq - 1) + ' (inserted or reordered)';
    } else if (sha(r[8] + JSON.stringify([seq, Number(r[1]), r[2], r[3], r[4], r[5], r[6], r[7]])) !== r[9]) {
      problem = 'entry ' + seq + ' was altered (its hash does not match its content)';
    }
    if (problem !== null) return { first, count, last, problem: { seq, problem } };
    last = { seq, hash: r[9] };
    count += 1;
  }
  return { first, count, last, problem: null };
`);

export interface ParallelVerifyOptions extends VerifyOptions {
  /** Workers to use (default: the machine's cores, at most 4). */
  workers?: number;
  /** Chunks to cut the range into (default: one per worker); tests use more to cross boundaries. */
  chunks?: number;
}

export async function verifyAuditChainInWorkers(dbFile: string, opts: ParallelVerifyOptions): Promise<AuditVerifyReport> {
  const started = opts.nowMs();
  const anchor = readAnchorOf(opts.dataDir);
  const sqlite = new BetterSqlite3(dbFile, { readonly: true, fileMustExist: true });
  try {
    // Two queries: SQLite answers one MIN or one MAX from the index, both at once by scanning it.
    const lo = (sqlite.prepare('SELECT MIN(seq) AS s FROM audit_log').get() as { s: number | null }).s;
    const hi = (sqlite.prepare('SELECT MAX(seq) AS s FROM audit_log').get() as { s: number | null }).s;
    const chain = lo === null || hi === null ? { entries: 0, last: null, firstBadSeq: null, problem: null } : await verifyRange(dbFile, Number(lo), Number(hi), opts);
    return finishReport(sqliteLookups(sqlite), chain, anchor, opts, started);
  } finally {
    sqlite.close();
  }
}

async function verifyRange(dbFile: string, lo: number, hi: number, opts: ParallelVerifyOptions): Promise<ChainResult> {
  const span = hi - lo + 1;
  const workers = Math.max(1, Math.min(opts.workers ?? Math.min(4, os.availableParallelism()), Math.ceil(span / ENTRIES_PER_EXTRA_WORKER)));
  const chunks = Math.max(1, Math.min(opts.chunks ?? workers, span));
  const ranges = Array.from({ length: chunks }, (_, i) => ({
    from: lo + Math.floor((span * i) / chunks),
    to: lo + Math.floor((span * (i + 1)) / chunks) - 1,
  }));
  // At most `workers` at once, in order; each answers for its own range.
  const results: ChunkResult[] = new Array<ChunkResult>(chunks);
  let next = 0;
  const lane = async () => {
    while (next < chunks) {
      const i = next++;
      results[i] = await runWorker<ChunkResult>(VERIFY_RANGE, { file: dbFile, ...ranges[i] });
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, chunks) }, lane));

  let previous: ChainHead | null = null;
  let entries = 0;
  for (const c of results) {
    if (!c.first) continue;
    const link = checkLink(sha256Hex, previous, c.first);
    if (link) return { entries, last: previous, firstBadSeq: link.seq, problem: link.problem };
    if (c.problem) return { entries: entries + c.count, last: c.last, firstBadSeq: c.problem.seq, problem: c.problem.problem };
    entries += c.count;
    previous = c.last;
  }
  return { entries, last: previous, firstBadSeq: null, problem: null };
}
