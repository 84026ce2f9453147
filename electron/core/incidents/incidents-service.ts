// Incidents (docs/design/playback.md; KRK §1.16): marked live (at the key-press time) or as a range
// from playback; notes and history are append-only (the database refuses UPDATE and DELETE); close
// and reopen carry a reason; legal holds are linked. An incident is visible to whoever reads every
// record or sees one of its cameras (docs/design/overview.md §6).
import { sql, type Kysely } from 'kysely';
import { categoryNames, incidentNumber, type CategoryNames, type IncidentCategoryView, type IncidentSummaryView, type IncidentView } from '../../../shared/contract';
import type { Clock } from '../clock';
import { detailsColumn, historyLine, jsonColumn } from '../store/history-lines';
import { NO_EVENTS, type EventPublisher } from '../events/domain-events';
import type { Database, IncidentsTable } from '../store/schema';
import { recordFilter, seesRecordOf, type Visibility } from '../visibility';
import type { Selectable } from 'kysely';

/** The cameras a caller may see; null: every camera (records.readAll). */
type VisibleCameras = ReadonlySet<number> | null;

export interface NewIncident {
  category: string;
  source: 'live' | 'playback';
  startMs: number;
  endMs: number | null;
  title: string;
  cameraIds: readonly number[];
  /** Becomes the first note when not empty. */
  note: string;
}

export interface IncidentFilter {
  fromMs?: number;
  toMs?: number;
  cameraIds?: readonly number[];
  category?: string;
  status?: 'open' | 'closed';
  author?: string;
  beforeId?: number;
  limit: number;
}

type IncidentRow = Selectable<IncidentsTable> & { category_label: string; category_names: string };

export class IncidentsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Pushed events (docs/design/events.md): created, and every change of an incident. */
    private readonly events: EventPublisher = NO_EVENTS,
  ) {}

  async categories(): Promise<IncidentCategoryView[]> {
    const rows = await this.db.selectFrom('incident_categories').selectAll().orderBy('sort_order').orderBy('key').execute();
    return rows.map((c) => ({ key: c.key, label: c.label, names: namesOf(c.names_json), active: c.active === 1 }));
  }

  category(key: string): Promise<{ key: string; label: string; active: number } | undefined> {
    return this.db.selectFrom('incident_categories').select(['key', 'label', 'active']).where('key', '=', key).executeTakeFirst();
  }

  /** Of these category keys, those that some incident uses. */
  async usedCategories(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await this.db.selectFrom('incidents').select('category').distinct().where('category', 'in', keys).orderBy('category').execute();
    return rows.map((r) => r.category);
  }

  /** Replaces the list (the caller has checked that no used key disappears); order is kept. */
  async saveCategories(list: readonly (Omit<IncidentCategoryView, 'names'> & { names?: CategoryNames })[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const keys = list.map((c) => c.key);
      await trx.deleteFrom('incident_categories').where('key', 'not in', keys).execute();
      for (const [i, c] of list.entries()) {
        await trx
          .insertInto('incident_categories')
          .values({ key: c.key, label: c.label, names_json: JSON.stringify(c.names ?? {}), active: c.active ? 1 : 0, sort_order: i })
          .onConflict((oc) => oc.column('key').doUpdateSet({ label: c.label, names_json: JSON.stringify(c.names ?? {}), active: c.active ? 1 : 0, sort_order: i }))
          .execute();
      }
    });
  }

  async create(actor: string, n: NewIncident): Promise<number> {
    const now = this.clock.nowMs();
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('incidents')
        .values({
          category: n.category,
          status: 'open',
          source: n.source,
          start_ms: n.startMs,
          end_ms: n.endMs,
          title: n.title,
          created_by: actor,
          created_at_ms: now,
          closed_by: null,
          closed_at_ms: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('incident_cameras').values(n.cameraIds.map((cameraId) => ({ incident_id: row.id, camera_id: cameraId }))).execute();
      if (n.note) await trx.insertInto('incident_notes').values({ incident_id: row.id, at_ms: now, actor, text: n.note }).execute();
      await trx.insertInto('incident_events').values({ incident_id: row.id, at_ms: now, actor, action: n.source === 'live' ? 'marked' : 'created', note: '' }).execute();
      return row.id;
    });
    this.events.publish({ type: 'incident.created', incidentId: id, cameraIds: n.cameraIds });
    return id;
  }

  async addNote(actor: string, incidentId: number, text: string): Promise<void> {
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('incident_notes').values({ incident_id: incidentId, at_ms: now, actor, text }).execute();
      await trx.insertInto('incident_events').values({ incident_id: incidentId, at_ms: now, actor, action: 'note added', note: '' }).execute();
    });
    this.events.publish({ type: 'incident.changed', incidentId });
  }

  /** Moves an incident from one status to the other with a reason; false if it was not in `from`. */
  async setStatus(actor: string, incidentId: number, from: 'open' | 'closed', reason: string): Promise<boolean> {
    const now = this.clock.nowMs();
    const closing = from === 'open';
    const moved = await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('incidents')
        .set(closing ? { status: 'closed', closed_by: actor, closed_at_ms: now } : { status: 'open', closed_by: null, closed_at_ms: null })
        .where('id', '=', incidentId)
        .where('status', '=', from)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await trx.insertInto('incident_events').values({ incident_id: incidentId, at_ms: now, actor, action: closing ? 'closed' : 'reopened', note: reason }).execute();
      return true;
    });
    if (moved) this.events.publish({ type: 'incident.changed', incidentId });
    return moved;
  }

  /** Idempotent: a second link of the same hold changes nothing and adds no history. */
  async linkHold(actor: string, incidentId: number, holdId: number): Promise<void> {
    const now = this.clock.nowMs();
    const linked = await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('incident_holds')
        .values({ incident_id: incidentId, hold_id: holdId, linked_by: actor, at_ms: now })
        .onConflict((oc) => oc.columns(['incident_id', 'hold_id']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const hold = await trx.selectFrom('holds').select('case_reference').where('id', '=', holdId).executeTakeFirstOrThrow();
      await trx.insertInto('incident_events').values({ incident_id: incidentId, at_ms: now, actor, action: 'hold linked', note: '', details: detailsColumn({ holdId, caseReference: hold.case_reference }) }).execute();
      return true;
    });
    if (linked) this.events.publish({ type: 'incident.changed', incidentId });
  }

  /** The cameras of an incident (routes its pushed events). */
  async cameraIdsOf(incidentId: number): Promise<number[]> {
    return (await this.db.selectFrom('incident_cameras').select('camera_id').where('incident_id', '=', incidentId).execute()).map((c) => c.camera_id);
  }

  /** An incident is visible to whoever reads every record or sees one of its cameras. */
  async isVisible(incidentId: number, v: Visibility): Promise<boolean> {
    const cams = await this.db.selectFrom('incident_cameras').select('camera_id').where('incident_id', '=', incidentId).execute();
    return cams.length > 0 && seesRecordOf(v, cams.map((c) => c.camera_id));
  }

  list(f: IncidentFilter, v: Visibility): Promise<{ incidents: IncidentSummaryView[]; nextBeforeId: number | null }> {
    return this.query(f, recordFilter(v));
  }

  private async query(f: IncidentFilter, visible: VisibleCameras, onlyId?: number): Promise<{ incidents: IncidentSummaryView[]; nextBeforeId: number | null }> {
    if (visible && visible.size === 0) return { incidents: [], nextBeforeId: null };
    let q = this.db
      .selectFrom('incidents as i')
      .innerJoin('incident_categories as c', 'c.key', 'i.category')
      .selectAll('i')
      .select(['c.label as category_label', 'c.names_json as category_names'])
      .orderBy('i.id', 'desc')
      .limit(f.limit);
    if (visible) q = q.where((eb) => eb.exists(eb.selectFrom('incident_cameras as v').select('v.camera_id').whereRef('v.incident_id', '=', 'i.id').where('v.camera_id', 'in', [...visible])));
    if (f.cameraIds?.length) {
      const ids = f.cameraIds;
      q = q.where((eb) => eb.exists(eb.selectFrom('incident_cameras as f').select('f.camera_id').whereRef('f.incident_id', '=', 'i.id').where('f.camera_id', 'in', ids)));
    }
    // A live mark is a moment: it overlaps a range when its start lies in it.
    if (f.toMs !== undefined) q = q.where('i.start_ms', '<=', f.toMs);
    if (f.fromMs !== undefined) q = q.where(sql<number>`coalesce(i.end_ms, i.start_ms)`, '>=', f.fromMs);
    if (f.category !== undefined) q = q.where('i.category', '=', f.category);
    if (f.status !== undefined) q = q.where('i.status', '=', f.status);
    if (f.author !== undefined) q = q.where('i.created_by', '=', f.author.toLowerCase());
    if (f.beforeId !== undefined) q = q.where('i.id', '<', f.beforeId);
    if (onlyId !== undefined) q = q.where('i.id', '=', onlyId);
    const rows = await q.execute();
    const incidents = await this.summaries(rows, visible);
    return { incidents, nextBeforeId: rows.length === f.limit ? (rows.at(-1)?.id ?? null) : null };
  }

  /** One incident, or undefined when it does not exist or none of its cameras is visible. */
  async get(incidentId: number, v: Visibility): Promise<IncidentView | undefined> {
    const visible = recordFilter(v);
    const s = (await this.query({ limit: 1 }, visible, incidentId)).incidents[0];
    if (!s) return undefined;
    const notes = await this.db.selectFrom('incident_notes').select(['at_ms', 'actor', 'text']).where('incident_id', '=', incidentId).orderBy('id').execute();
    const events = await this.db.selectFrom('incident_events').select(['at_ms', 'actor', 'action', 'note', 'details']).where('incident_id', '=', incidentId).orderBy('id').execute();
    const holds = await this.linkedHolds([incidentId], visible);
    return {
      ...s,
      noteHistory: notes.map((n) => ({ atMs: Number(n.at_ms), actor: n.actor, text: n.text })),
      history: events.map(historyLine),
      linkedHolds: holds.map((h) => ({ holdId: h.hold_id, caseReference: h.case_reference, status: h.status })),
    };
  }

  /** Whether an incident with this id exists (a playback reason naming INC-n links it). */
  async exists(incidentId: number): Promise<boolean> {
    return (await this.db.selectFrom('incidents').select('id').where('id', '=', incidentId).executeTakeFirst()) !== undefined;
  }

  private async summaries(rows: IncidentRow[], visible: VisibleCameras): Promise<IncidentSummaryView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const cameras = await this.db
      .selectFrom('incident_cameras as ic')
      .innerJoin('cameras as c', 'c.id', 'ic.camera_id')
      .select(['ic.incident_id', 'ic.camera_id', 'c.name'])
      .where('ic.incident_id', 'in', ids)
      .orderBy('ic.camera_id')
      .execute();
    const notes = await this.db
      .selectFrom('incident_notes')
      .select((eb) => ['incident_id', eb.fn.countAll<number>().as('n')])
      .where('incident_id', 'in', ids)
      .groupBy('incident_id')
      .execute();
    const noteCount = new Map(notes.map((n) => [n.incident_id, Number(n.n)]));
    const holds = await this.linkedHolds(ids, visible);
    return rows.map((r) => ({
      id: r.id,
      number: incidentNumber(r.id),
      category: r.category,
      categoryLabel: r.category_label,
      categoryNames: namesOf(r.category_names),
      status: r.status,
      source: r.source,
      // Cameras the caller cannot see are not named (an invisible camera is like a missing one).
      cameras: cameras.filter((c) => c.incident_id === r.id && (!visible || visible.has(c.camera_id))).map((c) => ({ cameraId: c.camera_id, cameraName: c.name })),
      startMs: Number(r.start_ms),
      endMs: r.end_ms === null ? null : Number(r.end_ms),
      title: r.title,
      createdBy: r.created_by,
      createdAtMs: Number(r.created_at_ms),
      notes: noteCount.get(r.id) ?? 0,
      holds: holds.filter((h) => h.incident_id === r.id).length,
    }));
  }

  /** Links of these incidents to holds the caller can see, oldest link first. */
  private async linkedHolds(incidentIds: readonly number[], visible: VisibleCameras) {
    let q = this.db
      .selectFrom('incident_holds as l')
      .innerJoin('holds as h', 'h.id', 'l.hold_id')
      .select(['l.incident_id', 'l.hold_id', 'h.case_reference', 'h.status'])
      .where('l.incident_id', 'in', incidentIds)
      .orderBy('l.at_ms')
      .orderBy('l.hold_id');
    if (visible) {
      if (visible.size === 0) return [];
      q = q.where((eb) => eb.exists(eb.selectFrom('hold_items as hi').select('hi.id').whereRef('hi.hold_id', '=', 'h.id').where('hi.camera_id', 'in', [...visible])));
    }
    return q.execute();
  }
}

/** Stored names per language; anything damaged reads as none (the label is then shown). */
function namesOf(json: string): CategoryNames {
  return jsonColumn(categoryNames, json, {});
}
