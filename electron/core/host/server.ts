// The host (docs/design/overview.md §2 "Transports", §8): the engine headless, serving the built
// renderer, the seats' WebSocket carrying the same commands as Electron IPC, and the media routes
// (/live/, /vod/, /download/) on the same port. Two ways:
// - loopback host mode (`npm run host`, browser tests): plain HTTP on 127.0.0.1; the socket needs
//   the seat key the host prints in the URL fragment (`#seat=KEY`, never sent in HTTP requests)
//   and the host's own Origin (docs/adr/0002-host-mode-seat-key.md);
// - the site engine (`npm run engine`, docs/design/site-engine.md): TLS with the site's own CA on
//   any address, enrolled seats only (seat-gate.ts), `/enrol` and `/healthz`. Off loopback the host
//   never serves plain HTTP or WebSocket: it refuses to start without TLS.
// Users then sign in over the socket as usual.
//
// No request may end the process (http-guard.ts): every handler runs under the server's guard, and
// the paths a client controls (the URL, the upgrade, each socket message) are checked before use.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { HEALTH_PATH, SEAT_CHECK_PATH, SITE_CA_PATH } from '../../../shared/contract/seats';
import { WS_PATH } from '../../../shared/transport';
import type { Connection } from '../dispatcher';
import type { Engine } from '../engine';
import type { Logger } from '../logger';
import { guardServer } from './http-guard';
import { isLoopback, originOf } from './listen';
import { answerSeatCheck, checkSeat, handleEnrol, isEnrol, refuseUpgrade, remoteAddress } from './seat-gate';
import { attachSocket } from './socket';
import { serveStatic } from './static-files';
import type { TlsIdentity } from './tls-identity';

export { staticFile } from './static-files';

export interface HostOptions {
  engine: Engine;
  logger: Logger;
  rendererDir: string;
  /** The site engine runs without a built renderer (seats bring their own); the loopback host needs it. */
  rendererOptional?: boolean;
  port: number;
  /** Where to listen (default 127.0.0.1). Off loopback, `tls` is required. */
  host?: string;
  /** The site engine's identity: TLS, and enrolled seats instead of the seat key. */
  tls?: TlsIdentity;
  seatKey?: string;
  /** Extra HTTP routes (tests only, e.g. the fake clock); return true when handled. */
  extraRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}

export interface Host {
  url: string;
  origin: string;
  /** The loopback host's seat key; empty for the site engine (its seats enrol). */
  seatKey: string;
  port: number;
  /** Presents a new server certificate to new connections (the site engine re-issues it before it ends). */
  setTls(identity: TlsIdentity): void;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

export async function startHost(opts: HostOptions): Promise<Host> {
  const { engine, logger, tls } = opts;
  const listenHost = opts.host ?? '127.0.0.1';
  if (!tls && !isLoopback(listenHost)) {
    throw new Error(`refusing to serve plain HTTP and WebSocket on ${listenHost}: off loopback the engine speaks TLS only (npm run engine, docs/design/site-engine.md)`);
  }
  const seatKey = tls ? '' : (opts.seatKey ?? randomBytes(24).toString('base64url'));
  const rendererDir = path.resolve(opts.rendererDir);
  const hasRenderer = fs.existsSync(path.join(rendererDir, 'index.html'));
  if (!hasRenderer && !opts.rendererOptional) throw new Error(`no built renderer at ${rendererDir} (run: npm run build:renderer)`);
  if (!hasRenderer) logger.warn('no built renderer: browser seats get no console page here', { rendererDir });

  const server = tls ? https.createServer({ cert: tls.certChainPem, key: tls.keyPem, minVersion: 'TLSv1.2' }) : http.createServer();
  const guard = guardServer(server, tls ? 'site engine' : 'host', logger);
  // A TLS handshake that fails (a plain HTTP request, a seat that refuses our certificate) ends that
  // socket without an answer: the engine never speaks plain HTTP off loopback.
  server.on('tlsClientError', (err: Error, socket) => {
    socket.destroy();
    guard.log('TLS handshake failed', { error: err.message.slice(0, 120) });
  });
  server.keepAliveTimeout = 30_000;
  let origin = '';
  let ownOrigins = new Set<string>();
  server.on(
    'request',
    guard.requests((req, res) => {
      if (opts.extraRoutes?.(req, res)) return;
      const pathname = (req.url ?? '').split('?')[0];
      if (pathname === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2, 'Cache-Control': 'no-store' }).end(req.method === 'GET' ? 'up' : undefined);
        return;
      }
      if (tls && isEnrol(req)) return handleEnrol(engine, req, res, ownOrigins);
      if (tls && pathname === SITE_CA_PATH && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'application/x-x509-ca-cert', 'Content-Disposition': 'attachment; filename="operator-console-site-ca.crt"', 'Cache-Control': 'no-store' }).end(tls.caPem);
        return;
      }
      if (tls && pathname === SEAT_CHECK_PATH && req.method === 'GET') return answerSeatCheck(engine, req, res, ownOrigins, tls.fingerprint);
      if (engine.media.handles(req)) return engine.media.handle(req, res);
      // Live media may also come from the site's other nodes (docs/design/scale.md "Seats on any node").
      const others = engine.otherNodeOrigins().flatMap((o) => [o, o.replace(/^http/, 'ws')]);
      return serveStatic(hasRenderer ? rendererDir : null, req, res, [...[...ownOrigins].map((o) => o.replace(/^http/, 'ws')), ...others].join(' '));
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('host did not bind a TCP port');
  const port = address.port;
  const setOrigins = (identity: TlsIdentity | undefined) => {
    const hosts = identity ? identity.names.map((n) => n.value) : [listenHost];
    ownOrigins = new Set(hosts.map((h) => originOf(identity ? 'https' : 'http', h, port).toLowerCase()));
    origin = [...ownOrigins][0]!;
  };
  setOrigins(tls);

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // A handshake ws refuses (bad key, version, method) closes that socket only.
  wss.on('wsClientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  wss.on('error', (err) => guard.log('socket server error', { error: err.message }));
  let nextConnection = 1;
  /** Fragment sockets: a view granted by another node's seat is tied to no connection here, so
   *  closing the seats' sockets does not end it; the host ends them itself when it closes. */
  const mediaSockets = new Set<Duplex>();
  server.on(
    'upgrade',
    guard.upgrades(async (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://host');
      const remote = remoteAddress(req);
      // The live fragment path: its token is checked as every live media request's is (no seat key or cookie, as LL-HLS).
      if (engine.media.handlesUpgrade(req)) {
        mediaSockets.add(socket);
        socket.once('close', () => mediaSockets.delete(socket));
        return engine.media.upgrade(req, socket, head);
      }
      if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, { message: 'not found' });
      if (!tls) {
        const offered = Buffer.from(url.searchParams.get('seat') ?? '');
        const expected = Buffer.from(seatKey);
        const keyOk = offered.length === expected.length && timingSafeEqual(offered, expected);
        const originOk = req.headers.origin === origin;
        if (!keyOk || !originOk) {
          guard.log('refused a socket', { path: url.pathname.slice(0, 64), originOk, keyOk, remote });
          return refuseUpgrade(socket, 403, { message: 'Open the console with the address the host printed (it carries the seat key).' });
        }
        return wss.handleUpgrade(req, socket, head, (ws) => {
          const id = `ws:${nextConnection++}`;
          attachSocket({ ws, engine, guard, logger, connection: { id, transport: 'ws', peer: `${id}@${remote}`, mediaOrigin: origin, close: (reason) => ws.close(1008, reason.slice(0, 100)) } });
        });
      }
      // The site engine: the Host a seat used must be one of the certificate's names, and media
      // URLs handed to this connection use that same origin.
      const reached = originOf('https', (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'), port).toLowerCase();
      if (!ownOrigins.has(reached)) {
        return refuseUpgrade(socket, 421, { message: `This engine is reached as ${[...ownOrigins].join(', ')}; enrol and connect with one of those.`, reason: 'wrong-name' });
      }
      const check = await checkSeat(engine, req, ownOrigins);
      if (!check.ok) {
        guard.log('refused a seat', { reason: check.reason, remote });
        return refuseUpgrade(socket, check.status, { message: check.message, reason: check.reason });
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const id = `ws:${nextConnection++}`;
        const connection: Connection = { id, transport: 'ws', peer: `seat:${check.seat.name}@${remote}`, seatId: check.seat.id, mediaOrigin: reached, close: (reason) => ws.close(1008, reason.slice(0, 100)) };
        const detach = engine.seats.attach(check.seat, { close: (code, reason) => ws.close(code, reason) }, { address: remote, ...(check.version ? { version: check.version } : {}) });
        attachSocket({ ws, engine, guard, logger, connection, onClose: detach });
      });
    }),
  );

  return {
    url: tls ? `${origin}/` : `${origin}/#seat=${seatKey}`,
    origin,
    seatKey,
    port,
    setTls(identity) {
      if (!(server instanceof https.Server)) throw new Error('the loopback host has no TLS');
      server.setSecureContext({ cert: identity.certChainPem, key: identity.keyPem, minVersion: 'TLSv1.2' });
      setOrigins(identity);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      for (const s of mediaSockets) s.destroy();
      // Requests still open (a client that never sends the body it announced) must not hold the
      // shutdown until their timeout: they are cut with the server.
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
