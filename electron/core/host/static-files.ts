// The built renderer, served by the host to browser seats (docs/design/overview.md §2 "Transports"):
// GET and HEAD only, inside the renderer folder only, never cached, with a strict CSP.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { HttpError } from './http-guard';

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

/** `connectSrc`: the origins the page may open sockets and fetches to, besides its own. */
export async function serveStatic(root: string | null, req: http.IncomingMessage, res: http.ServerResponse, connectSrc: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', Connection: 'close' }).end();
    return;
  }
  if (root === null) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no console page on this engine (headless); seats connect with their own app');
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
      `media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self' ${connectSrc}; ` +
      `object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  });
  if (req.method === 'HEAD') res.end();
  // pipeline: an error of the file (gone, unreadable) or of the client (gone mid-file) destroys
  // both ends instead of being thrown by a stream nobody listens to.
  else pipeline(fs.createReadStream(file), res, () => {});
}
