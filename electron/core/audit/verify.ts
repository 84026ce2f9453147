// Verifies the whole audit chain (DESIGN R4): recomputes every hash in seq order and checks the
// anchor file, naming the first bad entry. Used by the audit screen and `npm run audit:verify`.
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { checkLink, GENESIS_HASH, type ChainedAuditRecord } from '../../../shared/audit-chain';
import type { AuditVerifyReport } from '../../../shared/contract';
import { ANCHOR_FILE } from './audit-log';
import { sha256Hex } from './sha256';

type Row = [number, number, string, string, string, ChainedAuditRecord['outcome'], string, string | null, string, string];

/**
 * Reads rows straight from SQLite in seq order (the one engine-specific part: PostgreSQL would use
 * a server-side cursor here). Takes the raw handle so it can run read-only on a copied file.
 */
export function verifyAuditChain(sqlite: BetterSqlite3.Database, dataDir: string | null, nowMs: () => number): AuditVerifyReport {
  const started = nowMs();
  const stmt = sqlite
    .prepare('SELECT seq, at_ms, actor, action, target, outcome, details, reason, prev_hash, hash FROM audit_log ORDER BY seq')
    .raw(true);
  let previous: { seq: number; hash: string } | null = null;
  let entries = 0;
  const report = (firstBadSeq: number | null, problem: string | null): AuditVerifyReport => ({
    ok: problem === null,
    entries,
    headSeq: previous?.seq ?? 0,
    headHash: previous?.hash ?? GENESIS_HASH,
    firstBadSeq,
    problem,
    elapsedMs: nowMs() - started,
  });
  const entry: ChainedAuditRecord = {
    seq: 0, atMs: 0, actor: '', action: '', target: '', outcome: 'allowed', details: '', reason: null, prevHash: '', hash: '',
  };
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
    const problem = checkLink(sha256Hex, previous, entry);
    if (problem) return report(problem.seq, problem.problem);
    previous = { seq: entry.seq, hash: entry.hash };
    entries += 1;
  }
  const anchor = dataDir ? readAnchor(path.join(dataDir, ANCHOR_FILE)) : null;
  if (anchor) {
    const headSeq = previous?.seq ?? 0;
    if (anchor.seq > headSeq) {
      return report(headSeq + 1, `entries ${headSeq + 1}..${anchor.seq} were removed from the end of the log (anchor names ${anchor.seq})`);
    }
    const row = sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(anchor.seq) as { hash: string } | undefined;
    if (anchor.seq > 0 && row?.hash !== anchor.hash) {
      return report(anchor.seq, `entry ${anchor.seq} does not match the anchor written when it was committed`);
    }
  }
  return report(null, null);
}

function readAnchor(file: string): { seq: number; hash: string } | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const parsed: unknown = JSON.parse(text);
  if (
    parsed !== null &&
    typeof parsed === 'object' &&
    'seq' in parsed &&
    'hash' in parsed &&
    typeof parsed.seq === 'number' &&
    typeof parsed.hash === 'string'
  ) {
    return { seq: parsed.seq, hash: parsed.hash };
  }
  throw new Error(`audit anchor ${file} is not readable`);
}
