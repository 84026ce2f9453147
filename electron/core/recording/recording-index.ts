// The recording index (docs/design/recording.md "Index"): the one owner of the tables `recordings`,
// `recording_gops`, `recording_gaps` and `deletion_log`. Every SQL statement on them is here; the
// recorder fleet, reconciliation, the retention sweep and the storage monitor (this folder), and
// playback and exports, ask it. It does no file I/O: the write and fsync order around these
// statements is the callers' (recorder.ts, reconciliation.ts, retention-sweep.ts).
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, RecordingsTable } from '../store/schema';

/** Files opening later than this after the camera's previous file ended leave an explicit gap. */
const GAP_THRESHOLD_MS = 1500;
/** Ids per `IN (...)` list. */
const ID_CHUNK = 500;

export type RecordingRow = Selectable<RecordingsTable>;
export type DeletionCause = 'retention' | 'quota' | 'manual';

/** A file and its packed keyframe index (gop-index.ts), for serving or exporting byte ranges. */
export interface IndexedRecording {
  id: number;
  /** Relative to the recordings root. */
  path: string;
  startMs: number;
  endMs: number;
  initBytes: number;
  complete: boolean;
  /** The node whose disk holds the file ('local' on one machine; docs/design/scale.md "Nodes"). */
  node: string;
}

/** SQL: the recording row `r` overlaps an item of an active hold on its camera (R2). */
const HELD = sql<boolean>`EXISTS (SELECT 1 FROM hold_items hi JOIN holds h ON h.id = hi.hold_id
  WHERE h.status = 'active' AND hi.camera_id = r.camera_id AND hi.from_ms < r.end_ms AND hi.to_ms > r.start_ms)`;

/** SQL: when a closed file is next due for its re-check (the partial index recordings_check_due, migration 0021). */
const DUE = sql<number>`coalesce(r.checked_at_ms, r.end_ms)`;

/**
 * A node retired for good (nodes/site-nodes.ts `retire`, in its transaction): every file the index
 * holds on it that was open or closed is marked missing, and what was lost is counted (all of it, and
 * what an active hold covers). The integrity check of the node running the site's jobs reports them.
 */
export async function markNodeLost(trx: Kysely<Database>, node: string): Promise<{ recordings: number; bytes: number; held: number }> {
  const rows = await trx
    .selectFrom('recordings as r')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('r.bytes'), eb.lit(0)).as('bytes'), eb.fn.sum<number>(sql<number>`CASE WHEN ${HELD} THEN 1 ELSE 0 END`).as('held')])
    .where('r.node', '=', node)
    .where('r.state', 'in', ['open', 'complete'])
    .executeTakeFirstOrThrow();
  await trx.updateTable('recordings').set({ state: 'missing' }).where('node', '=', node).where('state', 'in', ['open', 'complete']).execute();
  return { recordings: Number(rows.n), bytes: Number(rows.bytes), held: Number(rows.held ?? 0) };
}

/** A file as the integrity re-check sees it: with whether a hold covers it and its camera's name. */
export type IntegrityRow = RecordingRow & { held: boolean; camera_name: string | null };

/** States whose files can be played and exported (an open file up to its last flush). */
const READABLE = ['complete', 'open'] as const;
/** States retention, quota and deletion by hand may delete (a missing file's row goes with a log entry). */
const DELETABLE = ['complete', 'missing'] as const;

/** The node name of a single machine's engine (docs/design/scale.md "Nodes"). */
export const LOCAL_NODE = 'local';

/**
 * `node`: the engine whose disk this index's file work is about. Rows name the node holding each
 * file; what touches files (reconciliation, retention, quota, integrity re-checks, bytes used) sees
 * this node's rows only, while reads for playback, exports and status see the whole site's.
 */
export class RecordingIndex {
  constructor(
    private readonly db: Kysely<Database>,
    readonly node: string = LOCAL_NODE,
  ) {}

  /** Several nodes: whether this node runs the site's scheduled jobs, and so also reports the files
   *  of retired nodes, which no node of their own reports (docs/design/scale.md "Retiring a node"). */
  reportsRetiredNodes: () => boolean = () => false;

  // --- the recorder's writes (recorder.ts steps 2 and 4) ------------------------------------------

  /** Step 2: the row of a file whose init segment is on disk, with the gap before it, in one transaction. */
  async insertOpenFile(f: { cameraId: number; path: string; startMs: number; initBytes: number }, nowMs: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      // Gaps are explicit: the time between this camera's previous file and this one.
      const prev = await trx.selectFrom('recordings').select('end_ms').where('camera_id', '=', f.cameraId).orderBy('end_ms', 'desc').limit(1).executeTakeFirst();
      if (prev && f.startMs - Number(prev.end_ms) > GAP_THRESHOLD_MS) {
        await trx.insertInto('recording_gaps').values({ camera_id: f.cameraId, start_ms: Number(prev.end_ms), end_ms: f.startMs }).execute();
      }
      const row = await trx
        .insertInto('recordings')
        .values({ camera_id: f.cameraId, path: f.path, start_ms: f.startMs, end_ms: f.startMs, bytes: f.initBytes, state: 'open', sha256: null, init_bytes: f.initBytes, created_at_ms: nowMs, node: this.node })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('recording_gops').values({ recording_id: row.id, gops: Buffer.alloc(0) }).execute();
      return row.id;
    });
  }

  /** Step 4: what is now on disk (the caller has fdatasync'ed it); `complete` closes the file. */
  async updateFile(id: number, u: { startMs: number; endMs: number; bytes: number; gops: Buffer; complete: boolean; sha256: string | null }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('recordings')
        .set({ start_ms: u.startMs, end_ms: u.endMs, bytes: u.bytes, ...(u.complete ? { state: 'complete' as const, sha256: u.sha256 } : {}) })
        .where('id', '=', id)
        .execute();
      await trx.updateTable('recording_gops').set({ gops: u.gops }).where('recording_id', '=', id).execute();
    });
  }

  // --- reconciliation ------------------------------------------------------------------------------

  rowsInState(state: RecordingRow['state']): Promise<RecordingRow[]> {
    return this.db.selectFrom('recordings').selectAll().where('node', '=', this.node).where('state', '=', state).execute();
  }

  async allPaths(): Promise<Set<string>> {
    return new Set((await this.db.selectFrom('recordings').select('path').where('node', '=', this.node).execute()).map((r) => r.path));
  }

  completeFiles(): Promise<{ id: number; path: string }[]> {
    return this.db.selectFrom('recordings').select(['id', 'path']).where('node', '=', this.node).where('state', '=', 'complete').execute();
  }

  async markMissing(ids: readonly number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      await this.db.updateTable('recordings').set({ state: 'missing' }).where('id', 'in', ids.slice(i, i + ID_CHUNK)).execute();
    }
  }

  /** A row whose file held no complete fragment (the file went to quarantine). */
  async dropRow(id: number): Promise<void> {
    await this.db.deleteFrom('recordings').where('id', '=', id).execute();
  }

  /** A file re-read after a crash: what is on disk now (torn tail cut off) is complete. */
  async completeRepaired(id: number, r: { bytes: number; endMs: number; sha256: string; gops: Buffer }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('recordings').set({ state: 'complete', bytes: r.bytes, end_ms: r.endMs, sha256: r.sha256 }).where('id', '=', id).execute();
      await trx.updateTable('recording_gops').set({ gops: r.gops }).where('recording_id', '=', id).execute();
    });
  }

  /** A file found without a row: an open row to be repaired like any other. */
  async insertOrphan(f: { cameraId: number; path: string; startMs: number }, nowMs: number): Promise<RecordingRow> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('recordings')
        .values({ camera_id: f.cameraId, path: f.path, start_ms: f.startMs, end_ms: f.startMs, bytes: 0, state: 'open', sha256: null, init_bytes: 0, created_at_ms: nowMs, node: this.node })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.insertInto('recording_gops').values({ recording_id: row.id, gops: Buffer.alloc(0) }).execute();
      return row;
    });
  }

  /** Whether a camera of this id exists (a file without a row is indexed only for one). */
  async cameraExists(cameraId: number): Promise<boolean> {
    return (await this.db.selectFrom('cameras').select('id').where('id', '=', cameraId).executeTakeFirst()) !== undefined;
  }

  // --- deletion: retention (R1), quota, by hand; never what an active hold covers (R2) -------------

  /** Each camera's stored retention and area type, for the sweep (the cameras table is only read here). */
  async cameraRetentions(): Promise<{ cameraId: number; retentionDays: number; areaType: string }[]> {
    return (await this.db.selectFrom('cameras').select(['id', 'retention_days', 'area_type']).execute()).map((c) => ({ cameraId: c.id, retentionDays: c.retention_days, areaType: c.area_type }));
  }

  /**
   * A quarantined file (no row, docs/design/recording.md "Recovery") past retention: in one
   * transaction, re-checks that no active hold on its camera overlaps its span, writes its deletion
   * log row and calls `unlink` (the caller's file I/O) before the commit, so a hold placed meanwhile
   * waits for the transaction and a failed unlink leaves no log row. Returns whether it was deleted.
   * A file whose start is unknown (null) counts as reaching back indefinitely for holds (any hold on
   * its camera before its end keeps it) and is logged with its end as its start.
   */
  async deleteQuarantined(f: { cameraId: number; startMs: number | null; endMs: number; bytes: number; sha256: string }, nowMs: number, unlink: () => void): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const held = await trx
        .selectFrom('hold_items as hi')
        .innerJoin('holds as h', 'h.id', 'hi.hold_id')
        .select('hi.id')
        .where('h.status', '=', 'active')
        .where('hi.camera_id', '=', f.cameraId)
        .where('hi.from_ms', '<', f.endMs)
        .where('hi.to_ms', '>', f.startMs ?? Number.MIN_SAFE_INTEGER)
        .limit(1)
        .executeTakeFirst();
      if (held) return false;
      await trx
        .insertInto('deletion_log')
        .values({ camera_id: f.cameraId, start_ms: f.startMs ?? f.endMs, end_ms: f.endMs, bytes: f.bytes, sha256: f.sha256, cause: 'retention', actor: 'system', deleted_at_ms: nowMs })
        .execute();
      unlink();
      return true;
    });
  }

  /** A camera's deletable files that ended before `cutoffMs`, each with whether a hold covers it. */
  expiredFiles(cameraId: number, cutoffMs: number): Promise<(RecordingRow & { held: boolean })[]> {
    return this.db.selectFrom('recordings as r').selectAll('r').select(HELD.as('held')).where('r.node', '=', this.node).where('r.camera_id', '=', cameraId).where('r.end_ms', '<', cutoffMs).where('r.state', 'in', DELETABLE).execute();
  }

  /** A camera's deletable files lying wholly inside [fromMs, toMs], each with whether a hold covers it. */
  filesWithin(cameraId: number, fromMs: number, toMs: number): Promise<(RecordingRow & { held: boolean })[]> {
    return this.db
      .selectFrom('recordings as r')
      .selectAll('r')
      .select(HELD.as('held'))
      .where('r.node', '=', this.node)
      .where('r.camera_id', '=', cameraId)
      .where('r.start_ms', '>=', fromMs)
      .where('r.end_ms', '<=', toMs)
      .where('r.state', 'in', DELETABLE)
      .execute();
  }

  /** The oldest complete files no active hold covers (storage pressure). */
  oldestUnheld(limit: number): Promise<RecordingRow[]> {
    return this.db.selectFrom('recordings as r').selectAll('r').where('r.node', '=', this.node).where('r.state', '=', 'complete').where(sql<boolean>`NOT ${HELD}`).orderBy('r.start_ms').limit(limit).execute();
  }

  /**
   * Deletion step 1: in one transaction, re-reads the rows and marks those still deletable and still
   * not held `deleting` (a hold placed after the decision wins). Returns the marked rows.
   */
  async markDeleting(ids: readonly number[]): Promise<RecordingRow[]> {
    return this.db.transaction().execute(async (trx) => {
      // By primary key only (a state condition here lets SQLite pick the state index and scan).
      const current = await trx.selectFrom('recordings as r').selectAll('r').select(HELD.as('held')).where('r.id', 'in', [...ids]).execute();
      const free = current.filter((r) => !r.held && (DELETABLE as readonly string[]).includes(r.state));
      if (free.length) await trx.updateTable('recordings').set({ state: 'deleting' }).where('id', 'in', free.map((r) => r.id)).execute();
      return free.map(({ held: _held, ...row }) => row);
    });
  }

  /** Deletion step 3 (the files are unlinked): one deletion log row per file and the rows dropped, in one transaction. */
  async logDeletions(rows: readonly RecordingRow[], cause: DeletionCause, actor: string, nowMs: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 100) {
        const part = rows.slice(i, i + 100);
        await trx
          .insertInto('deletion_log')
          .values(part.map((r) => ({ camera_id: r.camera_id, start_ms: Number(r.start_ms), end_ms: Number(r.end_ms), bytes: Number(r.bytes), sha256: r.sha256 ?? 'unknown (file was missing)', cause, actor, deleted_at_ms: nowMs })))
          .execute();
        await trx.deleteFrom('recordings').where('id', 'in', part.map((r) => r.id)).execute();
      }
    });
  }

  /** The deletion log (proof of erasure on time), newest first, paged by id. */
  async deletionLog(f: { cameraId?: number; fromMs?: number; toMs?: number; beforeId?: number; limit: number }) {
    let q = this.db.selectFrom('deletion_log as l').leftJoin('cameras as c', 'c.id', 'l.camera_id').selectAll('l').select('c.name as camera_name').orderBy('l.id', 'desc').limit(f.limit);
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

  // --- integrity re-check (integrity-check.ts): stored SHA-256 of closed files, checked again ----------

  /** Closed files last checked (never checked: ended) before `dueBeforeMs`, least recently first, each with whether a hold covers it. */
  integrityDue(dueBeforeMs: number, limit: number): Promise<IntegrityRow[]> {
    return this.integrityRows().where('r.state', '=', 'complete').where('r.integrity', 'is', null).where(DUE, '<', dueBeforeMs).orderBy(DUE).limit(limit).execute();
  }

  /** As integrityDue, only files an active hold covers (checked first: evidence matters most). Item by item: holds are few. */
  async integrityDueHeld(dueBeforeMs: number, limit: number): Promise<IntegrityRow[]> {
    const items = await this.db.selectFrom('hold_items as hi').innerJoin('holds as h', 'h.id', 'hi.hold_id').select(['hi.camera_id', 'hi.from_ms', 'hi.to_ms']).where('h.status', '=', 'active').execute();
    const out = new Map<number, IntegrityRow>();
    for (const it of items) {
      if (out.size >= limit) break;
      const rows = await this.integrityRows()
        .where('r.camera_id', '=', it.camera_id)
        .where('r.start_ms', '<', it.to_ms)
        .where('r.end_ms', '>', it.from_ms)
        .where('r.state', '=', 'complete')
        .where('r.integrity', 'is', null)
        .where(DUE, '<', dueBeforeMs)
        .limit(limit)
        .execute();
      for (const r of rows) out.set(r.id, r);
    }
    return [...out.values()].slice(0, limit);
  }

  /** Rows as they are now (a finding is re-read before it counts): a deleted row is absent. */
  integrityNow(ids: readonly number[]): Promise<IntegrityRow[]> {
    return ids.length ? this.integrityRows(true).where('r.id', 'in', [...ids]).execute() : Promise.resolve([]);
  }

  /** Files reconciliation found gone at start-up (state `missing`) that no re-check has reported yet. */
  unreportedMissing(limit: number): Promise<IntegrityRow[]> {
    return this.integrityRows(true).where('r.state', '=', 'missing').where('r.integrity', 'is', null).orderBy('r.id').limit(limit).execute();
  }

  /** Closed, unreported files after `afterId`, by id (the daily stat round, and the sweep after a file is found missing). */
  integrityPaths(afterId: number, limit: number): Promise<{ id: number; path: string; bytes: number }[]> {
    return this.db.selectFrom('recordings').select(['id', 'path', 'bytes']).where('node', '=', this.node).where('state', '=', 'complete').where('integrity', 'is', null).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  }

  /** Files found as recorded. */
  async markChecked(ids: readonly number[], nowMs: number): Promise<void> {
    for (let i = 0; i < ids.length; i += ID_CHUNK) await this.db.updateTable('recordings').set({ checked_at_ms: nowMs }).where('id', 'in', ids.slice(i, i + ID_CHUNK)).execute();
  }

  /** A finding, written once: a missing file's row says `missing` from now on (as reconciliation's do). Only rows still closed or missing and unreported. */
  async markIntegrity(ids: readonly number[], finding: 'missing' | 'changed', nowMs: number): Promise<void> {
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      await this.db
        .updateTable('recordings')
        .set({ integrity: finding, checked_at_ms: nowMs, ...(finding === 'missing' ? { state: 'missing' as const } : {}) })
        .where('id', 'in', ids.slice(i, i + ID_CHUNK))
        .where('state', 'in', ['complete', 'missing'])
        .where('integrity', 'is', null)
        .execute();
    }
  }

  /** This node's files; with `retiredToo`, on the node that runs the site's jobs, those of retired nodes as well (never read from a disk: only rows marked missing are reported for them). */
  private integrityRows(retiredToo = false) {
    const rows = this.db.selectFrom('recordings as r').leftJoin('cameras as c', 'c.id', 'r.camera_id').selectAll('r').select(HELD.as('held')).select('c.name as camera_name');
    if (!retiredToo || !this.reportsRetiredNodes()) return rows.where('r.node', '=', this.node);
    return rows.where((eb) => eb.or([eb('r.node', '=', this.node), eb('r.node', 'in', eb.selectFrom('nodes').select('name').where('retired_at_ms', 'is not', null))]));
  }

  // --- status and storage -----------------------------------------------------------------------------

  /** Bytes of footage on each node's disk, the site's (missing files take none). */
  async bytesByNode(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('recordings').select((eb) => ['node', eb.fn.sum<number>('bytes').as('b')]).where('state', '!=', 'missing').groupBy('node').execute();
    return new Map(rows.map((r) => [r.node, Number(r.b ?? 0)]));
  }

  /** Bytes of every file on this node's disk (missing files take none). */
  async usedBytes(): Promise<number> {
    const r = await this.db.selectFrom('recordings').select((eb) => eb.fn.sum<number>('bytes').as('b')).where('node', '=', this.node).where('state', '!=', 'missing').executeTakeFirst();
    return Number(r?.b ?? 0);
  }

  /** Cameras with an open file, on any node, written up to `sinceMs` or later: being recorded now
   *  (several nodes: the state of a camera another node records; the index is flushed every 2 s). */
  async writtenSince(cameraIds: readonly number[], sinceMs: number): Promise<Set<number>> {
    if (cameraIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('recordings').select('camera_id').distinct().where('camera_id', 'in', [...cameraIds]).where('state', '=', 'open').where('end_ms', '>=', sinceMs).execute();
    return new Set(rows.map((r) => r.camera_id));
  }

  /** Per camera: oldest and newest recorded time, bytes and files (readable files), and gaps. */
  async cameraTotals(): Promise<Map<number, { oldestMs: number | null; newestMs: number | null; bytes: number; files: number; gaps: number }>> {
    const agg = await this.db
      .selectFrom('recordings')
      .select((eb) => ['camera_id', eb.fn.min<number>('start_ms').as('oldest'), eb.fn.max<number>('end_ms').as('newest'), eb.fn.sum<number>('bytes').as('bytes'), eb.fn.countAll<number>().as('files')])
      .where('state', 'in', READABLE)
      .groupBy('camera_id')
      .execute();
    const gaps = await this.db.selectFrom('recording_gaps').select((eb) => ['camera_id', eb.fn.countAll<number>().as('n')]).groupBy('camera_id').execute();
    const out = new Map<number, { oldestMs: number | null; newestMs: number | null; bytes: number; files: number; gaps: number }>();
    for (const a of agg) out.set(a.camera_id, { oldestMs: Number(a.oldest), newestMs: Number(a.newest), bytes: Number(a.bytes), files: Number(a.files), gaps: 0 });
    for (const g of gaps) {
      const t = out.get(g.camera_id) ?? { oldestMs: null, newestMs: null, bytes: 0, files: 0, gaps: 0 };
      t.gaps = Number(g.n);
      out.set(g.camera_id, t);
    }
    return out;
  }

  // --- playback and exports: readable files by time -----------------------------------------------

  /** Recorded spans' raw material: readable files of these cameras overlapping [fromMs, toMs), by camera and start. */
  async overlappingTimes(cameraIds: readonly number[], fromMs: number, toMs: number): Promise<{ cameraId: number; startMs: number; endMs: number }[]> {
    const rows = await this.db
      .selectFrom('recordings')
      .select(['camera_id', 'start_ms', 'end_ms'])
      .where('camera_id', 'in', [...cameraIds])
      .where('state', 'in', READABLE)
      .where('end_ms', '>', fromMs)
      .where('start_ms', '<', toMs)
      .orderBy('camera_id')
      .orderBy('start_ms')
      .execute();
    return rows.map((r) => ({ cameraId: r.camera_id, startMs: Number(r.start_ms), endMs: Number(r.end_ms) }));
  }

  /** A camera's readable files overlapping [fromMs, toMs), oldest first (the VOD playlist's rows). */
  async overlappingFiles(cameraId: number, fromMs: number, toMs: number): Promise<IndexedRecording[]> {
    const rows = await this.overlapping(cameraId, fromMs, toMs).select(['r.id', 'r.path', 'r.start_ms', 'r.end_ms', 'r.state', 'r.init_bytes', 'r.node']).execute();
    return rows.map((r) => indexed(r));
  }

  /** The packed keyframe indexes of these files. */
  async keyframeIndexes(ids: readonly number[]): Promise<Map<number, Buffer>> {
    const out = new Map<number, Buffer>();
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const batch = await this.db.selectFrom('recording_gops').select(['recording_id', 'gops']).where('recording_id', 'in', ids.slice(i, i + ID_CHUNK)).execute();
      for (const b of batch) out.set(b.recording_id, b.gops);
    }
    return out;
  }

  /** A camera's readable files overlapping [fromMs, toMs) with their keyframe indexes (an export's scope). */
  async overlappingFilesWithIndex(cameraId: number, fromMs: number, toMs: number): Promise<(IndexedRecording & { gops: Buffer })[]> {
    const rows = await this.overlapping(cameraId, fromMs, toMs)
      .innerJoin('recording_gops as g', 'g.recording_id', 'r.id')
      .select(['r.id', 'r.path', 'r.start_ms', 'r.end_ms', 'r.state', 'r.init_bytes', 'r.node', 'g.gops'])
      .execute();
    return rows.map((r) => ({ ...indexed(r), gops: r.gops }));
  }

  /** One readable file of a camera with its keyframe index, or null (other camera, deleted, missing). */
  async readableFile(cameraId: number, recordingId: number): Promise<(IndexedRecording & { gops: Buffer }) | null> {
    const r = await this.db
      .selectFrom('recordings as r')
      .innerJoin('recording_gops as g', 'g.recording_id', 'r.id')
      .select(['r.id', 'r.path', 'r.camera_id', 'r.start_ms', 'r.end_ms', 'r.state', 'r.init_bytes', 'r.node', 'g.gops'])
      .where('r.id', '=', recordingId)
      .executeTakeFirst();
    if (!r || r.camera_id !== cameraId || !(READABLE as readonly string[]).includes(r.state)) return null;
    return { ...indexed(r), gops: r.gops };
  }

  private overlapping(cameraId: number, fromMs: number, toMs: number) {
    return this.db.selectFrom('recordings as r').where('r.camera_id', '=', cameraId).where('r.state', 'in', READABLE).where('r.end_ms', '>', fromMs).where('r.start_ms', '<', toMs).orderBy('r.start_ms');
  }
}

function indexed(r: Pick<RecordingRow, 'id' | 'path' | 'start_ms' | 'end_ms' | 'state' | 'init_bytes' | 'node'>): IndexedRecording {
  return { id: r.id, path: r.path, startMs: Number(r.start_ms), endMs: Number(r.end_ms), initBytes: r.init_bytes, complete: r.state === 'complete', node: r.node };
}
