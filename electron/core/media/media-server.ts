// Media server (DESIGN §3, issue 3 §5): HTTP on 127.0.0.1, random port. Every URL carries a
// token; the token, its session, the role and the camera's visibility are checked on every
// request (R5). The renderer never sees a camera URL or credential, only these.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { PlaybackService } from '../playback/playback-service';
import type { Logger } from '../logger';
import type { LiveService } from '../live/live-service';

export interface MediaServer {
  origin: string;
  close(): Promise<void>;
}

const PLAYLIST_WAIT_MS = 3000;
const FIRST_PLAYLIST_WAIT_MS = 10_000;
const PART_WAIT_MS = 3000;

export interface VodSource {
  playback: PlaybackService;
  recordingsRoot: string;
}

export async function startMediaServer(live: LiveService, logger: Logger, vod?: VodSource): Promise<MediaServer> {
  const server = http.createServer((req, res) => {
    (req.method !== 'OPTIONS' && req.url?.startsWith('/vod/') && vod ? handleVod(vod, req, res) : handle(live, req, res)).catch((err: unknown) => {
      logger.error('media request failed', { error: err });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('media server did not bind');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, body: Buffer | string, type: string, cache = 'no-store') {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': cache,
    // Tokens are bearer capabilities; no cookies are used, so any origin may read with one.
    'Access-Control-Allow-Origin': '*',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

async function handle(live: LiveService, req: http.IncomingMessage, res: http.ServerResponse) {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'Range', 'Access-Control-Max-Age': '600' }).end();
    return;
  }
  if (req.method !== 'GET') return send(res, 405, '', 'text/plain');
  const url = new URL(req.url ?? '/', 'http://media');
  const m = /^\/live\/(\d{1,15})\/(main|sub)\/([A-Za-z0-9_-]{16,64})\/(index\.m3u8|init-(\d+)\.mp4|part\/(\d+)\.m4s|seg\/(\d+)\.m4s)$/.exec(url.pathname);
  if (!m) return send(res, 404, 'not found', 'text/plain');
  const auth = await live.authorize(m[3]!, Number(m[1]), m[2]!);
  if (!auth.ok) return send(res, 403, auth.why, 'text/plain');
  const p = auth.stream.packager;

  if (m[4] === 'index.m3u8') {
    const msnParam = url.searchParams.get('_HLS_msn');
    if (msnParam !== null) {
      const msn = Number(msnParam);
      const partParam = url.searchParams.get('_HLS_part');
      const part = partParam === null ? undefined : Number(partParam);
      if (!Number.isInteger(msn) || msn < 0 || (part !== undefined && (!Number.isInteger(part) || part < 0))) {
        return send(res, 400, 'bad _HLS_msn/_HLS_part', 'text/plain');
      }
      // LL-HLS: a request too far into the future is refused rather than held.
      if (msn > p.nextMediaSequence + 1) return send(res, 400, 'msn too far ahead', 'text/plain');
      await p.waitForPlaylist(msn, part, PLAYLIST_WAIT_MS);
    } else if (!p.playlist()) {
      // Cold start: hold the first request until the camera delivers its first keyframe.
      await p.waitForPlaylist(0, 0, FIRST_PLAYLIST_WAIT_MS);
    }
    const text = p.playlist();
    if (!text) return send(res, 503, 'stream not available yet', 'text/plain');
    return send(res, 200, text, 'application/vnd.apple.mpegurl');
  }
  if (m[5] !== undefined) {
    const init = p.initBytes(Number(m[5]));
    return init ? send(res, 200, init, 'video/mp4', 'max-age=60') : send(res, 404, 'gone', 'text/plain');
  }
  if (m[6] !== undefined) {
    const part = await p.part(Number(m[6]), PART_WAIT_MS);
    return part ? send(res, 200, part.bytes, 'video/iso.segment', 'max-age=60') : send(res, 404, 'gone', 'text/plain');
  }
  const seg = p.segment(Number(m[7]));
  return seg ? send(res, 200, seg, 'video/iso.segment', 'max-age=60') : send(res, 404, 'gone', 'text/plain');
}

/**
 * Recorded footage (R3): only with a playback token whose reason is already audited, only for its
 * cameras, only the bytes of keyframe groups inside its time range (plus each file's init segment).
 */
async function handleVod(vod: VodSource, req: http.IncomingMessage, res: http.ServerResponse) {
  if (req.method !== 'GET') return send(res, 405, '', 'text/plain');
  const url = new URL(req.url ?? '/', 'http://media');
  const m = /^\/vod\/(\d{1,15})\/([A-Za-z0-9_-]{16,64})\/(index\.m3u8|rec\/(\d{1,15})\.mp4)$/.exec(url.pathname);
  if (!m) return send(res, 404, 'not found', 'text/plain');
  const cameraId = Number(m[1]);
  const auth = await vod.playback.authorize(m[2]!, cameraId);
  if (!auth.ok) return send(res, 403, auth.why, 'text/plain');
  if (m[3] === 'index.m3u8') return send(res, 200, await vod.playback.playlist(auth.grant, cameraId), 'application/vnd.apple.mpegurl');
  const file = await vod.playback.file(auth.grant, cameraId, Number(m[4]));
  if (!file) return send(res, 403, 'recording outside the playback session', 'text/plain');
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range) return send(res, 416, 'a byte range is required', 'text/plain');
  const from = Number(range[1]);
  // An open-ended range ("bytes=N-", as ffmpeg asks) ends where the allowed region ends.
  const to = range[2] ? Number(range[2]) + 1 : from < file.initBytes ? file.initBytes : file.to;
  const inInit = to <= file.initBytes;
  const inScope = from >= file.from && to <= file.to;
  if (to <= from || (!inInit && !inScope)) return send(res, 403, 'bytes outside the playback session', 'text/plain');
  const abs = path.join(vod.recordingsRoot, file.path);
  let size: number;
  try {
    size = fs.statSync(abs).size;
  } catch {
    return send(res, 404, 'recording file missing', 'text/plain');
  }
  if (to > size) return send(res, 416, 'range beyond the file', 'text/plain');
  vod.playback.markFirstByte(auth.grant);
  res.writeHead(206, {
    'Content-Type': 'video/mp4',
    'Content-Length': to - from,
    'Content-Range': `bytes ${from}-${to - 1}/${size}`,
    'Cache-Control': 'private, max-age=60',
    'Access-Control-Allow-Origin': '*',
    'X-Content-Type-Options': 'nosniff',
  });
  fs.createReadStream(abs, { start: from, end: to - 1 }).pipe(res);
}
