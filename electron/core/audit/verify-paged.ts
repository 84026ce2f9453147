// Verification through Kysely, in pages (docs/design/audit-chain.md "Several writers"): the
// engine's way on PostgreSQL, where no worker thread can open the database file. Rows are read in
// seq order, `pageSize` at a time by key (`seq > last`), each checked with the same `checkLink` as
// the reference (verify.ts), so both name the same first bad entry; the next page is fetched while
// the current one is checked. The event loop is held for one page at a time, never for the whole
// chain (bench:audit -- --postgres over 100,200 entries on 2 cores at load 4-5: 21-45 ms, mostly
// the machine's scheduling and young-generation collections, not the page). The end is fixed first (the highest seq when verification
// starts): entries other engines append meanwhile are left for the next verification.
import type { Kysely } from 'kysely';
import { checkLink, type ChainedAuditRecord } from '../../../shared/audit-chain';
import type { AuditVerifyReport } from '../../../shared/contract';
import type { Database } from '../store/schema';
import type { ChainHead } from './anchor';
import { sha256Hex } from './sha256';
import { finishReportAsync, kyselyLookups, readAnchorOf, type ChainResult, type VerifyOptions } from './verify-report';

/** Entries per page: big enough that a round trip per page costs little, small enough that checking one stays far below 50 ms. */
export const VERIFY_PAGE_ENTRIES = 1000;

const COLUMNS = ['seq', 'at_ms', 'actor', 'action', 'target', 'outcome', 'details', 'reason', 'prev_hash', 'hash'] as const;

export async function verifyAuditChainPaged(db: Kysely<Database>, opts: VerifyOptions & { pageEntries?: number }): Promise<AuditVerifyReport> {
  const started = opts.nowMs();
  const anchor = readAnchorOf(opts.dataDir);
  const top = await db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('s')).executeTakeFirst();
  const hi = top?.s === null || top?.s === undefined ? null : Number(top.s);
  const chain = hi === null ? { entries: 0, last: null, firstBadSeq: null, problem: null } : await checkPages(db, hi, opts.pageEntries ?? VERIFY_PAGE_ENTRIES);
  return finishReportAsync(kyselyLookups(db), chain, anchor, opts, started);
}

async function checkPages(db: Kysely<Database>, hi: number, pageEntries: number): Promise<ChainResult> {
  const page = (after: number | null) => {
    let q = db.selectFrom('audit_log').select(COLUMNS).where('seq', '<=', hi);
    if (after !== null) q = q.where('seq', '>', after);
    const rows = q.orderBy('seq').limit(pageEntries).execute();
    // Read ahead while the current page is checked: its failure is seen when it is awaited (or
    // not at all when the check stops first), never as an unhandled rejection meanwhile.
    rows.catch(() => undefined);
    return rows;
  };
  let previous: ChainHead | null = null;
  let entries = 0;
  const entry: ChainedAuditRecord = {
    seq: 0, atMs: 0, actor: '', action: '', target: '', outcome: 'allowed', details: '', reason: null, prevHash: '', hash: '',
  };
  let next: ReturnType<typeof page> | null = page(null);
  while (next) {
    const rows: Awaited<ReturnType<typeof page>> = await next;
    const lastRow = rows[rows.length - 1];
    next = rows.length === pageEntries && lastRow ? page(Number(lastRow.seq)) : null;
    for (const r of rows) {
      entry.seq = Number(r.seq);
      entry.atMs = Number(r.at_ms);
      entry.actor = r.actor;
      entry.action = r.action;
      entry.target = r.target;
      entry.outcome = r.outcome as ChainedAuditRecord['outcome'];
      entry.details = r.details;
      entry.reason = r.reason;
      entry.prevHash = r.prev_hash;
      entry.hash = r.hash;
      const bad = checkLink(sha256Hex, previous, entry);
      if (bad) {
        return { entries, last: previous, firstBadSeq: bad.seq, problem: bad.problem };
      }
      previous = { seq: entry.seq, hash: entry.hash };
      entries += 1;
    }
    // On SQLite through Kysely a page arrives without going through the event loop: let it turn.
    await new Promise<void>((r) => setImmediate(r));
  }
  return { entries, last: previous, firstBadSeq: null, problem: null };
}
