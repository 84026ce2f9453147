// One-time downloads of files the engine wrote for a person (audit reports; docs/design/audit-chain.md
// "Export"). A file is offered to the session that asked for it under a random single-use token
// that expires after a few minutes; the engine's media server serves `/download/<token>` as an
// attachment, once, only while that session is current and unlocked (R5), then deletes the file.
// Files never fetched are deleted when their token expires, when the engine stops and when it starts.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';
import type { Clock } from '../clock';
import type { Logger } from '../logger';

export const DOWNLOAD_TTL_MS = 5 * 60_000;
const SWEEP_MS = 60_000;
const ROUTE = /^\/download\/([A-Za-z0-9_-]{43})$/;

export interface DownloadOwner {
  connectionId: string;
  sessionId: string;
}

interface Offer {
  file: string;
  fileName: string;
  contentType: string;
  owner: DownloadOwner;
  expiresAtMs: number;
}

export interface DownloadsOptions {
  clock: Clock;
  logger: Logger;
  /** The folder offered files live in (created 0700; emptied of stale files at start-up). */
  dir: string;
  /** Whether the session that asked is still the connection's session, and unlocked. */
  isCurrent: (owner: DownloadOwner) => boolean;
  ttlMs?: number;
}

export class Downloads {
  /** The media server's origin; set once it listens. */
  origin = '';
  /** The origin a connection reaches the engine's media at, when not `origin` (site engine seats: docs/design/site-engine.md). */
  originOf: (connectionId: string) => string | undefined = () => undefined;
  private readonly offers = new Map<string, Offer>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: DownloadsOptions) {
    fs.mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(o.dir, 0o700);
    // Left by an engine that stopped abruptly: their tokens died with it.
    for (const name of fs.readdirSync(o.dir)) fs.rmSync(path.join(o.dir, name), { force: true, recursive: true });
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  /** Offers a file of the folder to one session; answers the URL to fetch it once. */
  offer(file: string, fileName: string, owner: DownloadOwner, contentType = 'text/csv; charset=utf-8'): { url: string; expiresAtMs: number } {
    if (path.dirname(path.resolve(file)) !== path.resolve(this.o.dir)) throw new Error('only files of the downloads folder can be offered');
    const token = randomBytes(32).toString('base64url');
    const expiresAtMs = this.o.clock.nowMs() + (this.o.ttlMs ?? DOWNLOAD_TTL_MS);
    this.offers.set(token, { file, fileName, contentType, owner, expiresAtMs });
    return { url: `${this.originOf(owner.connectionId) ?? this.origin}/download/${token}`, expiresAtMs };
  }

  /** The media server asks each request: true when it is one of ours (then it is answered here). */
  handles(req: http.IncomingMessage): boolean {
    return req.url?.startsWith('/download/') === true;
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const refuse = (status: number, text: string) => {
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' });
      res.end(text);
    };
    if (req.method !== 'GET') return refuse(405, 'method not allowed');
    const token = ROUTE.exec(new URL(req.url ?? '/', 'http://media').pathname)?.[1];
    const offer = token ? this.offers.get(token) : undefined;
    if (!token || !offer) return refuse(404, 'no such download (it is fetched once only)');
    // Single use: gone from the first request on, whatever happens next.
    this.offers.delete(token);
    if (this.o.clock.nowMs() > offer.expiresAtMs) {
      this.discard(offer);
      return refuse(410, 'the download expired; export again');
    }
    if (!this.o.isCurrent(offer.owner)) {
      this.discard(offer);
      return refuse(403, 'the session that asked for this download has ended or is locked');
    }
    let size: number;
    try {
      size = (await fs.promises.stat(offer.file)).size;
    } catch {
      return refuse(404, 'the file is gone');
    }
    if (res.destroyed) return this.discard(offer);
    res.writeHead(200, {
      'Content-Type': offer.contentType,
      'Content-Length': size,
      'Content-Disposition': `attachment; filename="${offer.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'Cache-Control': 'no-store',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'Content-Disposition',
      'X-Content-Type-Options': 'nosniff',
    });
    pipeline(fs.createReadStream(offer.file), res, (err) => {
      if (err) this.o.logger.warn('download interrupted', { fileName: offer.fileName, error: err.message });
      this.discard(offer);
    });
  }

  /** Deletes files whose token expired unused. */
  sweep(): void {
    const now = this.o.clock.nowMs();
    for (const [token, offer] of this.offers) {
      if (now > offer.expiresAtMs) {
        this.offers.delete(token);
        this.discard(offer);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const offer of this.offers.values()) this.discard(offer);
    this.offers.clear();
  }

  private discard(offer: Offer): void {
    fs.rm(offer.file, { force: true }, (err) => {
      if (err) this.o.logger.warn('download file not deleted', { file: offer.file, error: err.message });
    });
  }
}
