// Recorded files on another node's disk, for an export produced here (docs/design/scale.md "Seats on
// any node"): the bytes an item needs (each file's init segment and its run of keyframe groups
// inside the item's range) are fetched from the node holding the file, through the same route and
// checks as a playback there, and written at the same offsets into a staging file here, so
// production reads them as it reads its own. The grant is the producer's: a session of theirs for
// the production (their role and camera groups, checked by the other node on every request), ended
// when the bytes are here. Nothing else of the file is fetched; the staging folder goes with the run.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { unpackGops } from '../recording/gop-index';
import type { SiteMedia } from './site-media';

export interface RemoteFile {
  recordingId: number;
  node: string;
  initBytes: number;
  startMs: number;
  gops: Buffer;
}

/** GET `url` from another node of the site, with the site CA as the only trust anchor over https;
 *  rejects unless the node answers `expect`. At most 64 MiB (a run of keyframe groups of one file). */
export function fetchFromNode(url: string, o: { caPem: string | null; expect: 200 | 206; range?: [number, number]; signal?: AbortSignal }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const get = u.protocol === 'https:' ? https.get : http.get;
    const headers = o.range ? { Range: `bytes=${o.range[0]}-${o.range[1] - 1}` } : {};
    const req = get(u, { headers, ...(o.signal ? { signal: o.signal } : {}), ...(u.protocol === 'https:' ? { ca: o.caPem ?? undefined, minVersion: 'TLSv1.2' as const } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 64 * 1024 * 1024) req.destroy(new Error('node sent more than 64 MiB'));
        else chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode !== o.expect) return reject(new Error(`node answered ${res.statusCode}: ${body.toString('utf8').slice(0, 120)}`));
        if (o.range && body.length !== o.range[1] - o.range[0]) return reject(new Error(`node sent ${body.length} bytes of ${o.range[1] - o.range[0]}`));
        resolve(body);
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error('node did not answer within 30 s')));
    req.on('error', reject);
  });
}

export class RemoteFiles {
  constructor(
    private readonly o: {
      node: string;
      media: Pick<SiteMedia, 'grantPlayback' | 'urlOf' | 'endGrant' | 'productionSession'>;
      /** The site CA (PEM) the other nodes present; null where nodes speak plain HTTP (tests on loopback). */
      caPem: string | null;
    },
  ) {}

  /** The files of an index read that lie on other nodes' disks, as stage() takes them. */
  toFetch(files: readonly { id: number; node: string; initBytes: number; startMs: number; gops: Buffer }[]): RemoteFile[] {
    return files.filter((f) => f.node !== this.o.node).map((f) => ({ recordingId: f.id, node: f.node, initBytes: f.initBytes, startMs: f.startMs, gops: f.gops }));
  }

  /**
   * Fetches what an item needs of each remote file into `dir` and returns the staged paths by
   * recording id. `producer`: the username whose rights the other nodes check.
   */
  async stage(producer: string, item: { cameraId: number; fromMs: number; toMs: number }, files: readonly RemoteFile[], dir: string, signal: AbortSignal): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (files.length === 0) return out;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const session = await this.o.media.productionSession(producer);
    try {
      const tokens = new Map<string, { url: string; token: string }>();
      for (const f of files) {
        let t = tokens.get(f.node);
        if (!t) {
          const url = await this.o.media.urlOf(f.node);
          if (!url) throw new Error(`recording ${f.recordingId} is on node ${f.node}, which the site does not know`);
          const token = await this.o.media.grantPlayback({ node: f.node, playbackId: session.id, connectionId: session.id, sessionId: session.id, userId: session.userId, username: producer, cameraIds: [item.cameraId], fromMs: item.fromMs, toMs: item.toMs, remainingMs: 3_600_000 });
          tokens.set(f.node, (t = { url, token }));
        }
        const inScope = unpackGops(f.gops).filter((g) => f.startMs + g.startRelMs + g.durationMs > item.fromMs && f.startMs + g.startRelMs < item.toMs);
        if (inScope.length === 0) continue;
        const fileUrl = `${t.url}/vod/${item.cameraId}/${t.token}/rec/${f.recordingId}.mp4`;
        const staged = path.join(dir, `${f.recordingId}.mp4`);
        const fd = fs.openSync(staged, 'w', 0o600);
        try {
          const runFrom = inScope[0]!.offset;
          const last = inScope.at(-1)!;
          for (const [from, to] of [
            [0, f.initBytes],
            [runFrom, last.offset + last.size],
          ] as const) {
            const bytes = await fetchFromNode(fileUrl, { caPem: this.o.caPem, expect: 206, range: [from, to], signal });
            fs.writeSync(fd, bytes, 0, bytes.length, from);
          }
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        out.set(f.recordingId, staged);
      }
      return out;
    } finally {
      await session.end().catch(() => undefined);
    }
  }
}
