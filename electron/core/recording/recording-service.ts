// Recording, retention and storage (R1, R2; docs/design/recording.md).
// - Recorders append the main-stream fragments ingest already produces (no second RTSP connection).
// - Start-up reconciliation makes index and files agree after a crash.
// - The sweeper deletes what retention says must go and no active hold covers (R1, R2), logging
//   every deletion; quota and free-space floor delete the oldest unheld footage first, or stop
//   recording with a critical alarm when only held footage is left (never deleting it).
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { CameraRecordingView, StorageView } from '../../../shared/contract';
import type { AlarmsService } from '../alarms/alarms-service';
import type { AuditLog } from '../audit/audit-log';
import type { CameraRow } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { LiveService } from '../live/live-service';
import type { Database, RecordingsTable } from '../store/schema';
import { packGops, scanRecording } from './gop-index';
import { CameraRecorder, fsyncDir, type RecorderHost } from './recorder';

const DAY_MS = 86_400_000;
const BATCH = 100;
const GAP_THRESHOLD_MS = 1500;

export interface StorageSettings {
  quotaBytes: number;
  freeSpaceFloorBytes: number;
  sweepIntervalMinutes: number;
}

export interface RecordingOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  alarms: AlarmsService;
  live: LiveService | null;
  root: string;
  rollMs?: number;
  flushIntervalMs?: number;
  /** Seconds between storage checks (free space, quota). */
  storageCheckMs?: number;
  /** Disk figures; injectable so tests can simulate a small disk without one. */
  statfs?: (root: string) => { freeBytes: number; totalBytes: number };
  /** Run timers (false in tests that drive sweep() themselves). */
  timers?: boolean;
  /** Instrumentation for crash tests: called after each fragment is written. */
  onAppended?: (cameraId: number, relPath: string, bytes: number) => void;
}

type RecordingRow = Selectable<RecordingsTable>;

/** SQL: the recording row `r` overlaps an active legal hold on its camera (R2). */
const HELD = sql<boolean>`EXISTS (SELECT 1 FROM hold_items hi JOIN holds h ON h.id = hi.hold_id
  WHERE h.status = 'active' AND hi.camera_id = r.camera_id AND hi.from_ms < r.end_ms AND hi.to_ms > r.start_ms)`;

export class RecordingService {
  private recorders = new Map<number, { recorder: CameraRecorder; unsubscribe: () => void }>();
  private usedBytes = 0;
  private storageFull = false;
  private timers: NodeJS.Timeout[] = [];
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  lastSweepAtMs: number | null = null;
  settings: StorageSettings = { quotaBytes: 0, freeSpaceFloorBytes: 0, sweepIntervalMinutes: 5 };
  readonly root: string;

  private readonly host: RecorderHost;

  constructor(private readonly o: RecordingOptions) {
    this.root = path.resolve(o.root);
    this.host = this.makeHost();
  }

  private statfs(): { freeBytes: number; totalBytes: number } {
    if (this.o.statfs) return this.o.statfs(this.root);
    const s = fs.statfsSync(this.root);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.root, 0o700);
    await this.loadSettings();
    await this.reconcile();
    this.usedBytes = await this.sumBytes();
    if (this.o.timers !== false) {
      this.timers.push(setInterval(() => void this.flushAll(), this.o.flushIntervalMs ?? 2000));
      this.timers.push(setInterval(() => void this.checkStorage().catch((e: unknown) => this.o.logger.error('storage check failed', { error: e })), this.o.storageCheckMs ?? 10_000));
      this.scheduleSweep();
      for (const t of this.timers) t.unref();
    }
  }

  private scheduleSweep() {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = setInterval(() => void this.sweep().catch((e: unknown) => this.o.logger.error('sweep failed', { error: e })), this.settings.sweepIntervalMinutes * 60_000);
    this.sweepTimer.unref();
  }

  private async loadSettings() {
    const row = await this.o.db.selectFrom('settings').select('value_json').where('key', '=', 'storage').executeTakeFirst();
    const { totalBytes } = this.statfs();
    const defaults: StorageSettings = {
      quotaBytes: Math.floor(totalBytes * 0.9),
      freeSpaceFloorBytes: Math.min(2 * 1024 ** 3, Math.floor(totalBytes * 0.05)),
      sweepIntervalMinutes: 5,
    };
    this.settings = row ? { ...defaults, ...(JSON.parse(row.value_json) as Partial<StorageSettings>) } : defaults;
  }

  async updateSettings(next: StorageSettings): Promise<void> {
    const value_json = JSON.stringify(next);
    await this.o.db.insertInto('settings').values({ key: 'storage', value_json }).onConflict((oc) => oc.column('key').doUpdateSet({ value_json })).execute();
    this.settings = next;
    if (this.o.timers !== false) this.scheduleSweep();
    await this.checkStorage();
  }

  // ---------------------------------------------------------------- recorders

  /** One recorder per enabled camera, fed by the live service's main-stream ingest. */
  syncCameras(cameras: readonly CameraRow[]): void {
    const wanted = new Set(cameras.filter((c) => c.enabled === 1).map((c) => c.id));
    for (const [id, r] of this.recorders) {
      if (!wanted.has(id)) {
        r.unsubscribe();
        void r.recorder.stop();
        this.recorders.delete(id);
      }
    }
    for (const id of wanted) {
      if (this.recorders.has(id)) continue;
      const recorder = new CameraRecorder(id, this.host);
      const unsubscribe = this.o.live ? this.o.live.subscribe(id, recorder) : () => {};
      this.recorders.set(id, { recorder, unsubscribe });
    }
  }

  /** For tests and tools that feed a recorder directly. */
  recorderFor(cameraId: number): CameraRecorder | undefined {
    return this.recorders.get(cameraId)?.recorder;
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.recorders.values()].map((r) => r.recorder.flush()));
  }

  private makeHost(): RecorderHost {
    return {
      root: this.root,
      rollMs: this.o.rollMs ?? 60_000,
      mayWrite: () => !this.storageFull,
      insertRow: async (r) => {
        const id = await this.o.db.transaction().execute(async (trx) => {
          // Gaps are explicit: the time between this camera's previous file and this one.
          const prev = await trx.selectFrom('recordings').select('end_ms').where('camera_id', '=', r.cameraId).orderBy('end_ms', 'desc').limit(1).executeTakeFirst();
          if (prev && r.startMs - Number(prev.end_ms) > GAP_THRESHOLD_MS) {
            await trx.insertInto('recording_gaps').values({ camera_id: r.cameraId, start_ms: Number(prev.end_ms), end_ms: r.startMs }).execute();
          }
          const row = await trx
            .insertInto('recordings')
            .values({ camera_id: r.cameraId, path: r.path, start_ms: r.startMs, end_ms: r.startMs, bytes: r.initBytes, state: 'open', sha256: null, init_bytes: r.initBytes, created_at_ms: this.o.clock.nowMs() })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx.insertInto('recording_gops').values({ recording_id: row.id, gops: Buffer.alloc(0) }).execute();
          return row.id;
        });
        return id;
      },
      updateRow: async (id, u) => {
        await this.o.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('recordings')
            .set({ start_ms: u.startMs, end_ms: u.endMs, bytes: u.bytes, ...(u.complete ? { state: 'complete' as const, sha256: u.sha256 } : {}) })
            .where('id', '=', id)
            .execute();
          await trx.updateTable('recording_gops').set({ gops: u.gops }).where('recording_id', '=', id).execute();
        });
      },
      addUsed: (bytes) => {
        this.usedBytes += bytes;
      },
      onWriteError: (cameraId, err) => {
        this.o.logger.error('recording write failed', { cameraId, error: err });
        void this.o.alarms.raiseCondition('recording.write_failed', 'critical', `Recording of camera ${cameraId} failed to write: ${err instanceof Error ? err.message : String(err)}`, cameraId);
        void this.checkStorage();
      },
      onFileClosed: () => {},
      onAppended: this.o.onAppended,
    };
  }

  // ---------------------------------------------------------------- reconciliation

  /**
   * Makes the index and the files agree after a crash (docs/design/recording.md "Recovery"):
   * open rows are re-read from their files (torn tails cut off); rows whose files are gone are
   * marked missing; interrupted deletions are finished; files without rows are indexed or
   * quarantined.
   */
  async reconcile(): Promise<{ repaired: number; missing: number; indexed: number; quarantined: number; finishedDeletions: number }> {
    const stats = { repaired: 0, missing: 0, indexed: 0, quarantined: 0, finishedDeletions: 0 };
    const deleting = await this.o.db.selectFrom('recordings').selectAll().where('state', '=', 'deleting').execute();
    if (deleting.length) stats.finishedDeletions = await this.finishDeletion(deleting, 'retention', 'system');

    const open = await this.o.db.selectFrom('recordings').selectAll().where('state', '=', 'open').execute();
    for (const row of open) {
      const r = await this.repairFile(row);
      if (r === 'missing') stats.missing += 1;
      else if (r === 'quarantined') stats.quarantined += 1;
      else stats.repaired += 1;
    }
    // One walk of the root serves both checks below (no stat per indexed file).
    const onDisk = new Set(listRecordingFiles(this.root));
    const known = new Set((await this.o.db.selectFrom('recordings').select('path').execute()).map((r) => r.path));
    for (const rel of onDisk) {
      if (known.has(rel)) continue;
      if (await this.indexOrphan(rel)) stats.indexed += 1;
      else stats.quarantined += 1;
    }
    // Rows whose files vanished (a disk replaced, a file removed by hand).
    const complete = await this.o.db.selectFrom('recordings').select(['id', 'path']).where('state', '=', 'complete').execute();
    const missingIds = complete.filter((r) => !onDisk.has(r.path)).map((r) => r.id);
    for (let i = 0; i < missingIds.length; i += 500) {
      await this.o.db.updateTable('recordings').set({ state: 'missing' }).where('id', 'in', missingIds.slice(i, i + 500)).execute();
    }
    stats.missing += missingIds.length;
    if (Object.values(stats).some((n) => n > 0)) {
      await this.o.audit.append({ actor: 'system', action: 'recordings.reconciled', target: 'recordings', outcome: 'allowed', details: stats });
    }
    return stats;
  }

  private async repairFile(row: RecordingRow): Promise<'repaired' | 'missing' | 'quarantined'> {
    const abs = path.join(this.root, row.path);
    if (!fs.existsSync(abs)) {
      await this.o.db.updateTable('recordings').set({ state: 'missing' }).where('id', '=', row.id).execute();
      return 'missing';
    }
    const bytes = fs.readFileSync(abs);
    const scan = scanRecording(bytes);
    if (!scan.init || scan.fragments === 0) {
      this.quarantine(row.path);
      await this.o.db.deleteFrom('recordings').where('id', '=', row.id).execute();
      return 'quarantined';
    }
    if (scan.validBytes < bytes.length) {
      // A fragment torn by the crash: cut it off so the file ends on a fragment boundary.
      const fd = fs.openSync(abs, 'r+');
      fs.ftruncateSync(fd, scan.validBytes);
      fs.fdatasyncSync(fd);
      fs.closeSync(fd);
    }
    const sha256 = (await import('node:crypto')).createHash('sha256').update(bytes.subarray(0, scan.validBytes)).digest('hex');
    await this.o.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('recordings')
        .set({ state: 'complete', bytes: scan.validBytes, end_ms: Number(row.start_ms) + Math.round(scan.durationMs), sha256 })
        .where('id', '=', row.id)
        .execute();
      await trx.updateTable('recording_gops').set({ gops: packGops(scan.gops) }).where('recording_id', '=', row.id).execute();
    });
    return 'repaired';
  }

  private async indexOrphan(rel: string): Promise<boolean> {
    const m = /^cam-(\d+)[/\\]\d{4}-\d{2}-\d{2}[/\\](\d+)(?:-\d+)?\.mp4$/.exec(rel);
    const cameraId = m ? Number(m[1]) : NaN;
    const camera = m ? await this.o.db.selectFrom('cameras').select('id').where('id', '=', cameraId).executeTakeFirst() : undefined;
    if (!m || !camera) {
      this.quarantine(rel);
      return false;
    }
    const startMs = Number(m[2]);
    const row = await this.o.db
      .insertInto('recordings')
      .values({ camera_id: cameraId, path: rel, start_ms: startMs, end_ms: startMs, bytes: 0, state: 'open', sha256: null, init_bytes: 0, created_at_ms: this.o.clock.nowMs() })
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.o.db.insertInto('recording_gops').values({ recording_id: row.id, gops: Buffer.alloc(0) }).execute();
    return (await this.repairFile(row)) === 'repaired';
  }

  private quarantine(rel: string) {
    const from = path.join(this.root, rel);
    if (!fs.existsSync(from)) return;
    const to = path.join(this.root, 'quarantine', rel.replace(/[/\\]/g, '_'));
    fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o700 });
    fs.renameSync(from, to);
    this.o.logger.warn('recording file quarantined', { file: rel });
  }

  // ---------------------------------------------------------------- retention and deletion

  /** One sweep (R1): every file past its camera's retention and not held is deleted. */
  async sweep(): Promise<{ deletedFiles: number; deletedBytes: number; keptHeld: number; decisionMs: number }> {
    if (this.sweeping) await this.sweeping;
    const run = this.sweepOnce();
    this.sweeping = run;
    try {
      return await run;
    } finally {
      this.sweeping = null;
    }
  }

  private async sweepOnce() {
    const now = this.o.clock.nowMs();
    const t0 = performance.now();
    const cameras = await this.o.db.selectFrom('cameras').select(['id', 'retention_days']).execute();
    const expired: RecordingRow[] = [];
    let keptHeld = 0;
    for (const c of cameras) {
      const cutoff = now - c.retention_days * DAY_MS;
      const rows = await this.o.db
        .selectFrom('recordings as r')
        .selectAll('r')
        .select(HELD.as('held'))
        .where('r.camera_id', '=', c.id)
        .where('r.end_ms', '<', cutoff)
        .where('r.state', 'in', ['complete', 'missing'])
        .execute();
      for (const r of rows) {
        if (r.held) keptHeld += 1;
        else expired.push(r);
      }
      await yieldToEventLoop();
    }
    const decisionMs = performance.now() - t0;
    const { files, bytes } = await this.deleteRows(expired, 'retention', 'system');
    this.lastSweepAtMs = now;
    if (files > 0 || keptHeld > 0) {
      await this.o.audit.append({ actor: 'system', action: 'retention.swept', target: 'recordings', outcome: 'allowed', details: { deletedFiles: files, deletedBytes: bytes, keptHeld } });
    }
    return { deletedFiles: files, deletedBytes: bytes, keptHeld, decisionMs };
  }

  /**
   * Deletes recording files, in batches that yield between them. Protocol: (1) mark the batch
   * `deleting` in a transaction that re-checks holds, so a hold placed since the decision wins;
   * (2) unlink the files; (3) log each deletion and drop the rows in one transaction.
   */
  private async deleteRows(rows: readonly RecordingRow[], cause: 'retention' | 'quota' | 'manual', actor: string): Promise<{ files: number; bytes: number }> {
    let files = 0;
    let bytes = 0;
    for (let i = 0; i < rows.length; i += BATCH) {
      const ids = rows.slice(i, i + BATCH).map((r) => r.id);
      const marked = await this.o.db.transaction().execute(async (trx) => {
        // By primary key only (a state condition here lets SQLite pick the state index and scan).
        const current = await trx.selectFrom('recordings as r').selectAll('r').select(HELD.as('held')).where('r.id', 'in', ids).execute();
        const free = current.filter((r) => !r.held && (r.state === 'complete' || r.state === 'missing'));
        if (free.length) await trx.updateTable('recordings').set({ state: 'deleting' }).where('id', 'in', free.map((r) => r.id)).execute();
        return free;
      });
      // Yield between the steps so live commands run in between (never blocked > 50 ms at a time).
      await yieldToEventLoop();
      const done = await this.finishDeletion(marked, cause, actor);
      files += done;
      bytes += marked.reduce((a, r) => a + Number(r.bytes), 0);
      await yieldToEventLoop();
    }
    return { files, bytes };
  }

  private async finishDeletion(rows: readonly RecordingRow[], cause: 'retention' | 'quota' | 'manual', actor: string): Promise<number> {
    const dirs = new Set<string>();
    for (const r of rows) {
      const abs = path.join(this.root, r.path);
      try {
        fs.unlinkSync(abs);
        dirs.add(path.dirname(abs));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (r.state !== 'missing') this.usedBytes -= Number(r.bytes);
    }
    for (const d of dirs) {
      try {
        fsyncDir(d);
        if (fs.readdirSync(d).length === 0) fs.rmdirSync(d);
      } catch {
        // directory already gone
      }
    }
    await yieldToEventLoop();
    const now = this.o.clock.nowMs();
    await this.o.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 100) {
        const part = rows.slice(i, i + 100);
        await trx
          .insertInto('deletion_log')
          .values(part.map((r) => ({ camera_id: r.camera_id, start_ms: Number(r.start_ms), end_ms: Number(r.end_ms), bytes: Number(r.bytes), sha256: r.sha256 ?? 'unknown (file was missing)', cause, actor, deleted_at_ms: now })))
          .execute();
        await trx.deleteFrom('recordings').where('id', 'in', part.map((r) => r.id)).execute();
      }
    });
    return rows.length;
  }

  /** Deletion by hand (administrators): never of held footage (R2). */
  async deleteRange(cameraId: number, fromMs: number, toMs: number, actor: string): Promise<{ deletedFiles: number; deletedBytes: number; keptHeldFiles: number }> {
    const rows = await this.o.db
      .selectFrom('recordings as r')
      .selectAll('r')
      .select(HELD.as('held'))
      .where('r.camera_id', '=', cameraId)
      .where('r.start_ms', '>=', fromMs)
      .where('r.end_ms', '<=', toMs)
      .where('r.state', 'in', ['complete', 'missing'])
      .execute();
    const free = rows.filter((r) => !r.held);
    const { files, bytes } = await this.deleteRows(free, 'manual', actor);
    return { deletedFiles: files, deletedBytes: bytes, keptHeldFiles: rows.length - free.length };
  }

  // ---------------------------------------------------------------- storage

  /** Quota and free-space floor: oldest unheld footage first; if only held footage is left, stop recording. */
  async checkStorage(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const { freeBytes } = this.statfs();
      const need = Math.max(this.usedBytes - this.settings.quotaBytes, this.settings.freeSpaceFloorBytes - freeBytes, 0);
      if (need <= 0) {
        if (this.storageFull) {
          this.storageFull = false;
          await this.o.alarms.clear('storage.full');
          this.o.logger.info('recording resumed: storage available again');
        }
        // The warning stays while storage is tight (within 10 % of the quota or 1.5 x the floor),
        // so a supervisor sees it; it clears once there is headroom again.
        const headroom = this.usedBytes <= this.settings.quotaBytes * 0.9 && freeBytes >= this.settings.freeSpaceFloorBytes * 1.5;
        if (round === 0 && headroom) await this.o.alarms.clear('storage.pressure');
        return;
      }
      const oldest = await this.o.db
        .selectFrom('recordings as r')
        .selectAll('r')
        .where('r.state', '=', 'complete')
        .where(sql<boolean>`NOT ${HELD}`)
        .orderBy('r.start_ms')
        .limit(BATCH)
        .execute();
      let pick: RecordingRow[] = [];
      let sum = 0;
      for (const r of oldest) {
        pick.push(r);
        sum += Number(r.bytes);
        if (sum >= need) break;
      }
      if (pick.length === 0) {
        if (!this.storageFull) {
          this.storageFull = true;
          for (const { recorder } of this.recorders.values()) recorder.close();
          await this.o.alarms.raiseCondition('storage.full', 'critical', 'Recording stopped: the recordings disk is full of footage under legal hold. Free space or release holds.', null);
        }
        return;
      }
      pick = pick.slice(0, BATCH);
      await this.deleteRows(pick, 'quota', 'system');
      await this.o.alarms.raiseCondition('storage.pressure', 'warning', 'Storage is short: the oldest footage not under hold was deleted before its retention ended.', null);
    }
  }

  get isStorageFull(): boolean {
    return this.storageFull;
  }

  private async sumBytes(): Promise<number> {
    const r = await this.o.db.selectFrom('recordings').select((eb) => eb.fn.sum<number>('bytes').as('b')).where('state', '!=', 'missing').executeTakeFirst();
    return Number(r?.b ?? 0);
  }

  /** Disk figures and settings; the alarms are the caller's to add (they depend on who asks). */
  storageView(): Omit<StorageView, 'alarms'> {
    const { freeBytes, totalBytes } = this.statfs();
    return {
      roots: [{ path: this.root, quotaBytes: this.settings.quotaBytes, freeSpaceFloorBytes: this.settings.freeSpaceFloorBytes, usedBytes: this.usedBytes, freeBytes, totalBytes }],
      sweepIntervalMinutes: this.settings.sweepIntervalMinutes,
      lastSweepAtMs: this.lastSweepAtMs,
    };
  }

  /** The deletion log (proof of erasure on time), newest first, paged by id. */
  async deletionLog(f: { cameraId?: number; fromMs?: number; toMs?: number; beforeId?: number; limit: number }) {
    let q = this.o.db.selectFrom('deletion_log as l').leftJoin('cameras as c', 'c.id', 'l.camera_id').selectAll('l').select('c.name as camera_name').orderBy('l.id', 'desc').limit(f.limit);
    if (f.cameraId !== undefined) q = q.where('l.camera_id', '=', f.cameraId);
    if (f.fromMs !== undefined) q = q.where('l.end_ms', '>=', f.fromMs);
    if (f.toMs !== undefined) q = q.where('l.start_ms', '<=', f.toMs);
    if (f.beforeId !== undefined) q = q.where('l.id', '<', f.beforeId);
    const rows = await q.execute();
    return {
      deletions: rows.map((l) => ({
        id: l.id,
        cameraId: l.camera_id,
        cameraName: l.camera_name ?? `#${l.camera_id}`,
        startMs: Number(l.start_ms),
        endMs: Number(l.end_ms),
        bytes: Number(l.bytes),
        sha256: l.sha256,
        cause: l.cause,
        deletedAtMs: Number(l.deleted_at_ms),
        actor: l.actor,
      })),
      nextBeforeId: rows.length === f.limit ? (rows.at(-1)?.id ?? null) : null,
    };
  }

  async cameraStatus(cameras: readonly CameraRow[]): Promise<CameraRecordingView[]> {
    const agg = await this.o.db
      .selectFrom('recordings')
      .select((eb) => ['camera_id', eb.fn.min<number>('start_ms').as('oldest'), eb.fn.max<number>('end_ms').as('newest'), eb.fn.sum<number>('bytes').as('bytes'), eb.fn.countAll<number>().as('files')])
      .where('state', 'in', ['complete', 'open'])
      .groupBy('camera_id')
      .execute();
    const gaps = await this.o.db.selectFrom('recording_gaps').select((eb) => ['camera_id', eb.fn.countAll<number>().as('n')]).groupBy('camera_id').execute();
    const byCam = new Map(agg.map((a) => [a.camera_id, a]));
    const gapsBy = new Map(gaps.map((g) => [g.camera_id, Number(g.n)]));
    return cameras.map((c) => {
      const a = byCam.get(c.id);
      const recorder = this.recorders.get(c.id)?.recorder;
      const state = c.enabled !== 1 ? 'disabled' : this.storageFull ? 'stopped_storage_full' : recorder?.recording ? 'recording' : 'waiting_for_video';
      return {
        cameraId: c.id,
        name: c.name,
        site: c.site,
        state,
        retentionDays: c.retention_days,
        oldestMs: a ? Number(a.oldest) : null,
        newestMs: a ? Number(a.newest) : null,
        bytes: a ? Number(a.bytes) : 0,
        files: a ? Number(a.files) : 0,
        gaps: gapsBy.get(c.id) ?? 0,
      };
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.sweeping) await this.sweeping.catch(() => undefined);
    for (const { recorder, unsubscribe } of this.recorders.values()) {
      unsubscribe();
      await recorder.stop();
    }
    this.recorders.clear();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Recording files below the root, as paths relative to it (quarantine excluded). */
export function listRecordingFiles(root: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(root)) return out;
  for (const cam of fs.readdirSync(root)) {
    if (!/^cam-\d+$/.test(cam)) continue;
    for (const day of fs.readdirSync(path.join(root, cam))) {
      const dayDir = path.join(root, cam, day);
      if (!fs.statSync(dayDir).isDirectory()) continue;
      for (const f of fs.readdirSync(dayDir)) if (f.endsWith('.mp4')) out.push(path.join(cam, day, f));
    }
  }
  return out;
}
