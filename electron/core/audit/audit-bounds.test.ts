// Unbounded entries: one audit entry stays small whatever a caller passes to AuditLog.append
// (docs/design/audit-chain.md "Bounds"); what was cut is marked, and details too big even with their
// strings cut keep their size and SHA-256, so the entry still proves what was there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/audit-chain';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import { DATABASE_FILE, openStore } from '../store/db';
import { AuditLog } from './audit-log';
import { AUDIT_BOUNDS, MAX_ENTRY_BYTES } from './entry-bounds';
import { sha256Hex } from './sha256';
import { verifyAuditChain } from './verify';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

type Row = { seq: number; actor: string; action: string; target: string; details: string; reason: string | null; bytes: number };

async function appendAll(inputs: Parameters<AuditLog['append']>[0][]): Promise<{ rows: Row[]; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-bounds-'));
  dirs.push(dir);
  const store = await openStore(dir);
  const log = await AuditLog.open(store.db, new ManualClock(1_700_000_000_000), silentLogger, dir);
  for (const input of inputs) await log.append(input);
  await store.close();
  const db = new BetterSqlite3(path.join(dir, DATABASE_FILE), { readonly: true });
  const rows = db
    .prepare(
      `SELECT seq, actor, action, target, details, reason,
        length(CAST(actor AS BLOB)) + length(CAST(action AS BLOB)) + length(CAST(target AS BLOB)) + length(CAST(outcome AS BLOB)) +
        length(CAST(details AS BLOB)) + coalesce(length(CAST(reason AS BLOB)), 0) + length(prev_hash) + length(hash) + 16 AS bytes
       FROM audit_log ORDER BY seq`,
    )
    .all() as Row[];
  const report = verifyAuditChain(db, dir, () => 0);
  db.close();
  expect(report.ok, report.problem ?? '').toBe(true);
  return { rows, dir };
}

const huge = (n: number, c = 'x') => c.repeat(n);

describe('unbounded entries: one audit entry is bounded whatever the caller passes', () => {
  it('cuts actor, action, target and reason, marked as cut, and keeps every entry under MAX_ENTRY_BYTES', async () => {
    const { rows } = await appendAll([
      { actor: huge(1_000_000), action: huge(100_000, 'a'), target: huge(500_000, 't'), outcome: 'denied', reason: huge(1_000_000, 'ż') },
      { actor: 'anonymous', action: 'command.unknown', target: 'x', outcome: 'denied', details: { peer: 'ws:1', note: 'small' } },
    ]);
    const big = rows[0]!;
    expect(big.actor).toMatch(/…\[cut: 1000000 chars\]$/);
    expect(big.actor.startsWith(huge(AUDIT_BOUNDS.actorChars))).toBe(true);
    expect(big.action).toMatch(/^a{64}…\[cut: 100000 chars\]$/);
    expect(big.target).toMatch(/…\[cut: 500000 chars\]$/);
    expect(big.reason).toMatch(/^ż{2000}…\[cut: 1000000 chars\]$/);
    expect(rows[1]!.details).toBe(canonicalJson({ note: 'small', peer: 'ws:1' }));
    for (const r of rows) expect(r.bytes).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
  });

  it('cuts long strings, keys and arrays inside details, and replaces what is still too big by its size and SHA-256', async () => {
    const unknownKey = huge(300_000, 'k');
    const issues = Array.from({ length: 5 }, () => `(request): Unrecognized key: "${unknownKey}"`);
    const manyKeys = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key${i}`, huge(300, 'v')]));
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 5000; i++) cursor = cursor.next = {} as Record<string, unknown>;
    const { rows } = await appendAll([
      { actor: 'anonymous', action: 'auth.signIn', target: '', outcome: 'failed', details: { error: 'InvalidArgument', issues, peer: 'ws:7' } },
      { actor: 'anonymous', action: 'auth.signIn', target: '', outcome: 'failed', details: manyKeys },
      { actor: 'anonymous', action: 'x', target: '', outcome: 'failed', details: { deep } },
      { actor: 'anonymous', action: 'x', target: '', outcome: 'failed', details: { list: Array.from({ length: 100_000 }, (_, i) => i) } },
    ]);
    // Strings cut, marked, the rest kept readable.
    const issuesRow = JSON.parse(rows[0]!.details) as { issues: string[]; peer: string };
    expect(issuesRow.peer).toBe('ws:7');
    expect(issuesRow.issues).toHaveLength(5);
    for (const i of issuesRow.issues) expect(i).toMatch(/…\[cut: \d+ chars\]$/);
    // Too big even when cut: its size and hash only.
    const summary = JSON.parse(rows[1]!.details) as { omitted: { bytes: number; sha256: string }; keys: string[] };
    const full = canonicalJson(manyKeys);
    expect(summary.omitted).toMatchObject({ bytes: Buffer.byteLength(full), sha256: sha256Hex(full) });
    expect(summary.keys.length).toBeLessThanOrEqual(16);
    expect(rows[2]!.details).toContain('nested too deep');
    expect(rows[3]!.details).toContain('[cut: 100000 items]');
    for (const r of rows) {
      expect(Buffer.byteLength(r.details)).toBeLessThanOrEqual(AUDIT_BOUNDS.detailsBytes);
      expect(r.bytes).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
    }
  });

  it('writes an entry for details that cannot be serialised, and keeps text with lone surrogates verifiable', async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const { rows } = await appendAll([
      { actor: 'anonymous', action: 'x', target: '', outcome: 'failed', details: cyclic },
      { actor: 'anonymous', action: 'x', target: '', outcome: 'failed', details: { get boom(): string { throw new Error('a getter that throws'); } } },
      { actor: 'anonymous', action: 'x', target: 'name\ud800with a lone surrogate', outcome: 'failed', reason: '\udc00', details: { s: '\ud83d' } },
      { actor: 'anonymous', action: 'x', target: `${huge(199)}😀😀`, outcome: 'failed' },
    ]);
    expect(rows[0]!.details).toBe('{"a":1,"self":"…[cut: cycle]"}');
    expect(rows[1]!.details).toBe('{"unserialisable":"a getter that throws"}');
    expect(rows[2]!.target).toBe('name\ufffdwith a lone surrogate');
    expect(rows[2]!.reason).toBe('\ufffd');
    // Cut before a pair, never inside it (the chain verified above in appendAll).
    expect(rows[3]!.target.startsWith(huge(199) + '…')).toBe(true);
  });
});
