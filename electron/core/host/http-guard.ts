// One guard per HTTP server of the engine (host mode's page and socket server, the media server):
// no request, however malformed, may end the engine process, which carries every seat, tile and
// recorder at once (docs/design/overview.md §2; docs/design/live-pipeline.md). A handler that throws or rejects
// answers 400 (the request's fault) or 500 (ours) if nothing was sent yet, else loses only its own
// socket; the failure is logged once, without the URL's tokens or seat key.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;
export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;

/** A thrown error that says which status to answer with (e.g. 400 for a path with a NUL byte). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Errors caused by what the client sent, whatever code threw them: answered 400, not 500. */
const CLIENT_ERROR_CODES = new Set(['ERR_INVALID_URL', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_CHAR', 'ERR_HTTP_INVALID_HEADER_VALUE']);

export function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (err instanceof URIError) return 400;
  const code: unknown = err !== null && typeof err === 'object' ? Reflect.get(err, 'code') : undefined;
  return typeof code === 'string' && CLIENT_ERROR_CODES.has(code) ? 400 : 500;
}

/**
 * What of a request may be logged: the method and the path with every token-like segment (live
 * and playback tokens, 16+ URL-safe characters) replaced; never the query (the seat key rides in
 * it) nor headers. Cut short, with control characters escaped, so a request cannot forge log lines.
 */
export function loggablePath(url: string | undefined): string {
  const pathOnly = (url ?? '').split('?')[0] ?? '';
  const masked = pathOnly.replace(/[A-Za-z0-9_-]{16,}/g, '***');
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(masked.slice(0, 120)).slice(1, -1).replace(/[\u0000-\u001f\u007f]/g, '?');
}

const errorSummary = (err: unknown) => {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 200) };
  const code: unknown = Reflect.get(err, 'code');
  return { name: err.name, ...(typeof code === 'string' ? { code } : {}), message: err.message.replace(/[A-Za-z0-9_-]{16,}/g, '***').slice(0, 200) };
};

/**
 * Logs failures of one server: each once, and at most `perMinute` a minute, so a flood of bad
 * requests cannot flood the log either; the next line after a quiet spell says how many were left out.
 */
function failureLog(name: string, logger: Logger, perMinute = 20) {
  let windowStartMs = 0;
  let inWindow = 0;
  let suppressed = 0;
  return (what: string, fields: Record<string, unknown>) => {
    const now = Date.now();
    if (now - windowStartMs >= 60_000) {
      windowStartMs = now;
      inWindow = 0;
    }
    if (++inWindow > perMinute) {
      suppressed++;
      return;
    }
    logger.warn(`${name}: ${what}`, suppressed > 0 ? { ...fields, suppressedBefore: suppressed } : fields);
    suppressed = 0;
  };
}

/** Ends a socket with a bare status line when it can still be written to, and destroys it soon in any case. */
function closeSocket(socket: Duplex, statusLine: string | null) {
  if (statusLine !== null && socket.writable && !socket.destroyed) {
    socket.end(`HTTP/1.1 ${statusLine}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    setTimeout(() => socket.destroy(), 1000).unref();
  } else socket.destroy();
}

export interface Guard {
  /** Rate-limited warning log of this server (for refusals that are not failures). */
  log(what: string, fields: Record<string, unknown>): void;
  requests(handler: RequestHandler): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  upgrades(handler: UpgradeHandler): (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * Installs the server-wide protections on `server` and returns wrappers for its handlers:
 * - malformed HTTP (bad request line, huge headers, bad chunking) closes only that socket, with
 *   400, 431 or 408 when it can still be said;
 * - a server error after listening (e.g. EMFILE when accepting) is logged, not thrown;
 * - slow or lying clients (a Content-Length never sent) are cut off after `requestTimeoutMs`.
 */
export function guardServer(server: http.Server, name: string, logger: Logger, opts: { requestTimeoutMs?: number } = {}): Guard {
  const log = failureLog(name, logger);
  server.requestTimeout = opts.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(server.headersTimeout, 10_000);
  server.maxHeadersCount = 200;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', () => {});
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    closeSocket(socket, err.code === 'ECONNRESET' ? null : status);
  });
  server.on('error', (err) => log('server error', { error: errorSummary(err) }));

  const fail = (kind: string, req: http.IncomingMessage, err: unknown) => {
    const status = statusOf(err);
    if (status >= 500) log(`${kind} failed`, { method: String(req.method).slice(0, 16), path: loggablePath(req.url), error: errorSummary(err) });
    return status;
  };

  return {
    log,
    requests: (handler) => (req, res) => {
      // An 'error' event without a listener is thrown by its emitter: both ends get one.
      req.on('error', () => {});
      res.on('error', () => {});
      const failed = (err: unknown) => {
        const status = fail('request', req, err);
        if (res.headersSent || res.destroyed) res.destroy();
        else {
          try {
            res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(status === 400 ? 'bad request' : 'internal error');
          } catch {
            res.destroy();
          }
        }
      };
      try {
        const p = handler(req, res);
        if (p) p.catch(failed);
      } catch (err) {
        failed(err);
      }
    },
    upgrades: (handler) => (req, socket, head) => {
      // The socket of an upgrade has no listeners left: an ECONNRESET would otherwise be thrown.
      socket.on('error', () => {});
      const failed = (err: unknown) => {
        const status = fail('upgrade', req, err);
        closeSocket(socket, status === 400 ? '400 Bad Request' : '500 Internal Server Error');
      };
      try {
        const p = handler(req, socket, head);
        if (p) p.catch(failed);
      } catch (err) {
        failed(err);
      }
    },
  };
}
