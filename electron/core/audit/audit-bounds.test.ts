// Unbounded entries: one audit entry stays small whatever a caller passes to AuditLog.append
// (docs/design/audit-chain.md "Bounds"); what was cut is marked, and details too big even with their
// strings cut keep their size and SHA-256, so the entry still proves what was there.
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/audit-chain';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import { AuditLog } from './audit-log';
import { AUDIT_BOUNDS, MAX_ENTRY_BYTES } from './entry-bounds';
import { sha256Hex } from './sha256';
import { AuditStores, verifyStore } from './testing/audit-stores';

const stores = new AuditStores();
afterEach(() => stores.cleanUp());

type Row = { seq: number; actor: string; action: string; target: string; details: string; reason: string | null; bytes: number };

/** Appends on this project's store, reads back what was stored (UTF-8 bytes as stored), verifies. */
async function appendAll(inputs: Parameters<AuditLog['append']>[0][]): Promise<{ rows: Row[]; dir: string }> {
  const dir = stores.tmpDir('audit-bounds-');
  const store = await stores.store(dir);
  const log = await AuditLog.open(store.db, new ManualClock(1_700_000_000_000), silentLogger, dir);
  for (const input of inputs) await log.append(input);
  const stored = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  const utf8 = (s: string | null) => (s === null ? 0 : Buffer.byteLength(s, 'utf8'));
  const rows = stored.map((r) => ({
    seq: Number(r.seq),
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: r.details,
    reason: r.reason,
    bytes: utf8(r.actor) + utf8(r.action) + utf8(r.target) + utf8(r.outcome) + utf8(r.details) + utf8(r.reason) + r.prev_hash.length + r.hash.length + 16,
  }));
  const report = await verifyStore(store, dir);
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

  it('stores text holding U+0000 on every store (as U+FFFD), and the entries committed with it are kept', async () => {
    const dir = stores.tmpDir('audit-bounds-nul-');
    const store = await stores.store(dir);
    const log = await AuditLog.open(store.db, new ManualClock(1_700_000_000_000), silentLogger, dir);
    // One batch: a refused entry would take the other two with it.
    const seqs = await Promise.all([
      log.append({ actor: 'anonymous', action: 'command.unknown', target: 'before', outcome: 'denied' }),
      log.append({ actor: 'a\u0000b', action: 'no.such\u0000', target: '\u0000', outcome: 'denied', reason: 'r\u0000', details: { s: 'x\u0000y', ['k\u0000']: 1 } }),
      log.append({ actor: 'anonymous', action: 'command.unknown', target: 'after', outcome: 'denied' }),
    ]);
    expect(seqs).toEqual([1, 2, 3]);
    const row = await store.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    expect([row.actor, row.action, row.target, row.reason]).toEqual(['a\ufffdb', 'no.such\ufffd', '\ufffd', 'r\ufffd']);
    expect(JSON.parse(row.details)).toEqual({ s: 'x\u0000y', ['k\u0000']: 1 });
    expect((await verifyStore(store, dir)).ok).toBe(true);
  });
});
