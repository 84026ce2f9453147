// VOD HLS from the recording index (issue 5 §2): no footage is copied to serve it. Every keyframe
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

/** Builds the playlist of the files' keyframe groups that overlap [fromMs, toMs]. */
export function vodPlaylist(files: readonly IndexedFile[], fromMs: number, toMs: number): string {
  const lines: string[] = [];
  const iso = isoFormatter();
  let maxDurS = 1;
  let first = true;
  for (const f of files) {
    const gops = unpackGops(f.gops).filter((g) => f.startMs + g.startRelMs + g.durationMs > fromMs && f.startMs + g.startRelMs < toMs && g.durationMs > 0);
    if (gops.length === 0) continue;
    if (!first) lines.push('#EXT-X-DISCONTINUITY');
    first = false;
    lines.push(`#EXT-X-MAP:URI="rec/${f.id}.mp4",BYTERANGE="${f.initBytes}@0"`);
    const uri = `rec/${f.id}.mp4`;
    for (const g of gops) {
      maxDurS = Math.max(maxDurS, g.durationMs / 1000);
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${iso(f.startMs + g.startRelMs)}\n#EXTINF:${seconds3(g.durationMs)},\n#EXT-X-BYTERANGE:${g.size}@${g.offset}\n${uri}`);
    }
  }
  return ['#EXTM3U', '#EXT-X-VERSION:7', `#EXT-X-TARGETDURATION:${Math.ceil(maxDurS)}`, '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MEDIA-SEQUENCE:0', ...lines, '#EXT-X-ENDLIST', ''].join('\n');
}
