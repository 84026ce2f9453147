// VOD HLS from the recording index (docs/design/playback.md "VOD from the index, no copies"): no footage is copied to serve it. Every keyframe
// group is a segment addressed by byte range in its recording file; each file brings its own init
// segment (EXT-X-MAP with a byte range); EXT-X-PROGRAM-DATE-TIME on every segment; a discontinuity
// at every file boundary (timestamps may restart) and so at every gap.
import { unpackGops } from '../recording/gop-index';

export interface IndexedFile {
  id: number;
  startMs: number;
  initBytes: number;
  gops: Buffer;
}

/** ISO 8601 UTC with milliseconds, as Date#toISOString, but reusing the formatted minute (a 24 h
 *  playlist has 86,400 of these). */
function isoFormatter(): (ms: number) => string {
  let minute = NaN;
  let prefix = '';
  return (ms) => {
    const t = Math.round(ms);
    const m = Math.floor(t / 60_000);
    if (m !== minute) {
      minute = m;
      prefix = new Date(m * 60_000).toISOString().slice(0, 17);
    }
    const inMinute = t - m * 60_000;
    const sec = Math.floor(inMinute / 1000);
    const milli = inMinute - sec * 1000;
    return `${prefix}${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  };
}

/** Milliseconds as seconds with three decimals, like (ms / 1000).toFixed(3) for whole ms. */
function seconds3(ms: number): string {
  const whole = Math.round(ms);
  const s = Math.floor(whole / 1000);
  const r = whole - s * 1000;
  return `${s}.${r < 10 ? '00' : r < 100 ? '0' : ''}${r}`;
}

/** The segment lines of one file inside [fromMs, toMs), and its longest segment (s). */
function fileLines(f: Omit<IndexedFile, 'gops'> & { base?: string }, gops: Buffer, fromMs: number, toMs: number, iso: (ms: number) => string): { text: string; maxDurS: number } | null {
  const inRange = unpackGops(gops).filter((g) => f.startMs + g.startRelMs + g.durationMs > fromMs && f.startMs + g.startRelMs < toMs && g.durationMs > 0);
  if (inRange.length === 0) return null;
  const uri = `${f.base ?? ''}rec/${f.id}.mp4`;
  const lines = [`#EXT-X-MAP:URI="${uri}",BYTERANGE="${f.initBytes}@0"`];
  let maxDurS = 0;
  for (const g of inRange) {
    maxDurS = Math.max(maxDurS, g.durationMs / 1000);
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${iso(f.startMs + g.startRelMs)}\n#EXTINF:${seconds3(g.durationMs)},\n#EXT-X-BYTERANGE:${g.size}@${g.offset}\n${uri}`);
  }
  return { text: lines.join('\n'), maxDurS };
}

/**
 * Playlist text of whole, complete recording files: they never change once complete, and a review
 * asks for the same day again and again (every camera, every seek that reopens a range). Bounded:
 * the oldest entries go first. A deleted file leaves the index (state 'deleting'), so its entry is
 * never asked for again; row ids are never reused (AUTOINCREMENT).
 */
export class FileLinesCache {
  private readonly entries = new Map<number, { text: string; maxDurS: number }>();
  constructor(private readonly maxFiles = 5000) {}
  get(id: number) {
    return this.entries.get(id);
  }
  set(id: number, v: { text: string; maxDurS: number }) {
    this.entries.set(id, v);
    if (this.entries.size > this.maxFiles) this.entries.delete(this.entries.keys().next().value!);
  }
  get size() {
    return this.entries.size;
  }
}

export interface PlaylistFile extends Omit<IndexedFile, 'gops'> {
  endMs: number;
  complete: boolean;
  /** The keyframe index; may be left out (null) for a complete file whose lines are cached. */
  gops: Buffer | null;
  /** Several nodes: the file is on another node's disk, fetched there (`https://node/vod/{camera}/{token}/`);
   *  its lines carry this playback's token, so they are never cached. */
  base?: string;
}

/** Builds the playlist of the files' keyframe groups that overlap [fromMs, toMs]. */
export function vodPlaylist(files: readonly (IndexedFile | PlaylistFile)[], fromMs: number, toMs: number, cache?: FileLinesCache): string {
  const parts: string[] = [];
  const iso = isoFormatter();
  let maxDurS = 1;
  for (const f of files) {
    // Only a complete file wholly inside the range has the same lines for every request.
    const whole = cache !== undefined && 'complete' in f && f.complete && !('base' in f && f.base) && f.startMs >= fromMs && f.endMs <= toMs;
    let lines = whole ? cache.get(f.id) : undefined;
    if (!lines) {
      if (!f.gops) throw new Error(`recording ${f.id}: no keyframe index and no cached playlist lines`);
      lines = fileLines(f, f.gops, fromMs, toMs, iso) ?? undefined;
      if (lines && whole) cache.set(f.id, lines);
    }
    if (!lines) continue;
    if (parts.length > 0) parts.push('#EXT-X-DISCONTINUITY');
    parts.push(lines.text);
    maxDurS = Math.max(maxDurS, lines.maxDurS);
  }
  return ['#EXTM3U', '#EXT-X-VERSION:7', `#EXT-X-TARGETDURATION:${Math.ceil(maxDurS)}`, '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MEDIA-SEQUENCE:0', ...parts, '#EXT-X-ENDLIST', ''].join('\n');
}
