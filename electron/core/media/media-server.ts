// Media server (docs/design/overview.md §3, docs/design/live-pipeline.md "Media server and tokens"): HTTP on 127.0.0.1, random port;
// the site engine mounts the same routes on its TLS port (createMediaRoutes). Every URL carries a
// token; the token, its session, the role and the camera's visibility are checked on every
// request (R5). The renderer never sees a camera URL or credential, only these.
//
// No request may end the engine (electron/core/host/http-guard.ts): every request runs under the
// server's guard, and what a client controls (path numbers, _HLS_msn/_HLS_part, Range) is parsed
// strictly; file bytes are piped with pipeline, so a file removed by retention mid-request or a
// player that goes away mid-response costs only that response.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline, type Duplex } from 'node:stream';
import { guardServer } from '../host/http-guard';
import type { PlaybackService } from '../playback/playback-service';
import type { Logger } from '../logger';
import type { Downloads } from './downloads';
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

/** The media routes as one request handler: mounted on the engine's own loopback server (the
 *  desktop app, startMediaServer) and on the site engine's TLS port beside the commands, so a seat
 *  reaches commands, live, recorded footage and downloads at one origin (docs/design/site-engine.md). */
export interface MediaRoutes {
  /** True for the paths served here: /live/, /vod/, /download/. */
  handles(req: http.IncomingMessage): boolean;
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  /** True for the live fragment path's WebSocket (`/live/{id}/{stream}/{token}/frames`, live/fragment-feed.ts). */
  handlesUpgrade(req: http.IncomingMessage): boolean;
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

const MEDIA_PREFIXES = ['/live/', '/vod/', '/download/'] as const;

/** `downloads`: one-time files for a session, e.g. audit reports (downloads.ts). */
export function createMediaRoutes(live: LiveService, vod?: VodSource, downloads?: Pick<Downloads, 'handles' | 'handle'>): MediaRoutes {
  return {
    handles: (req) => MEDIA_PREFIXES.some((p) => req.url?.startsWith(p) === true),
    handle: async (req, res) => {
      if (downloads?.handles(req)) return downloads.handle(req, res);
      if (req.method !== 'OPTIONS' && req.url?.startsWith('/vod/') && vod) return handleVod(vod, req, res);
      return handle(live, req, res);
    },
    handlesUpgrade: (req) => live.feeds.handles(req),
    upgrade: (req, socket, head) => live.feeds.upgrade(req, socket, head),
  };
}

/** The engine's own media server on 127.0.0.1 (a random port): every path goes to the media routes. */
export async function startMediaServer(routes: MediaRoutes, logger: Logger): Promise<MediaServer> {
  const server = http.createServer();
  const guard = guardServer(server, 'media server', logger);
  server.on(
    'request',
    guard.requests((req, res) => routes.handle(req, res)),
  );
  server.on(
    'upgrade',
    guard.upgrades(async (req, socket, head) => {
      if (routes.handlesUpgrade(req)) return routes.upgrade(req, socket, head);
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }),
  );
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
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
  // The player went away while the request waited (blocking playlist reload, preload hint).
  if (res.destroyed || res.headersSent) return;
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
  const m = /^\/live\/(\d{1,15})\/(main|sub)\/([A-Za-z0-9_-]{16,64})\/(index\.m3u8|init-(\d{1,15})\.mp4|part\/(\d{1,15})\.m4s|seg\/(\d{1,15})\.m4s)$/.exec(url.pathname);
  if (!m) return send(res, 404, 'not found', 'text/plain');
  const auth = await live.authorize(m[3]!, Number(m[1]), m[2]!);
  if (!auth.ok) return send(res, 403, auth.why, 'text/plain');
  const p = auth.stream.packager;

  if (m[4] === 'index.m3u8') {
    const msnParam = url.searchParams.get('_HLS_msn');
    const partParam = url.searchParams.get('_HLS_part');
    // LL-HLS (RFC 8216bis §6.2.5.2): _HLS_part without _HLS_msn is a bad request.
    if (msnParam === null && partParam !== null) return send(res, 400, '_HLS_part without _HLS_msn', 'text/plain');
    if (msnParam !== null) {
      const msn = decimal(msnParam);
      const part = partParam === null ? undefined : decimal(partParam);
      if (msn === null || part === null) return send(res, 400, 'bad _HLS_msn/_HLS_part', 'text/plain');
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
  // One range of whole-byte positions (no suffix or multiple ranges): players ask nothing else.
  const range = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(req.headers.range ?? '');
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
  if (res.destroyed) return;
  vod.playback.markFirstByte(auth.grant);
  res.writeHead(206, {
    'Content-Type': 'video/mp4',
    'Content-Length': to - from,
    'Content-Range': `bytes ${from}-${to - 1}/${size}`,
    'Cache-Control': 'private, max-age=60',
    'Access-Control-Allow-Origin': '*',
    'X-Content-Type-Options': 'nosniff',
  });
  // The file may be deleted (retention) or cut after the stat: pipeline destroys the response on a
  // read error, and a short read closes the connection, so the player sees a broken response,
  // never a short one taken as whole.
  const bytes = fs.createReadStream(abs, { start: from, end: to - 1 });
  pipeline(bytes, res, (err) => {
    if (!err && bytes.bytesRead < to - from) res.socket?.destroy();
  });
}

/** A non-negative decimal integer of at most 15 digits (a safe integer), else null. */
function decimal(text: string): number | null {
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}
