// Low-Latency HLS packager, in memory (docs/design/live-pipeline.md, docs/design/overview.md §3).
// Each ~200 ms fMP4 fragment from ingest becomes one LL-HLS part; a segment starts at every
// keyframe fragment, and a run's first segment ends after its keyframe part (quick start). Parts
// are numbered globally, so the preload hint always names the part that will come next, whether
// or not it starts a new segment. PROGRAM-DATE-TIME comes from the arrival time of each
// segment's first fragment, not from ffmpeg (ffmpeg's own runs about 1 s late: it is taken after input probing).
import type { Fragment, InitSegment } from '../media/fmp4';

export interface Part {
  /** Global part number: the n-th fragment of this stream since the packager started. */
  id: number;
  msn: number;
  /** Index within its segment. */
  index: number;
  bytes: Buffer;
  durationS: number;
  independent: boolean;
  arrivedAtMs: number;
}

interface Segment {
  msn: number;
  parts: Part[];
  complete: boolean;
  /** Wall-clock time of the segment's first frame: arrival of its first fragment minus its duration. */
  programDateTimeMs: number;
  /** First segment after an ingest restart: timestamps start again (EXT-X-DISCONTINUITY). */
  discontinuity: boolean;
  /** Which init segment its fragments need (EXT-X-MAP), changes when ingest restarts with new parameters. */
  initGeneration: number;
}

export interface PackagerOptions {
  /** Complete segments kept in the playlist window. */
  windowSegments?: number;
  /** Parts are listed for this many most recent segments (plus the open one). */
  partSegments?: number;
}

type Waiter = { test: () => boolean; resolve: (ok: boolean) => void; timer: NodeJS.Timeout };

export class LlHlsPackager {
  private init: InitSegment | null = null;
  private initGeneration = 0;
  private initsByGeneration = new Map<number, Buffer>();
  private segments: Segment[] = [];
  private nextMsn = 0;
  private nextPartId = 0;
  private readonly partTargetS = 0.2;
  private waiters = new Set<Waiter>();
  private readonly windowSegments: number;
  private readonly partSegments: number;
  private ended = false;
  private pendingDiscontinuity = false;
  private discontinuitySequence = 0;
  /** The next keyframe starts a run (first start or reconnect): its segment is closed after one part. */
  private quickStart = true;
  private quickStartMsn = -1;
  /** Fragments joined into the part being made (addFragment). */
  private pending: { bytes: Buffer[]; durationS: number; independent: boolean; startMs: number; arrivedAtMs: number } | null = null;

  constructor(opts: PackagerOptions = {}) {
    this.windowSegments = opts.windowSegments ?? 6;
    this.partSegments = opts.partSegments ?? 2;
  }

  get initSegment(): InitSegment | null {
    return this.init;
  }

  /** Milliseconds since the newest part arrived, or null before any. */
  newestPartArrivedAtMs(): number | null {
    const last = this.segments[this.segments.length - 1]?.parts.at(-1);
    return last ? last.arrivedAtMs : null;
  }

  /** A new ingest run (reconnect): the next segment starts fresh with a discontinuity-free reset. */
  setInit(init: InitSegment): void {
    this.flushPending();
    if (!this.init || !this.init.bytes.equals(init.bytes)) {
      this.initGeneration += 1;
      this.initsByGeneration.set(this.initGeneration, init.bytes);
    }
    // A new ffmpeg run restarts decode times: mark the next segment as a discontinuity.
    if (this.segments.length > 0) this.pendingDiscontinuity = true;
    this.init = init;
    this.ended = false;
    this.quickStart = true;
    this.closeOpenSegment();
  }

  /**
   * One fragment from the ingest. The ingest cuts a fragment per frame (the fragment path to the
   * seats wants each frame at once: docs/design/live-pipeline.md "Fragment path"); parts of about
   * PART-TARGET are made here by joining consecutive fragments (a part may hold several moof+mdat
   * pairs). A keyframe always starts a new part, so segments still start at keyframes.
   */
  addFragment(fragment: Fragment, arrivedAtMs: number): void {
    if (!this.init) return;
    const durationS = fragment.durationTicks / this.init.timescale;
    if (fragment.independent) this.flushPending();
    const pending = this.pending ?? (this.pending = { bytes: [], durationS: 0, independent: fragment.independent, startMs: arrivedAtMs - durationS * 1000, arrivedAtMs });
    pending.bytes.push(fragment.bytes);
    pending.durationS += durationS;
    pending.arrivedAtMs = arrivedAtMs;
    // A part closes once it reaches about PART-TARGET (within a tenth: frame durations jitter), so
    // parts stay at or under the target instead of overshooting by a frame.
    if (pending.durationS >= this.partTargetS * 0.9) this.flushPending();
  }

  private flushPending(): void {
    const p = this.pending;
    this.pending = null;
    if (p) this.addPart(p.bytes.length === 1 ? p.bytes[0]! : Buffer.concat(p.bytes), p.durationS, p.independent, p.startMs, p.arrivedAtMs);
  }

  private addPart(bytes: Buffer, durationS: number, independent: boolean, startMs: number, arrivedAtMs: number): void {
    const fragment = { independent, bytes };
    let open = this.segments.at(-1);
    // After a run's one-part first segment, the rest of its GOP goes on in a segment of its own.
    const continues = !fragment.independent && open?.complete === true && open.parts.length === 1 && open.msn === this.quickStartMsn;
    if (!open || open.complete || fragment.independent) {
      if (!fragment.independent && !continues) return; // cannot start a segment without a keyframe
      if (open && !open.complete) open.complete = true;
      const newRun = this.pendingDiscontinuity;
      open = { msn: this.nextMsn++, parts: [], complete: false, programDateTimeMs: startMs, discontinuity: newRun, initGeneration: this.initGeneration };
      this.pendingDiscontinuity = false;
      this.segments.push(open);
      // After a reconnect nothing from before the gap is live any more: a player that starts now
      // must not land in the previous run's last seconds (hold-back) and show them as live.
      const tooMany = () => (newRun ? this.segments.length > 1 : this.segments.filter((s) => s.complete).length > this.windowSegments);
      while (tooMany()) {
        if (this.segments[1]?.discontinuity) this.discontinuitySequence += 1;
        this.segments.shift();
      }
      const live = new Set(this.segments.map((x) => x.initGeneration));
      for (const g of this.initsByGeneration.keys()) if (!live.has(g) && g !== this.initGeneration) this.initsByGeneration.delete(g);
    }
    open.parts.push({
      id: this.nextPartId++,
      msn: open.msn,
      index: open.parts.length,
      bytes: fragment.bytes,
      durationS,
      independent: fragment.independent,
      arrivedAtMs,
    });
    if (this.quickStart && fragment.independent) {
      // Players (hls.js) start only at a complete segment. Closing a run's first segment after its
      // keyframe part lets a tile that opened a cold stream show it now instead of one GOP later.
      this.quickStart = false;
      this.quickStartMsn = open.msn;
      open.complete = true;
    }
    this.wake();
  }

  /** Ingest stopped: waiting clients are released; the stream stays readable until it restarts
   * (its first new segment then replaces everything before the gap). */
  end(): void {
    this.flushPending();
    this.closeOpenSegment();
    this.ended = true;
    this.wake(true);
  }

  /**
   * Withdraws everything the packager holds: the camera's privacy masks at the source changed, and
   * what was packaged before shows what the new masks hide (R7). No part, segment or playlist of it
   * is served again, not even by a URL a player already has; a playlist request waits for the next
   * run's first keyframe as at a cold start. Numbers go on from where they were, and the gap counts
   * as a discontinuity for players that saw the old playlist.
   */
  discard(): void {
    this.pending = null;
    if (this.segments.length > 0) this.discontinuitySequence += this.segments.filter((s, i) => i > 0 && s.discontinuity).length + 1;
    this.segments = [];
    this.pendingDiscontinuity = false;
    this.quickStart = true;
    this.wake(true);
    this.ended = false;
  }

  private closeOpenSegment() {
    const open = this.segments.at(-1);
    if (open && !open.complete) {
      open.complete = true;
      this.wake();
    }
  }

  private wake(all = false) {
    for (const w of [...this.waiters]) {
      if (all || w.test()) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(!all || w.test());
      }
    }
  }

  private waitUntil(test: () => boolean, timeoutMs: number): Promise<boolean> {
    if (test()) return Promise.resolve(true);
    if (this.ended) return Promise.resolve(false);
    return new Promise((resolve) => {
      const w: Waiter = {
        test,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  /** Blocking playlist reload (`_HLS_msn`, `_HLS_part`): resolves when the playlist has it. */
  waitForPlaylist(msn: number, part: number | undefined, timeoutMs: number): Promise<boolean> {
    return this.waitUntil(() => {
      const last = this.segments.at(-1);
      if (!last) return false;
      if (part === undefined) return this.segments.some((s) => s.complete && s.msn >= msn);
      const lastPart = last.parts.at(-1);
      if (!lastPart) return false;
      return lastPart.msn > msn || (lastPart.msn === msn && lastPart.index >= part);
    }, timeoutMs);
  }

  /** A part by global id; waits for the next one (preload hint) if it has not arrived yet. */
  async part(id: number, timeoutMs: number): Promise<Part | null> {
    const find = () => {
      for (const s of this.segments) for (const p of s.parts) if (p.id === id) return p;
      return null;
    };
    // Only the very next part may be waited for; anything further ahead is a bad request.
    if (id > this.nextPartId) return null;
    if (id === this.nextPartId) await this.waitUntil(() => find() !== null, timeoutMs);
    return find();
  }

  initBytes(generation: number): Buffer | null {
    return this.initsByGeneration.get(generation) ?? null;
  }

  segment(msn: number): Buffer | null {
    const s = this.segments.find((x) => x.msn === msn && x.complete);
    return s ? Buffer.concat(s.parts.map((p) => p.bytes)) : null;
  }

  /** The first msn a blocking request may ask for without being too far ahead. */
  get nextMediaSequence(): number {
    return this.nextMsn;
  }

  playlist(): string | null {
    if (!this.init || this.segments.length === 0) return null;
    const target = Math.max(1, Math.ceil(Math.max(...this.segments.map((s) => sum(s.parts)))));
    // PART-TARGET covers the parts in the window (never below the 200 ms fragment target). A
    // lifetime maximum would let one long part (a camera dropping frames) raise PART-HOLD-BACK,
    // and so the players' latency, for good.
    const partTarget = Math.max(this.partTargetS, ...this.segments.flatMap((s) => s.parts.map((p) => Math.ceil(p.durationS * 1000) / 1000)));
    const lines = [
      '#EXTM3U',
      '#EXT-X-VERSION:9',
      `#EXT-X-TARGETDURATION:${target}`,
      `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${(partTarget * 3).toFixed(3)}`,
      `#EXT-X-PART-INF:PART-TARGET=${partTarget.toFixed(3)}`,
      `#EXT-X-MEDIA-SEQUENCE:${this.segments[0]!.msn}`,
      ...(this.discontinuitySequence > 0 ? [`#EXT-X-DISCONTINUITY-SEQUENCE:${this.discontinuitySequence}`] : []),
    ];
    const withParts = new Set(this.segments.slice(-(this.partSegments + 1)).map((s) => s.msn));
    let mapped = -1;
    for (const [i, s] of this.segments.entries()) {
      if (s.discontinuity && i > 0) lines.push('#EXT-X-DISCONTINUITY');
      if (s.initGeneration !== mapped) {
        lines.push(`#EXT-X-MAP:URI="init-${s.initGeneration}.mp4"`);
        mapped = s.initGeneration;
      }
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.programDateTimeMs).toISOString()}`);
      if (withParts.has(s.msn)) {
        for (const p of s.parts) {
          lines.push(`#EXT-X-PART:DURATION=${p.durationS.toFixed(3)},URI="part/${p.id}.m4s"${p.independent ? ',INDEPENDENT=YES' : ''}`);
        }
      }
      if (s.complete) {
        lines.push(`#EXTINF:${sum(s.parts).toFixed(3)},`, `seg/${s.msn}.m4s`);
      }
    }
    if (!this.ended) lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part/${this.nextPartId}.m4s"`);
    return lines.join('\n') + '\n';
  }
}

function sum(parts: Part[]): number {
  return parts.reduce((a, p) => a + p.durationS, 0);
}
