// The register of data-subject requests (docs/design/subject-requests.md; BRN art. 15-17; JON 17-20;
// ELB 1.14). The one owner of the subject_request* tables. A request's current state is on its row;
// every step is a line of subject_request_events; the database keeps the history, links and viewings
// append-only and each step written once (migration 0019). The rules are checked by handlers.ts; the
// deadlines are deadlines.ts. New and changed requests, and requests whose deadline becomes near or
// overdue, are pushed to those who read the register (docs/design/events.md).
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { SITE_COUNTRIES, subjectRequestReference, type SiteCountry, type SubjectDecision, type SubjectRequestKind, type SubjectRequestView } from '../../../shared/contract';
import type { Clock } from '../clock';
import { NO_EVENTS, type EventPublisher } from '../events/domain-events';
import { detailsColumn, historyLine } from '../store/history-lines';
import type { Database, SubjectRequestEventsTable, SubjectRequestsTable } from '../store/schema';
import { feeCurrency, originalDeadline, subjectDeadline } from './deadlines';

type Channel = SubjectRequestView['channel'];
export type Identity = { method: NonNullable<SubjectRequestView['identity']>['method']; checkedBy: string; note: string };

export interface NewSubjectRequest {
  kind: SubjectRequestKind;
  receivedAtMs: number;
  channel: Channel;
  requesterName: string;
  requesterContact: string;
  footage: string;
  identity: Identity | null;
}

export interface Decision {
  outcome: SubjectDecision;
  reason: string;
  remediesTold: boolean;
  fee: { amountMinor: number; reason: string } | null;
}

export interface Answer {
  atMs: number;
  channel: string;
  appointmentAtMs: number | null;
  note: string;
}

export interface Viewing {
  cameraIds: readonly number[];
  fromMs: number;
  toMs: number;
  shownBy: string;
  shownAtMs: number;
  note: string;
}

/** What the register shows of a linked hold or export request (read through their owners' services). */
export interface LinkedRecords {
  hold(holdId: number): Promise<{ label: string; status: string } | undefined>;
  export(exportId: number): Promise<{ label: string; status: string; bodyType: string; redaction: 'boxes_confirmed' | 'attested' | null } | undefined>;
}

const NO_LINKED: LinkedRecords = { hold: () => Promise.resolve(undefined), export: () => Promise.resolve(undefined) };

/** How often the engine looks for requests whose deadline became near or overdue. */
export const DEADLINE_SWEEP_MS = 60_000;

export class SubjectRequestsService {
  /** The deadline state last pushed per pending request, so each change is pushed once. */
  private readonly flagged = new Map<number, 'near' | 'overdue'>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly country: () => Promise<SiteCountry>,
    private readonly events: EventPublisher = NO_EVENTS,
    private readonly linked: LinkedRecords = NO_LINKED,
  ) {}

  async record(actor: string, n: NewSubjectRequest): Promise<number> {
    const now = this.clock.nowMs();
    const country = await this.country();
    const deadlineMs = originalDeadline(country, n.receivedAtMs);
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('subject_requests')
        .values({
          kind: n.kind,
          status: 'open',
          country,
          received_at_ms: n.receivedAtMs,
          channel: n.channel,
          requester_name: n.requesterName,
          requester_contact: n.requesterContact,
          footage: n.footage,
          recorded_by: actor,
          recorded_at_ms: now,
          deadline_ms: deadlineMs,
          ...NOT_YET,
          ...(n.identity ? identityColumns(actor, n.identity, now) : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('subject_request_events').values({ request_id: row.id, at_ms: now, actor, action: 'recorded', note: '', details: detailsColumn({ kind: n.kind, receivedAtMs: n.receivedAtMs, dueDateMs: deadlineMs, country }) }).execute();
      if (n.identity) await trx.insertInto('subject_request_events').values(identityEvent(row.id, actor, n.identity, now)).execute();
      return row.id;
    });
    this.events.publish({ type: 'subject.recorded', requestId: id });
    return id;
  }

  async verifyIdentity(actor: string, requestId: number, identity: Identity): Promise<void> {
    const now = this.clock.nowMs();
    await this.step(requestId, identityColumns(actor, identity, now), identityEvent(requestId, actor, identity, now));
  }

  async extend(actor: string, requestId: number, e: { months: 1 | 2; untilMs: number; reason: string; toldAtMs: number }): Promise<void> {
    const now = this.clock.nowMs();
    await this.step(
      requestId,
      { extended_until_ms: e.untilMs, extension_months: e.months, extension_reason: e.reason, extension_told_at_ms: e.toldAtMs, extended_by: actor, extended_at_ms: now },
      { request_id: requestId, at_ms: now, actor, action: 'extended', note: e.reason, details: detailsColumn({ months: e.months, untilDateMs: e.untilMs, toldAtMs: e.toldAtMs }) },
    );
  }

  async decide(actor: string, requestId: number, d: Decision, country: SiteCountry): Promise<void> {
    const now = this.clock.nowMs();
    const currency = feeCurrency(country);
    await this.step(
      requestId,
      {
        status: 'decided',
        decision: d.outcome,
        decision_reason: d.reason,
        remedies_told: d.remediesTold ? 1 : 0,
        fee_amount_minor: d.fee?.amountMinor ?? null,
        fee_currency: d.fee ? currency : null,
        fee_reason: d.fee?.reason ?? null,
        decided_by: actor,
        decided_at_ms: now,
      },
      {
        request_id: requestId,
        at_ms: now,
        actor,
        action: 'decided',
        note: [d.reason, d.fee?.reason ?? ''].filter(Boolean).join('\n\n'),
        details: detailsColumn({ kind: d.outcome, feeMinor: d.fee?.amountMinor, currency: d.fee ? currency : undefined }),
      },
    );
  }

  async answer(actor: string, requestId: number, a: Answer): Promise<void> {
    const now = this.clock.nowMs();
    await this.step(
      requestId,
      { status: 'answered', answered_at_ms: a.atMs, answer_channel: a.channel, appointment_at_ms: a.appointmentAtMs, answer_note: a.note, answered_by: actor },
      { request_id: requestId, at_ms: now, actor, action: 'answered', note: a.note, details: detailsColumn({ answeredAtMs: a.atMs, channel: a.channel, appointmentAtMs: a.appointmentAtMs ?? undefined }) },
    );
    this.flagged.delete(requestId);
  }

  /** Links a hold or an export request; false when it was linked already. */
  async link(actor: string, requestId: number, kind: 'hold' | 'export', targetId: number, label: string): Promise<boolean> {
    const now = this.clock.nowMs();
    const linked = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('subject_request_links')
        .values({ request_id: requestId, kind, target_id: targetId, linked_by: actor, linked_at_ms: now })
        .onConflict((oc) => oc.columns(['request_id', 'kind', 'target_id']).doNothing())
        .returning('target_id')
        .executeTakeFirst();
      if (!row) return false;
      await trx.insertInto('subject_request_events').values({ request_id: requestId, at_ms: now, actor, action: 'linked', note: '', details: detailsColumn({ kind, targetId, label }) }).execute();
      return true;
    });
    if (linked) this.events.publish({ type: 'subject.changed', requestId });
    return linked;
  }

  async recordViewing(actor: string, requestId: number, v: Viewing): Promise<void> {
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('subject_request_viewings')
        .values({ request_id: requestId, from_ms: v.fromMs, to_ms: v.toMs, shown_by: v.shownBy, shown_at_ms: v.shownAtMs, note: v.note, recorded_by: actor, recorded_at_ms: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('subject_request_viewing_cameras').values([...new Set(v.cameraIds)].map((cameraId) => ({ viewing_id: row.id, camera_id: cameraId }))).execute();
      await trx
        .insertInto('subject_request_events')
        .values({ request_id: requestId, at_ms: now, actor, action: 'viewing', note: v.note, details: detailsColumn({ shownBy: v.shownBy, shownAtMs: v.shownAtMs, fromAtMs: v.fromMs, toAtMs: v.toMs, cameras: v.cameraIds.length }) })
        .execute();
    });
    this.events.publish({ type: 'subject.changed', requestId });
  }

  async get(requestId: number): Promise<SubjectRequestView | undefined> {
    return (await this.query('all', [requestId]))[0];
  }

  list(show: 'pending' | 'answered' | 'all' = 'all'): Promise<SubjectRequestView[]> {
    return this.query(show);
  }

  /**
   * Pushes `subject.deadline` once for every pending request whose deadline became near or overdue
   * since the last sweep (the supervisors' and the officer's queues flag it). Returns how many were pushed.
   */
  async sweepDeadlines(): Promise<number> {
    const now = this.clock.nowMs();
    const rows = await this.db.selectFrom('subject_requests').selectAll().where('status', '!=', 'answered').execute();
    let pushed = 0;
    const pending = new Set<number>();
    for (const r of rows) {
      pending.add(r.id);
      const { state } = subjectDeadline(factsOf(r), now);
      if (state !== 'near' && state !== 'overdue') {
        this.flagged.delete(r.id);
        continue;
      }
      if (this.flagged.get(r.id) === state) continue;
      this.flagged.set(r.id, state);
      this.events.publish({ type: 'subject.deadline', requestId: r.id, state });
      pushed += 1;
    }
    for (const id of this.flagged.keys()) if (!pending.has(id)) this.flagged.delete(id);
    return pushed;
  }

  /** Sweeps every minute until stop(); a failed sweep is logged by the caller's `onError` and retried at the next. */
  start(onError: (err: unknown) => void, runsHere: () => boolean = () => true): void {
    if (this.timer) return;
    // Several nodes: one node pushes the deadlines (each node would, once, to every seat).
    const sweep = () => {
      if (runsHere()) void this.sweepDeadlines().catch(onError);
    };
    sweep();
    this.timer = setInterval(sweep, DEADLINE_SWEEP_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One step on the row and its history line, together; pushed as a change. */
  private async step(requestId: number, set: Updateable<SubjectRequestsTable>, event: Insertable<SubjectRequestEventsTable>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('subject_requests').set(set).where('id', '=', requestId).execute();
      await trx.insertInto('subject_request_events').values(event).execute();
    });
    this.events.publish({ type: 'subject.changed', requestId });
  }

  private async query(show: 'pending' | 'answered' | 'all', onlyIds?: number[]): Promise<SubjectRequestView[]> {
    let q = this.db.selectFrom('subject_requests').selectAll().orderBy('id', 'desc');
    if (onlyIds) q = q.where('id', 'in', onlyIds);
    if (show === 'pending') q = q.where('status', '!=', 'answered');
    if (show === 'answered') q = q.where('status', '=', 'answered');
    const rows = await q.limit(500).execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const events = await this.db.selectFrom('subject_request_events').selectAll().where('request_id', 'in', ids).orderBy('id').execute();
    const links = await this.db.selectFrom('subject_request_links').selectAll().where('request_id', 'in', ids).orderBy('linked_at_ms').execute();
    const viewings = await this.db.selectFrom('subject_request_viewings').selectAll().where('request_id', 'in', ids).orderBy('id').execute();
    const viewingCameras = viewings.length
      ? await this.db
          .selectFrom('subject_request_viewing_cameras as v')
          .innerJoin('cameras as c', 'c.id', 'v.camera_id')
          .select(['v.viewing_id', 'v.camera_id', 'c.name'])
          .where(
            'v.viewing_id',
            'in',
            viewings.map((v) => v.id),
          )
          .orderBy('c.name')
          .execute()
      : [];
    const linkViews = new Map<number, SubjectRequestView['links']>();
    for (const l of links) {
      const found = l.kind === 'hold' ? await this.linked.hold(l.target_id) : await this.linked.export(l.target_id);
      const redaction = found && 'redaction' in found ? (found.redaction as SubjectRequestView['links'][number]['redaction']) : null;
      const view = { kind: l.kind, targetId: l.target_id, label: found?.label ?? `#${l.target_id}`, status: found?.status ?? null, redaction, linkedBy: l.linked_by, linkedAtMs: Number(l.linked_at_ms) };
      linkViews.set(l.request_id, [...(linkViews.get(l.request_id) ?? []), view]);
    }
    const now = this.clock.nowMs();
    return rows.map((r) => ({
      ...viewOf(r, now),
      links: linkViews.get(r.id) ?? [],
      viewings: viewings
        .filter((v) => v.request_id === r.id)
        .map((v) => ({
          id: v.id,
          cameras: viewingCameras.filter((c) => c.viewing_id === v.id).map((c) => ({ cameraId: c.camera_id, cameraName: c.name })),
          fromMs: Number(v.from_ms),
          toMs: Number(v.to_ms),
          shownBy: v.shown_by,
          shownAtMs: Number(v.shown_at_ms),
          note: v.note,
          recordedBy: v.recorded_by,
        })),
      history: events.filter((e) => e.request_id === r.id).map(historyLine),
    }));
  }
}

const NOT_YET = {
  identity_method: null,
  identity_checked_by: null,
  identity_note: null,
  identity_recorded_by: null,
  identity_at_ms: null,
  extended_until_ms: null,
  extension_months: null,
  extension_reason: null,
  extension_told_at_ms: null,
  extended_by: null,
  extended_at_ms: null,
  decision: null,
  decision_reason: null,
  remedies_told: null,
  fee_amount_minor: null,
  fee_currency: null,
  fee_reason: null,
  decided_by: null,
  decided_at_ms: null,
  answered_at_ms: null,
  answer_channel: null,
  appointment_at_ms: null,
  answer_note: null,
  answered_by: null,
} as const;

function identityColumns(actor: string, i: Identity, now: number) {
  return { identity_method: i.method, identity_checked_by: i.checkedBy, identity_note: i.note, identity_recorded_by: actor, identity_at_ms: now };
}

function identityEvent(requestId: number, actor: string, i: Identity, now: number) {
  return { request_id: requestId, at_ms: now, actor, action: 'identity checked', note: i.note, details: detailsColumn({ kind: i.method, checkedBy: i.checkedBy }) };
}

const num = (v: number | bigint | null): number | null => (v === null ? null : Number(v));
const countryOf = (c: string): SiteCountry => ((SITE_COUNTRIES as readonly string[]).includes(c) ? (c as SiteCountry) : 'PL');

function factsOf(r: Selectable<SubjectRequestsTable>) {
  return {
    country: countryOf(r.country),
    receivedAtMs: Number(r.received_at_ms),
    originalDueMs: Number(r.deadline_ms),
    extendedUntilMs: num(r.extended_until_ms),
    decidedAtMs: num(r.decided_at_ms),
    answeredAtMs: num(r.answered_at_ms),
  };
}

function viewOf(r: Selectable<SubjectRequestsTable>, nowMs: number): Omit<SubjectRequestView, 'links' | 'viewings' | 'history'> {
  return {
    id: r.id,
    reference: subjectRequestReference(r.id),
    kind: r.kind,
    status: r.status,
    country: countryOf(r.country),
    receivedAtMs: Number(r.received_at_ms),
    channel: r.channel,
    requesterName: r.requester_name,
    requesterContact: r.requester_contact,
    footage: r.footage,
    recordedBy: r.recorded_by,
    recordedAtMs: Number(r.recorded_at_ms),
    identity:
      r.identity_method === null
        ? null
        : { method: r.identity_method, checkedBy: r.identity_checked_by ?? '', note: r.identity_note ?? '', recordedBy: r.identity_recorded_by ?? '', atMs: Number(r.identity_at_ms) },
    deadline: subjectDeadline(factsOf(r), nowMs),
    extension:
      r.extended_until_ms === null
        ? null
        : {
            months: r.extension_months === 2 ? 2 : 1,
            untilMs: Number(r.extended_until_ms),
            reason: r.extension_reason ?? '',
            toldRequesterAtMs: Number(r.extension_told_at_ms),
            by: r.extended_by ?? '',
            atMs: Number(r.extended_at_ms),
          },
    decision:
      r.decision === null
        ? null
        : {
            outcome: r.decision,
            reason: r.decision_reason ?? '',
            fee: r.fee_amount_minor === null ? null : { amountMinor: Number(r.fee_amount_minor), currency: r.fee_currency ?? '', reason: r.fee_reason ?? '' },
            remediesTold: r.remedies_told === 1,
            by: r.decided_by ?? '',
            atMs: Number(r.decided_at_ms),
          },
    answer:
      r.answered_at_ms === null
        ? null
        : { atMs: Number(r.answered_at_ms), channel: r.answer_channel ?? '', appointmentAtMs: num(r.appointment_at_ms), note: r.answer_note ?? '', recordedBy: r.answered_by ?? '' },
  };
}
