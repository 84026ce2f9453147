// The recording index's write ceiling (bench/scale.ts): how many of the recorder's flushes (one
// transaction: the file's row and its keyframe index, docs/design/recording.md "Write and flush
// order", step 4) the store commits per second when many cameras flush at once. On PostgreSQL every
// read-write transaction of every engine of the site first takes one advisory lock
// (WRITE_LOCK_KEY, electron/core/store/postgres.ts), so this is a ceiling for the whole site, not
// per node: with a flush every 2 s per camera, it caps the cameras of the site at twice the figure.
// The flushes go through the engine's own RecordingIndex against rows of disabled cameras (no ingest).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { systemClock } from '../electron/core/clock';
import { silentLogger } from '../electron/core/logger';
import { NO_PASSWORDS } from '../electron/core/secrets/secret-store';
import type { Database } from '../electron/core/store/schema';
import { createEngineForTests } from '../electron/core/testing/harness';
import { percentile, round, sleep, type Cleanup, type Say } from './browser';
import { dispatchCaller } from './engine-setup';
import { once } from './scale-cameras';
import { pgRates, watchEventLoop, type PgRates, type PgWatch } from './scale-measure';

/** The recorder's flush interval (recorder.ts): each camera's row is updated this often. */
export const FLUSH_INTERVAL_MS = 2000;
/** A 60 s file's keyframe index at one keyframe a second: 16 bytes a group (docs/design/recording.md). */
const GOP_BYTES_PER_SECOND = 16;

export interface IndexCeilingOptions {
  store: 'sqlite' | 'postgres';
  pg?: { url: string; watch: PgWatch };
  /** Cameras flushing at once, each back to back. */
  cameras: number;
  seconds: number;
  say: Say;
  cleanup: Cleanup;
}

export interface IndexCeilingResult {
  store: 'sqlite' | 'postgres';
  cameras: number;
  flushesPerSec: number;
  flushMsP50: number | null;
  flushMsP95: number | null;
  maxEventLoopBlockMs: number;
  /** flushesPerSec x the 2 s flush interval: cameras one store keeps indexed, whatever their nodes. */
  camerasAtCeiling: number;
  db: PgRates | null;
  /** PostgreSQL: what one closed one-minute file costs the index (its row, its keyframe index, their
   *  indexes), from the size of the tables after adding `filesForSize` such rows. */
  bytesPerFile: number | null;
}

/** Closed one-minute files added to measure what a file costs the index. */
const FILES_FOR_SIZE = 20_000;

/** Bytes the recording index's tables (and their indexes, TOAST) take on PostgreSQL. */
async function indexBytes(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ n: string }>`SELECT (pg_total_relation_size('recordings') + pg_total_relation_size('recording_gops'))::text AS n`.execute(db);
  return Number(r.rows[0]!.n);
}

/**
 * Adds `count` closed one-minute files (as the recorder leaves them: a path, a SHA-256, 60 keyframe
 * groups) straight into the tables, in batches, and returns the bytes per file the tables grew by.
 */
async function bytesPerClosedFile(db: Kysely<Database>, cameraIds: readonly number[], count: number): Promise<number> {
  const before = await indexBytes(db);
  const day = Date.UTC(2026, 10, 1);
  for (let done = 0; done < count; ) {
    const batch = Math.min(1000, count - done);
    const rows = Array.from({ length: batch }, (_, i) => {
      const k = done + i;
      const cameraId = cameraIds[k % cameraIds.length]!;
      const startMs = day + Math.floor(k / cameraIds.length) * 60_000;
      return { camera_id: cameraId, path: `cam-${cameraId}/2026-11-01/${startMs}.mp4`, start_ms: startMs, end_ms: startMs + 60_000, bytes: 4_500_000, state: 'complete' as const, sha256: 'a'.repeat(64), init_bytes: 1000, created_at_ms: startMs };
    });
    const ids = await db.insertInto('recordings').values(rows).returning('id').execute();
    await db
      .insertInto('recording_gops')
      .values(ids.map((r) => ({ recording_id: r.id, gops: Buffer.alloc(60 * GOP_BYTES_PER_SECOND, 7) })))
      .execute();
    done += batch;
  }
  await sql`VACUUM ANALYZE recordings`.execute(db);
  await sql`VACUUM ANALYZE recording_gops`.execute(db);
  return Math.round(((await indexBytes(db)) - before) / count);
}

const cameraIdsOf = (files: readonly { cameraId: number }[]) => files.map((f) => f.cameraId);

export async function measureIndexCeiling(o: IndexCeilingOptions): Promise<IndexCeilingResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-index-'));
  o.cleanup.add(`index data dir (${o.store})`, () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const engine = await createEngineForTests({ clock: systemClock, dataDir, logger: silentLogger, secrets: NO_PASSWORDS, ...(o.store === 'postgres' ? { database: o.pg!.url } : {}) });
  const close = once(() => engine.close());
  o.cleanup.add(`index engine (${o.store})`, close);
  try {
    o.say(`recording index ceiling on ${o.store}: ${o.cameras} cameras flushing back to back, ${o.seconds} s...`);
    const call = dispatchCaller(engine, 'bench-index-admin');
    await call('setup.createAdmin', { username: 'bench.admin', displayName: 'Bench', password: 'Quiet-Harbour-Lantern-42' });
    await call('auth.signIn', { username: 'bench.admin', password: 'Quiet-Harbour-Lantern-42' });
    await call('commitment.accept', { version: (await call('commitment.get', { language: 'en' })).version });
    const groupId = (await call('groups.create', { name: 'Bench', description: '' })).id as number;
    const index = engine.recording.index;
    const files: { id: number; cameraId: number; startMs: number }[] = [];
    for (let i = 0; i < o.cameras; i++) {
      const c = await call('cameras.add', {
        settings: { name: `Index ${i + 1}`, site: 'Bench', groupId, purpose: 'benchmark camera', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
        source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/none', subUrl: null },
        username: null,
        password: null,
      });
      await call('cameras.setEnabled', { cameraId: c.id, enabled: false, reason: 'benchmark: no ingest' });
      const startMs = Date.now();
      files.push({ id: await index.insertOpenFile({ cameraId: c.id as number, path: `cam-${c.id}/bench/${startMs}.mp4`, startMs, initBytes: 1000 }, startMs), cameraId: c.id as number, startMs });
    }
    await sleep(1000);
    const pgA = o.pg ? await o.pg.watch.read() : null;
    const loop = watchEventLoop();
    const latencies: number[] = [];
    const t0 = performance.now();
    const endAt = t0 + o.seconds * 1000;
    await Promise.all(
      files.map(async (f) => {
        // Each flush as the recorder makes it: the row grows by 2 s of media, the keyframe index by 2 s of groups.
        for (let k = 1; performance.now() < endAt; k++) {
          const mediaMs = Math.min(k * FLUSH_INTERVAL_MS, 60_000);
          const sent = performance.now();
          await index.updateFile(f.id, { startMs: f.startMs, endMs: f.startMs + mediaMs, bytes: 1000 + mediaMs * 60, gops: Buffer.alloc((mediaMs / 1000) * GOP_BYTES_PER_SECOND), complete: false, sha256: null });
          latencies.push(performance.now() - sent);
        }
      }),
    );
    const wallMs = performance.now() - t0;
    const held = loop.stop();
    const pgB = o.pg ? await o.pg.watch.read() : null;
    const flushesPerSec = round((latencies.length / wallMs) * 1000, 0)!;
    const bytesPerFile = o.store === 'postgres' ? await bytesPerClosedFile(engine.store.db, cameraIdsOf(files), FILES_FOR_SIZE) : null;
    const result: IndexCeilingResult = {
      store: o.store,
      cameras: o.cameras,
      flushesPerSec,
      flushMsP50: round(percentile(latencies, 50), 2),
      flushMsP95: round(percentile(latencies, 95), 2),
      maxEventLoopBlockMs: held.maxBlockMs,
      camerasAtCeiling: Math.round((flushesPerSec * FLUSH_INTERVAL_MS) / 1000),
      db: pgA && pgB ? pgRates(pgA, pgB) : null,
      bytesPerFile,
    };
    if (bytesPerFile !== null) o.say(`  a closed one-minute file takes ${bytesPerFile} bytes of the index (${FILES_FOR_SIZE} files added)`);
    o.say(`  ${o.store}: ${flushesPerSec} flushes/s (p95 ${result.flushMsP95} ms), the event loop held at most ${held.maxBlockMs} ms: ${result.camerasAtCeiling} cameras at one flush per 2 s`);
    return result;
  } finally {
    await close();
  }
}
