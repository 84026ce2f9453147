// Host mode (docs/design/overview.md §2, §8): the engine headless on 127.0.0.1, serving the built renderer and an
// authenticated WebSocket carrying the same commands as Electron IPC. Used by browser tests now and
// by extra seats in a room later.
//
// Authentication of the socket: the host makes a random seat key and prints it in the URL fragment
// (`#seat=KEY`, never sent in HTTP requests or logged); the renderer presents it when it opens the
// socket. Without it, or from a foreign Origin, the upgrade is refused. Users then sign in over it.
//
// No request may end the process (http-guard.ts): every handler runs under the server's guard, and
// the paths a client controls (the URL, the upgrade, each socket message) are checked before use.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type WireResponse } from '../../../shared/transport';
import type { Engine } from '../engine';
import type { Logger } from '../logger';
import { guardServer, HttpError } from './http-guard';

export interface HostOptions {
  engine: Engine;
  logger: Logger;
  rendererDir: string;
  port: number;
  seatKey?: string;
  /** Extra HTTP routes (tests only, e.g. the fake clock); return true when handled. */
  extraRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}

export interface Host {
  url: string;
  origin: string;
  seatKey: string;
  port: number;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export async function startHost(opts: HostOptions): Promise<Host> {
  const { engine, logger } = opts;
  const seatKey = opts.seatKey ?? randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(opts.rendererDir);
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`no built renderer at ${rendererDir} (run: npm run build:renderer)`);
  }

  const server = http.createServer();
  const guard = guardServer(server, 'host', logger);
  server.on(
    'request',
    guard.requests((req, res) => {
      if (opts.extraRoutes?.(req, res)) return;
      return serveStatic(rendererDir, req, res, origin, engine.mediaOrigin);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('host did not bind a TCP port');
  const origin = `http://127.0.0.1:${address.port}`;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // A handshake ws refuses (bad key, version, method) closes that socket only.
  wss.on('wsClientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  wss.on('error', (err) => guard.log('socket server error', { error: err.message }));
  let nextConnection = 1;
  server.on(
    'upgrade',
    guard.upgrades((req, socket, head) => {
      const url = new URL(req.url ?? '/', origin);
      const offered = Buffer.from(url.searchParams.get('seat') ?? '');
      const expected = Buffer.from(seatKey);
      const keyOk = offered.length === expected.length && timingSafeEqual(offered, expected);
      const originOk = req.headers.origin === origin;
      if (url.pathname !== WS_PATH || !keyOk || !originOk) {
        guard.log('refused a socket', { path: url.pathname.slice(0, 64), originOk, keyOk, remote: req.socket.remoteAddress });
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, `ws:${nextConnection++}`, req.socket.remoteAddress ?? '?'));
    }),
  );

  function attach(ws: WebSocket, connectionId: string, remote: string) {
    const connection = { id: connectionId, transport: 'ws' as const, peer: `${connectionId}@${remote}`, close: (reason: string) => ws.close(1008, reason.slice(0, 100)) };
    // Calls on one socket run in order, as IPC calls from one window do. Each link catches its own
    // failure: a rejected link would be an unhandled rejection, which ends the process.
    let chain: Promise<void> = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      chain = chain
        .then(async () => {
          let id: unknown = null;
          let response: WireResponse['result'];
          try {
            if (isBinary) throw new Error('binary frame');
            const msg: unknown = JSON.parse(rawText(data));
            if (msg === null || typeof msg !== 'object' || !('id' in msg) || !('name' in msg)) throw new Error('not a request');
            id = msg.id;
            response = await engine.dispatch(connection, msg.name, 'payload' in msg ? msg.payload : undefined);
          } catch {
            response = { ok: false, error: { kind: 'InvalidArgument', message: 'Malformed message: expected {id, name, payload} as JSON.' } };
          }
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: typeof id === 'number' && Number.isSafeInteger(id) ? id : null, result: response }));
        })
        .catch((err: unknown) => {
          guard.log('socket message failed', { connectionId, error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' });
          ws.terminate();
        });
    });
    ws.on('close', () => {
      chain = chain.then(() => engine.disconnect(connectionId)).catch((err: unknown) => logger.error('disconnect failed', { error: err }));
    });
    // Protocol errors (bad frames, oversized messages): ws closes the socket; logged, never thrown.
    ws.on('error', (err) => guard.log('socket error', { connectionId, error: err.message.slice(0, 200) }));
  }

  return {
    url: `${origin}/#seat=${seatKey}`,
    origin,
    seatKey,
    port: address.port,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      // Requests still open (a client that never sends the body it announced) must not hold the
      // shutdown until their timeout: they are cut with the server.
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A message's text, whatever ws delivered (one Buffer, fragments, an ArrayBuffer). */
function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/**
 * The file under root that a request path names, or an HttpError: bad percent escapes, NUL and
 * other control characters (fs throws on NUL synchronously), backslashes and anything leading
 * outside root are refused before the file system sees them.
 */
export function staticFile(root: string, url: string | undefined): string {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  } catch {
    throw new HttpError(400, 'malformed path');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(pathname) || pathname.length > 1024) throw new HttpError(400, 'malformed path');
  const file = path.resolve(root, '.' + (pathname === '/' ? '/index.html' : pathname));
  if (!file.startsWith(root + path.sep)) throw new HttpError(403, 'outside the renderer');
  return file;
}

async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse, origin: string, mediaOrigin: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', Connection: 'close' }).end();
    return;
  }
  let file: string;
  try {
    file = staticFile(root, req.url);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    res.writeHead(err.status, { 'Content-Type': 'text/plain' }).end(err.status === 403 ? 'forbidden' : 'bad request');
    return;
  }
  const st = await fs.promises.stat(file).catch(() => null);
  if (res.destroyed) return;
  if (!st?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': st.size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; ` +
      `media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self' ${origin.replace('http', 'ws')} ${mediaOrigin}; ` +
      `object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  });
  if (req.method === 'HEAD') res.end();
  // pipeline: an error of the file (gone, unreadable) or of the client (gone mid-file) destroys
  // both ends instead of being thrown by a stream nobody listens to.
  else pipeline(fs.createReadStream(file), res, () => {});
}
