// Writes one camera's main-stream fragments to rolling fragmented-MP4 files (docs/design/overview.md §4,
// docs/design/recording.md). Write order per file:
//   1. create the file (O_EXCL, 0600), write the init segment, fdatasync it, fsync the directory;
//   2. INSERT its row (state open) — only now does the index name the file;
//   3. append fragments (write only);
//   4. every flush interval and at the end: fdatasync, then UPDATE the row with the bytes, end time
//      and keyframe index that are now on disk;
//   5. at the end: the final flush sets state complete with the file's SHA-256.
// Invariant: every byte range a committed row names is on disk before that row commits.
//
// Appends are synchronous writes (into the page cache, in fragment order). Everything that waits
// for the disk (the fdatasyncs of steps 1, 4 and 5, closing the file) runs in the libuv thread pool,
// one step after another on this camera's chain together with its index rows: a slow disk (an
// export writing beside the recordings) never holds the event loop that serves live parts and
// commands. A step that syncs records the bytes appended when it was asked for, not those appended
// while it waited.
//
// Wall-clock times: ffmpeg's media time is continuous for one connection, so each connection gets
// one anchor, the wall-clock time of media time 0, estimated as the smallest (arrival - media end)
// seen: delays only ever add, and ffmpeg delivers its first second or two in one burst after
// probing the stream, so the first fragments overstate it. A file's start is anchor + the media
// time of its first fragment (files of one connection join without gaps or overlaps), and while a
// file is open its start follows a better estimate. A delay that grows by more than
// REANCHOR_MS (the clock was set forward, the stream stalled) starts a new file on a new anchor.
//
// One file, one timeline: a file's keyframe index and its wall-clock times are read from its
// fragments' media times, so a file never spans two of them. A new connection (a new init segment,
// even one byte-identical to the last, and even when the old connection's end has not been told
// yet) ends the open file, and so does media time stepping back within a connection; the next file
// starts at a keyframe on a new anchor. (A file that once took a second connection's fragments had
// an index ending 1.2 s before its last frame, and a start moved by the new anchor.)
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Fragment, InitSegment } from '../media/fmp4';
import type { StreamListener } from '../live/live-service';
import { GopBuilder, packGops } from './gop-index';

export interface RecorderHost {
  root: string;
  rollMs: number;
  /** May this camera write? False while storage is full of held footage. */
  mayWrite(cameraId: number): boolean;
  /** Serialised database work for this camera's rows. */
  insertRow(row: { cameraId: number; path: string; startMs: number; initBytes: number }): Promise<number>;
  updateRow(id: number, u: { startMs: number; endMs: number; bytes: number; gops: Buffer; complete: boolean; sha256: string | null }): Promise<void>;
  /** Bytes added to the root (quota accounting). */
  addUsed(bytes: number): void;
  onWriteError(cameraId: number, err: unknown): void;
  /** Instrumentation (crash tests): a fragment was written to the file, which is now this long. */
  onAppended?(cameraId: number, relPath: string, bytes: number): void;
  onFileClosed(cameraId: number): void;
}

const REANCHOR_MS = 2000;
/**
 * A fragment starting more than this before the file's media end is on another timeline. Less is
 * jitter: ffmpeg may give a fragment's last frame an estimated duration the next frame undercuts.
 */
const MEDIA_STEP_BACK_MS = 500;

interface OpenFile {
  rowId: Promise<number>;
  fd: number;
  relPath: string;
  startMs: number;
  /** Media time (ms) of the file's first fragment, on this connection's timeline. */
  firstMediaMs: number;
  endRelMs: number;
  bytes: number;
  flushedBytes: number;
  endMs: number;
  hash: Hash;
  gops: GopBuilder;
  initBytes: number;
  /** Bytes the newest flush asked to make durable (a flush with nothing new does nothing). */
  flushAskedBytes: number;
  /** A write or sync failed: the steps still queued for this file do nothing. */
  failed: boolean;
}

export class CameraRecorder implements StreamListener {
  private init: InitSegment | null = null;
  private file: OpenFile | null = null;
  /** Wall-clock ms of media time 0 on this connection (see the header), null before the first fragment. */
  private anchorMs: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly cameraId: number,
    private readonly host: RecorderHost,
  ) {}

  get recording(): boolean {
    return this.file !== null;
  }

  onInit(init: InitSegment): void {
    // A new connection: its media time starts afresh, in a new file.
    if (this.file) this.close();
    this.init = init;
    this.anchorMs = null;
  }

  onFragment(f: Fragment, arrivedAtMs: number): void {
    if (this.stopped || !this.init) return;
    if (!this.host.mayWrite(this.cameraId)) {
      if (this.file) this.close();
      return;
    }
    try {
      const scale = 1000 / this.init.timescale;
      const delayed = arrivedAtMs - (f.baseDecodeTime + f.durationTicks) * scale;
      if (this.file && f.baseDecodeTime * scale < this.file.firstMediaMs + this.file.endRelMs - MEDIA_STEP_BACK_MS) {
        // Media time stepped back: the file ends; what follows is on a timeline of its own.
        this.close();
        this.anchorMs = delayed;
      }
      if (this.anchorMs === null || delayed < this.anchorMs) this.anchorMs = delayed;
      else if (delayed - this.anchorMs > REANCHOR_MS) {
        this.anchorMs = delayed;
        if (this.file) this.close();
      }
      // Roll by media time, at a keyframe, so every file starts with one.
      if (this.file && f.independent && this.file.endMs - this.file.startMs >= this.host.rollMs) this.close();
      if (!this.file) {
        if (!f.independent) return; // a file starts at a keyframe
        this.open(f.baseDecodeTime * scale);
      }
      this.append(f);
    } catch (err) {
      if (this.file) this.abandon(this.file, err);
      else this.host.onWriteError(this.cameraId, err);
    }
  }

  onEnd(): void {
    this.close();
    this.anchorMs = null;
  }

  private open(firstMediaMs: number) {
    const init = this.init!;
    const start = Math.round(this.anchorMs! + firstMediaMs);
    const day = new Date(start).toISOString().slice(0, 10);
    const relDir = path.join(`cam-${this.cameraId}`, day);
    const absDir = path.join(this.host.root, relDir);
    fs.mkdirSync(absDir, { recursive: true, mode: 0o700 });
    let relPath = path.join(relDir, `${start}.mp4`);
    for (let n = 1; fs.existsSync(path.join(this.host.root, relPath)); n++) relPath = path.join(relDir, `${start}-${n}.mp4`);
    const fd = fs.openSync(path.join(this.host.root, relPath), 'wx', 0o600);
    try {
      fs.writeSync(fd, init.bytes);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    const hash = createHash('sha256').update(init.bytes);
    this.host.addUsed(init.bytes.length);
    const file: OpenFile = {
      // Steps 1-2: the init segment and the directory entry on disk, then the row.
      rowId: this.enqueue(async () => {
        await fdatasync(fd);
        await fsyncDirAsync(absDir);
        return this.host.insertRow({ cameraId: this.cameraId, path: relPath, startMs: start, initBytes: init.bytes.length });
      }),
      fd,
      relPath,
      startMs: start,
      firstMediaMs,
      endRelMs: 0,
      bytes: init.bytes.length,
      flushedBytes: init.bytes.length,
      flushAskedBytes: init.bytes.length,
      endMs: start,
      hash,
      gops: new GopBuilder(init.timescale),
      initBytes: init.bytes.length,
      failed: false,
    };
    // A file whose row could not be written stops here; reconciliation at the next start finds it.
    file.rowId.catch((err: unknown) => this.abandon(file, err));
    this.file = file;
  }

  private append(f: Fragment) {
    const file = this.file!;
    let written = 0;
    while (written < f.bytes.length) written += fs.writeSync(file.fd, f.bytes, written);
    file.hash.update(f.bytes);
    const { endRelMs } = file.gops.add(file.bytes, f.bytes.length, f.baseDecodeTime, f.durationTicks, f.independent);
    file.bytes += f.bytes.length;
    file.endRelMs = endRelMs;
    file.endMs = file.startMs + Math.round(endRelMs);
    this.host.addUsed(f.bytes.length);
    this.host.onAppended?.(this.cameraId, file.relPath, file.bytes);
  }

  /** Makes what was appended so far durable, then records it in the index (step 4). */
  flush(): Promise<void> {
    const file = this.file;
    if (!file || file.flushAskedBytes === file.bytes) return this.chain;
    file.flushAskedBytes = file.bytes;
    this.refineStart(file);
    // What the row will say: the bytes, times and keyframes appended until now.
    const snapshot = { startMs: file.startMs, endMs: file.endMs, bytes: file.bytes, gops: packGops(file.gops.gops), complete: false, sha256: null };
    return this.enqueue(async () => {
      if (!(await this.synced(file))) return;
      file.flushedBytes = snapshot.bytes;
      await this.host.updateRow(await file.rowId, snapshot);
    });
  }

  /** Final flush and close (step 5). The next file may open at once; this one closes on the chain. */
  close(): void {
    const file = this.file;
    if (!file) return;
    this.file = null;
    this.refineStart(file);
    const done = { startMs: file.startMs, endMs: file.endMs, bytes: file.bytes, gops: packGops(file.gops.gops), complete: true, sha256: file.hash.digest('hex') };
    void this.enqueue(async () => {
      if (!(await this.synced(file))) return;
      await closeFd(file.fd);
      await this.host.updateRow(await file.rowId, done);
    }).then(() => this.host.onFileClosed(this.cameraId));
  }

  /** Waits until what was written to the file is on disk; false when the file failed before or now. */
  private async synced(file: OpenFile): Promise<boolean> {
    if (file.failed) return false;
    try {
      await fdatasync(file.fd);
      return true;
    } catch (err) {
      this.abandon(file, err);
      return false;
    }
  }

  /**
   * A write or sync failed (disk full, I/O error): the file stops here and keeps what is durable.
   * A torn fragment is cut off so the file ends on a fragment boundary, and its row names only the
   * keyframe groups that were synced. Runs after the file's steps already on the chain.
   */
  private abandon(file: OpenFile, err: unknown) {
    if (this.file === file) this.file = null;
    if (file.failed) return;
    file.failed = true;
    void this.enqueue(async () => {
      try {
        fs.ftruncateSync(file.fd, file.flushedBytes);
        await closeFd(file.fd);
      } catch {
        // the file will be repaired by reconciliation at the next start
      }
      const rowId = await file.rowId.catch(() => null);
      if (rowId === null) return; // no row names the file: reconciliation finds it
      const gops = file.gops.gops.filter((g) => g.offset + g.size <= file.flushedBytes);
      const endMs = gops.length ? file.startMs + Math.round(gops.at(-1)!.startRelMs + gops.at(-1)!.durationMs) : file.startMs;
      await this.host.updateRow(rowId, { startMs: file.startMs, endMs, bytes: file.flushedBytes, gops: packGops(gops), complete: false, sha256: null });
    });
    this.host.onWriteError(this.cameraId, err);
  }

  /** An open file's start follows a better anchor (only ever earlier: the estimate only improves). */
  private refineStart(file: OpenFile) {
    if (this.anchorMs === null) return;
    const start = Math.round(this.anchorMs + file.firstMediaMs);
    if (start >= file.startMs) return;
    file.startMs = start;
    file.endMs = start + Math.round(file.endRelMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.close();
    await this.chain;
  }

  drain(): Promise<void> {
    return this.chain;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const p = this.chain.then(work);
    this.chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }
}

const fdatasync = (fd: number) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
const closeFd = (fd: number) => new Promise<void>((resolve, reject) => fs.close(fd, (err) => (err ? reject(err) : resolve())));

async function fsyncDirAsync(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
