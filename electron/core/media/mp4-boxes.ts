// The one ISO BMFF (MP4) box reader of the engine: box headers (32- and 64-bit sizes, size 0 = to
// the end), the boxes inside a span, and a path of child boxes. Everything that walks boxes (the
// fragment splitter and parsers in fmp4.ts, the export feed) goes through it, so a malformed size
// is refused the same way everywhere.

export interface Mp4Box {
  /** Four-character type, e.g. `moof`. */
  type: string;
  /** Offset of the box's first byte (its size field). */
  start: number;
  /** 8, or 16 with a 64-bit size. */
  headerSize: number;
  size: number;
  /** Offset just past the box (start + size). */
  end: number;
}

/**
 * The header of the box at `offset`, inside a span ending at `end`. Null when the span ends before
 * the header does (more bytes may come); throws on a size that cannot be a box's. The box itself
 * may extend past `end`: the caller decides whether that is a torn box or one still arriving.
 */
export function readBoxHeader(buf: Buffer, offset: number, end: number): Mp4Box | null {
  if (offset + 8 > end) return null;
  let size = buf.readUInt32BE(offset);
  const type = buf.toString('latin1', offset + 4, offset + 8);
  let headerSize = 8;
  if (size === 1) {
    if (offset + 16 > end) return null;
    const big = buf.readBigUInt64BE(offset + 8);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`box ${type} too large`);
    size = Number(big);
    headerSize = 16;
  } else if (size === 0) {
    size = end - offset;
  }
  if (size < headerSize) throw new Error(`corrupt box ${JSON.stringify(type)} of size ${size}`);
  return { type, start: offset, headerSize, size, end: offset + size };
}

/**
 * The boxes one after another in [start, end). A box that runs past `end` (torn, or not yet
 * arrived) ends the list when `truncated` is 'stop', and is an error naming its offset when it is
 * 'throw' (bytes that must be whole, such as a range read by the recording index).
 */
export function boxesIn(buf: Buffer, start: number, end: number, truncated: 'stop' | 'throw' = 'stop'): Mp4Box[] {
  const out: Mp4Box[] = [];
  let o = start;
  while (o < end) {
    const b = readBoxHeader(buf, o, end);
    if (!b || b.end > end) {
      if (truncated === 'throw') throw new Error(`corrupt box at byte ${o}`);
      break;
    }
    out.push(b);
    o = b.end;
  }
  return out;
}

/** The boxes directly inside `parent`. */
export function childBoxes(buf: Buffer, parent: Mp4Box, truncated: 'stop' | 'throw' = 'stop'): Mp4Box[] {
  return boxesIn(buf, parent.start + parent.headerSize, parent.end, truncated);
}

/** The first box along a path of types below `parent` (e.g. ['mdia', 'minf', 'stbl', 'stsd']). */
export function findBox(buf: Buffer, parent: Mp4Box, path: readonly string[], truncated: 'stop' | 'throw' = 'stop'): Mp4Box | null {
  let current: Mp4Box | null = parent;
  for (const type of path) {
    if (!current) return null;
    current = childBoxes(buf, current, truncated).find((c) => c.type === type) ?? null;
  }
  return current;
}
