// The bytes ffmpeg reads for one item: the first file's init segment, then the selected keyframe
// groups of every file, byte for byte, except that each fragment's decode time (tfdt) is moved
// onto one output timeline (scope-plan.ts). Recording files restart their decode times when ingest
// restarts; without this the demuxer would see time run backwards at a file boundary.
import { open } from 'node:fs/promises';
import { parseInit } from '../../media/fmp4';
import type { PlannedFile } from './scope-plan';

interface Box {
  type: string;
  start: number;
  headerSize: number;
  end: number;
}

function boxes(buf: Buffer, start: number, end: number): Box[] {
  const out: Box[] = [];
  let o = start;
  while (o + 8 <= end) {
    let size = buf.readUInt32BE(o);
    let headerSize = 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(o + 8));
      headerSize = 16;
    } else if (size === 0) size = end - o;
    if (size < headerSize || o + size > end) throw new Error(`corrupt box at byte ${o}`);
    out.push({ type: buf.toString('latin1', o + 4, o + 8), start: o, headerSize, end: o + size });
    o += size;
  }
  return out;
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  return boxes(buf, parent.start + parent.headerSize, parent.end).find((b) => b.type === type);
}

/** The sample description (codec, size, parameter sets) of the init segment's video track: two
 *  files can share one output track only when these bytes are equal. */
export function sampleDescription(init: Buffer): Buffer {
  const moov = boxes(init, 0, init.length).find((b) => b.type === 'moov');
  if (!moov) throw new Error('init segment without moov');
  for (const trak of boxes(init, moov.start + moov.headerSize, moov.end).filter((b) => b.type === 'trak')) {
    const mdia = child(init, trak, 'mdia');
    const stsd = mdia && child(init, mdia, 'minf');
    const stbl = stsd && child(init, stsd, 'stbl');
    const d = stbl && child(init, stbl, 'stsd');
    if (d) return init.subarray(d.start, d.end);
  }
  throw new Error('init segment without a sample description');
}

/** Rewrites, in place, the tfdt of every fragment in `buf`: a fragment decoded at `firstBdt`
 *  (default: the first fragment's) lands at `outBaseTicks`, the spacing stays as recorded.
 *  Returns the reference decode time used. */
export function retimeFragments(buf: Buffer, outBaseTicks: number, firstBdt: number | null = null): number | null {
  let first = firstBdt;
  for (const moof of boxes(buf, 0, buf.length).filter((b) => b.type === 'moof')) {
    const traf = child(buf, moof, 'traf');
    const tfdt = traf && child(buf, traf, 'tfdt');
    if (!tfdt) throw new Error('fragment without tfdt');
    const p = tfdt.start + tfdt.headerSize;
    const v1 = buf.readUInt8(p) === 1;
    const bdt = v1 ? Number(buf.readBigUInt64BE(p + 4)) : buf.readUInt32BE(p + 4);
    first ??= bdt;
    const next = outBaseTicks + (bdt - first);
    if (v1) buf.writeBigUInt64BE(BigInt(next), p + 4);
    else if (next <= 0xffffffff) buf.writeUInt32BE(next, p + 4);
    else throw new Error('a 32-bit tfdt cannot hold the output time');
  }
  return first;
}

export async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
      if (bytesRead === 0) throw new Error(`${path}: ends at byte ${start + got}, the index expects ${end}`);
      got += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/** Largest piece read and written at once: keeps memory flat for long files. */
const CHUNK_GOPS = 30;

/** Yields the item's input stream: init segment, then retimed keyframe groups, file by file. */
export async function* itemStream(files: readonly PlannedFile[], signal: AbortSignal): AsyncGenerator<Buffer> {
  let description: Buffer | null = null;
  let firstPath = '';
  let timescale = 0;
  for (const p of files) {
    signal.throwIfAborted();
    const init = await readRange(p.file.path, 0, p.file.initBytes);
    const desc = sampleDescription(init);
    if (description === null) {
      description = desc;
      firstPath = p.file.path;
      timescale = parseInit(init).timescale;
      yield init;
    } else if (!desc.equals(description)) {
      throw new Error(`the camera's stream format changed within the range (${firstPath} and ${p.file.path} differ in codec, size or parameter sets); export the range in two parts, split at ${new Date(p.wallStartMs).toISOString()}`);
    }
    // Keyframe groups of a file are contiguous; read them in chunks of whole groups.
    const fileBase = Math.round((p.outStartMs * timescale) / 1000);
    let firstBdt: number | null = null;
    for (let i = 0; i < p.gops.length; i += CHUNK_GOPS) {
      signal.throwIfAborted();
      const chunk = p.gops.slice(i, i + CHUNK_GOPS);
      const a = chunk[0]!;
      const z = chunk.at(-1)!;
      const buf = await readRange(p.file.path, a.offset, z.offset + z.size);
      firstBdt = retimeFragments(buf, fileBase, firstBdt);
      yield buf;
    }
  }
}
