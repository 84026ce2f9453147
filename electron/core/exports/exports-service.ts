// Export requests (issue 6 §1, §2, §5; DESIGN R6, §7; JON 17-20, BRN 16.4): registered with a
// deadline in the site's working days, decided by a supervisor who is not the requester, produced
// in the background as an evidence package (production/ through the seam in production-types.ts)
// while a legal hold keeps the exported footage, and handed over on a record. Every change is one
// transaction with a line of the append-only history. Who may see what is decided by the handlers
// and passed in as a Visibility.
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely, Selectable } from 'kysely';
import { exportNumber, SITE_COUNTRIES, type ExportBodyType, type ExportSummaryView, type ExportView, type RedactionBox } from '../../../shared/contract';
import type { AuditLog } from '../audit/audit-log';
import type { AuditCheckpointRecord } from '../audit/checkpoint-file';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { HoldsService } from '../holds/holds-service';
import type { SiteService } from '../site/site-service';
import type { Database, ExportsTable } from '../store/schema';
import type { Visibility } from '../visibility';
import { COUNTRY_TIME_ZONE, deadlineState, extendedDeadline, requestDeadline, type SiteCountry } from './deadlines';
import type { ProductionJob, ProductionProgress, ProductionResult, ScopeItem, Signer } from './production-types';

/** What production offers the requests side (production/produce.ts in the engine; small fakes in tests). */
export interface ExportProducer {
  produce(job: ProductionJob, onProgress: (p: ProductionProgress) => void, signal: AbortSignal): Promise<ProductionResult>;
}

export interface NewExport {
  bodyType: ExportBodyType;
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

export interface ExportsServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  holds: HoldsService;
  producer: ExportProducer;
  /** The site's country (deadlines) and signing key (packages). */
  site: SiteService;
  /** Packages go to `<exportsDir>/EXP-n` (a new attempt after a failure: EXP-n-2, ...). */
  exportsDir: string;
  /** Recording rows hold paths relative to this root. */
  recordingsRoot: string;
  /** Null when ffmpeg was not found: production is refused with the reason. */
  ffmpegPath: string | null;
  /** Signs the audit log's head at every production; the manifest names it (docs/design/audit-chain.md). */
  checkpoints?: { checkpoint(why: 'export'): Promise<AuditCheckpointRecord | null> };
}

/** Days past the later of the deadline and the production start that the protecting hold is reviewed. */
export const EXPORT_HOLD_REVIEW_DAYS = 30;
/**
 * The engine keeps its copy of a package this long after the handover (a second copy for the
 * recipient, a question about what was given), then deletes it: the request, its history and the
 * manifest's SHA-256 stay. The recordings themselves follow their cameras' retention from the
 * handover on.
 */
export const PACKAGE_KEEP_DAYS_AFTER_HANDOVER = 30;
const PACKAGE_SWEEP_MS = 3_600_000;
/** Progress is kept in memory for every report and written to the database at most this often. */
const PROGRESS_PERSIST_MS = 1000;

type Row = Selectable<ExportsTable>;

interface Running {
  exportId: number;
  controller: AbortController;
  cancelledBy: string | null;
  progress: number;
  etaMs: number | null;
  persistedAtMs: number;
  done: Promise<void>;
}

export type Refusal = { refused: 'NotFound' | 'FailedPrecondition' | 'PermissionDenied'; message: string };

export class ExportsService {
  private running: Running | null = null;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly d: ExportsServiceDeps) {}

  /** After a restart nothing is producing: an attempt the engine was running when it stopped failed. */
  async recover(): Promise<void> {
    const stale = await this.d.db.selectFrom('exports').select('id').where('status', '=', 'producing').execute();
    for (const r of stale) await this.finishFailed(r.id, 'system', 'The engine stopped while the package was being produced; produce it again.');
  }

  // --- requests ---------------------------------------------------------------------------------

  async create(actor: string, n: NewExport): Promise<number> {
    const now = this.d.clock.nowMs();
    const country = await this.d.site.country();
    const deadline = requestDeadline(n, country);
    return this.d.db.transaction().execute(async (trx) => {
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
          requested_at_ms: now,
          country,
          deadline_ms: deadline,
          ...EMPTY_LATER_FIELDS,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('export_items').values(n.items.map((i) => ({ export_id: row.id, camera_id: i.cameraId, from_ms: i.fromMs, to_ms: i.toMs }))).execute();
      const due = new Date(deadline).toISOString();
      await trx.insertInto('export_events').values({ export_id: row.id, at_ms: now, actor, action: 'requested', note: `${n.bodyName} (${n.bodyReference}); decision due ${due}` }).execute();
      return row.id;
    });
  }

  async list(f: ExportFilter, v: Visibility, onlyId?: number): Promise<{ exports: ExportSummaryView[]; nextBeforeId: number | null }> {
    let q = this.d.db.selectFrom('exports as e').selectAll('e').limit(f.limit);
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
    // The queue: nearest (effective) deadline first. Otherwise newest first, paged by id.
    if (f.queue) q = q.orderBy((eb) => eb.fn.coalesce('e.extended_until_ms', 'e.deadline_ms')).orderBy('e.id');
    else {
      q = q.orderBy('e.id', 'desc');
      if (f.beforeId !== undefined) q = q.where('e.id', '<', f.beforeId);
    }
    const rows = await q.execute();
    const counts = rows.length
      ? await this.d.db
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
    const cameras = new Map(counts.map((c) => [c.export_id, Number(c.n)]));
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
    const r = await this.row(exportId);
    const items = await this.items(exportId);
    const events = await this.d.db.selectFrom('export_events').select(['at_ms', 'actor', 'action', 'note']).where('export_id', '=', exportId).orderBy('id').execute();
    const live = this.running?.exportId === exportId ? this.running : null;
    return {
      ...s,
      purpose: r.purpose,
      legalBasis: r.legal_basis,
      recipient: r.recipient,
      incidentId: r.incident_id,
      items: items.map((i) => ({ cameraId: i.camera_id, cameraName: i.name, fromMs: Number(i.from_ms), toMs: Number(i.to_ms) })),
      deadlineExtension: r.extended_until_ms === null ? null : { untilMs: Number(r.extended_until_ms), reason: r.extension_reason ?? '', by: r.extended_by ?? '' },
      decision: r.decided_by === null ? null : { approved: r.decision_approved === 1, by: r.decided_by, atMs: Number(r.decided_at_ms), reason: r.decision_reason ?? '' },
      production:
        r.production_mode === null
          ? null
          : {
              mode: r.production_mode,
              by: r.produced_by ?? '',
              startedAtMs: Number(r.production_started_at_ms),
              progress: live ? live.progress : (r.production_progress ?? 0),
              etaMs: r.status !== 'producing' ? null : live ? live.etaMs : r.production_eta_ms === null ? null : Number(r.production_eta_ms),
              finishedAtMs: r.production_finished_at_ms === null ? null : Number(r.production_finished_at_ms),
              error: r.production_error,
              packagePath: r.package_deleted_at_ms === null ? r.package_path : null,
              manifestSha256: r.manifest_sha256,
              redactions: r.production_redactions ?? 0,
            },
      handover:
        r.received_by === null
          ? null
          : { receivedBy: r.received_by, receivedAtMs: Number(r.handover_at_ms), medium: r.handover_medium ?? '', note: r.handover_note ?? '', recordedBy: r.handover_recorded_by ?? '' },
      history: events.map((e) => ({ atMs: Number(e.at_ms), actor: e.actor, action: e.action, note: e.note })),
    };
  }

  /** The requester, for the four-eyes check (R6). */
  async requester(exportId: number): Promise<string | undefined> {
    return (await this.d.db.selectFrom('exports').select('requested_by').where('id', '=', exportId).executeTakeFirst())?.requested_by;
  }

  /** Approves or rejects a pending request (the caller has checked R6); false if it was not pending. */
  async decide(actor: string, exportId: number, approve: boolean, reason: string): Promise<boolean> {
    const now = this.d.clock.nowMs();
    return this.d.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('exports')
        .set({ status: approve ? 'approved' : 'rejected', decided_by: actor, decided_at_ms: now, decision_approved: approve ? 1 : 0, decision_reason: reason })
        .where('id', '=', exportId)
        .where('status', '=', 'pending')
        .where('requested_by', '!=', actor)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: now, actor, action: approve ? 'approved' : 'rejected', note: reason }).execute();
      return true;
    });
  }

  /**
   * BRN 16.4: a data subject request's deadline is extended once, by one or two months from the
   * original one-month deadline, with a reason, while it is still pending and not yet overdue (an
   * extension is announced to the data subject within the first month; after it, it is too late).
   */
  async extendDeadline(actor: string, exportId: number, months: 1 | 2, reason: string): Promise<Refusal | null> {
    const r = await this.row(exportId);
    if (r.body_type !== 'data_subject') return { refused: 'FailedPrecondition', message: 'Only the deadline of a data subject request can be extended.' };
    if (r.status !== 'pending') return { refused: 'FailedPrecondition', message: 'The request is already decided; its deadline no longer runs.' };
    if (r.extended_until_ms !== null) return { refused: 'FailedPrecondition', message: 'The deadline was already extended once.' };
    const now = this.d.clock.nowMs();
    if (now > Number(r.deadline_ms)) return { refused: 'FailedPrecondition', message: 'The one-month deadline has passed: it can no longer be extended.' };
    const until = extendedDeadline(Number(r.received_at_ms), months, COUNTRY_TIME_ZONE[r.country as SiteCountry] ?? COUNTRY_TIME_ZONE.PL);
    await this.d.db.transaction().execute(async (trx) => {
      await trx.updateTable('exports').set({ extended_until_ms: until, extension_reason: reason, extended_by: actor }).where('id', '=', exportId).execute();
      await trx
        .insertInto('export_events')
        .values({ export_id: exportId, at_ms: now, actor, action: 'deadline extended', note: `by ${months} month${months === 1 ? '' : 's'} to ${new Date(until).toISOString()}: ${reason}` })
        .execute();
    });
    return null;
  }

  // --- production -------------------------------------------------------------------------------

  /**
   * Starts producing an approved request (or one whose last attempt failed) in the background: the
   * protecting legal hold is placed first, then the job runs; the call returns once it is running.
   */
  async startProduction(actor: string, exportId: number, mode: 'copy' | 'burn_in', redactions: RedactionBox[]): Promise<Refusal | null> {
    const r = await this.row(exportId);
    if (r.status === 'pending' || r.status === 'rejected') {
      return { refused: 'FailedPrecondition', message: r.status === 'pending' ? 'The request is not approved yet: a supervisor other than the requester must approve it first.' : 'The request was rejected; it cannot be produced.' };
    }
    if (r.status === 'producing') return { refused: 'FailedPrecondition', message: 'The package is being produced already.' };
    if (r.status === 'produced' || r.status === 'handed_over') return { refused: 'FailedPrecondition', message: 'The package was produced already.' };
    if (this.running) return { refused: 'FailedPrecondition', message: `Another package (${exportNumber(this.running.exportId)}) is being produced; start this one when it has finished.` };
    if (!this.d.ffmpegPath) return { refused: 'FailedPrecondition', message: 'ffmpeg was not found on this machine, so no package can be produced.' };
    const items = await this.items(exportId);
    const foreign = redactions.filter((b) => !items.some((i) => i.camera_id === b.cameraId));
    if (foreign.length) return { refused: 'FailedPrecondition', message: `A redaction box names camera ${foreign[0]!.cameraId}, which is not in the request.` };

    let signer: Signer;
    try {
      signer = await this.d.site.signingKey.loadOrCreate();
    } catch (err) {
      return { refused: 'FailedPrecondition', message: `The site's signing key is not available: ${(err as Error).message}` };
    }
    const number = exportNumber(exportId);
    const outDir = this.freshOutDir(number);
    const now = this.d.clock.nowMs();
    // Claim the request before anything slow: a second call sees 'producing'.
    const claimed = await this.d.db.transaction().execute(async (trx) => {
      const u = await trx
        .updateTable('exports')
        .set({
          status: 'producing',
          production_mode: mode,
          produced_by: actor,
          production_started_at_ms: now,
          production_progress: 0,
          production_eta_ms: null,
          production_finished_at_ms: null,
          production_error: null,
          production_redactions: redactions.length,
          package_path: null,
          manifest_sha256: null,
        })
        .where('id', '=', exportId)
        .where('status', 'in', ['approved', 'failed'])
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) === 0) return false;
      await trx
        .insertInto('export_events')
        .values({ export_id: exportId, at_ms: now, actor, action: 'production started', note: `${mode === 'copy' ? 'copy without re-encoding' : 'burn-in'}${redactions.length ? `, ${redactions.length} redaction box(es)` : ''}, into ${outDir}` })
        .execute();
      return true;
    });
    if (!claimed) return { refused: 'FailedPrecondition', message: 'The request changed meanwhile; reload it.' };

    const scope: ScopeItem[] = [];
    try {
      // The hold before the first byte is read, so retention cannot take what is being exported. A
      // later attempt reuses the hold of the first while it is active.
      await this.protect(actor, r, items);
      for (const i of items) scope.push({ cameraId: i.camera_id, cameraName: i.name, fromMs: Number(i.from_ms), toMs: Number(i.to_ms), files: await this.files(i.camera_id, Number(i.from_ms), Number(i.to_ms)) });
    } catch (err) {
      await this.finishFailed(exportId, actor, `Production could not start: ${describe(err)}`);
      throw err;
    }
    const decidedAt = new Date(Number(r.decided_at_ms)).toISOString();
    const job: ProductionJob = {
      exportId,
      number,
      outDir,
      mode,
      caseReference: r.body_reference,
      items: scope,
      redactions,
      manifest: {
        export: number,
        request: {
          bodyType: r.body_type,
          bodyName: r.body_name,
          bodyReference: r.body_reference,
          receivedAt: new Date(Number(r.received_at_ms)).toISOString(),
          purpose: r.purpose,
          legalBasis: r.legal_basis,
          urgent: r.urgent === 1,
          requestedBy: r.requested_by,
          requestedAt: new Date(Number(r.requested_at_ms)).toISOString(),
          incident: r.incident_id === null ? null : `INC-${r.incident_id}`,
          deadline: new Date(Number(r.extended_until_ms ?? r.deadline_ms)).toISOString(),
        },
        approval: { approvedBy: r.decided_by, approvedAt: decidedAt, reason: r.decision_reason },
        recipient: r.recipient,
        producer: { producedBy: actor, startedAt: new Date(now).toISOString(), mode, redactions: redactions.length },
        // Exactly the approved scope (the items never change after the request is registered).
        cameras: items.map((i) => ({ cameraId: i.camera_id, cameraName: i.name, from: new Date(Number(i.from_ms)).toISOString(), to: new Date(Number(i.to_ms)).toISOString(), fromMs: Number(i.from_ms), toMs: Number(i.to_ms) })),
      },
      handover: { producedBy: actor, producedAtMs: now, requestingBody: `${r.body_name} (${r.body_reference})`, recipient: r.recipient, legalBasis: r.legal_basis, purpose: r.purpose, approvedBy: r.decided_by ?? '' },
      signer,
      ffmpegPath: this.d.ffmpegPath,
      auditCheckpoint: (await this.d.checkpoints?.checkpoint('export')) ?? null,
    };

    const controller = new AbortController();
    const running: Running = { exportId, controller, cancelledBy: null, progress: 0, etaMs: null, persistedAtMs: now, done: Promise.resolve() };
    this.running = running;
    running.done = this.run(job, running, actor);
    return null;
  }

  /** Aborts the running production of this request; false when it is not running. */
  async cancel(actor: string, exportId: number): Promise<boolean> {
    const run = this.running;
    if (!run || run.exportId !== exportId) return false;
    run.cancelledBy = actor;
    run.controller.abort(new Error(`cancelled by ${actor}`));
    await run.done;
    return true;
  }

  /** Waits for the running production, if any (tests; engine close after an abort). */
  async idle(): Promise<void> {
    await this.running?.done;
  }

  /** Engine stop: a running production is aborted and recorded as failed. */
  /** Deletes the engine's copies of packages whose keep period after handover is over. */
  async sweepPackages(): Promise<number> {
    const due = this.d.clock.nowMs() - PACKAGE_KEEP_DAYS_AFTER_HANDOVER * 86_400_000;
    const rows = await this.d.db
      .selectFrom('exports')
      .select(['id', 'package_path', 'handover_at_ms'])
      .where('status', '=', 'handed_over')
      .where('package_path', 'is not', null)
      .where('package_deleted_at_ms', 'is', null)
      .where('handover_at_ms', '<=', due)
      .execute();
    let deleted = 0;
    for (const r of rows) {
      const dir = r.package_path!;
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch (err) {
        this.d.logger.error('export package could not be deleted', { exportId: r.id, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const now = this.d.clock.nowMs();
      await this.d.db.updateTable('exports').set({ package_deleted_at_ms: now }).where('id', '=', r.id).execute();
      const note = `${PACKAGE_KEEP_DAYS_AFTER_HANDOVER} days after the handover: ${dir}`;
      await this.event(r.id, 'system', 'package deleted', note);
      await this.d.audit.append({ actor: 'system', action: 'exports.packageDeleted', target: `export#${r.id}`, outcome: 'allowed', details: { number: exportNumber(r.id), packagePath: dir, handoverAtMs: Number(r.handover_at_ms) } });
      deleted++;
    }
    return deleted;
  }

  /** Sweeps packages now and then every hour (not in tests that drive sweepPackages themselves). */
  startPackageSweeper(): void {
    const run = () => void this.sweepPackages().catch((err: unknown) => this.d.logger.error('export package sweep failed', { error: err instanceof Error ? err.message : String(err) }));
    run();
    this.sweeper = setInterval(run, PACKAGE_SWEEP_MS);
    this.sweeper.unref();
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const run = this.running;
    if (!run) return;
    run.cancelledBy = 'system';
    run.controller.abort(new Error('the engine is stopping'));
    await run.done;
  }

  /**
   * Records the handover of a produced package and releases the protecting hold: from then on the
   * footage in the recordings follows its cameras' retention again (the package itself has left).
   */
  async handover(actor: string, exportId: number, h: { receivedBy: string; receivedAtMs: number; medium: string; note: string }): Promise<boolean> {
    const now = this.d.clock.nowMs();
    const done = await this.d.db.transaction().execute(async (trx) => {
      const u = await trx
        .updateTable('exports')
        .set({ status: 'handed_over', received_by: h.receivedBy, handover_at_ms: h.receivedAtMs, handover_medium: h.medium, handover_note: h.note, handover_recorded_by: actor })
        .where('id', '=', exportId)
        .where('status', '=', 'produced')
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) === 0) return false;
      const keptUntil = new Date(h.receivedAtMs + PACKAGE_KEEP_DAYS_AFTER_HANDOVER * 86_400_000).toISOString().slice(0, 10);
      const note = `to ${h.receivedBy} at ${new Date(h.receivedAtMs).toISOString()} on ${h.medium}${h.note ? `: ${h.note}` : ''}; the engine's copy of the package is deleted after ${keptUntil}`;
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: now, actor, action: 'handed over', note }).execute();
      return true;
    });
    if (!done) return false;
    const r = await this.row(exportId);
    if (r.hold_id !== null) {
      const hold = await this.d.holds.get(r.hold_id);
      if (hold?.status === 'active') {
        await this.d.holds.release(actor, r.hold_id, `Handed over to ${h.receivedBy} (${exportNumber(exportId)})`);
        await this.event(exportId, actor, 'hold released', `hold #${r.hold_id}: the recordings follow their cameras' retention again`);
      }
    }
    return true;
  }

  // --- internals --------------------------------------------------------------------------------

  private async run(job: ProductionJob, run: Running, actor: string): Promise<void> {
    const started = this.d.clock.nowMs();
    try {
      const result = await this.d.producer.produce(
        job,
        (p) => {
          run.progress = p.totalMs > 0 ? Math.min(1, Math.max(0, p.doneMs / p.totalMs)) : 0;
          run.etaMs = p.etaMs;
          const now = this.d.clock.nowMs();
          if (now - run.persistedAtMs >= PROGRESS_PERSIST_MS) {
            run.persistedAtMs = now;
            void this.d.db
              .updateTable('exports')
              .set({ production_progress: run.progress, production_eta_ms: run.etaMs })
              .where('id', '=', job.exportId)
              .where('status', '=', 'producing')
              .execute()
              .catch((err: unknown) => this.d.logger.warn('export progress not saved', { export: job.number, error: err }));
          }
        },
        run.controller.signal,
      );
      if (run.controller.signal.aborted) throw run.controller.signal.reason;
      const now = this.d.clock.nowMs();
      await this.d.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('exports')
          .set({ status: 'produced', production_progress: 1, production_eta_ms: null, production_finished_at_ms: now, package_path: result.packageDir, manifest_sha256: result.manifestSha256 })
          .where('id', '=', job.exportId)
          .execute();
        await trx
          .insertInto('export_events')
          .values({ export_id: job.exportId, at_ms: now, actor, action: 'produced', note: `${result.files.length} file(s) in ${result.packageDir}; manifest SHA-256 ${result.manifestSha256}` })
          .execute();
      });
      await this.d.audit.append({
        actor,
        action: 'exports.produced',
        target: `export#${job.exportId}`,
        outcome: 'allowed',
        details: { number: job.number, packagePath: result.packageDir, manifestSha256: result.manifestSha256, files: result.files.length, tookMs: now - started },
      });
    } catch (err) {
      const message = run.cancelledBy ? (run.cancelledBy === 'system' ? 'Cancelled: the engine was stopping.' : `Cancelled by ${run.cancelledBy}.`) : `Production failed: ${describe(err)}`;
      await this.finishFailed(job.exportId, run.cancelledBy ?? actor, message);
      await this.d.audit
        .append({ actor: run.cancelledBy ?? actor, action: run.cancelledBy ? 'exports.cancelled' : 'exports.productionFailed', target: `export#${job.exportId}`, outcome: 'allowed', details: { number: job.number, error: message } })
        .catch(() => undefined);
      if (!run.cancelledBy) this.d.logger.warn('export production failed', { export: job.number, error: err });
    } finally {
      if (this.running === run) this.running = null;
    }
  }

  private async finishFailed(exportId: number, actor: string, message: string): Promise<void> {
    const now = this.d.clock.nowMs();
    await this.d.db.transaction().execute(async (trx) => {
      await trx.updateTable('exports').set({ status: 'failed', production_error: message, production_eta_ms: null, production_finished_at_ms: now }).where('id', '=', exportId).execute();
      await trx.insertInto('export_events').values({ export_id: exportId, at_ms: now, actor, action: 'production failed', note: message }).execute();
    });
  }

  /** Places (or keeps) the legal hold over exactly the approved items until the handover. */
  private async protect(actor: string, r: Row, items: { camera_id: number; from_ms: number; to_ms: number }[]): Promise<void> {
    if (r.hold_id !== null && (await this.d.holds.get(r.hold_id))?.status === 'active') return;
    const number = exportNumber(r.id);
    const reviewDateMs = Math.max(this.d.clock.nowMs(), Number(r.extended_until_ms ?? r.deadline_ms)) + EXPORT_HOLD_REVIEW_DAYS * 86_400_000;
    const holdId = await this.d.holds.place(actor, {
      kind: r.body_type === 'data_subject' ? 'data_subject' : 'legal',
      caseReference: r.body_reference,
      legalBasis: r.legal_basis,
      requestingBody: r.body_name,
      reason: `Exported footage under hold until handover (${number})`,
      reviewDateMs,
      items: items.map((i) => ({ cameraId: i.camera_id, fromMs: Number(i.from_ms), toMs: Number(i.to_ms) })),
    });
    await this.d.db.updateTable('exports').set({ hold_id: holdId }).where('id', '=', r.id).execute();
    await this.event(r.id, actor, 'hold placed', `hold #${holdId} over the approved ranges until the handover`);
  }

  /** EXP-n, or EXP-n-2, EXP-n-3 ... when an earlier attempt left its folder. */
  private freshOutDir(number: string): string {
    fs.mkdirSync(this.d.exportsDir, { recursive: true, mode: 0o700 });
    let dir = path.join(this.d.exportsDir, number);
    for (let k = 2; fs.existsSync(dir); k++) dir = path.join(this.d.exportsDir, `${number}-${k}`);
    return dir;
  }

  /** Recording files of a camera overlapping a range, oldest first, with their keyframe indexes. */
  private async files(cameraId: number, fromMs: number, toMs: number): Promise<ScopeItem['files']> {
    const rows = await this.d.db
      .selectFrom('recordings as r')
      .innerJoin('recording_gops as g', 'g.recording_id', 'r.id')
      .select(['r.path', 'r.start_ms', 'r.end_ms', 'r.init_bytes', 'g.gops'])
      .where('r.camera_id', '=', cameraId)
      .where('r.state', 'in', ['complete', 'open'])
      .where('r.end_ms', '>', fromMs)
      .where('r.start_ms', '<', toMs)
      .orderBy('r.start_ms')
      .execute();
    return rows.map((f) => ({ path: path.join(this.d.recordingsRoot, f.path), startMs: Number(f.start_ms), endMs: Number(f.end_ms), initBytes: f.init_bytes, gops: f.gops }));
  }

  private async row(exportId: number): Promise<Row> {
    return this.d.db.selectFrom('exports').selectAll().where('id', '=', exportId).executeTakeFirstOrThrow();
  }

  private items(exportId: number) {
    return this.d.db
      .selectFrom('export_items as i')
      .innerJoin('cameras as c', 'c.id', 'i.camera_id')
      .select(['i.camera_id', 'i.from_ms', 'i.to_ms', 'c.name'])
      .where('i.export_id', '=', exportId)
      .orderBy('i.id')
      .execute();
  }

  private async event(exportId: number, actor: string, action: string, note: string): Promise<void> {
    await this.d.db.insertInto('export_events').values({ export_id: exportId, at_ms: this.d.clock.nowMs(), actor, action, note }).execute();
  }

  private summary(r: Row, cameras: number): ExportSummaryView {
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

const EMPTY_LATER_FIELDS = {
  extended_until_ms: null,
  extension_reason: null,
  extended_by: null,
  decided_by: null,
  decided_at_ms: null,
  decision_approved: null,
  decision_reason: null,
  production_mode: null,
  produced_by: null,
  production_started_at_ms: null,
  production_progress: null,
  production_eta_ms: null,
  production_finished_at_ms: null,
  production_error: null,
  production_redactions: null,
  package_path: null,
  manifest_sha256: null,
  received_by: null,
  handover_at_ms: null,
  handover_medium: null,
  handover_note: null,
  handover_recorded_by: null,
  hold_id: null,
} as const;

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
