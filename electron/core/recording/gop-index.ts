// The keyframe-group (GOP) index of a recording file (docs/design/recording.md): where each group
// of pictures starting at a keyframe lies in the file, and when it was. Packed 16 bytes a group.
import { Fmp4Splitter, type InitSegment } from '../media/fmp4';

export interface Gop {
  offset: number;
  size: number;
  /** Milliseconds from the file's start time. */
  startRelMs: number;
  durationMs: number;
}

export function packGops(gops: readonly Gop[]): Buffer {
  const b = Buffer.alloc(gops.length * 16);
  gops.forEach((g, i) => {
    b.writeUInt32BE(g.offset, i * 16);
    b.writeUInt32BE(g.size, i * 16 + 4);
    b.writeUInt32BE(Math.max(0, Math.round(g.startRelMs)), i * 16 + 8);
    b.writeUInt32BE(Math.max(0, Math.round(g.durationMs)), i * 16 + 12);
  });
  return b;
}

export function unpackGops(b: Buffer): Gop[] {
  const out: Gop[] = [];
  for (let o = 0; o + 16 <= b.length; o += 16) {
    out.push({ offset: b.readUInt32BE(o), size: b.readUInt32BE(o + 4), startRelMs: b.readUInt32BE(o + 8), durationMs: b.readUInt32BE(o + 12) });
  }
  return out;
}

/** Builds the GOP list incrementally as fragments are appended (used by the writer and by recovery). */
export class GopBuilder {
  readonly gops: Gop[] = [];
  private bdt0: number | null = null;
  constructor(private readonly timescale: number) {}

  /** Adds a fragment at `offset`; returns its start and end relative to the file start, in ms. */
  add(offset: number, size: number, baseDecodeTime: number, durationTicks: number, independent: boolean): { startRelMs: number; endRelMs: number } {
    this.bdt0 ??= baseDecodeTime;
    const startRelMs = ((baseDecodeTime - this.bdt0) * 1000) / this.timescale;
    const durationMs = (durationTicks * 1000) / this.timescale;
    const last = this.gops.at(-1);
    if (independent || !last) this.gops.push({ offset, size, startRelMs, durationMs });
    else {
      last.size += size;
      last.durationMs = startRelMs + durationMs - last.startRelMs;
    }
    return { startRelMs, endRelMs: startRelMs + durationMs };
  }
}

export interface ScannedFile {
  init: InitSegment | null;
  initBytes: number;
  gops: Gop[];
  /** Bytes up to the end of the last complete fragment: anything after is a torn write. */
  validBytes: number;
  durationMs: number;
  fragments: number;
}

/** Reads a recording file as written (or cut by a crash) and indexes every complete fragment. */
export function scanRecording(bytes: Buffer): ScannedFile {
  let init: InitSegment | null = null;
  let builder: GopBuilder | null = null;
  let offset = 0;
  let durationMs = 0;
  let fragments = 0;
  const splitter = new Fmp4Splitter(
    (i) => {
      init = i;
      offset = i.bytes.length;
      builder = new GopBuilder(i.timescale);
    },
    (f) => {
      const r = builder!.add(offset, f.bytes.length, f.baseDecodeTime, f.durationTicks, f.independent);
      offset += f.bytes.length;
      durationMs = r.endRelMs;
      fragments += 1;
    },
  );
  try {
    splitter.push(bytes);
  } catch {
    // A torn box at the end: everything before it stands.
  }
  const found = init as InitSegment | null;
  return {
    init: found,
    initBytes: found ? found.bytes.length : 0,
    gops: (builder as GopBuilder | null)?.gops ?? [],
    validBytes: found ? offset : 0,
    durationMs,
    fragments,
  };
}
