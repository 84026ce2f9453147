// Tests and benchmarks only: a valid audit chain of many entries written straight into a data
// directory's database (one transaction, no group commit), with its anchor, in a fraction of the
// time real appends take; and a full consistent rewrite of a chain, as an attacker with the files
// would do it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { canonicalJson, chainHash, GENESIS_HASH, type AuditRecord } from '../../../shared/audit-chain';
import { DATABASE_FILE, openStore } from '../store/db';
import { ANCHOR_FILE, writeAnchorFile, type ChainHead } from './anchor';
import { sha256Hex } from './sha256';

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
        const seq = head.seq + 1;
        const record: AuditRecord = {
          seq,
          atMs: atMs + seq,
          actor: `operator.${seq % 40}`,
          action: seq % 7 === 0 ? 'audit.query' : 'users.update',
          target: `user#${seq % 1000}`,
          outcome: seq % 13 === 0 ? 'denied' : 'allowed',
          details: canonicalJson({ request: { userId: seq % 1000, displayName: 'Jan Kowalski', role: 'guard' }, peer: `ws:${seq % 9}@127.0.0.1` }),
          reason: seq % 11 === 0 ? 'incident investigation: case 2026/1234' : null,
        };
        const hash = chainHash(sha256Hex, record, head.hash);
        insert.run(seq, record.atMs, record.actor, record.action, record.target, record.outcome, record.details, record.reason, head.hash, hash);
        head = { seq, hash };
      }
    })();
    writeAnchorFile(path.join(dataDir, ANCHOR_FILE), head);
    return head;
  } finally {
    db.close();
  }
}

/**
 * What someone with the database and the anchor can do: change entry `fromSeq` (its actor), then
 * recompute every hash from there on and write the anchor at the new head. The chain and the anchor
 * are consistent again; only a checkpoint kept elsewhere shows it.
 */
export function rewriteChain(dataDir: string, fromSeq: number): ChainHead {
  const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE));
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    const rows = db.prepare('SELECT seq, at_ms, actor, action, target, outcome, details, reason FROM audit_log WHERE seq >= ? ORDER BY seq').all(fromSeq) as {
      seq: number; at_ms: number; actor: string; action: string; target: string; outcome: AuditRecord['outcome']; details: string; reason: string | null;
    }[];
    const before = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(fromSeq - 1) as { hash: string } | undefined;
    let prev = before?.hash ?? GENESIS_HASH;
    const update = db.prepare('UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    let head: ChainHead = { seq: fromSeq - 1, hash: prev };
    db.transaction(() => {
      for (const r of rows) {
        const actor = r.seq === fromSeq ? 'nobody' : r.actor;
        const record: AuditRecord = { seq: Number(r.seq), atMs: Number(r.at_ms), actor, action: r.action, target: r.target, outcome: r.outcome, details: r.details, reason: r.reason };
        const hash = chainHash(sha256Hex, record, prev);
        update.run(actor, prev, hash, r.seq);
        prev = hash;
        head = { seq: record.seq, hash };
      }
    })();
    writeAnchorFile(path.join(dataDir, ANCHOR_FILE), head);
    return head;
  } finally {
    db.close();
  }
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
