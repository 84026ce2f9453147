// Retention (R1) and deletion (docs/design/recording.md "Retention"): a sweep deletes, per camera,
// every file past the camera's retention that no active hold covers (R2), and deletion by hand and
// the storage monitor's quota deletions use the same protocol, in batches that yield between steps
// so live commands are never held up for long (bench:retention):
//   1. one transaction re-reads the batch by primary key and re-checks holds, marking the still-free
//      rows `deleting` (a hold placed after the decision wins);
//   2. unlink the files, fsync their directories;
//   3. one transaction writes the deletion log rows and drops the recording rows.
// The retention applied is the camera's, capped at its area type's legal maximum (shared/cameras.ts):
// a camera stored with more before the maximum was enforced is named in the sweep's audit entry.
// Quarantined files (no rows) follow retention too (retention-quarantine.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { AREA_TYPES, isAreaType, maxRetentionDays } from '../../../shared/cameras';
import type { Logger } from '../logger';
import { fsyncDir } from './recorder';
import { sweepQuarantine } from './retention-quarantine';
import type { DeletionCause, RecordingIndex, RecordingRow } from './recording-index';

const DAY_MS = 86_400_000;
/** Files per deletion batch (one mark transaction, one log transaction). */
export const DELETION_BATCH = 100;

export interface RetentionSweepDeps {
  index: RecordingIndex;
  root: string;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  /** Bytes of files that were on disk and are now deleted (quota accounting). */
  freed: (bytes: number) => void;
}

export interface SweepResult {
  deletedFiles: number;
  deletedBytes: number;
  keptHeld: number;
  decisionMs: number;
  /** Of the above, quarantined files (no index row). */
  quarantinedDeleted: number;
  /** Cameras whose stored retention is above their legal maximum: the maximum was applied. */
  capped: CappedRetention[];
}

export interface CappedRetention {
  cameraId: number;
  storedDays: number;
  appliedDays: number;
  clause: string;
}

export class RetentionSweep {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<SweepResult> | null = null;
  lastSweepAtMs: number | null = null;
  /** Cameras already named as capped in an audit entry, with the stored retention named then. */
  private readonly cappedNoticed = new Map<number, number>();

  constructor(private readonly d: RetentionSweepDeps) {}

  /** Sweeps every `minutes` from now on (replacing an earlier schedule). */
  schedule(minutes: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.sweep().catch((e: unknown) => this.d.logger.error('sweep failed', { error: e })), minutes * 60_000);
    this.timer.unref();
  }

  /** Stops the schedule and waits for a sweep in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.sweeping) await this.sweeping.catch(() => undefined);
  }

  /** One sweep (R1): every file past its camera's retention and not held is deleted. One at a time. */
  async sweep(): Promise<SweepResult> {
    if (this.sweeping) await this.sweeping;
    const run = this.sweepOnce();
    this.sweeping = run;
    try {
      return await run;
    } finally {
      this.sweeping = null;
    }
  }

  private async sweepOnce(): Promise<SweepResult> {
    const now = this.d.clock.nowMs();
    const t0 = performance.now();
    const expired: RecordingRow[] = [];
    let keptHeld = 0;
    const applied = new Map<number, number>();
    const capped: CappedRetention[] = [];
    for (const c of await this.d.index.cameraRetentions()) {
      // Never longer than the legal maximum, whatever is stored (BRN 40.4, 41.4, 42.5; JON 11; ELB 1.10).
      const maxDays = maxRetentionDays(c.areaType);
      const days = Math.min(c.retentionDays, maxDays);
      applied.set(c.cameraId, days);
      if (c.retentionDays > maxDays) {
        capped.push({ cameraId: c.cameraId, storedDays: c.retentionDays, appliedDays: maxDays, clause: isAreaType(c.areaType) ? AREA_TYPES[c.areaType].clause : 'unknown area type' });
      }
      for (const r of await this.d.index.expiredFiles(c.cameraId, now - days * DAY_MS)) {
        if (r.held) keptHeld += 1;
        else expired.push(r);
      }
      await yieldToEventLoop();
    }
    const decisionMs = performance.now() - t0;
    const rows = await this.deleteRows(expired, 'retention', 'system');
    const q = await sweepQuarantine(this.d, now, applied);
    const files = rows.files + q.deletedFiles;
    const bytes = rows.bytes + q.deletedBytes;
    keptHeld += q.keptHeld;
    this.lastSweepAtMs = now;
    // Each capped camera is named once per engine run (and again if its stored retention changes),
    // so administrators see which cameras the maximum now applies to without an entry every sweep.
    const newlyCapped = capped.filter((c) => this.cappedNoticed.get(c.cameraId) !== c.storedDays);
    for (const c of newlyCapped) this.cappedNoticed.set(c.cameraId, c.storedDays);
    if (files > 0 || keptHeld > 0 || newlyCapped.length > 0) {
      await this.d.audit.append({
        actor: 'system',
        action: 'retention.swept',
        target: 'recordings',
        outcome: 'allowed',
        details: { deletedFiles: files, deletedBytes: bytes, keptHeld, ...(q.deletedFiles > 0 ? { quarantinedDeleted: q.deletedFiles } : {}), ...(newlyCapped.length > 0 ? { cappedToLegalMaximum: newlyCapped } : {}) },
      });
    }
    if (newlyCapped.length > 0) this.d.logger.warn('camera retention above the legal maximum: the maximum applies', { cameras: newlyCapped });
    return { deletedFiles: files, deletedBytes: bytes, keptHeld, decisionMs, quarantinedDeleted: q.deletedFiles, capped };
  }

  /** Deletion by hand (administrators): never of held footage (R2). */
  async deleteRange(cameraId: number, fromMs: number, toMs: number, actor: string): Promise<{ deletedFiles: number; deletedBytes: number; keptHeldFiles: number }> {
    const rows = await this.d.index.filesWithin(cameraId, fromMs, toMs);
    const free = rows.filter((r) => !r.held);
    const { files, bytes } = await this.deleteRows(free, 'manual', actor);
    return { deletedFiles: files, deletedBytes: bytes, keptHeldFiles: rows.length - free.length };
  }

  /** The deletion protocol (steps 1-3 of the header) over `rows`, in batches that yield between them. */
  async deleteRows(rows: readonly RecordingRow[], cause: DeletionCause, actor: string): Promise<{ files: number; bytes: number }> {
    let files = 0;
    let bytes = 0;
    for (let i = 0; i < rows.length; i += DELETION_BATCH) {
      const marked = await this.d.index.markDeleting(rows.slice(i, i + DELETION_BATCH).map((r) => r.id));
      // Yield between the steps so live commands run in between (never blocked > 50 ms at a time).
      await yieldToEventLoop();
      files += await this.finishDeletion(marked, cause, actor);
      bytes += marked.reduce((a, r) => a + Number(r.bytes), 0);
      await yieldToEventLoop();
    }
    return { files, bytes };
  }

  /** Steps 2 and 3 for rows marked `deleting` (also reconciliation's, after a crash between them). */
  async finishDeletion(rows: readonly RecordingRow[], cause: DeletionCause, actor: string): Promise<number> {
    const dirs = new Set<string>();
    for (const r of rows) {
      const abs = path.join(this.d.root, r.path);
      try {
        fs.unlinkSync(abs);
        dirs.add(path.dirname(abs));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (r.state !== 'missing') this.d.freed(Number(r.bytes));
    }
    for (const dir of dirs) {
      try {
        fsyncDir(dir);
        if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
      } catch {
        // directory already gone
      }
    }
    await yieldToEventLoop();
    await this.d.index.logDeletions(rows, cause, actor, this.d.clock.nowMs());
    return rows.length;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
