// Recording, retention and storage (R1, R2; docs/design/recording.md), composed of its parts:
// - recorder-fleet.ts: recorders on the main-stream fragments ingest already produces (no second
//   RTSP connection);
// - reconciliation.ts: start-up reconciliation makes index and files agree after a crash;
// - retention-sweep.ts: deletes what retention says must go and no active hold covers (R1, R2),
//   by hand too, logging every deletion;
// - storage-monitor.ts: quota and free-space floor delete the oldest unheld footage first, or stop
//   recording with a critical alarm when only held footage is left (never deleting it);
// - recording-index.ts: the one owner of the recording tables, also read by playback and exports.
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { CameraRecordingView, StorageView } from '../../../shared/contract';
import type { AlarmsService } from '../alarms/alarms-service';
import type { AuditLog } from '../audit/audit-log';
import type { CameraRow } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { LiveService } from '../live/live-service';
import type { Database } from '../store/schema';
import type { CameraRecorder } from './recorder';
import { RecorderFleet } from './recorder-fleet';
import { RecordingIndex } from './recording-index';
import { reconcileRecordings, type ReconcileStats } from './reconciliation';
import { RetentionSweep, type SweepResult } from './retention-sweep';
import { StorageMonitor, type Statfs, type StorageSettings } from './storage-monitor';

export type { StorageSettings } from './storage-monitor';

/** A camera another node records counts as recording while its open file was written this recently
 *  (the index is flushed every 2 s; several nodes' clocks agree to within a second or two). */
const ELSEWHERE_RECENT_MS = 10_000;

export interface RecordingOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  alarms: AlarmsService;
  live: LiveService | null;
  root: string;
  /** The index over `db` (made here when not given; the engine shares one with playback and exports). */
  index?: RecordingIndex;
  /** This engine's node name when several share the database (docs/design/scale.md); default 'local'. */
  node?: string;
  rollMs?: number;
  flushIntervalMs?: number;
  /** Milliseconds between storage checks (free space, quota). */
  storageCheckMs?: number;
  /** Disk figures; injectable so tests can simulate a small disk without one. */
  statfs?: Statfs;
  /** Run timers (false in tests that drive sweep() themselves). */
  timers?: boolean;
  /** Instrumentation for crash tests: called after each fragment is written. */
  onAppended?: (cameraId: number, relPath: string, bytes: number) => void;
}

export class RecordingService {
  readonly root: string;
  readonly index: RecordingIndex;
  private readonly fleet: RecorderFleet;
  private readonly retention: RetentionSweep;
  private readonly storage: StorageMonitor;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: RecordingOptions) {
    this.root = path.resolve(o.root);
    const index = (this.index = o.index ?? new RecordingIndex(o.db, o.node));
    const { clock, logger, audit, alarms } = o;
    const root = this.root;
    this.retention = new RetentionSweep({ index, root, clock, logger, audit, freed: (bytes) => this.storage.freed(bytes) });
    this.storage = new StorageMonitor({
      db: o.db,
      index,
      alarms,
      logger,
      root,
      statfs: o.statfs,
      deleteForQuota: (rows) => this.retention.deleteRows(rows, 'quota', 'system'),
      stopRecording: () => this.fleet.closeFiles(),
    });
    this.fleet = new RecorderFleet({
      index,
      clock,
      logger,
      alarms,
      live: o.live,
      root,
      rollMs: o.rollMs ?? 60_000,
      mayWrite: () => !this.storage.isFull,
      addUsed: (bytes) => this.storage.addUsed(bytes),
      onWriteFailed: () => void this.checkStorage().catch((e: unknown) => logger.error('storage check failed', { error: e })),
      onAppended: o.onAppended,
    });
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.root, 0o700);
    await this.storage.loadSettings();
    await this.reconcile();
    await this.storage.recount();
    if (this.o.timers !== false) {
      this.timers.push(setInterval(() => void this.flushAll(), this.o.flushIntervalMs ?? 2000));
      this.timers.push(setInterval(() => void this.checkStorage().catch((e: unknown) => this.o.logger.error('storage check failed', { error: e })), this.o.storageCheckMs ?? 10_000));
      this.retention.schedule(this.storage.settings.sweepIntervalMinutes);
      for (const t of this.timers) t.unref();
    }
  }

  get settings(): StorageSettings {
    return this.storage.settings;
  }

  async updateSettings(next: StorageSettings): Promise<void> {
    await this.storage.saveSettings(next);
    if (this.o.timers !== false) this.retention.schedule(next.sweepIntervalMinutes);
    await this.checkStorage();
  }

  /** Another node of the site changed the settings (docs/design/scale.md "Changes made at one node"). */
  async reloadSettings(): Promise<void> {
    const before = this.storage.settings;
    await this.storage.loadSettings();
    const next = this.storage.settings;
    if (next.quotaBytes === before.quotaBytes && next.freeSpaceFloorBytes === before.freeSpaceFloorBytes && next.sweepIntervalMinutes === before.sweepIntervalMinutes) return;
    if (this.o.timers !== false) this.retention.schedule(next.sweepIntervalMinutes);
    await this.checkStorage();
  }

  /** One recorder per enabled camera, fed by the live service's main-stream ingest. */
  syncCameras(cameras: readonly CameraRow[]): void {
    this.fleet.sync(cameras);
  }

  /** For tests and tools that feed a recorder directly. */
  recorderFor(cameraId: number): CameraRecorder | undefined {
    return this.fleet.recorderFor(cameraId);
  }

  flushAll(): Promise<void> {
    return this.fleet.flushAll();
  }

  reconcile(skipCameras?: ReadonlySet<number>): Promise<ReconcileStats> {
    const { clock, logger, audit } = this.o;
    return reconcileRecordings({ index: this.index, root: this.root, clock, logger, audit, finishDeletion: (rows) => this.retention.finishDeletion(rows, 'retention', 'system'), skipCameras });
  }

  /**
   * While running: makes index and files agree for the cameras not being recorded here now (a node
   * that lost the database wrote on; its recorders stopped without reaching the index). What the
   * running recorders write is theirs.
   */
  reconcileIdle(): Promise<ReconcileStats> {
    return this.reconcile(this.fleet.cameraIds());
  }

  /** One sweep (R1): every file past its camera's retention and not held is deleted. */
  sweep(): Promise<SweepResult> {
    return this.retention.sweep();
  }

  /** Deletion by hand (administrators): never of held footage (R2). */
  deleteRange(cameraId: number, fromMs: number, toMs: number, actor: string): Promise<{ deletedFiles: number; deletedBytes: number; keptHeldFiles: number }> {
    return this.retention.deleteRange(cameraId, fromMs, toMs, actor);
  }

  checkStorage(): Promise<void> {
    return this.storage.check();
  }

  get isStorageFull(): boolean {
    return this.storage.isFull;
  }

  /** Disk figures and settings; the alarms are the caller's to add (they depend on who asks). */
  storageView(): Omit<StorageView, 'alarms'> {
    return this.storage.view(this.retention.lastSweepAtMs);
  }

  /** The deletion log (proof of erasure on time), newest first, paged by id. */
  deletionLog(f: { cameraId?: number; fromMs?: number; toMs?: number; beforeId?: number; limit: number }) {
    return this.index.deletionLog(f);
  }

  async cameraStatus(cameras: readonly CameraRow[]): Promise<CameraRecordingView[]> {
    const totals = await this.index.cameraTotals();
    const statuses = await this.o.live?.statusesOf(cameras);
    // Several nodes: a camera another node records is recording when its open file grew lately.
    const elsewhere = this.o.node ? cameras.filter((c) => c.enabled === 1 && !this.fleet.recorderFor(c.id)).map((c) => c.id) : [];
    const writtenElsewhere = await this.index.writtenSince(elsewhere, this.o.clock.nowMs() - ELSEWHERE_RECENT_MS);
    return cameras.map((c) => {
      const t = totals.get(c.id);
      const recording = this.fleet.recorderFor(c.id)?.recording === true || writtenElsewhere.has(c.id);
      const state = c.enabled !== 1 ? 'disabled' : this.storage.isFull && !writtenElsewhere.has(c.id) ? 'stopped_storage_full' : recording ? 'recording' : 'waiting_for_video';
      return {
        cameraId: c.id,
        name: c.name,
        site: c.site,
        state,
        // The camera's one state, the word its tile and the camera tree show (shared/cameras.ts), wherever it is ingested.
        cameraState: statuses?.get(c.id)?.main.state ?? (c.enabled === 1 ? 'connecting' : 'disabled'),
        retentionDays: c.retention_days,
        oldestMs: t?.oldestMs ?? null,
        newestMs: t?.newestMs ?? null,
        bytes: t?.bytes ?? 0,
        files: t?.files ?? 0,
        gaps: t?.gaps ?? 0,
      };
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.retention.stop();
    await this.fleet.stop();
  }
}
