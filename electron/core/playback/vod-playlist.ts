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

/** Builds the playlist of the files' keyframe groups that overlap [fromMs, toMs]. */
export function vodPlaylist(files: readonly IndexedFile[], fromMs: number, toMs: number): string {
  const lines: string[] = [];
  let maxDurS = 1;
  let first = true;
  for (const f of files) {
    const gops = unpackGops(f.gops).filter((g) => f.startMs + g.startRelMs + g.durationMs > fromMs && f.startMs + g.startRelMs < toMs && g.durationMs > 0);
    if (gops.length === 0) continue;
    if (!first) lines.push('#EXT-X-DISCONTINUITY');
    first = false;
    lines.push(`#EXT-X-MAP:URI="rec/${f.id}.mp4",BYTERANGE="${f.initBytes}@0"`);
    for (const g of gops) {
      const durS = g.durationMs / 1000;
      maxDurS = Math.max(maxDurS, durS);
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(f.startMs + g.startRelMs).toISOString()}`, `#EXTINF:${durS.toFixed(3)},`, `#EXT-X-BYTERANGE:${g.size}@${g.offset}`, `rec/${f.id}.mp4`);
    }
  }
  return ['#EXTM3U', '#EXT-X-VERSION:7', `#EXT-X-TARGETDURATION:${Math.ceil(maxDurS)}`, '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MEDIA-SEQUENCE:0', ...lines, '#EXT-X-ENDLIST', ''].join('\n');
}
