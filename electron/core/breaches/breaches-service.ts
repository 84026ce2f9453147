// The breach register (docs/design/breaches.md; JON 21-23; BRN 24.3(vii), 36-38). The one owner of
// the breaches, breach_cameras and breach_events tables. A breach's current state is on its row;
// every step is a line of breach_events, which the database keeps append-only. Reported and changed
// breaches are pushed to those who read the register (docs/design/events.md).
import type { Kysely, Selectable } from 'kysely';
import { BREACH_NOTIFY_WITHIN_MS, BREACH_WARN_AFTER_MS, breachClockAt, type BreachCategory, type BreachProposal, type BreachView } from '../../../shared/contract';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { NO_EVENTS, type EventPublisher } from '../events/domain-events';
import { detailsColumn, historyLine, type HistoryValues } from '../store/history-lines';
import type { BreachesTable, Database } from '../store/schema';

/** The actor of what the engine records itself (a reserved user name, RESERVED_USERNAMES). */
export const ENGINE_ACTOR = 'system';

export interface NewBreach {
  what: string;
  discoveredAtMs: number;
  cameraIds: readonly number[];
  records: string;
}

export interface Assessment {
  category: BreachCategory;
  reasoning: string;
  subjectsNotice: 'notify' | 'not_notify' | null;
  subjectsNotNotifiedReason: string | null;
}

export interface Notification {
  to: 'authority' | 'data_subjects';
  atMs: number;
  channel: string;
  reference: string;
}

export type ProposalKind = BreachProposal;

/** What the engine found that may be a breach; `key` names the finding so it is proposed once. */
export interface Proposal {
  kind: ProposalKind;
  key: string;
  what: string;
  records: string;
  details: HistoryValues;
  /** The cameras whose footage the finding concerns (shown with the record like a reporter's). */
  cameraIds?: readonly number[];
}

/** A record the 48-hour reminder was written for (remindDue). */
export interface Reminded {
  id: number;
  discoveredAtMs: number;
  category: BreachCategory | null;
}

export const breachReference = (id: number): string => `BR-${id}`;

export class BreachesService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: EventPublisher = NO_EVENTS,
  ) {}

  async report(actor: string, b: NewBreach): Promise<number> {
    const now = this.clock.nowMs();
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('breaches')
        .values({ status: 'open', source: 'person', proposal: null, proposal_key: null, what: b.what, records: b.records, discovered_at_ms: b.discoveredAtMs, reported_at_ms: now, reported_by: actor, ...NOT_ASSESSED })
        .returning('id')
        .executeTakeFirstOrThrow();
      const cameraIds = [...new Set(b.cameraIds)];
      if (cameraIds.length) await trx.insertInto('breach_cameras').values(cameraIds.map((cameraId) => ({ breach_id: row.id, camera_id: cameraId }))).execute();
      await trx.insertInto('breach_events').values({ breach_id: row.id, at_ms: now, actor, action: 'reported', note: '', details: detailsColumn({ discoveredAtMs: b.discoveredAtMs }) }).execute();
      return row.id;
    });
    this.events.publish({ type: 'breach.reported', breachId: id });
    return id;
  }

  /**
   * The engine's own proposal (JON 23): at most one record per finding (the unique proposal_key),
   * however often the same break is found again. Returns the new record's id, or null when the
   * finding was already proposed.
   */
  async propose(p: Proposal): Promise<number | null> {
    const now = this.clock.nowMs();
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('breaches')
        .values({ status: 'open', source: 'engine', proposal: p.kind, proposal_key: p.key, what: p.what, records: p.records, discovered_at_ms: now, reported_at_ms: now, reported_by: ENGINE_ACTOR, ...NOT_ASSESSED })
        .onConflict((oc) => oc.column('proposal_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return null;
      const cameraIds = [...new Set(p.cameraIds ?? [])];
      if (cameraIds.length) await trx.insertInto('breach_cameras').values(cameraIds.map((cameraId) => ({ breach_id: row.id, camera_id: cameraId }))).execute();
      await trx.insertInto('breach_events').values({ breach_id: row.id, at_ms: now, actor: ENGINE_ACTOR, action: 'proposed', note: '', details: detailsColumn({ kind: p.kind, ...p.details }) }).execute();
      return row.id;
    });
    if (id === null) return null;
    await this.audit.append({ actor: ENGINE_ACTOR, action: 'breaches.proposed', target: `breach#${id}`, outcome: 'allowed', details: { kind: p.kind, key: p.key } });
    this.events.publish({ type: 'breach.reported', breachId: id });
    return id;
  }

  /** The keys and times of the engine's proposals of `kind` since `sinceMs` (what a detector proposed before a restart). */
  async proposedSince(kind: ProposalKind, sinceMs: number): Promise<{ key: string; atMs: number }[]> {
    const rows = await this.db.selectFrom('breaches').select(['proposal_key', 'reported_at_ms']).where('proposal', '=', kind).where('reported_at_ms', '>=', sinceMs).execute();
    return rows.map((r) => ({ key: r.proposal_key ?? '', atMs: Number(r.reported_at_ms) }));
  }

  /**
   * The reminder a day before the 72-hour deadline (BRN 37; docs/design/breaches.md): every open
   * record 48 hours or more after its discovery whose authority has not been notified and that is not
   * assessed category 1 gets one line `reminded` in its history, once; answers the records reminded
   * now (the caller raises their alarms). A record reminded before is never reminded again.
   */
  async remindDue(): Promise<Reminded[]> {
    const now = this.clock.nowMs();
    const due = await this.db
      .selectFrom('breaches as b')
      .select(['b.id', 'b.discovered_at_ms', 'b.category'])
      .where('b.status', '=', 'open')
      .where('b.authority_notified_at_ms', 'is', null)
      .where('b.discovered_at_ms', '<=', now - BREACH_WARN_AFTER_MS)
      .where((eb) => eb.or([eb('b.category', 'is', null), eb('b.category', '>=', 2)]))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('breach_events as e').select('e.id').whereRef('e.breach_id', '=', 'b.id').where('e.action', '=', 'reminded'))))
      .orderBy('b.id')
      .execute();
    const out: Reminded[] = [];
    for (const r of due) {
      const deadlineMs = Number(r.discovered_at_ms) + BREACH_NOTIFY_WITHIN_MS;
      // Checked again inside the write: two runs at once remind a record once.
      const written = await this.db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('breach_events').select('id').where('breach_id', '=', r.id).where('action', '=', 'reminded').executeTakeFirst()) return false;
        await trx.insertInto('breach_events').values({ breach_id: r.id, at_ms: now, actor: ENGINE_ACTOR, action: 'reminded', note: '', details: detailsColumn({ deadlineAtMs: deadlineMs }) }).execute();
        return true;
      });
      if (!written) continue;
      out.push({ id: r.id, discoveredAtMs: Number(r.discovered_at_ms), category: r.category === null ? null : (Number(r.category) as BreachCategory) });
      this.events.publish({ type: 'breach.changed', breachId: r.id });
    }
    return out;
  }

  async assess(actor: string, breachId: number, a: Assessment): Promise<void> {
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('breaches')
        .set({ category: a.category, reasoning: a.reasoning, assessed_by: actor, assessed_at_ms: now, subjects_notice: a.subjectsNotice, subjects_not_notified_reason: a.subjectsNotNotifiedReason })
        .where('id', '=', breachId)
        .execute();
      const note = a.subjectsNotNotifiedReason ? `${a.reasoning}\n\n${a.subjectsNotNotifiedReason}` : a.reasoning;
      await trx.insertInto('breach_events').values({ breach_id: breachId, at_ms: now, actor, action: 'assessed', note, details: detailsColumn({ category: a.category, kind: a.subjectsNotice ?? undefined }) }).execute();
    });
    this.events.publish({ type: 'breach.changed', breachId });
  }

  async recordNotification(actor: string, breachId: number, n: Notification): Promise<void> {
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      const set =
        n.to === 'authority'
          ? { authority_notified_at_ms: n.atMs, authority_channel: n.channel, authority_reference: n.reference, authority_recorded_by: actor }
          : { subjects_notified_at_ms: n.atMs, subjects_channel: n.channel, subjects_reference: n.reference, subjects_recorded_by: actor };
      await trx.updateTable('breaches').set(set).where('id', '=', breachId).execute();
      await trx
        .insertInto('breach_events')
        .values({ breach_id: breachId, at_ms: now, actor, action: 'notified', note: '', details: detailsColumn({ kind: n.to, notifiedAtMs: n.atMs, channel: n.channel, reference: n.reference }) })
        .execute();
    });
    this.events.publish({ type: 'breach.changed', breachId });
  }

  async close(actor: string, breachId: number, reason: string): Promise<void> {
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('breaches').set({ status: 'closed', closed_by: actor, closed_at_ms: now }).where('id', '=', breachId).execute();
      await trx.insertInto('breach_events').values({ breach_id: breachId, at_ms: now, actor, action: 'closed', note: reason }).execute();
    });
    this.events.publish({ type: 'breach.changed', breachId });
  }

  async get(breachId: number): Promise<BreachView | undefined> {
    return (await this.query(undefined, [breachId]))[0];
  }

  list(status?: 'open' | 'closed'): Promise<BreachView[]> {
    return this.query(status);
  }

  /** Every record, newest first, as of now (the printed register: none left out). */
  async all(): Promise<BreachView[]> {
    const out: BreachView[] = [];
    for (let page = await this.query(undefined, undefined, undefined); page.length > 0; page = await this.query(undefined, undefined, page.at(-1)!.id)) out.push(...page);
    return out;
  }

  private async query(status?: 'open' | 'closed', onlyIds?: number[], beforeId?: number): Promise<BreachView[]> {
    let q = this.db.selectFrom('breaches').selectAll().orderBy('id', 'desc');
    if (onlyIds) q = q.where('id', 'in', onlyIds);
    if (status) q = q.where('status', '=', status);
    if (beforeId !== undefined) q = q.where('id', '<', beforeId);
    const rows = await q.limit(500).execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const cameras = await this.db
      .selectFrom('breach_cameras as b')
      .innerJoin('cameras as c', 'c.id', 'b.camera_id')
      .select(['b.breach_id', 'b.camera_id', 'c.name'])
      .where('b.breach_id', 'in', ids)
      .orderBy('c.name')
      .execute();
    const events = await this.db.selectFrom('breach_events').selectAll().where('breach_id', 'in', ids).orderBy('id').execute();
    const now = this.clock.nowMs();
    return rows.map((r) => viewOf(r, cameras.filter((c) => c.breach_id === r.id).map((c) => ({ cameraId: c.camera_id, cameraName: c.name })), events.filter((e) => e.breach_id === r.id).map(historyLine), now));
  }
}

const NOT_ASSESSED = {
  category: null,
  assessed_by: null,
  assessed_at_ms: null,
  reasoning: null,
  subjects_notice: null,
  subjects_not_notified_reason: null,
  authority_notified_at_ms: null,
  authority_channel: null,
  authority_reference: null,
  authority_recorded_by: null,
  subjects_notified_at_ms: null,
  subjects_channel: null,
  subjects_reference: null,
  subjects_recorded_by: null,
  closed_by: null,
  closed_at_ms: null,
} as const;

const num = (v: number | bigint | null): number | null => (v === null ? null : Number(v));

function viewOf(r: Selectable<BreachesTable>, cameras: BreachView['cameras'], history: BreachView['history'], nowMs: number): BreachView {
  const discoveredAtMs = Number(r.discovered_at_ms);
  const authorityNotifiedAtMs = num(r.authority_notified_at_ms);
  const category = r.category === null ? null : (Number(r.category) as BreachCategory);
  return {
    id: r.id,
    reference: breachReference(r.id),
    status: r.status,
    source: r.source,
    proposal: r.proposal,
    what: r.what,
    records: r.records,
    discoveredAtMs,
    reportedAtMs: Number(r.reported_at_ms),
    reportedBy: r.reported_by,
    cameras,
    category,
    assessedBy: r.assessed_by,
    assessedAtMs: num(r.assessed_at_ms),
    reasoning: r.reasoning,
    subjectsNotice: r.subjects_notice,
    subjectsNotNotifiedReason: r.subjects_not_notified_reason,
    authorityNotification:
      authorityNotifiedAtMs === null ? null : { atMs: authorityNotifiedAtMs, channel: r.authority_channel ?? '', reference: r.authority_reference ?? '', recordedBy: r.authority_recorded_by ?? '' },
    subjectsNotification:
      r.subjects_notified_at_ms === null ? null : { atMs: Number(r.subjects_notified_at_ms), channel: r.subjects_channel ?? '', reference: r.subjects_reference ?? '', recordedBy: r.subjects_recorded_by ?? '' },
    clock: breachClockAt({ discoveredAtMs, category, authorityNotifiedAtMs }, nowMs),
    history,
  };
}
