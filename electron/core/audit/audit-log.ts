// The tamper-evident audit log (R4, KRK §5.3.4; docs/design/audit-chain.md).
// Invariants:
// - entries are appended in seq order, each hash covering its content and the previous hash;
// - an append resolves only after its transaction is committed with synchronous=FULL (durable);
// - concurrent appends are grouped into one transaction (group commit), in arrival order;
// - the batch is chained from the head read inside its own transaction, after (on PostgreSQL) a
//   transaction-level advisory lock: several engines sharing one database append to one chain in
//   turn, never forking it (docs/design/audit-chain.md "Several writers");
// - one entry is bounded whatever the caller passes (entry-bounds.ts);
// - after every commit the head (seq, hash) is written to an anchor file beside the database, so
//   verification also notices entries cut from the end of the log. The anchor is compared with the
//   log when the log is opened, before anything is appended; if they disagree it is held (never
//   rewritten) until an administrator acknowledges the alarm (anchor-guard.ts).
import path from 'node:path';
import { sql, type Kysely, type Selectable, type SelectQueryBuilder, type Transaction } from 'kysely';
import { chainHash, GENESIS_HASH, type AuditRecord } from '../../../shared/audit-chain';
import type { AuditEntryView, AuditFilter } from '../../../shared/contract';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { caseInsensitiveLike, isPostgres } from '../store/dialect';
import type { AuditLogTable, Database } from '../store/schema';
import { ANCHOR_FILE, checkAnchor, readAnchorFile, writeAnchorFile, type AnchorFinding, type ChainHead } from './anchor';
import { AUDIT_BOUNDS, boundDetails, cutText } from './entry-bounds';
import { sha256Hex } from './sha256';

export { ANCHOR_FILE } from './anchor';

export interface AuditInput {
  actor: string;
  action: string;
  target: string;
  outcome: AuditRecord['outcome'];
  details?: Record<string, unknown>;
  reason?: string | null;
}

const MAX_BATCH = 500;

/**
 * The key of the transaction-level advisory lock (`pg_advisory_xact_lock`) that every engine takes
 * on PostgreSQL before it reads the head and appends: "auditlog" in ASCII as a 64-bit integer. It
 * is released by the commit or rollback. Kysely's migrator uses another key (3853314791062309107).
 */
export const AUDIT_APPEND_LOCK_KEY = 7022629598041763687n;
/**
 * On PostgreSQL, a writer waits at most this long for another engine's append, and a transaction
 * of this engine left open this long (a frozen process) is ended by the server, releasing the lock:
 * one stuck engine fails the others' appends with an error instead of hanging them all.
 */
const APPEND_LOCK_TIMEOUT_MS = 10_000;

/** One entry as it will be stored: bounded, details already canonical JSON. */
type BoundedInput = Omit<AuditRecord, 'seq' | 'atMs'>;

interface Pending {
  input: BoundedInput;
  atMs: number;
  resolve: (seq: number) => void;
  reject: (err: unknown) => void;
}

export class AuditLog {
  private head: ChainHead = { seq: 0, hash: GENESIS_HASH };
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** What the start-up comparison of anchor and log found (null: they agree). */
  private finding: AnchorFinding | null = null;
  /** While true the anchor file is left as it is (an unacknowledged anchor alarm). */
  private anchorHeld = false;

  private constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly anchorPath: string | null,
  ) {}

  /**
   * `joiningTheSite`: this engine is a node joining a site on PostgreSQL for the first time
   * (docs/design/scale.md): its new data directory has no anchor while the site's log has entries,
   * and that is not a deletion; its anchor starts at the head. Any later start without it is.
   */
  static async open(db: Kysely<Database>, clock: Clock, logger: Logger, dataDir: string | null, o: { joiningTheSite?: boolean } = {}): Promise<AuditLog> {
    const log = new AuditLog(db, clock, logger, dataDir ? path.join(dataDir, ANCHOR_FILE) : null);
    const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (last) log.head = { seq: Number(last.seq), hash: last.hash };
    if (log.anchorPath) await log.checkAnchorAtOpen(log.anchorPath, o.joiningTheSite === true);
    return log;
  }

  /** Before anything is appended: the anchor must agree with the log, else it is held (docs/design/audit-chain.md). */
  private async checkAnchorAtOpen(anchorPath: string, joiningTheSite: boolean): Promise<void> {
    const read = readAnchorFile(anchorPath);
    if (read.state === 'missing' && joiningTheSite) {
      this.logger.info('a node joining the site: its audit anchor starts at the head of the site log', { seq: this.head.seq });
      this.writeAnchor();
      return;
    }
    let anchoredHash: string | undefined;
    if (read.state === 'ok' && read.anchor.seq > 0 && read.anchor.seq <= this.head.seq) {
      anchoredHash = (await this.db.selectFrom('audit_log').select('hash').where('seq', '=', read.anchor.seq).executeTakeFirst())?.hash;
    }
    this.finding = checkAnchor(read, this.head, () => anchoredHash);
    if (this.finding) {
      this.anchorHeld = true;
      this.logger.error(`audit anchor check failed: ${this.finding.sentence}`, { anchor: this.finding.anchor, head: this.finding.head });
    } else if (read.state === 'missing') {
      // A new, empty log: anchor it at the genesis, so that from now on a missing file means deletion.
      this.writeAnchor();
    }
  }

  get headSeq(): number {
    return this.head.seq;
  }

  /** The last committed entry. */
  get committedHead(): ChainHead {
    return { ...this.head };
  }

  /** The start-up disagreement of anchor and log, if there was one. */
  get anchorFinding(): AnchorFinding | null {
    return this.finding;
  }

  get isAnchorHeld(): boolean {
    return this.anchorHeld;
  }

  /** Stops anchor writes (an open anchor alarm from an earlier run). */
  holdAnchor(): void {
    this.anchorHeld = true;
  }

  /** After an administrator acknowledged the break: anchors at the current head and writes on. */
  releaseAnchor(): void {
    this.anchorHeld = false;
    this.finding = null;
    this.writeAnchor();
  }

  /**
   * Appends one entry; resolves with its seq once it is durably committed. The entry is bounded
   * here, whatever the caller passed (entry-bounds.ts): text cut and marked, details summarised.
   */
  append(input: AuditInput): Promise<number> {
    let bounded: BoundedInput;
    try {
      bounded = {
        actor: cutText(input.actor, AUDIT_BOUNDS.actorChars),
        action: cutText(input.action, AUDIT_BOUNDS.actionChars),
        target: cutText(input.target, AUDIT_BOUNDS.targetChars),
        outcome: input.outcome,
        details: boundDetails(input.details),
        reason: input.reason == null ? null : cutText(input.reason, AUDIT_BOUNDS.reasonChars),
      };
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ input: bounded, atMs: this.clock.nowMs(), resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /** Resolves when everything appended so far is committed. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    // Let the callers of this tick join the batch.
    await new Promise<void>((r) => setImmediate(r));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const rows = await this.commit(batch);
          const last = rows[rows.length - 1]!;
          this.head = { seq: last.seq, hash: last.hash };
          this.writeAnchor();
          batch.forEach((p, i) => p.resolve(rows[i]!.seq));
        } catch (err) {
          this.logger.error('audit append failed', { error: err });
          batch.forEach((p) => p.reject(err));
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  /**
   * One transaction: (PostgreSQL) the append lock, then the head as committed by whichever engine
   * wrote last, the batch chained from it, inserted. A failure rolls all of it back. On SQLite this
   * engine is the only writer and the head read is one index lookup; on PostgreSQL the lock makes
   * the read and the insert one step of one writer at a time, and the statement reading the head
   * starts after the lock is granted, so (READ COMMITTED) it sees the previous holder's commit.
   */
  private commit(batch: Pending[]): Promise<ChainedRow[]> {
    const postgres = isPostgres(this.db);
    const tx = postgres ? this.db.transaction().setIsolationLevel('read committed') : this.db.transaction();
    return tx.execute(async (trx) => {
      if (postgres) await takeAppendLock(trx);
      const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const rows = chainRows(last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH }, batch);
      await trx.insertInto('audit_log').values(rows).execute();
      return rows;
    });
  }

  private writeAnchor(): void {
    if (!this.anchorPath || this.anchorHeld) return;
    // Written after the commit, so the anchor is never ahead of the log. Not fsynced: after a
    // power loss it may lag, which only weakens the tail check, never makes it fail falsely.
    try {
      writeAnchorFile(this.anchorPath, this.head);
    } catch (err) {
      this.logger.warn('audit anchor not written', { error: err });
    }
  }

  async query(filter: AuditFilter, beforeSeq: number | undefined, limit: number, withTotal = true) {
    const q = whereAuditFilter(this.db, this.db.selectFrom('audit_log'), filter);
    const total = withTotal ? await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow() : { n: -1 };
    let page = q.selectAll();
    if (beforeSeq !== undefined) page = page.where('seq', '<', beforeSeq);
    const rows = await page.orderBy('seq', 'desc').limit(limit).execute();
    const entries: AuditEntryView[] = rows.map(toView);
    const lastRow = rows[rows.length - 1];
    return {
      entries,
      nextBeforeSeq: rows.length === limit && lastRow ? Number(lastRow.seq) : null,
      totalMatching: Number(total.n),
    };
  }
}

type ChainedRow = ReturnType<typeof chainRows>[number];

/** The batch's rows, chained from `head` in arrival order. */
function chainRows(head: ChainHead, batch: Pending[]) {
  let { seq, hash } = head;
  return batch.map((p) => {
    seq += 1;
    const record: AuditRecord = { seq, atMs: p.atMs, ...p.input };
    const prevHash = hash;
    hash = chainHash(sha256Hex, record, prevHash);
    return {
      seq: record.seq,
      at_ms: record.atMs,
      actor: record.actor,
      action: record.action,
      target: record.target,
      outcome: record.outcome,
      details: record.details,
      reason: record.reason,
      prev_hash: prevHash,
      hash,
    };
  });
}

/** PostgreSQL: the append lock, with the time limits above, held until the transaction ends. */
async function takeAppendLock(trx: Transaction<Database>): Promise<void> {
  const limit = String(APPEND_LOCK_TIMEOUT_MS);
  await sql`SELECT set_config('lock_timeout', ${limit}, true), set_config('idle_in_transaction_session_timeout', ${limit}, true)`.execute(trx);
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(AUDIT_APPEND_LOCK_KEY)})`.execute(trx);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * The audit filter as Kysely conditions (AuditLog.query, the PostgreSQL CSV report), values bound.
 * Text matches ignore ASCII case on both stores: SQLite's LIKE does, PostgreSQL's ILIKE is used for
 * it (which also folds non-ASCII letters).
 */
export function whereAuditFilter<O>(db: Kysely<Database>, q: SelectQueryBuilder<Database, 'audit_log', O>, filter: AuditFilter): SelectQueryBuilder<Database, 'audit_log', O> {
  const like = sql.raw(caseInsensitiveLike(db).toUpperCase());
  let out = q;
  if (filter.fromMs !== undefined) out = out.where('at_ms', '>=', filter.fromMs);
  if (filter.toMs !== undefined) out = out.where('at_ms', '<=', filter.toMs);
  if (filter.actor) out = out.where('actor', '=', filter.actor);
  if (filter.action) out = out.where(sql<boolean>`action ${like} ${escapeLike(filter.action) + '%'} ESCAPE '\\'`);
  if (filter.target) out = out.where(sql<boolean>`target ${like} ${'%' + escapeLike(filter.target) + '%'} ESCAPE '\\'`);
  if (filter.outcome) out = out.where('outcome', '=', filter.outcome);
  return out;
}

export function toView(row: Selectable<AuditLogTable>): AuditEntryView {
  return {
    seq: Number(row.seq),
    atMs: Number(row.at_ms),
    actor: row.actor,
    action: row.action,
    target: row.target,
    outcome: row.outcome as AuditEntryView['outcome'],
    details: row.details,
    reason: row.reason,
  };
}
