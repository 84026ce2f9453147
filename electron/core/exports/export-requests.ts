// Export requests (docs/design/exports.md; R6; JON 17-20, BRN 16.4): registered with a deadline
// in the site's working days, decided by a supervisor who is not the requester, extended once for a
// data subject, handed over on a record that releases the protecting hold. Who may see what is
// decided by the handlers and passed in as a Visibility. Production is export-production.ts; the
// rows are export-records.ts.
import { exportNumber, SITE_COUNTRIES, type ExportSummaryView, type ExportView } from '../../../shared/contract';
import type { Clock } from '../clock';
import { NO_EVENTS, type EventPublisher } from '../events/domain-events';
import type { HoldsService } from '../holds/holds-service';
import type { SiteService } from '../site/site-service';
import { historyLine } from '../store/history-lines';
import type { Visibility } from '../visibility';
import { COUNTRY_TIME_ZONE, deadlineState, extendedDeadline, requestDeadline, type SiteCountry } from './deadlines';
import type { ExportFilter, ExportRecords, ExportRow, NewExport, ProductionRow } from './export-records';

/** The engine keeps its copy of a package this long after the handover (package-sweeper.ts). */
export const PACKAGE_KEEP_DAYS_AFTER_HANDOVER = 30;

export type Refusal = { refused: 'NotFound' | 'FailedPrecondition' | 'PermissionDenied'; message: string };

export interface ExportRequestsDeps {
  records: ExportRecords;
  clock: Clock;
  holds: HoldsService;
  site: SiteService;
  /** Progress of the attempt running now, fresher than its saved row (export-production.ts). */
  liveProgress: (exportId: number) => { progress: number; etaMs: number | null } | null;
  /** Pushed events (docs/design/events.md): created, decided, deadline extended, handed over. */
  events?: EventPublisher;
}

export class ExportRequests {
  private readonly events: EventPublisher;

  constructor(private readonly d: ExportRequestsDeps) {
    this.events = d.events ?? NO_EVENTS;
  }

  async create(actor: string, n: NewExport): Promise<number> {
    const nowMs = this.d.clock.nowMs();
    const country = await this.d.site.country();
    const deadlineMs = requestDeadline(n, country);
    const details = { body: n.bodyName, reference: n.bodyReference, dueAtMs: deadlineMs };
    const id = await this.d.records.insertRequest(actor, n, { country, deadlineMs, nowMs, details });
    this.events.publish({ type: 'export.created', exportId: id, audience: { requestedBy: actor, cameraIds: n.items.map((i) => i.cameraId) } });
    return id;
  }

  async list(f: ExportFilter, v: Visibility, onlyId?: number): Promise<{ exports: ExportSummaryView[]; nextBeforeId: number | null }> {
    const { rows, cameras } = await this.d.records.list(f, v, onlyId);
    const exports = rows.map((r) => this.summary(r, cameras.get(r.id) ?? 0));
    return { exports, nextBeforeId: !f.queue && rows.length === f.limit ? (rows.at(-1)?.id ?? null) : null };
  }

  /**
   * Who sees a request: its requester always; whoever reads every record (records.readAll); anyone
   * else only when every camera of the request is visible to them (a request with one camera they
   * cannot see is answered like a missing one, as for playback).
   */
  async isVisible(exportId: number, v: Visibility): Promise<boolean> {
    return (await this.list({ limit: 1 }, v, exportId)).exports.length > 0;
  }

  /** One request, or undefined when it does not exist or the caller may not see it. */
  async get(exportId: number, v: Visibility): Promise<ExportView | undefined> {
    const s = (await this.list({ limit: 1 }, v, exportId)).exports[0];
    if (!s) return undefined;
    const r = await this.d.records.request(exportId);
    const items = await this.d.records.items(exportId);
    const events = await this.d.records.events(exportId);
    const attempts = await this.d.records.attempts(exportId);
    const latest = attempts.at(-1);
    return {
      ...s,
      purpose: r.purpose,
      legalBasis: r.legal_basis,
      recipient: r.recipient,
      incidentId: r.incident_id,
      items: items.map((i) => ({ cameraId: i.camera_id, cameraName: i.name, fromMs: Number(i.from_ms), toMs: Number(i.to_ms) })),
      deadlineExtension: r.extended_until_ms === null ? null : { untilMs: Number(r.extended_until_ms), reason: r.extension_reason ?? '', by: r.extended_by ?? '' },
      decision: r.decided_by === null ? null : { approved: r.decision_approved === 1, by: r.decided_by, atMs: Number(r.decided_at_ms), reason: r.decision_reason ?? '' },
      // The latest attempt; earlier ones stay in their rows and the history.
      production: latest ? this.productionView(latest) : null,
      attempts: attempts.map((p) => ({
        attempt: p.attempt,
        status: p.status,
        mode: p.mode,
        by: p.started_by,
        startedAtMs: Number(p.started_at_ms),
        finishedAtMs: p.finished_at_ms === null ? null : Number(p.finished_at_ms),
        error: p.error,
      })),
      handover:
        r.received_by === null
          ? null
          : { receivedBy: r.received_by, receivedAtMs: Number(r.handover_at_ms), medium: r.handover_medium ?? '', note: r.handover_note ?? '', recordedBy: r.handover_recorded_by ?? '' },
      history: events.map(historyLine),
    };
  }

  /** The requester, for the four-eyes check (R6). */
  requester(exportId: number): Promise<string | undefined> {
    return this.d.records.requester(exportId);
  }

  /** Approves or rejects a pending request (the caller has checked R6); false if it was not pending. */
  async decide(actor: string, exportId: number, approve: boolean, reason: string): Promise<boolean> {
    const decided = await this.d.records.decide(actor, exportId, approve, reason, this.d.clock.nowMs());
    if (decided) this.events.publish({ type: 'export.decided', exportId, approved: approve });
    return decided;
  }

  /**
   * BRN 16.4: a data subject request's deadline is extended once, by one or two months from the
   * original one-month deadline, with a reason, while it is still pending and not yet overdue (an
   * extension is announced to the data subject within the first month; after it, it is too late).
   */
  async extendDeadline(actor: string, exportId: number, months: 1 | 2, reason: string): Promise<Refusal | null> {
    const r = await this.d.records.request(exportId);
    if (r.body_type !== 'data_subject') return { refused: 'FailedPrecondition', message: 'Only the deadline of a data subject request can be extended.' };
    if (r.status !== 'pending') return { refused: 'FailedPrecondition', message: 'The request is already decided; its deadline no longer runs.' };
    if (r.extended_until_ms !== null) return { refused: 'FailedPrecondition', message: 'The deadline was already extended once.' };
    const now = this.d.clock.nowMs();
    if (now > Number(r.deadline_ms)) return { refused: 'FailedPrecondition', message: 'The one-month deadline has passed: it can no longer be extended.' };
    const until = extendedDeadline(Number(r.received_at_ms), months, COUNTRY_TIME_ZONE[r.country as SiteCountry] ?? COUNTRY_TIME_ZONE.PL);
    await this.d.records.extendDeadline(actor, exportId, until, reason, now, { months, untilAtMs: until });
    this.events.publish({ type: 'export.deadlineExtended', exportId });
    return null;
  }

  /**
   * Records the handover of a produced package and releases the protecting hold: from then on the
   * footage in the recordings follows its cameras' retention again (the package itself has left).
   */
  async handover(actor: string, exportId: number, h: { receivedBy: string; receivedAtMs: number; medium: string; note: string }): Promise<boolean> {
    const now = this.d.clock.nowMs();
    const details = { receivedBy: h.receivedBy, receivedAtMs: h.receivedAtMs, medium: h.medium, packageDeletedAfterDateMs: h.receivedAtMs + PACKAGE_KEEP_DAYS_AFTER_HANDOVER * 86_400_000 };
    if (!(await this.d.records.handover(actor, exportId, h, now, details))) return false;
    this.events.publish({ type: 'export.handedOver', exportId });
    const r = await this.d.records.request(exportId);
    if (r.hold_id !== null) {
      const hold = await this.d.holds.get(r.hold_id);
      if (hold?.status === 'active') {
        await this.d.holds.release(actor, r.hold_id, `${exportNumber(exportId)} → ${h.receivedBy}`, { kind: 'handover', export: exportNumber(exportId), receivedBy: h.receivedBy });
        await this.d.records.appendEvent(exportId, { actor, action: 'hold released', note: '', details: { holdId: r.hold_id } }, this.d.clock.nowMs());
      }
    }
    return true;
  }

  private productionView(p: ProductionRow): NonNullable<ExportView['production']> {
    const live = p.status === 'producing' ? this.d.liveProgress(p.export_id) : null;
    return {
      mode: p.mode,
      by: p.started_by,
      startedAtMs: Number(p.started_at_ms),
      progress: live ? live.progress : p.progress,
      etaMs: p.status !== 'producing' ? null : live ? live.etaMs : p.eta_ms === null ? null : Number(p.eta_ms),
      finishedAtMs: p.finished_at_ms === null ? null : Number(p.finished_at_ms),
      error: p.error,
      packagePath: p.package_deleted_at_ms === null ? p.package_path : null,
      manifestSha256: p.manifest_sha256,
      redactions: p.redactions,
    };
  }

  private summary(r: ExportRow, cameras: number): ExportSummaryView {
    const deadline = Number(r.extended_until_ms ?? r.deadline_ms);
    const country = (SITE_COUNTRIES as readonly string[]).includes(r.country) ? (r.country as SiteCountry) : 'PL';
    return {
      id: r.id,
      number: exportNumber(r.id),
      status: r.status,
      bodyType: r.body_type,
      bodyName: r.body_name,
      bodyReference: r.body_reference,
      urgent: r.urgent === 1,
      requestedBy: r.requested_by,
      requestedAtMs: Number(r.requested_at_ms),
      receivedAtMs: Number(r.received_at_ms),
      deadlineMs: deadline,
      deadlineState: deadlineState(deadline, r.status !== 'pending', this.d.clock.nowMs(), country),
      cameras,
    };
  }
}
