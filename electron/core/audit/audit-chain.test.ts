// R4: the audit log is append-only and hash-chained; verification finds any edit, deletion,
// insertion or reordering of stored rows, and the database refuses UPDATE and DELETE. On both
// stores: in the `postgres` project the same chain is also written to PostgreSQL, tampered with in
// the same way, and verified in pages (verify-paged.ts) with the same report as the reference.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import { DATABASE_FILE, type Store } from '../store/db';
import type { Database } from '../store/schema';
import { AuditLog } from './audit-log';
import { ANCHOR_FILE } from './anchor';
import { AuditStores, auditStoreKind, dropAuditTriggers, verifyStore } from './testing/audit-stores';
import { verifyAuditChain } from './verify';
import { verifyAuditChainPaged } from './verify-paged';
import { verifyAuditChainInWorkers } from './verify-parallel';
import { runAuditCli } from './fixture-chain';

const stores = new AuditStores();
afterEach(() => stores.cleanUp());

/** N entries through AuditLog: the same chain on every store (same clock, same inputs, one batch). */
async function appendEntries(store: Store, dir: string, entries: number): Promise<void> {
  const log = await AuditLog.open(store.db, new ManualClock(1_700_000_000_000), silentLogger, dir);
  await Promise.all(
    Array.from({ length: entries }, (_, i) =>
      log.append({ actor: `user${i % 3}`, action: 'test.action', target: `thing#${i}`, outcome: i % 5 === 0 ? 'denied' : 'allowed', details: { i, note: 'ż€' }, reason: i % 2 ? 'because' : null }),
    ),
  );
}

/** A closed SQLite log in a data directory (the reference's input). */
async function makeLog(entries: number): Promise<string> {
  const dir = stores.tmpDir('audit-chain-');
  const store = await stores.store(dir, 'sqlite');
  await appendEntries(store, dir, entries);
  await stores.close(store);
  return dir;
}

/** The log on this project's store, open, with its data directory (anchor). */
async function makeStoreLog(entries: number): Promise<{ store: Store; dir: string }> {
  const dir = stores.tmpDir('audit-chain-');
  const store = await stores.store(dir);
  await appendEntries(store, dir, entries);
  return { store, dir };
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

/** Kysely over a SQLite file (a copy an attacker tampers with). */
async function withSqliteFile<T>(dir: string, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path.join(dir, DATABASE_FILE)) }) });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** An attacker with the database file: drops the triggers, then tampers. */
function tamper(dir: string, tampers: Tamper[]): Promise<void> {
  return withSqliteFile(dir, async (db) => {
    await dropAuditTriggers(db);
    for (const t of tampers) await apply(db, t);
  });
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

/** One tampering, in SQL both stores run (Kysely binds the values in each one's way). */
async function apply(db: Kysely<Database>, t: Tamper): Promise<void> {
  switch (t.kind) {
    case 'edit': {
      const value = t.column === 'at_ms' ? 'at_ms + 1' : t.column === 'reason' ? "COALESCE(reason, '') || 'x'" : `${t.column} || 'x'`;
      await sql`UPDATE audit_log SET ${sql.ref(t.column)} = ${sql.raw(value)} WHERE seq = ${t.seq}`.execute(db);
      break;
    }
    case 'delete':
      await sql`DELETE FROM audit_log WHERE seq = ${t.seq}`.execute(db);
      break;
    case 'insert': {
      // Make room, then forge an entry that links to its predecessor with a plausible hash.
      await sql`UPDATE audit_log SET seq = -seq WHERE seq > ${t.afterSeq}`.execute(db);
      await sql`UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0`.execute(db);
      const prev = (await db.selectFrom('audit_log').select('hash').where('seq', '=', t.afterSeq).executeTakeFirst())?.hash ?? '0'.repeat(64);
      await sql`INSERT INTO audit_log VALUES (${t.afterSeq + 1}, 1, 'mallory', 'forged', '', 'allowed', '{}', NULL, ${prev}, ${'f'.repeat(64)})`.execute(db);
      break;
    }
    case 'swap': {
      const cols = ['at_ms', 'actor', 'action', 'target', 'outcome', 'details', 'reason', 'prev_hash', 'hash'] as const;
      const a = await db.selectFrom('audit_log').select(cols).where('seq', '=', t.a).executeTakeFirst();
      const b = await db.selectFrom('audit_log').select(cols).where('seq', '=', t.b).executeTakeFirst();
      if (!a || !b) break; // one of them was deleted by an earlier tamper: that one is detected anyway
      await sql`UPDATE audit_log SET at_ms = ${b.at_ms}, actor = ${b.actor}, action = ${b.action}, target = ${b.target}, outcome = ${b.outcome}, details = ${b.details}, reason = ${b.reason}, prev_hash = ${b.prev_hash}, hash = ${b.hash} WHERE seq = ${t.a}`.execute(db);
      await sql`UPDATE audit_log SET at_ms = ${a.at_ms}, actor = ${a.actor}, action = ${a.action}, target = ${a.target}, outcome = ${a.outcome}, details = ${a.details}, reason = ${a.reason}, prev_hash = ${a.prev_hash}, hash = ${a.hash} WHERE seq = ${t.b}`.execute(db);
      break;
    }
  }
}

/** Thrown to roll a PostgreSQL tampering back once it has been verified. */
class Rollback extends Error {}

/** Tampers with the PostgreSQL log inside a transaction, verifies there (against `dataDir`'s anchor), rolls back. */
async function tamperedPostgresReport(store: Store, dataDir: string, tampers: Tamper[]) {
  let report: Awaited<ReturnType<typeof verifyAuditChainPaged>> | null = null;
  await store.db
    .transaction()
    .execute(async (trx) => {
      await dropAuditTriggers(trx);
      for (const t of tampers) await apply(trx, t);
      report = await verifyAuditChainPaged(trx, { dataDir, nowMs: () => 0, pageEntries: 7 });
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return report!;
}

describe('R4 audit chain', () => {
  it('an untouched log verifies', async () => {
    const { store, dir } = await makeStoreLog(N);
    const r = await verifyStore(store, dir);
    expect(r).toMatchObject({ ok: true, entries: N, headSeq: N, firstBadSeq: null });
  });

  it('the database refuses UPDATE and DELETE on the audit log', async () => {
    const { store } = await makeStoreLog(3);
    await expect(sql`UPDATE audit_log SET actor = 'x' WHERE seq = 1`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(store.db)).rejects.toThrow(/append-only/);
  });

  it('finds every random edit, deletion, insertion and reordering, naming the first bad entry, alike on every verifier and store', async () => {
    const pristine = await makeLog(N);
    // The same chain on PostgreSQL (postgres project): tampered with in the same way, verified in pages.
    const twin = auditStoreKind === 'postgres' ? await stores.store(stores.tmpDir('audit-twin-'), 'postgres') : null;
    if (twin) await appendEntries(twin, stores.tmpDir('audit-twin-anchor-'), N);
    await fc.assert(
      fc.asyncProperty(fc.array(tamperArb, { minLength: 1, maxLength: 3 }), async (tampers) => {
        const dir = stores.tmpDir('audit-tamper-');
        fs.cpSync(pristine, dir, { recursive: true });
        await tamper(dir, tampers);
        const r = verify(dir);
        expect(r.ok, JSON.stringify(tampers)).toBe(false);
        expect(r.firstBadSeq).not.toBeNull();
        expect(r.problem).toBeTruthy();
        // The parallel verifier gives the same answer, word for word, and so does the paged one
        // (small pages, so tampering meets their boundaries).
        expect(await verifyInWorkers(dir), JSON.stringify(tampers)).toEqual(r);
        expect(await withSqliteFile(dir, (db) => verifyAuditChainPaged(db, { dataDir: dir, nowMs: () => 0, pageEntries: 7 })), JSON.stringify(tampers)).toEqual(r);
        if (twin) expect(await tamperedPostgresReport(twin, dir, tampers), JSON.stringify(tampers)).toEqual(r);
      }),
      { numRuns: 50 },
    );
  });

  it('verifies in worker threads and in pages with the same answer for an untouched log', async () => {
    const dir = await makeLog(N);
    expect(await verifyInWorkers(dir)).toEqual(verify(dir));
    expect(await withSqliteFile(dir, (db) => verifyAuditChainPaged(db, { dataDir: dir, nowMs: () => 0, pageEntries: 7 }))).toEqual(verify(dir));
    expect(verify(dir)).toMatchObject({ ok: true, entries: N, acknowledgedBreaks: [] });
    if (auditStoreKind === 'postgres') {
      const twin = await stores.store(stores.tmpDir('audit-twin-'), 'postgres');
      await appendEntries(twin, stores.tmpDir('audit-twin-anchor-'), N);
      expect(await verifyAuditChainPaged(twin.db, { dataDir: dir, nowMs: () => 0, pageEntries: 7 })).toEqual(verify(dir));
    }
  });

  it('a paged verification whose read fails half-way rejects with the error', async () => {
    const { store, dir } = await makeStoreLog(N);
    let reads = 0;
    const failing = store.db.withPlugin({
      transformQuery: (a) => {
        if (++reads > 3) throw new Error('connection lost');
        return a.node;
      },
      transformResult: (a) => Promise.resolve(a.result),
    });
    await expect(verifyAuditChainPaged(failing, { dataDir: dir, nowMs: () => 0, pageEntries: 7 })).rejects.toThrow(/connection lost/);
  });

  it('a deleted anchor file is a verification failure, not an intact log', async () => {
    const { store, dir } = await makeStoreLog(N);
    fs.rmSync(path.join(dir, ANCHOR_FILE));
    const r = await verifyStore(store, dir);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/anchor file is missing/);
  });

  it('finds entries cut from the end of the log through the anchor', async () => {
    const { store, dir } = await makeStoreLog(N);
    await dropAuditTriggers(store.db);
    await sql`DELETE FROM audit_log WHERE seq > ${N - 2}`.execute(store.db);
    const r = await verifyStore(store, dir);
    expect(r).toMatchObject({ ok: false, firstBadSeq: N - 1 });
    expect(r.problem).toMatch(/removed from the end/);
  });

  it('npm run audit:verify checks the store the engine uses: its data directory, or --database postgres://... with an engine\'s anchor', async () => {
    const { store, dir } = await makeStoreLog(N);
    const args = store.kind === 'postgres' ? ['--database', store.url, '--data-dir', dir] : ['--data-dir', dir];
    if (store.kind === 'sqlite') await stores.close(store);
    const intact = await runAuditCli('verify', args);
    expect(intact.code, intact.out).toBe(0);
    expect(intact.out).toContain(`audit log intact: ${N} entries, head seq ${N}`);
    if (store.kind === 'postgres') {
      const noAnchor = await runAuditCli('verify', ['--database', store.url]);
      expect(noAnchor.code, noAnchor.out).toBe(0);
      expect(noAnchor.out).toMatch(/no --data-dir: no engine's anchor checked/);
      await dropAuditTriggers(store.db);
      await sql`DELETE FROM audit_log WHERE seq > ${N - 2}`.execute(store.db);
      const cut = await runAuditCli('verify', args);
      expect(cut.code, cut.out).toBe(1);
      expect(cut.out).toContain(`AUDIT LOG TAMPERED: first bad entry seq ${N - 1}: entries ${N - 1}..${N} were removed from the end of the log`);
    }
    const wrong = await runAuditCli('verify', ['--database', path.join(dir, DATABASE_FILE)]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--database takes a PostgreSQL connection string/);
  });
});
