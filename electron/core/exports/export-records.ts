// The export tables' one owner (docs/design/exports.md): `exports` (the request and its decision,
// deadline, hold and handover), `export_items` (the approved scope, immutable), `export_events` (the
// append-only history) and `export_productions` (one row per production attempt). Every SQL
// statement on them is here; requests, production and the package sweeper (this folder) ask it.
// Every change of state is one transaction with its line of history.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ExportView } from '../../../shared/contract';
import { idAfterPrefix } from '../store/dialect';
import type { Database, ExportProductionsTable, ExportsTable } from '../store/schema';
import type { Visibility } from '../visibility';
import { detailsColumn, type HistoryValues } from '../store/history-lines';
import type { ProductionResult } from './production-types';

export type ExportRow = Selectable<ExportsTable>;
export type ProductionRow = Selectable<ExportProductionsTable>;

export interface NewExport {
  bodyType: ExportRow['body_type'];
  bodyName: string;
  bodyReference: string;
  receivedAtMs: number;
  purpose: string;
  legalBasis: string;
  urgent: boolean;
  recipient: string;
  incidentId: number | null;
  items: readonly { cameraId: number; fromMs: number; toMs: number }[];
}

export interface ExportFilter {
  status?: ExportView['status'];
  queue?: boolean;
  beforeId?: number;
  limit: number;
}

/** One history line; `attempt` names the production attempt an entry is about. */
export interface ExportEvent {
  actor: string;
  action: string;
  /** A person's own words (a reason, a handover note); '' when none. */
  note: string;
  /** The engine's values for the line, worded by the screens (store/history-lines.ts). */
  details?: HistoryValues;
  attempt?: number;
}

export class ExportRecords {
  constructor(private readonly db: Kysely<Database>) {}

  // --- requests -------------------------------------------------------------------------------------

  async insertRequest(actor: string, n: NewExport, r: { country: string; deadlineMs: number; nowMs: number; details: HistoryValues }): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('exports')
        .values({
          status: 'pending',
          body_type: n.bodyType,
          body_name: n.bodyName,
          body_reference: n.bodyReference,
          received_at_ms: n.receivedAtMs,
          purpose: n.purpose,
          legal_basis: n.legalBasis,
          urgent: n.urgent ? 1 : 0,
          recipient: n.recipient,
          incident_id: n.incidentId,
          requested_by: actor,
          requested_at_ms: r.nowMs,
          country: r.country,
          deadline_ms: r.deadlineMs,
          extended_until_ms: null,
          extension_reason: null,
          extended_by: null,
          decided_by: null,
          decided_at_ms: null,
          decision_approved: null,
          decision_reason: null,
          received_by: null,
          handover_at_ms: null,
          handover_medium: null,
          handover_note: null,
          handover_recorded_by: null,
          hold_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('export_items').values(n.items.map((i) => ({ export_id: row.id, camera_id: i.cameraId, from_ms: i.fromMs, to_ms: i.toMs }))).execute();
      await trx.insertInto('export_events').values({ export_id: row.id, at_ms: r.nowMs, actor, action: 'requested', note: '', details: detailsColumn(r.details) }).execute();
      return row.id;
    });
  }

  /**
   * Requests the caller sees (their own; with records.readAll every one; else those whose cameras
   * they all see), with the number of cameras of each. The queue: pending, nearest (effective)
   * deadline first; otherwise newest first, paged by id.
   */
  async list(f: ExportFilter, v: Visibility, onlyId?: number): Promise<{ rows: ExportRow[]; cameras: Map<number, number> }> {
    let q = this.db.selectFrom('exports as e').selectAll('e').limit(f.limit);
    if (!v.allRecords) {
      const visible = [...v.cameraIds];
      q = q.where((eb) =>
        eb.or([
          eb('e.requested_by', '=', v.username),
          eb.not(
            eb.exists(
              visible.length
                ? eb.selectFrom('export_items as vi').select('vi.id').whereRef('vi.export_id', '=', 'e.id').where('vi.camera_id', 'not in', visible)
                : eb.selectFrom('export_items as vi').select('vi.id').whereRef('vi.export_id', '=', 'e.id'),
            ),
          ),
        ]),
      );
    }
    if (f.queue) q = q.where('e.status', '=', 'pending');
    else if (f.status) q = q.where('e.status', '=', f.status);
    if (onlyId !== undefined) q = q.where('e.id', '=', onlyId);
    if (f.queue) q = q.orderBy((eb) => eb.fn.coalesce('e.extended_until_ms', 'e.deadline_ms')).orderBy('e.id');
    else {
      q = q.orderBy('e.id', 'desc');
      if (f.beforeId !== undefined) q = q.where('e.id', '<', f.beforeId);
    }
    const rows = await q.execute();
    const counts = rows.length
      ? await this.db
          .selectFrom('export_items')
          .select((eb) => ['export_id', eb.fn.count<number>('camera_id').distinct().as('n')])
          .where(
            'export_id',
            'in',
            rows.map((r) => r.id),
          )
          .groupBy('export_id')
          .execute()
      : [];
    return { rows, cameras: new Map(counts.map((c) => [c.export_id, Number(c.n)])) };
  }

  request(exportId: number): Promise<ExportRow> {
    return this.db.selectFrom('exports').selectAll().where('id', '=', exportId).executeTakeFirstOrThrow();
  }

  async requester(exportId: number): Promise<string | undefined> {
    return (await this.db.selectFrom('exports').select('requested_by').where('id', '=', exportId).executeTakeFirst())?.requested_by;
  }

  /** Who may see a request besides records.readAll (routes its pushed events, docs/design/events.md). */
  async audience(exportId: number): Promise<{ requestedBy: string; cameraIds: number[] } | undefined> {
    const requestedBy = await this.requester(exportId);
    if (requestedBy === undefined) return undefined;
    const items = await this.db.selectFrom('export_items').select('camera_id').distinct().where('export_id', '=', exportId).execute();
    return { requestedBy, cameraIds: items.map((i) => i.camera_id) };
  }

  /** The approved scope with camera names, in request order. */
  items(exportId: number) {
    return this.db
      .selectFrom('export_items as i')
      .innerJoin('cameras as c', 'c.id', 'i.camera_id')
      .select(['i.camera_id', 'i.from_ms', 'i.to_ms', 'c.name'])
      .where('i.export_id', '=', exportId)
      .orderBy('i.id')
      .execute();
  }

  events(exportId: number) {
    return this.db.selectFrom('export_events').select(['at_ms', 'actor', 'action', 'note', 'details', 'attempt']).where('export_id', '=', exportId).orderBy('id').execute();
  }

  async appendEvent(exportId: number, e: ExportEvent, atMs: number): Promise<void> {
    await this.db.insertInto('export_events').values({ export_id: exportId, at_ms: atMs, actor: e.actor, action: e.action, note: e.note, details: detailsColumn(e.details), attempt: e.attempt ?? null }).execute();
  }

  /** Decides a pending request; never by its requester (R6, also in the statement). False when nothing changed. */
  async decide(actor: string, exportId: number, approve: boolean, reason: string, nowMs: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('exports')
        .set({ status: approve ? 'approved' : 'rejected', decided_by: actor, decided_at_ms: nowMs, decision_approved: approve ? 1 : 0, decision_reason: reason })
        .where('id', '=', exportId)
        .where('status', '=', 'pending')
        .where('requested_by', '!=', actor)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: nowMs, actor, action: approve ? 'approved' : 'rejected', note: reason }).execute();
      return true;
    });
  }

  async extendDeadline(actor: string, exportId: number, untilMs: number, reason: string, nowMs: number, details: HistoryValues): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('exports').set({ extended_until_ms: untilMs, extension_reason: reason, extended_by: actor }).where('id', '=', exportId).execute();
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: nowMs, actor, action: 'deadline extended', note: reason, details: detailsColumn(details) }).execute();
    });
  }

  /** Records the handover of a produced package; false when the request has none to hand over. */
  async handover(actor: string, exportId: number, h: { receivedBy: string; receivedAtMs: number; medium: string; note: string }, nowMs: number, details: HistoryValues): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const u = await trx
        .updateTable('exports')
        .set({ status: 'handed_over', received_by: h.receivedBy, handover_at_ms: h.receivedAtMs, handover_medium: h.medium, handover_note: h.note, handover_recorded_by: actor })
        .where('id', '=', exportId)
        .where('status', '=', 'produced')
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) === 0) return false;
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: nowMs, actor, action: 'handed over', note: h.note, details: detailsColumn(details) }).execute();
      return true;
    });
  }

  /** Exports that a hold protects and that have not been handed over (nor refused): hold id -> export. */
  async awaitingHandoverUnder(holdIds: readonly number[]): Promise<Map<number, { id: number; status: ExportView['status'] }>> {
    const out = new Map<number, { id: number; status: ExportView['status'] }>();
    if (holdIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('exports')
      .select(['id', 'hold_id', 'status'])
      .where('hold_id', 'in', [...holdIds])
      .where('status', 'not in', ['handed_over', 'rejected'])
      .orderBy('id')
      .execute();
    for (const r of rows) if (r.hold_id !== null && !out.has(r.hold_id)) out.set(r.hold_id, { id: r.id, status: r.status });
    return out;
  }

  async setHold(exportId: number, holdId: number): Promise<void> {
    await this.db.updateTable('exports').set({ hold_id: holdId }).where('id', '=', exportId).execute();
  }

  // --- production attempts --------------------------------------------------------------------------

  /** Every attempt of a request, first to latest. */
  attempts(exportId: number): Promise<ProductionRow[]> {
    return this.db.selectFrom('export_productions').selectAll().where('export_id', '=', exportId).orderBy('attempt').execute();
  }

  latestAttempt(exportId: number): Promise<ProductionRow | undefined> {
    return this.db.selectFrom('export_productions').selectAll().where('export_id', '=', exportId).orderBy('attempt', 'desc').limit(1).executeTakeFirst();
  }

  /**
   * Claims an approved request (or one whose last attempt failed) for a new attempt: the request
   * becomes `producing` and the attempt row and its history line are written, in one transaction.
   * Returns the attempt's number, or null when the request was not in a state to produce.
   */
  async claimAttempt(exportId: number, a: { actor: string; mode: ProductionRow['mode']; redactions: number; nowMs: number; details: HistoryValues }): Promise<number | null> {
    return this.db.transaction().execute(async (trx) => {
      const u = await trx.updateTable('exports').set({ status: 'producing' }).where('id', '=', exportId).where('status', 'in', ['approved', 'failed']).executeTakeFirst();
      if (Number(u.numUpdatedRows) === 0) return null;
      const last = await trx.selectFrom('export_productions').select((eb) => eb.fn.max<number>('attempt').as('n')).where('export_id', '=', exportId).executeTakeFirst();
      const attempt = Number(last?.n ?? 0) + 1;
      await trx
        .insertInto('export_productions')
        .values({
          export_id: exportId,
          attempt,
          status: 'producing',
          mode: a.mode,
          started_by: a.actor,
          started_at_ms: a.nowMs,
          finished_at_ms: null,
          progress: 0,
          eta_ms: null,
          error: null,
          redactions: a.redactions,
          package_path: null,
          manifest_sha256: null,
          addendum_sha256: null,
          signing_key_fingerprint: null,
          package_deleted_at_ms: null,
        })
        .execute();
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: a.nowMs, actor: a.actor, action: 'production started', note: '', details: detailsColumn(a.details), attempt }).execute();
      return attempt;
    });
  }

  async saveProgress(exportId: number, attempt: number, progress: number, etaMs: number | null): Promise<void> {
    await this.db.updateTable('export_productions').set({ progress, eta_ms: etaMs }).where('export_id', '=', exportId).where('attempt', '=', attempt).where('status', '=', 'producing').execute();
  }

  async finishProduced(exportId: number, attempt: number, result: ProductionResult, e: ExportEvent, nowMs: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('export_productions')
        .set({
          status: 'produced',
          progress: 1,
          eta_ms: null,
          finished_at_ms: nowMs,
          package_path: result.packageDir,
          manifest_sha256: result.manifestSha256,
          addendum_sha256: result.addendumSha256 ?? null,
          signing_key_fingerprint: result.signingKeyFingerprint ?? null,
        })
        .where('export_id', '=', exportId)
        .where('attempt', '=', attempt)
        .execute();
      await trx.updateTable('exports').set({ status: 'produced' }).where('id', '=', exportId).execute();
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: nowMs, actor: e.actor, action: e.action, note: e.note, details: detailsColumn(e.details), attempt }).execute();
    });
  }

  /** The attempt failed (or was cancelled): the request may be produced again. `error` is kept on the attempt. */
  async finishFailed(exportId: number, attempt: number, status: 'failed' | 'cancelled', error: string, e: ExportEvent, nowMs: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('export_productions')
        .set({ status, error, eta_ms: null, finished_at_ms: nowMs })
        .where('export_id', '=', exportId)
        .where('attempt', '=', attempt)
        .where('status', '=', 'producing')
        .execute();
      await trx.updateTable('exports').set({ status: 'failed' }).where('id', '=', exportId).where('status', '=', 'producing').execute();
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: nowMs, actor: e.actor, action: e.action, note: e.note, details: detailsColumn(e.details), attempt }).execute();
    });
  }

  /** Attempts still marked producing (after a restart nothing is). */
  producingAttempts(): Promise<{ export_id: number; attempt: number }[]> {
    return this.db.selectFrom('export_productions').select(['export_id', 'attempt']).where('status', '=', 'producing').execute();
  }

  /** Packages handed over at or before `handedOverBeforeMs` whose engine copy still exists. */
  packagesHandedOverBefore(handedOverBeforeMs: number) {
    return this.db
      .selectFrom('exports as e')
      .innerJoin('export_productions as p', 'p.export_id', 'e.id')
      .select(['e.id', 'e.handover_at_ms', 'p.attempt', 'p.package_path'])
      .where('e.status', '=', 'handed_over')
      .where('e.handover_at_ms', '<=', handedOverBeforeMs)
      .where('p.status', '=', 'produced')
      .where('p.package_path', 'is not', null)
      .where('p.package_deleted_at_ms', 'is', null)
      .execute();
  }

  async markPackageDeleted(exportId: number, attempt: number, e: ExportEvent, nowMs: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('export_productions').set({ package_deleted_at_ms: nowMs }).where('export_id', '=', exportId).where('attempt', '=', attempt).execute();
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: nowMs, actor: e.actor, action: e.action, note: e.note, details: detailsColumn(e.details), attempt }).execute();
    });
  }
}

/**
 * When each user last had a package produced of each camera (the access review's last use of the
 * export right, docs/design/access-review.md): allowed `exports.produce` entries of the audit log
 * joined to the export's items. Here because export_items is this file's table.
 */
export async function lastProducedByCamera(db: Kysely<Database>, untilMs: number): Promise<{ actor: string; camera: number; at: number }[]> {
  const exportId = idAfterPrefix(db, 'a.target', 'export#');
  const r = await sql<{ actor: string; camera: number; at: number }>`
    SELECT a.actor AS actor, i.camera_id AS camera, MAX(a.at_ms) AS at
    FROM audit_log a JOIN export_items i ON i.export_id = ${exportId}
    WHERE a.action = 'exports.produce' AND a.outcome = 'allowed' AND a.at_ms <= ${untilMs}
    GROUP BY a.actor, i.camera_id`.execute(db);
  return r.rows;
}
