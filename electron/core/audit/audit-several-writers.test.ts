// Several engines, one audit chain (R4; docs/design/audit-chain.md "Several writers"): engines that
// share one PostgreSQL database each hold their own AuditLog, with its own connections and its own
// anchor file. Appending at once, they still write one chain: every seq once, no gap, no fork (two
// entries linking to the same predecessor), verification passes, every append resolves with the
// seq its entry got, and each engine's anchor names an entry still in the log. PostgreSQL only:
// the embedded SQLite store has one engine.
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import type { Database } from '../store/schema';
import { testStoreKind } from '../testing/harness';
import { ANCHOR_FILE } from './anchor';
import { AUDIT_APPEND_LOCK_KEY, AuditLog } from './audit-log';
import { AuditStores } from './testing/audit-stores';
import { verifyAuditChainPaged } from './verify-paged';

const stores = new AuditStores();
afterEach(() => stores.cleanUp());

interface Writer {
  name: string;
  dir: string;
  db: Kysely<Database>;
  log: AuditLog;
}

/**
 * `n` engines' audit logs on one database, each with its own connections and data directory: as
 * engines open them (`engines`: store/postgres.ts, whose transactions also take the site-wide write
 * lock), or on plain connections (`audit lock alone`), where only the audit log's lock serialises.
 */
async function writers(n: number, connections: 'engines' | 'audit lock alone'): Promise<Writer[]> {
  const url = await stores.newDatabase();
  // The schema, once.
  const first = await stores.store(stores.tmpDir('audit-schema-'), 'postgres', url);
  const out: Writer[] = [];
  for (let i = 0; i < n; i++) {
    const dir = stores.tmpDir(`audit-node${i}-`);
    const db = connections === 'engines' ? (i === 0 ? first : await stores.store(dir, 'postgres', url)).db : stores.plainPostgres(url);
    // Each engine's clock its own: times need not be in seq order across engines.
    const log = await AuditLog.open(db, new ManualClock(1_700_000_000_000 + i * 1000), silentLogger, dir);
    out.push({ name: `node${i}`, dir, db, log });
  }
  return out;
}

describe.skipIf(testStoreKind === 'sqlite')('several engines append to one audit chain on PostgreSQL', () => {
  it.each(['engines', 'audit lock alone'] as const)(
    'three writers appending thousands of entries at once write one chain: no gap, no fork, every append resolved with its seq (%s)',
    async (connections) => {
      const ws = await writers(3, connections);
      const perWriter = 3000;
      // Each writer keeps many appends in flight (its sessions), in bursts, so batches of the three
      // interleave in the database.
      const appended = await Promise.all(
        ws.map(async (w) => {
          const seqs: { seq: number; target: string }[] = [];
          for (let burst = 0; burst < perWriter / 300; burst++) {
            const results = await Promise.all(
              Array.from({ length: 300 }, async (_, k) => {
                const target = `${w.name}#${burst * 300 + k}`;
                const seq = await w.log.append({ actor: w.name, action: 'test.concurrent', target, outcome: 'allowed', details: { burst, k } });
                return { seq, target };
              }),
            );
            seqs.push(...results);
          }
          return seqs;
        }),
      );
      const rows = await ws[0]!.db.selectFrom('audit_log').select(['seq', 'actor', 'target', 'prev_hash', 'hash']).orderBy('seq').execute();
      const total = 3 * perWriter;
      expect(rows).toHaveLength(total);
      // One chain: seq 1..total without gap, each entry linking to the one before, no two to the same.
      rows.forEach((r, i) => expect(Number(r.seq)).toBe(i + 1));
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(total);
      // Every append resolved with the seq its entry has, and the writers really interleaved.
      const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
      for (const [i, list] of appended.entries()) {
        expect(list).toHaveLength(perWriter);
        for (const a of list) expect(bySeq.get(a.seq)).toMatchObject({ actor: `node${i}`, target: a.target });
      }
      const switches = rows.filter((r, i) => i > 0 && r.actor !== rows[i - 1]!.actor).length;
      expect(switches).toBeGreaterThan(3);

      // Verification passes against each engine's anchor; each anchor names an entry still in the
      // log (others' entries after it are fine), also when the engine opens the log again.
      for (const w of ws) {
        const report = await verifyAuditChainPaged(w.db, { dataDir: w.dir, nowMs: () => 0 });
        expect(report).toMatchObject({ ok: true, entries: total, headSeq: total, problem: null });
        const anchor = JSON.parse(fs.readFileSync(path.join(w.dir, ANCHOR_FILE), 'utf8')) as { seq: number; hash: string };
        expect(anchor).toEqual(w.log.committedHead);
        expect(bySeq.get(anchor.seq)?.hash).toBe(anchor.hash);
        const reopened = await AuditLog.open(w.db, new ManualClock(0), silentLogger, w.dir);
        expect(reopened.anchorFinding).toBeNull();
        expect(reopened.committedHead.seq).toBe(total);
      }
    },
    120_000,
  );

  it('a failed append of one engine leaves nothing half-written and the others go on', async () => {
    const [a, b] = (await writers(2, 'audit lock alone')) as [Writer, Writer];
    await Promise.all(Array.from({ length: 50 }, (_, i) => a.log.append({ actor: 'a', action: 'test.before', target: `a#${i}`, outcome: 'allowed' })));
    // b's database connections go away mid-run (its pool closed): its batch is rejected whole.
    await b.db.destroy();
    const failed = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => b.log.append({ actor: 'b', action: 'test.lost', target: `b#${i}`, outcome: 'allowed' })));
    expect(failed.every((r) => r.status === 'rejected')).toBe(true);
    const after = await Promise.all(Array.from({ length: 50 }, (_, i) => a.log.append({ actor: 'a', action: 'test.after', target: `a#${i}`, outcome: 'allowed' })));
    expect(after.sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => 51 + i));
    const report = await verifyAuditChainPaged(a.db, { dataDir: a.dir, nowMs: () => 0 });
    expect(report).toMatchObject({ ok: true, entries: 100 });
    expect(await a.db.selectFrom('audit_log').select('seq').where('actor', '=', 'b').execute()).toHaveLength(0);
  });

  it('an engine waiting for the append lock held by another appends right after it is released, from the new head', async () => {
    const [a, b] = (await writers(2, 'audit lock alone')) as [Writer, Writer];
    await a.log.append({ actor: 'a', action: 'test.first', target: '', outcome: 'allowed' });
    // Another engine's transaction holds the lock (as a slow commit would).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = a.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(AUDIT_APPEND_LOCK_KEY)})`.execute(trx);
      locked();
      await held;
      await trx.insertInto('audit_log').values({ seq: 2, at_ms: 1, actor: 'a', action: 'test.held', target: '', outcome: 'allowed', details: '{}', reason: null, prev_hash: a.log.committedHead.hash, hash: 'x'.repeat(64) }).execute();
    });
    await isLocked;
    let bSeq: number | null = null;
    const waiting = b.log.append({ actor: 'b', action: 'test.waits', target: '', outcome: 'allowed' }).then((s) => (bSeq = s));
    await new Promise((r) => setTimeout(r, 300));
    expect(bSeq).toBeNull();
    release();
    await holder;
    await waiting;
    // b chained from the entry the holder committed, not from the head it had seen before.
    expect(bSeq).toBe(3);
    const row = await b.db.selectFrom('audit_log').select('prev_hash').where('seq', '=', 3).executeTakeFirstOrThrow();
    expect(row.prev_hash).toBe('x'.repeat(64));
  });
});

describe.runIf(testStoreKind === 'sqlite')('several engines append to one audit chain on PostgreSQL', () => {
  it('is skipped: run it in the postgres test project (vitest --project postgres)', () => {
    expect(testStoreKind).toBe('sqlite');
  });
});
