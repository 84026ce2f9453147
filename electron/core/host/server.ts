// Host mode (DESIGN §2, §8): the engine headless on 127.0.0.1, serving the built renderer and an
// authenticated WebSocket carrying the same commands as Electron IPC. Used by browser tests now and
// by extra seats in a room later.
//
// Authentication of the socket: the host makes a random seat key and prints it in the URL fragment
// (`#seat=KEY`, never sent in HTTP requests or logged); the renderer presents it when it opens the
// socket. Without it, or from a foreign Origin, the upgrade is refused. Users then sign in over it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type WireResponse } from '../../../shared/transport';
import type { Engine } from '../engine';
import type { Logger } from '../logger';

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

  const server = http.createServer((req, res) => {
    if (opts.extraRoutes?.(req, res)) return;
    serveStatic(rendererDir, req, res, origin, engine.mediaOrigin);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('host did not bind a TCP port');
  const origin = `http://127.0.0.1:${address.port}`;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let nextConnection = 1;
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const offered = Buffer.from(url.searchParams.get('seat') ?? '');
    const expected = Buffer.from(seatKey);
    const keyOk = offered.length === expected.length && timingSafeEqual(offered, expected);
    const originOk = req.headers.origin === origin;
    if (url.pathname !== WS_PATH || !keyOk || !originOk) {
      logger.warn('host refused a socket', { path: url.pathname, originOk, keyOk, remote: req.socket.remoteAddress });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, `ws:${nextConnection++}`, req.socket.remoteAddress ?? '?'));
  });

  function attach(ws: WebSocket, connectionId: string, remote: string) {
    const connection = { id: connectionId, transport: 'ws' as const, peer: `${connectionId}@${remote}` };
    // Calls on one socket run in order, as IPC calls from one window do.
    let chain: Promise<void> = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      chain = chain.then(async () => {
        let id: unknown = null;
        let response: WireResponse['result'];
        try {
          if (isBinary) throw new Error('binary frame');
          const msg: unknown = JSON.parse(data.toString());
          if (msg === null || typeof msg !== 'object' || !('id' in msg) || !('name' in msg)) throw new Error('not a request');
          id = msg.id;
          response = await engine.dispatch(connection, msg.name, 'payload' in msg ? msg.payload : undefined);
        } catch {
          response = { ok: false, error: { kind: 'InvalidArgument', message: 'Malformed message: expected {id, name, payload} as JSON.' } };
        }
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: typeof id === 'number' ? id : null, result: response }));
      });
    });
    ws.on('close', () => {
      chain = chain.then(() => engine.disconnect(connectionId)).catch((err: unknown) => logger.error('disconnect failed', { error: err }));
    });
    ws.on('error', (err) => logger.warn('socket error', { connectionId, error: err }));
  }

  return {
    url: `${origin}/#seat=${seatKey}`,
    origin,
    seatKey,
    port: address.port,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
    },
  };
}

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse, origin: string, mediaOrigin: string) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = path.resolve(root, '.' + (pathname === '/' ? '/index.html' : pathname));
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
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
    else fs.createReadStream(file).pipe(res);
  });
}
