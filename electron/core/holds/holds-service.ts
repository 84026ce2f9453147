// Legal holds (R2; ELB 1.13, 1.14, JON 11): footage that is or may become evidence is kept
// past retention until a supervisor releases it. A hold only grows until it is released; every
// change is kept in its history and in the audit log.
import { sql, type Kysely } from 'kysely';
import type { HoldView, ProtectedExport } from '../../../shared/contract';
import type { Clock } from '../clock';
import { caseInsensitiveLike } from '../store/dialect';
import { detailsColumn, historyLine, type HistoryValues } from '../store/history-lines';
import { NO_EVENTS, type EventPublisher } from '../events/domain-events';
import type { Database } from '../store/schema';
import { recordFilter, seesRecordOf, type Visibility } from '../visibility';

export interface HoldFilter {
  status?: 'active' | 'released';
  search?: string;
  cameraId?: number;
  overdueOnly?: boolean;
}

export interface NewHold {
  kind: 'legal' | 'data_subject';
  caseReference: string;
  legalBasis: string;
  requestingBody: string;
  reason: string;
  reviewDateMs: number;
  items: readonly { cameraId: number; fromMs: number; toMs: number }[];
}

export class HoldsService {
  /**
   * The export each active hold protects until its handover (set by the engine once exports exist:
   * production places those holds, so exports are built after holds).
   */
  exportsUnderHold: (holdIds: readonly number[]) => Promise<Map<number, ProtectedExport>> = async () => new Map();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Pushed events (docs/design/events.md): placed, extended, released. */
    private readonly events: EventPublisher = NO_EVENTS,
  ) {}

  async place(actor: string, h: NewHold): Promise<number> {
    const now = this.clock.nowMs();
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('holds')
        .values({
          kind: h.kind,
          case_reference: h.caseReference,
          legal_basis: h.legalBasis,
          requesting_body: h.requestingBody,
          reason: h.reason,
          review_date_ms: h.reviewDateMs,
          status: 'active',
          created_by: actor,
          created_at_ms: now,
          released_by: null,
          released_at_ms: null,
          release_reason: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('hold_items').values(h.items.map((i) => ({ hold_id: row.id, camera_id: i.cameraId, from_ms: i.fromMs, to_ms: i.toMs }))).execute();
      await trx.insertInto('hold_events').values({ hold_id: row.id, at_ms: now, actor, action: 'placed', note: h.reason }).execute();
      return row.id;
    });
    this.events.publish({ type: 'hold.placed', holdId: id, cameraIds: [...new Set(h.items.map((i) => i.cameraId))] });
    return id;
  }

  async extend(actor: string, holdId: number, reviewDateMs: number | null, addItems: NewHold['items'], reason: string): Promise<void> {
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      if (reviewDateMs !== null) await trx.updateTable('holds').set({ review_date_ms: reviewDateMs }).where('id', '=', holdId).execute();
      if (addItems.length) await trx.insertInto('hold_items').values(addItems.map((i) => ({ hold_id: holdId, camera_id: i.cameraId, from_ms: i.fromMs, to_ms: i.toMs }))).execute();
      const kind = reviewDateMs !== null && addItems.length ? 'both' : reviewDateMs !== null ? 'review' : 'ranges';
      const details = detailsColumn({ kind, reviewDateMs: reviewDateMs ?? undefined, rangesAdded: addItems.length || undefined });
      await trx.insertInto('hold_events').values({ hold_id: holdId, at_ms: now, actor, action: 'extended', note: reason, details }).execute();
    });
    this.events.publish({ type: 'hold.extended', holdId });
  }

  /** `details`: the engine's values when it releases a hold itself (a handover names the export and its receiver). */
  async release(actor: string, holdId: number, reason: string, details?: HistoryValues): Promise<void> {
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('holds').set({ status: 'released', released_by: actor, released_at_ms: now, release_reason: reason }).where('id', '=', holdId).execute();
      await trx.insertInto('hold_events').values({ hold_id: holdId, at_ms: now, actor, action: 'released', note: details ? '' : reason, details: detailsColumn(details) }).execute();
    });
    this.events.publish({ type: 'hold.released', holdId });
  }

  /** The cameras a hold covers (routes its pushed events). */
  async cameraIdsOf(holdId: number): Promise<number[]> {
    return (await this.db.selectFrom('hold_items').select('camera_id').distinct().where('hold_id', '=', holdId).execute()).map((i) => i.camera_id);
  }

  async get(holdId: number): Promise<HoldView | undefined> {
    return (await this.query({}, null, [holdId]))[0];
  }

  /** A hold is visible to whoever reads every record or sees one of its cameras. */
  async isVisible(holdId: number, v: Visibility): Promise<boolean> {
    const items = await this.db.selectFrom('hold_items').select('camera_id').where('hold_id', '=', holdId).execute();
    return items.length > 0 && seesRecordOf(v, items.map((i) => i.camera_id));
  }

  /** The first hold whose case reference is this one (a playback reason naming it links it), any case. */
  async idByCaseReference(reference: string): Promise<number | null> {
    const row = await this.db.selectFrom('holds').select('id').where(sql<string>`lower(case_reference)`, '=', reference.toLowerCase()).orderBy('id').executeTakeFirst();
    return row?.id ?? null;
  }

  list(f: HoldFilter, v: Visibility): Promise<HoldView[]> {
    return this.query(f, recordFilter(v));
  }

  private async query(f: HoldFilter, visibleCameraIds: ReadonlySet<number> | null, onlyIds?: number[]): Promise<HoldView[]> {
    let q = this.db.selectFrom('holds').selectAll().orderBy('id', 'desc');
    if (onlyIds) q = q.where('id', 'in', onlyIds);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.overdueOnly) q = q.where('status', '=', 'active').where('review_date_ms', '<', this.clock.nowMs());
    if (f.search) {
      const like = `%${f.search.replace(/[\\%_]/g, '')}%`;
      const op = caseInsensitiveLike(this.db);
      q = q.where((eb) => eb.or([eb('case_reference', op, like), eb('requesting_body', op, like), eb('reason', op, like), eb('legal_basis', op, like)]));
    }
    const holds = await q.limit(500).execute();
    if (holds.length === 0) return [];
    const ids = holds.map((h) => h.id);
    const items = await this.db
      .selectFrom('hold_items as i')
      .innerJoin('cameras as c', 'c.id', 'i.camera_id')
      .select(['i.hold_id', 'i.camera_id', 'i.from_ms', 'i.to_ms', 'c.name'])
      .where('i.hold_id', 'in', ids)
      .orderBy('i.id')
      .execute();
    const events = await this.db.selectFrom('hold_events').selectAll().where('hold_id', 'in', ids).orderBy('id').execute();
    const protecting = await this.exportsUnderHold(holds.filter((h) => h.status === 'active').map((h) => h.id));
    const now = this.clock.nowMs();
    return holds
      .map((h): HoldView => ({
        id: h.id,
        kind: h.kind,
        caseReference: h.case_reference,
        legalBasis: h.legal_basis,
        requestingBody: h.requesting_body,
        reason: h.reason,
        reviewDateMs: Number(h.review_date_ms),
        status: h.status,
        reviewOverdue: h.status === 'active' && Number(h.review_date_ms) < now,
        createdBy: h.created_by,
        createdAtMs: Number(h.created_at_ms),
        releasedBy: h.released_by,
        releasedAtMs: h.released_at_ms === null ? null : Number(h.released_at_ms),
        releaseReason: h.release_reason,
        items: items.filter((i) => i.hold_id === h.id).map((i) => ({ cameraId: i.camera_id, cameraName: i.name, fromMs: Number(i.from_ms), toMs: Number(i.to_ms) })),
        history: events.filter((e) => e.hold_id === h.id).map(historyLine),
        protectsExport: protecting.get(h.id) ?? null,
      }))
      .filter((h) => (f.cameraId === undefined || h.items.some((i) => i.cameraId === f.cameraId)) && (!visibleCameraIds || h.items.some((i) => visibleCameraIds.has(i.cameraId))));
  }
}
