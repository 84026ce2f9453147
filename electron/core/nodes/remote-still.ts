// A still of a camera another node ingests, for the masks editor (docs/design/privacy-masks.md; docs/design/scale.md
// "Seats on any node"): taken from that node's live stream through a view granted there for the
// asking session (checked there as any live view), never by a second connection to the camera. The
// newest complete segment of the stream starts with a keyframe; its first frame is the still.
import type { Fragment, InitSegment } from '../media/fmp4';
import { parseFragment, parseInit } from '../media/fmp4';
import { fetchFromNode } from './remote-files';
import type { SiteMedia } from './site-media';

export async function remoteKeyframe(
  o: { media: Pick<SiteMedia, 'holderOf' | 'grant' | 'endGrant'>; caPem: string | null },
  session: { connectionId: string; sessionId: string; userId: number; username: string },
  cameraId: number,
  timeoutMs: number,
): Promise<{ init: InitSegment; fragment: Fragment; atMs: number }> {
  const holder = await o.media.holderOf(cameraId);
  if (!holder) throw new Error('no recording node holds this camera at the moment');
  const g = await o.media.grant({ node: holder.node, ...session, cameraId, stream: 'main', still: true });
  try {
    const base = `${holder.url}/live/${cameraId}/main/${g.token}/`;
    const end = performance.now() + timeoutMs;
    for (;;) {
      const playlist = (await fetchFromNode(`${base}index.m3u8`, { caPem: o.caPem, expect: 200 })).toString('utf8');
      const found = newestSegment(playlist);
      if (found) {
        const initBytes = await fetchFromNode(`${base}${found.map}`, { caPem: o.caPem, expect: 200 });
        const segBytes = await fetchFromNode(`${base}${found.segment}`, { caPem: o.caPem, expect: 200 });
        const fragment = parseFragment(segBytes);
        // A segment starts with a keyframe; one that does not (a stream restarting) is not a still.
        if (fragment.independent) return { init: { ...parseInit(initBytes), bytes: initBytes }, fragment: { ...fragment, bytes: segBytes }, atMs: found.atMs };
      }
      if (performance.now() > end) throw new Error(`the camera sent no picture within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await o.media.endGrant(session.connectionId, g.viewId, 'still taken').catch(() => false);
  }
}

/** The newest complete segment of an LL-HLS playlist, its init segment and start time; null when none yet. */
export function newestSegment(playlist: string): { map: string; segment: string; atMs: number } | null {
  let map: string | null = null;
  let atMs = 0;
  let found: { map: string; segment: string; atMs: number } | null = null;
  for (const line of playlist.split('\n')) {
    const m = /^#EXT-X-MAP:URI="(init-\d{1,15}\.mp4)"/.exec(line);
    if (m) map = m[1]!;
    const pdt = /^#EXT-X-PROGRAM-DATE-TIME:(.+)$/.exec(line);
    if (pdt) atMs = Date.parse(pdt[1]!);
    if (/^seg\/\d{1,15}\.m4s$/.test(line) && map) found = { map, segment: line, atMs };
  }
  return found;
}
