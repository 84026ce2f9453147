// Fragmented MP4 splitting (docs/design/live-pipeline.md). ffmpeg writes `ftyp moov (moof mdat)*`
// to a pipe; we cut it on box boundaries into one init segment and fragments, and read from each
// fragment what the packager and the recorder need: decode time, duration, keyframe start. Boxes
// are read by mp4-boxes.ts, the engine's one box reader.
import { boxesIn, childBoxes, findBox, readBoxHeader } from './mp4-boxes';

/**
 * ffmpeg's fragmented MP4 output as the ingest asks for it: one fragment per frame (any fragment
 * duration of at least one microsecond cuts at every frame), each keyframe starting a fragment. A
 * frame leaves ffmpeg when the next one arrives (its duration is known then), so the fragment path
 * sends seats every frame about one frame interval after it arrived (docs/design/live-pipeline.md
 * "Fragment path"); the LL-HLS packager joins them into 200 ms parts, the recorder appends them.
 */
export const FRAGMENTED_MP4_ARGS: readonly string[] = ['-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1'];

export interface InitSegment {
  bytes: Buffer;
  /** Video track timescale (ticks per second), from mdhd. */
  timescale: number;
  /** Sample entry fourcc: avc1/avc3 (H.264), hvc1/hev1 (H.265), ... */
  codec: string;
  /** RFC 6381 codecs string when H.264 (e.g. avc1.64001f). */
  codecString: string | null;
  width: number;
  height: number;
}

export interface Fragment {
  bytes: Buffer;
  /** Sequence number from mfhd. */
  sequence: number;
  baseDecodeTime: number;
  /** Sum of sample durations, in timescale ticks. */
  durationTicks: number;
  sampleCount: number;
  /** True when the first sample is a sync sample (a keyframe): segments start there. */
  independent: boolean;
}

export function parseInit(bytes: Buffer): InitSegment {
  const moov = boxesIn(bytes, 0, bytes.length).find((b) => b.type === 'moov');
  if (!moov) throw new Error('init segment without moov');
  const traks = childBoxes(bytes, moov).filter((b) => b.type === 'trak');
  for (const trak of traks) {
    const hdlr = findBox(bytes, trak, ['mdia', 'hdlr']);
    if (!hdlr || bytes.toString('latin1', hdlr.start + hdlr.headerSize + 8, hdlr.start + hdlr.headerSize + 12) !== 'vide') continue;
    const mdhd = findBox(bytes, trak, ['mdia', 'mdhd']);
    const stsd = findBox(bytes, trak, ['mdia', 'minf', 'stbl', 'stsd']);
    if (!mdhd || !stsd) break;
    const version = bytes.readUInt8(mdhd.start + mdhd.headerSize);
    const timescale = bytes.readUInt32BE(mdhd.start + mdhd.headerSize + (version === 1 ? 20 : 12));
    // stsd: full box header (4) + entry count (4), then the first sample entry box.
    const entry = readBoxHeader(bytes, stsd.start + stsd.headerSize + 8, stsd.end);
    if (!entry) break;
    const codec = entry.type;
    // VisualSampleEntry: 6 reserved + 2 data ref index + 16 predefined/reserved, then width, height.
    const width = bytes.readUInt16BE(entry.start + 8 + 24);
    const height = bytes.readUInt16BE(entry.start + 8 + 26);
    let codecString: string | null = null;
    if (codec === 'avc1' || codec === 'avc3') {
      const avcC = boxesIn(bytes, entry.start + 8 + 78, entry.end).find((b) => b.type === 'avcC');
      if (avcC) {
        const p = avcC.start + avcC.headerSize;
        codecString = `${codec}.${[bytes[p + 1], bytes[p + 2], bytes[p + 3]].map((x) => (x ?? 0).toString(16).padStart(2, '0')).join('')}`;
      }
    }
    return { bytes, timescale, codec, codecString, width, height };
  }
  throw new Error('init segment without a video track');
}

export function parseFragment(bytes: Buffer): Omit<Fragment, 'bytes'> {
  const moof = boxesIn(bytes, 0, bytes.length).find((b) => b.type === 'moof');
  if (!moof) throw new Error('fragment without moof');
  const mfhd = findBox(bytes, moof, ['mfhd']);
  const sequence = mfhd ? bytes.readUInt32BE(mfhd.start + mfhd.headerSize + 4) : 0;
  const traf = findBox(bytes, moof, ['traf']);
  if (!traf) throw new Error('fragment without traf');
  const tfhd = findBox(bytes, traf, ['tfhd']);
  const tfdt = findBox(bytes, traf, ['tfdt']);
  const trun = findBox(bytes, traf, ['trun']);
  if (!tfhd || !trun) throw new Error('fragment without tfhd/trun');

  let defaultDuration = 0;
  let defaultFlags = 0;
  {
    const p = tfhd.start + tfhd.headerSize;
    const flags = bytes.readUIntBE(p + 1, 3);
    let o = p + 8; // version/flags + track id
    if (flags & 0x1) o += 8; // base data offset
    if (flags & 0x2) o += 4; // sample description index
    if (flags & 0x8) {
      defaultDuration = bytes.readUInt32BE(o);
      o += 4;
    }
    if (flags & 0x10) o += 4; // default sample size
    if (flags & 0x20) defaultFlags = bytes.readUInt32BE(o);
  }
  let baseDecodeTime = 0;
  if (tfdt) {
    const p = tfdt.start + tfdt.headerSize;
    baseDecodeTime = bytes.readUInt8(p) === 1 ? Number(bytes.readBigUInt64BE(p + 4)) : bytes.readUInt32BE(p + 4);
  }
  const p = trun.start + trun.headerSize;
  const flags = bytes.readUIntBE(p + 1, 3);
  const sampleCount = bytes.readUInt32BE(p + 4);
  let o = p + 8;
  if (flags & 0x1) o += 4; // data offset
  let firstSampleFlags: number | null = null;
  if (flags & 0x4) {
    firstSampleFlags = bytes.readUInt32BE(o);
    o += 4;
  }
  let durationTicks = 0;
  let firstFlags: number | null = firstSampleFlags;
  for (let i = 0; i < sampleCount; i++) {
    let d = defaultDuration;
    if (flags & 0x100) {
      d = bytes.readUInt32BE(o);
      o += 4;
    }
    if (flags & 0x200) o += 4; // size
    if (flags & 0x400) {
      if (i === 0 && firstFlags === null) firstFlags = bytes.readUInt32BE(o);
      o += 4;
    }
    if (flags & 0x800) o += 4; // composition offset
    durationTicks += d;
  }
  const sampleFlags = firstFlags ?? defaultFlags;
  // sample_is_non_sync_sample is bit 16; sample_depends_on == 2 means "does not depend" (I-frame).
  const independent = (sampleFlags & 0x10000) === 0;
  return { sequence, baseDecodeTime, durationTicks, sampleCount, independent };
}

/**
 * Incremental splitter: feed it pipe chunks; it calls back with the init segment once and then
 * with each complete `moof+mdat` fragment. Memory is bounded by the largest fragment.
 */
export class Fmp4Splitter {
  private buffer: Buffer = Buffer.alloc(0);
  private initParts: Buffer[] = [];
  private initDone = false;
  private pendingMoof: Buffer | null = null;

  constructor(
    private readonly onInit: (init: InitSegment) => void,
    private readonly onFragment: (fragment: Fragment) => void,
    private readonly maxBoxBytes = 64 * 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const box = readBoxHeader(this.buffer, 0, this.buffer.length);
      if (!box) return;
      if (box.size > this.maxBoxBytes) throw new Error(`box ${box.type} of ${box.size} bytes exceeds the limit`);
      if (this.buffer.length < box.size) return;
      const bytes = this.buffer.subarray(0, box.size);
      this.buffer = this.buffer.subarray(box.size);
      this.onBox(box.type, Buffer.from(bytes));
    }
  }

  private onBox(type: string, bytes: Buffer) {
    if (!this.initDone) {
      if (type === 'moof') {
        throw new Error('fragment before init segment');
      }
      this.initParts.push(bytes);
      if (type === 'moov') {
        this.initDone = true;
        this.onInit(parseInit(Buffer.concat(this.initParts)));
        this.initParts = [];
      }
      return;
    }
    if (type === 'moof') {
      this.pendingMoof = bytes;
    } else if (type === 'mdat' && this.pendingMoof) {
      const whole = Buffer.concat([this.pendingMoof, bytes]);
      this.pendingMoof = null;
      this.onFragment({ bytes: whole, ...parseFragment(whole) });
    }
    // Other top-level boxes (styp, sidx, mfra) are not needed.
  }
}
