// R4: the audit log is append-only and hash-chained; verification finds any edit, deletion,
// insertion or reordering of stored rows, and the database refuses UPDATE and DELETE.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import { openStore, DATABASE_FILE } from '../store/db';
import { AuditLog } from './audit-log';
import { ANCHOR_FILE } from './anchor';
import { verifyAuditChain } from './verify';
import { verifyAuditChainInWorkers } from './verify-parallel';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function makeLog(entries: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-chain-'));
  dirs.push(dir);
  const store = await openStore(dir);
  const log = await AuditLog.open(store.db, new ManualClock(1_700_000_000_000), silentLogger, dir);
  await Promise.all(
    Array.from({ length: entries }, (_, i) =>
      log.append({ actor: `user${i % 3}`, action: 'test.action', target: `thing#${i}`, outcome: i % 5 === 0 ? 'denied' : 'allowed', details: { i, note: 'ż€' }, reason: i % 2 ? 'because' : null }),
    ),
  );
  await store.close();
  return dir;
}

/** The engine's verifier: worker threads, here cut into 3 chunks so tampering meets their boundaries. */
function verifyInWorkers(dir: string) {
  return verifyAuditChainInWorkers(path.join(dir, DATABASE_FILE), { dataDir: dir, nowMs: () => 0, workers: 3, chunks: 3 });
}

function verify(dir: string) {
  const db = new BetterSqlite3(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    return verifyAuditChain(db, dir, () => 0);
  } finally {
    db.close();
  }
}

/** An attacker with the database file: drops the triggers, then tampers. */
function tamper(dir: string, fn: (db: BetterSqlite3.Database) => void) {
  const db = new BetterSqlite3(path.join(dir, DATABASE_FILE));
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  fn(db);
  db.close();
}

type Tamper =
  | { kind: 'edit'; seq: number; column: 'actor' | 'action' | 'target' | 'outcome' | 'details' | 'reason' | 'at_ms' }
  | { kind: 'delete'; seq: number }
  | { kind: 'insert'; afterSeq: number }
  | { kind: 'swap'; a: number; b: number };

const N = 40;
const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), seq: fc.integer({ min: 1, max: N }), column: fc.constantFrom('actor', 'action', 'target', 'outcome', 'details', 'reason', 'at_ms') }),
  fc.record({ kind: fc.constant('delete' as const), seq: fc.integer({ min: 1, max: N }) }),
  fc.record({ kind: fc.constant('insert' as const), afterSeq: fc.integer({ min: 0, max: N }) }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.integer({ min: 1, max: N }), b: fc.integer({ min: 1, max: N }) }).filter((s) => s.a !== s.b),
);

function apply(db: BetterSqlite3.Database, t: Tamper) {
  switch (t.kind) {
    case 'edit': {
      const value = t.column === 'at_ms' ? 'at_ms + 1' : t.column === 'reason' ? "COALESCE(reason, '') || 'x'" : `${t.column} || 'x'`;
      db.prepare(`UPDATE audit_log SET ${t.column} = ${value} WHERE seq = ?`).run(t.seq);
      break;
    }
    case 'delete':
      db.prepare('DELETE FROM audit_log WHERE seq = ?').run(t.seq);
      break;
    case 'insert': {
      // Make room, then forge an entry that links to its predecessor with a plausible hash.
      db.prepare('UPDATE audit_log SET seq = -seq WHERE seq > ?').run(t.afterSeq);
      db.prepare('UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0').run();
      const prev = (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(t.afterSeq) as { hash: string } | undefined)?.hash ?? '0'.repeat(64);
      db.prepare("INSERT INTO audit_log VALUES (?, 1, 'mallory', 'forged', '', 'allowed', '{}', NULL, ?, ?)").run(t.afterSeq + 1, prev, 'f'.repeat(64));
      break;
    }
    case 'swap': {
      const cols = 'at_ms, actor, action, target, outcome, details, reason, prev_hash, hash';
      const a = db.prepare(`SELECT ${cols} FROM audit_log WHERE seq = ?`).raw().get(t.a) as unknown[] | undefined;
      const b = db.prepare(`SELECT ${cols} FROM audit_log WHERE seq = ?`).raw().get(t.b) as unknown[] | undefined;
      if (!a || !b) break; // one of them was deleted by an earlier tamper: that one is detected anyway
      const set = db.prepare('UPDATE audit_log SET at_ms=?, actor=?, action=?, target=?, outcome=?, details=?, reason=?, prev_hash=?, hash=? WHERE seq = ?');
      set.run(...b, t.a);
      set.run(...a, t.b);
      break;
    }
  }
}

describe('R4 audit chain', () => {
  it('an untouched log verifies', async () => {
    const dir = await makeLog(N);
    const r = verify(dir);
    expect(r).toMatchObject({ ok: true, entries: N, headSeq: N, firstBadSeq: null });
  });

  it('the database refuses UPDATE and DELETE on the audit log', async () => {
    const dir = await makeLog(3);
    const db = new BetterSqlite3(path.join(dir, DATABASE_FILE));
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
    db.close();
  });

  it('finds every random edit, deletion, insertion and reordering, naming the first bad entry', async () => {
    const pristine = await makeLog(N);
    await fc.assert(
      fc.asyncProperty(fc.array(tamperArb, { minLength: 1, maxLength: 3 }), async (tampers) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-tamper-'));
        dirs.push(dir);
        fs.cpSync(pristine, dir, { recursive: true });
        tamper(dir, (db) => tampers.forEach((t) => apply(db, t)));
        const r = verify(dir);
        expect(r.ok, JSON.stringify(tampers)).toBe(false);
        expect(r.firstBadSeq).not.toBeNull();
        expect(r.problem).toBeTruthy();
        // The parallel verifier gives the same answer, word for word.
        expect(await verifyInWorkers(dir), JSON.stringify(tampers)).toEqual(r);
      }),
      { numRuns: 50 },
    );
  });

  it('verifies in worker threads with the same answer for an untouched log', async () => {
    const dir = await makeLog(N);
    expect(await verifyInWorkers(dir)).toEqual(verify(dir));
    expect(verify(dir)).toMatchObject({ ok: true, entries: N, acknowledgedBreaks: [] });
  });

  it('a deleted anchor file is a verification failure, not an intact log', async () => {
    const dir = await makeLog(N);
    fs.rmSync(path.join(dir, ANCHOR_FILE));
    const r = await verifyInWorkers(dir);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/anchor file is missing/);
  });

  it('finds entries cut from the end of the log through the anchor', async () => {
    const dir = await makeLog(N);
    tamper(dir, (db) => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(N - 2));
    const r = verify(dir);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/removed from the end/);
  });
});
