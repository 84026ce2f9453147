// Production runs of export requests (docs/design/exports.md "Production"; R6; docs/design/overview.md §7): only
// after approval (and again after a failure, never after success), one at a time per engine, in
// the background. Each run is an attempt of its own (export_productions: mode, who, times, progress,
// error, package); a legal hold over exactly the approved items is placed before anything is read,
// so retention cannot take what is being exported. A camera with privacy masks is produced only
// with burn-in, which fills them (R7; docs/design/exports.md "Privacy masks in packages"). The
// package itself is made by production/ through the seam in production-types.ts; the recording
// files come from the recording index.
import fs from 'node:fs';
import path from 'node:path';
import { exportNumber, type RedactionBox } from '../../../shared/contract';
import type { AuditLog } from '../audit/audit-log';
import type { AuditCheckpointRecord } from '../audit/checkpoint-file';
import type { Clock } from '../clock';
import type { EventPublisher } from '../events/domain-events';
import type { HoldsService } from '../holds/holds-service';
import type { Logger } from '../logger';
import type { MasksService } from '../masks/masks-service';
import type { RemoteFile, RemoteFiles } from '../nodes/remote-files';
import type { RecordingIndex } from '../recording/recording-index';
import type { SiteService } from '../site/site-service';
import type { ExportEvent, ExportRecords, ExportRow } from './export-records';
import type { Refusal } from './export-requests';
import { dataSubjectRecord, dataSubjectRefusal, type DataSubjectRecord, type DataSubjectStatement } from './data-subject';
import { maskedCopyRefusal } from './production/mask-overlay';
import type { ItemMasks, ProductionJob, ProductionProgress, ProductionResult, ScopeItem, Signer } from './production-types';

/** What production offers the requests side (production/produce.ts in the engine; small fakes in tests). */
export interface ExportProducer {
  produce(job: ProductionJob, onProgress: (p: ProductionProgress) => void, signal: AbortSignal): Promise<ProductionResult>;
}

export interface ExportProductionDeps {
  records: ExportRecords;
  producer: ExportProducer;
  holds: HoldsService;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  /** The site's signing key (packages). */
  site: SiteService;
  /** Recorded files and their keyframe indexes (exports never query the recording tables). */
  recordings: RecordingIndex;
  /** Recording rows hold paths relative to this root. */
  recordingsRoot: string;
  /** Packages go to `<exportsDir>/EXP-n` (a new attempt after a failure: EXP-n-2, ...). */
  exportsDir: string;
  /** Privacy masks (R7): which masks footage recorded in a range is shown with, and their versions. */
  masks: Pick<MasksService, 'recordedMasks' | 'history'>;
  /** Null when ffmpeg was not found: production is refused with the reason. */
  ffmpegPath: string | null;
  /** Signs the audit log's head at every production; the manifest names it (docs/design/audit-chain.md). */
  checkpoints?: { checkpoint(why: 'export'): Promise<AuditCheckpointRecord | null> };
  /** Pushed events (docs/design/events.md): an attempt started, progressed (at most once a second), ended. */
  events?: EventPublisher;
}

/** Days past the later of the deadline and the production start that the protecting hold is reviewed. */
export const EXPORT_HOLD_REVIEW_DAYS = 30;
/** Progress is kept in memory for every report and written to the database at most this often. */
const PROGRESS_PERSIST_MS = 1000;

interface Running {
  exportId: number;
  attempt: number;
  controller: AbortController;
  cancelledBy: string | null;
  progress: number;
  etaMs: number | null;
  persistedAtMs: number;
  done: Promise<void>;
}

type Items = Awaited<ReturnType<ExportRecords['items']>>;

/** An item's files on other nodes' disks, fetched before production (nodes/remote-files.ts). */
interface RemoteItemFiles {
  via: RemoteFiles;
  item: { cameraId: number; fromMs: number; toMs: number };
  files: RemoteFile[];
}

export class ExportProduction {
  private running: Running | null = null;
  /** Several nodes (docs/design/scale.md "Seats on any node"): files on other nodes' disks are fetched from them. */
  remoteFiles: RemoteFiles | null = null;

  constructor(private readonly d: ExportProductionDeps) {}

  /** After a restart nothing is producing: an attempt the engine was running when it stopped failed. */
  async recover(): Promise<void> {
    // Copies of other nodes' files a run had fetched when the engine stopped.
    if (fs.existsSync(this.d.exportsDir)) for (const n of fs.readdirSync(this.d.exportsDir)) if (n.startsWith('.staging-')) fs.rmSync(path.join(this.d.exportsDir, n), { recursive: true, force: true });
    for (const a of await this.d.records.producingAttempts()) {
      await this.fail(a.export_id, a.attempt, 'failed', 'system', 'The engine stopped while the package was being produced; produce it again.', { kind: 'interrupted' });
    }
  }

  /** The running attempt's progress, if this request's is running. */
  liveProgress(exportId: number): { progress: number; etaMs: number | null } | null {
    const run = this.running;
    return run?.exportId === exportId ? { progress: run.progress, etaMs: run.etaMs } : null;
  }

  /**
   * Starts producing an approved request (or one whose last attempt failed) in the background: the
   * protecting legal hold is placed first, then the job runs; the call returns once it is running.
   */
  async start(actor: string, exportId: number, mode: 'copy' | 'burn_in', redactions: RedactionBox[], statement: DataSubjectStatement = {}): Promise<Refusal | null> {
    const r = await this.d.records.request(exportId);
    if (r.status === 'pending' || r.status === 'rejected') {
      return { refused: 'FailedPrecondition', message: r.status === 'pending' ? 'The request is not approved yet: a supervisor other than the requester must approve it first.' : 'The request was rejected; it cannot be produced.' };
    }
    if (r.status === 'producing') return { refused: 'FailedPrecondition', message: 'The package is being produced already.' };
    if (r.status === 'produced' || r.status === 'handed_over') return { refused: 'FailedPrecondition', message: 'The package was produced already.' };
    if (this.running) return { refused: 'FailedPrecondition', message: `Another package (${exportNumber(this.running.exportId)}) is being produced; start this one when it has finished.` };
    if (!this.d.ffmpegPath) return { refused: 'FailedPrecondition', message: 'ffmpeg was not found on this machine, so no package can be produced.' };
    const ffmpegPath = this.d.ffmpegPath;
    const items = await this.d.records.items(exportId);
    const foreign = redactions.filter((b) => !items.some((i) => i.camera_id === b.cameraId));
    if (foreign.length) return { refused: 'FailedPrecondition', message: `A redaction box names camera ${foreign[0]!.cameraId}, which is not in the request.` };
    // JON 19: a data subject's package identifies nobody else (data-subject.ts).
    const subjectRefusal = dataSubjectRefusal(r.body_type, mode, redactions, statement);
    if (subjectRefusal) return subjectRefusal;
    const dataSubject = dataSubjectRecord(r.body_type, actor, redactions, statement);
    if (mode === 'copy') {
      // R7: a copy carries the picture as recorded. Production refuses it again (produce.ts), with the
      // masks read when the job is made, should one be saved meanwhile.
      const masked: string[] = [];
      for (const i of items) if ((await this.d.masks.recordedMasks(i.camera_id, Number(i.from_ms), Number(i.to_ms))).length > 0) masked.push(i.name);
      if (masked.length > 0) return { refused: 'FailedPrecondition', message: maskedCopyRefusal([...new Set(masked)]) };
    }

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
    const details = { kind: mode, redactions: redactions.length, folder: outDir };
    const attempt = await this.d.records.claimAttempt(exportId, { actor, mode, redactions: redactions.length, nowMs: now, details });
    if (attempt === null) return { refused: 'FailedPrecondition', message: 'The request changed meanwhile; reload it.' };
    this.d.events?.publish({ type: 'export.production', exportId, state: 'producing', progress: 0 });

    const scope: ScopeItem[] = [];
    const remote: RemoteItemFiles[] = [];
    try {
      // The hold before the first byte is read, so retention cannot take what is being exported. A
      // later attempt reuses the hold of the first while it is active.
      if (dataSubject) {
        // The producer's statement, before anything is read; an attestation's reason is their own words (the note).
        const details = { kind: dataSubject.basis, redactions: dataSubject.redactionBoxes };
        await this.d.records.appendEvent(r.id, { actor, action: 'data subject confirmed', note: dataSubject.reason ?? '', details, attempt }, now);
      }
      await this.protect(actor, r, items, attempt);
      for (const i of items) {
        const files = await this.d.recordings.overlappingFilesWithIndex(i.camera_id, Number(i.from_ms), Number(i.to_ms));
        const elsewhere = this.remoteFiles?.toFetch(files) ?? [];
        if (this.remoteFiles && elsewhere.length > 0) remote.push({ via: this.remoteFiles, item: { cameraId: i.camera_id, fromMs: Number(i.from_ms), toMs: Number(i.to_ms) }, files: elsewhere });
        const fetched = new Set(elsewhere.map((f) => f.recordingId));
        scope.push({
          cameraId: i.camera_id,
          cameraName: i.name,
          fromMs: Number(i.from_ms),
          toMs: Number(i.to_ms),
          // A file on another node's disk is read from its staged copy (fetched when the run starts).
          files: files.map((f) => ({ path: fetched.has(f.id) ? this.stagedPath(number, attempt, f.id) : path.join(this.d.recordingsRoot, f.path), startMs: f.startMs, endMs: f.endMs, initBytes: f.initBytes, gops: f.gops })),
          masks: await this.itemMasks(i.camera_id, Number(i.from_ms), Number(i.to_ms)),
        });
      }
    } catch (err) {
      await this.fail(exportId, attempt, 'failed', actor, `Production could not start: ${describe(err)}`, { kind: 'notStarted', error: describe(err) });
      throw err;
    }
    const job: ProductionJob = {
      ...jobOf(r, items, { number, actor, now, mode, redactions, dataSubject }),
      outDir,
      items: scope,
      signer,
      ffmpegPath,
      auditCheckpoint: (await this.d.checkpoints?.checkpoint('export')) ?? null,
    };

    const controller = new AbortController();
    const running: Running = { exportId, attempt, controller, cancelledBy: null, progress: 0, etaMs: null, persistedAtMs: now, done: Promise.resolve() };
    this.running = running;
    running.done = this.run(job, running, actor, remote);
    return null;
  }

  /** Where a run's copies of files on other nodes go (removed when the run ends). */
  private stagingDir(number: string, attempt: number): string {
    return path.join(this.d.exportsDir, `.staging-${number}-${attempt}`);
  }

  private stagedPath(number: string, attempt: number, recordingId: number): string {
    return path.join(this.stagingDir(number, attempt), `${recordingId}.mp4`);
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

  /** Engine stop: a running production is aborted and recorded as cancelled. */
  async close(): Promise<void> {
    const run = this.running;
    if (!run) return;
    run.cancelledBy = 'system';
    run.controller.abort(new Error('the engine is stopping'));
    await run.done;
  }

  private async run(job: ProductionJob, run: Running, actor: string, remote: readonly RemoteItemFiles[]): Promise<void> {
    const started = this.d.clock.nowMs();
    const staging = this.stagingDir(job.number, run.attempt);
    try {
      for (const r of remote) await r.via.stage(actor, r.item, r.files, staging, run.controller.signal);
      const result = await this.d.producer.produce(
        job,
        (p) => {
          run.progress = p.totalMs > 0 ? Math.min(1, Math.max(0, p.doneMs / p.totalMs)) : 0;
          run.etaMs = p.etaMs;
          const now = this.d.clock.nowMs();
          if (now - run.persistedAtMs >= PROGRESS_PERSIST_MS) {
            run.persistedAtMs = now;
            void this.d.records.saveProgress(job.exportId, run.attempt, run.progress, run.etaMs).catch((err: unknown) => this.d.logger.warn('export progress not saved', { export: job.number, error: err }));
            this.d.events?.publish({ type: 'export.production', exportId: job.exportId, state: 'producing', progress: run.progress });
          }
        },
        run.controller.signal,
      );
      if (run.controller.signal.aborted) throw run.controller.signal.reason;
      const now = this.d.clock.nowMs();
      // The engine's own record of the package: the hashes of both signed lists fix every byte of it,
      // the fingerprint names the key a court compares with the paper record (docs/design/exports.md).
      const details = {
        files: result.files.length,
        folder: result.packageDir,
        manifestSha256: result.manifestSha256,
        addendumSha256: result.addendumSha256 ?? undefined,
        keyFingerprint: result.signingKeyFingerprint ?? undefined,
      };
      await this.d.records.finishProduced(job.exportId, run.attempt, result, { actor, action: 'produced', note: '', details }, now);
      this.d.events?.publish({ type: 'export.production', exportId: job.exportId, state: 'produced', progress: 1 });
      await this.d.audit.append({
        actor,
        action: 'exports.produced',
        target: `export#${job.exportId}`,
        outcome: 'allowed',
        details: {
          number: job.number,
          attempt: run.attempt,
          packagePath: result.packageDir,
          manifestSha256: result.manifestSha256,
          addendumSha256: result.addendumSha256 ?? null,
          signingKeyFingerprint: result.signingKeyFingerprint ?? null,
          files: result.files.length,
          tookMs: now - started,
        },
      });
    } catch (err) {
      const message = run.cancelledBy ? (run.cancelledBy === 'system' ? 'Cancelled: the engine was stopping.' : `Cancelled by ${run.cancelledBy}.`) : `Production failed: ${describe(err)}`;
      // The history words the outcome; the failure's own text (ffmpeg's, a file system's) is kept as it came.
      const details = run.cancelledBy ? { kind: run.cancelledBy === 'system' ? 'stopping' : 'cancelled' } : { kind: 'failed', error: describe(err) };
      await this.fail(job.exportId, run.attempt, run.cancelledBy ? 'cancelled' : 'failed', run.cancelledBy ?? actor, message, details);
      await this.d.audit
        .append({ actor: run.cancelledBy ?? actor, action: run.cancelledBy ? 'exports.cancelled' : 'exports.productionFailed', target: `export#${job.exportId}`, outcome: 'allowed', details: { number: job.number, attempt: run.attempt, error: message } })
        .catch(() => undefined);
      if (!run.cancelledBy) this.d.logger.warn('export production failed', { export: job.number, error: err });
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
      if (this.running === run) this.running = null;
    }
  }

  private async fail(exportId: number, attempt: number, status: 'failed' | 'cancelled', actor: string, message: string, details: ExportEvent['details']): Promise<void> {
    await this.d.records.finishFailed(exportId, attempt, status, message, { actor, action: 'production failed', note: '', details }, this.d.clock.nowMs());
    this.d.events?.publish({ type: 'export.production', exportId, state: status, progress: 0 });
  }

  /** Places (or keeps) the legal hold over exactly the approved items until the handover. */
  private async protect(actor: string, r: ExportRow, items: Items, attempt: number): Promise<void> {
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
    await this.d.records.setHold(r.id, holdId);
    await this.d.records.appendEvent(r.id, { actor, action: 'hold placed', note: '', details: { holdId }, attempt }, this.d.clock.nowMs());
  }

  /**
   * The masks an item's footage is shown with, read when production starts, and the numbers of the
   * versions they come from (every version in force during the range and the current one, as
   * masksShownFor picks them). The versions are read first: a version saved in between adds masks
   * the manifest does not name, never names one that was not applied.
   */
  private async itemMasks(cameraId: number, fromMs: number, toMs: number): Promise<ItemMasks> {
    const history = await this.d.masks.history(cameraId);
    const versions = history.filter((v, k) => k === history.length - 1 || (v.createdAtMs <= toMs && (history[k + 1]?.createdAtMs ?? Infinity) > fromMs)).map((v) => v.version);
    return { shapes: await this.d.masks.recordedMasks(cameraId, fromMs, toMs), versions };
  }

  /** EXP-n, or EXP-n-2, EXP-n-3 ... when an earlier attempt left its folder. */
  private freshOutDir(number: string): string {
    fs.mkdirSync(this.d.exportsDir, { recursive: true, mode: 0o700 });
    let dir = path.join(this.d.exportsDir, number);
    for (let k = 2; fs.existsSync(dir); k++) dir = path.join(this.d.exportsDir, `${number}-${k}`);
    return dir;
  }
}

/** What the job says about the request: the manifest's request, approval and producer, the handover record's lines. */
function jobOf(r: ExportRow, items: Items, p: { number: string; actor: string; now: number; mode: 'copy' | 'burn_in'; redactions: RedactionBox[]; dataSubject: DataSubjectRecord | null }) {
  const { number, actor, now, mode, redactions, dataSubject } = p;
  return {
    exportId: r.id,
    number,
    mode,
    caseReference: r.body_reference,
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
      approval: { approvedBy: r.decided_by, approvedAt: new Date(Number(r.decided_at_ms)).toISOString(), reason: r.decision_reason },
      recipient: r.recipient,
      producer: { producedBy: actor, startedAt: new Date(now).toISOString(), mode, redactions: redactions.length },
      // JON 19: on what basis a data subject's package shows nobody else (absent for other bodies).
      ...(dataSubject ? { dataSubject } : {}),
      // Exactly the approved scope (the items never change after the request is registered).
      cameras: items.map((i) => ({ cameraId: i.camera_id, cameraName: i.name, from: new Date(Number(i.from_ms)).toISOString(), to: new Date(Number(i.to_ms)).toISOString(), fromMs: Number(i.from_ms), toMs: Number(i.to_ms) })),
    },
    handover: { producedBy: actor, producedAtMs: now, requestingBody: `${r.body_name} (${r.body_reference})`, recipient: r.recipient, legalBasis: r.legal_basis, purpose: r.purpose, approvedBy: r.decided_by ?? '' },
  } satisfies Partial<ProductionJob>;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
