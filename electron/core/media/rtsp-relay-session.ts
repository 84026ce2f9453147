// One ffmpeg connection through the RTSP relay (docs/design/live-pipeline.md "Credential relay").
// Requests from ffmpeg go to the camera with their URI rewritten to the camera's, their CSeq
// renumbered (a request re-sent after a challenge keeps ffmpeg's numbering intact) and the relay's
// Authorization added; responses go back with the relay's URLs and ffmpeg's CSeq. ffmpeg sees a 401
// only when the camera refuses the credentials, and then without a challenge it could retry.
// Interleaved `$` frames pass through untouched both ways. Invariant: nothing that reaches ffmpeg,
// a log or an error names the credentials.
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../logger';
import { RtspAuthenticator } from './rtsp-auth';
import {
  headerValue,
  headerValues,
  isResponse,
  removeHeaders,
  requestParts,
  RtspProtocolError,
  RtspStreamParser,
  serialize,
  setHeader,
  statusOf,
  type RtspMessage,
} from './rtsp-message';
import { safeCameraUrl, type Registration } from './rtsp-relay-target';

export interface SessionContext {
  logger: Logger;
  cameraConnectTimeoutMs: number;
  firstRequestTimeoutMs: number;
  /** The registration of a token, once: null when unknown, used or closed. */
  claim(token: string): Registration | null;
}

interface PendingRequest {
  method: string;
  uri: string;
  version: string;
  headers: [string, string][];
  body: Buffer;
  clientCseq: string | undefined;
  signed: boolean;
  retries: number;
}

const TOKEN_URI = /^rtsps?:\/\/[^/?#]*\/([A-Za-z0-9_-]+)(.*)$/i;
const ABSOLUTE_RTSP = /^rtsps?:\/\/[^/?#]*(.*)$/i;
const MAX_QUEUED = 32;
const MAX_PENDING = 64;

/** Why a camera connection failed, in words that ffmpeg prints and ingest.ts classifies as unreachable. */
function connectFailure(err: NodeJS.ErrnoException | null): [number, string] {
  switch (err?.code) {
    case 'ECONNREFUSED':
      return [503, 'Connection refused'];
    case 'EHOSTUNREACH':
      return [503, 'No route to host'];
    case 'ENETUNREACH':
      return [503, 'Network is unreachable'];
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return [503, 'Name or service not known'];
    case 'ECONNRESET':
      return [503, 'Connection reset by peer'];
    case undefined:
      return [504, 'Connection timed out'];
    default:
      return /^ERR_(TLS|SSL)|^EPROTO/.test(err?.code ?? '') ? [503, 'TLS handshake failed'] : [503, 'Connection failed'];
  }
}

/** How long a camera connection may wait for the answer to a TEARDOWN ffmpeg did not wait for. */
const LINGER_MS = 10_000;

export class RelaySession {
  private reg: Registration | null = null;
  private camera: net.Socket | null = null;
  private connected = false;
  private closed = false;
  /** ffmpeg hung up right after its TEARDOWN: the camera connection waits for the answer. */
  private lingering = false;
  private auth: RtspAuthenticator | null = null;
  /** A request that carried our Authorization got an answer other than 401. */
  private authAccepted = false;
  private queued: RtspMessage[] = [];
  private pending = new Map<string, PendingRequest>();
  private cseq = 0;
  private firstRequestTimer: NodeJS.Timeout;

  constructor(
    private readonly client: net.Socket,
    private readonly ctx: SessionContext,
  ) {
    const parser = new RtspStreamParser(
      (m) => this.fromClient(m),
      (bytes) => this.connected && this.write(this.camera!, bytes, client),
    );
    client.on('data', (chunk: Buffer) => this.feed(parser, chunk, 'ffmpeg'));
    client.on('error', () => this.close('ffmpeg connection error'));
    client.on('close', () => this.close('ffmpeg closed'));
    client.on('drain', () => this.camera?.resume());
    this.firstRequestTimer = setTimeout(() => this.close('no request in time'), ctx.firstRequestTimeoutMs);
    this.firstRequestTimer.unref();
  }

  close(why: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.firstRequestTimer);
    this.reg?.sessions.delete(this);
    if (this.reg && why !== 'ffmpeg closed') this.ctx.logger.info('rtsp relay: connection closed', { stream: this.reg.label, why });
    // Flush what is written (a last response), then make sure both sockets go.
    this.client.end();
    setTimeout(() => this.client.destroy(), 1000).unref();
    if ((why === 'ffmpeg closed' || why === 'ffmpeg connection error') && this.connected && [...this.pending.values()].some((r) => r.method === 'TEARDOWN')) {
      // ffmpeg sends TEARDOWN and hangs up without waiting: see it through (a stale nonce renewed),
      // so the camera frees the session now rather than at its session timeout. Its hang-up is a
      // reset rather than a close when media was still arriving for it: the same end.
      // The camera connection ends with the TEARDOWN's final answer (afterTeardown); the timer only
      // bounds a camera that never answers. It was 2 s: a busy engine's event loop, or a camera slow
      // to answer a stale nonce, could let it fire before the renewed TEARDOWN went out (seen once
      // in a loaded test run: the camera kept the session until its own timeout).
      this.lingering = true;
      // The camera connection may be paused: media for an ffmpeg that had stopped reading filled the
      // relay's buffer to it (write: `from.pause()`), and with ffmpeg gone no 'drain' resumes it. Read
      // on, or the TEARDOWN's answer (a stale nonce to renew) is never seen; the media is dropped.
      this.camera?.resume();
      setTimeout(() => this.camera?.destroy(), LINGER_MS).unref();
    } else this.camera?.destroy();
  }

  private feed(parser: RtspStreamParser, chunk: Buffer, from: 'ffmpeg' | 'camera') {
    if (this.closed && !(this.lingering && from === 'camera')) return;
    try {
      parser.push(chunk);
    } catch (err) {
      const why = err instanceof RtspProtocolError ? err.message : String(err);
      if (this.reg) this.ctx.logger.warn('rtsp relay: protocol error', { stream: this.reg.label, from, why });
      this.close(`${from} protocol error`);
    }
  }

  /** Writes with backpressure: a slow reader pauses the other side instead of growing a buffer. */
  private write(to: net.Socket, bytes: Buffer, from: net.Socket) {
    if (to.destroyed || !to.writable) return;
    if (!to.write(bytes)) from.pause();
  }

  private reply(request: RtspMessage, status: number, reason: string) {
    const cseq = headerValue(request.headers, 'cseq');
    const headers: [string, string][] = cseq === undefined ? [] : [['CSeq', cseq]];
    if (this.client.writable) this.client.write(serialize({ startLine: `RTSP/1.0 ${status} ${reason}`, headers, body: Buffer.alloc(0) }));
  }

  private fromClient(m: RtspMessage) {
    if (isResponse(m)) {
      // ffmpeg's answer to a request from the camera: passes unchanged.
      if (this.connected) this.write(this.camera!, serialize(m), this.client);
      return;
    }
    const [, uri] = requestParts(m);
    const token = TOKEN_URI.exec(uri)?.[1];
    if (!this.reg) {
      const reg = token ? this.ctx.claim(token) : null;
      if (!reg) {
        this.reply(m, 404, 'Not Found');
        this.close('unknown token');
        return;
      }
      clearTimeout(this.firstRequestTimer);
      this.reg = reg;
      reg.sessions.add(this);
      if (reg.username !== null) this.auth = new RtspAuthenticator(reg.username, reg.password ?? '');
      this.connectCamera(reg);
    } else if (uri !== '*' && token !== this.reg.token) {
      // One connection speaks for one registration only.
      this.reply(m, 404, 'Not Found');
      this.close('request for another token');
      return;
    }
    if (!this.connected) {
      if (this.queued.length >= MAX_QUEUED) return this.close('too many requests before the camera answered');
      this.queued.push(m);
      return;
    }
    this.forward(m);
  }

  private connectCamera(reg: Registration) {
    const ep = reg.endpoint;
    // TLS as ffmpeg did it before the relay (its tls_verify defaults to off): cameras ship
    // self-signed certificates. The relay only moves where the handshake happens.
    const socket = ep.tls
      ? tls.connect({ host: ep.host, port: ep.port, servername: net.isIP(ep.host) ? undefined : ep.host, rejectUnauthorized: false })
      : net.connect({ host: ep.host, port: ep.port });
    this.camera = socket;
    const fail = (err: NodeJS.ErrnoException | null) => {
      clearTimeout(timer);
      if (this.connected || this.closed) return;
      const [status, reason] = connectFailure(err);
      reg.cameraError = reason.replace(/^[A-Z][a-z]/, (c) => c.toLowerCase()); // "connection refused", "TLS handshake failed"
      this.ctx.logger.warn('rtsp relay: camera connection failed', { stream: reg.label, camera: safeCameraUrl(ep), reason });
      const first = this.queued[0];
      if (first) this.reply(first, status, reason);
      this.close('camera connection failed');
    };
    const timer = setTimeout(() => fail(null), this.ctx.cameraConnectTimeoutMs);
    timer.unref();
    socket.once(ep.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      if (this.closed) return;
      this.connected = true;
      socket.setNoDelay(true);
      this.ctx.logger.info('rtsp relay: connected to camera', { stream: reg.label, camera: safeCameraUrl(ep), tls: ep.tls });
      for (const m of this.queued.splice(0)) this.forward(m);
    });
    const parser = new RtspStreamParser(
      (m) => this.fromCamera(m),
      (bytes) => this.write(this.client, bytes, socket),
    );
    socket.on('data', (chunk: Buffer) => this.feed(parser, chunk, 'camera'));
    socket.on('drain', () => this.client.resume());
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.connected) fail(err);
      else this.close(`camera connection error: ${err.code ?? 'error'}`);
    });
    socket.on('close', () => (this.connected ? this.close('camera closed') : fail(null)));
  }

  private toCameraUri(uri: string): string {
    const m = TOKEN_URI.exec(uri);
    return m && this.reg && m[1] === this.reg.token ? this.reg.endpoint.origin + m[2] : uri;
  }

  private toRelayUrl(url: string): string {
    const m = ABSOLUTE_RTSP.exec(url);
    return m && this.reg ? this.reg.relayBase + m[1] : url;
  }

  private forward(m: RtspMessage) {
    const [method, uri, version] = requestParts(m);
    const req: PendingRequest = {
      method,
      uri: uri === '*' ? uri : this.toCameraUri(uri),
      version,
      headers: removeHeaders(m.headers, 'authorization', 'proxy-authorization'),
      body: m.body,
      clientCseq: headerValue(m.headers, 'cseq'),
      signed: false,
      retries: 0,
    };
    this.send(req);
  }

  private send(req: PendingRequest) {
    const cseq = String((this.cseq += 1));
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(cseq, req);
    let headers = setHeader(req.headers, 'CSeq', cseq);
    const authorization = this.auth?.authorization(req.method, req.uri) ?? null;
    req.signed = authorization !== null;
    if (authorization !== null) headers = setHeader(headers, 'Authorization', authorization);
    this.write(this.camera!, serialize({ startLine: `${req.method} ${req.uri} ${req.version}`, headers, body: req.body }), this.client);
  }

  private fromCamera(m: RtspMessage) {
    if (this.lingering) return this.afterTeardown(m);
    if (!isResponse(m)) {
      // A request from the camera (ANNOUNCE, GET_PARAMETER, ...): its URI in the relay's terms.
      const [method, uri, version] = requestParts(m);
      this.write(this.client, serialize({ ...m, startLine: `${method} ${this.toRelayUrl(uri)} ${version}` }), this.camera!);
      return;
    }
    const cseq = headerValue(m.headers, 'cseq');
    const req = cseq === undefined ? undefined : this.pending.get(cseq);
    if (cseq !== undefined) this.pending.delete(cseq);
    const status = statusOf(m);
    if (req && status === 401 && this.auth && this.retryAuthenticated(req, headerValues(m.headers, 'www-authenticate'))) return;
    if (req?.signed && status !== 401) this.authAccepted = true;
    if (status === 401 && this.reg) this.ctx.logger.warn('rtsp relay: the camera refused the credentials', { stream: this.reg.label, scheme: this.auth?.scheme ?? 'none' });
    this.write(this.client, serialize(this.rewriteResponse(m, req)), this.camera!);
  }

  private afterTeardown(m: RtspMessage) {
    const cseq = headerValue(m.headers, 'cseq');
    const req = cseq === undefined || !isResponse(m) ? undefined : this.pending.get(cseq);
    if (!req) return;
    this.pending.delete(cseq!);
    if (statusOf(m) === 401 && this.auth && this.retryAuthenticated(req, headerValues(m.headers, 'www-authenticate'))) return;
    if (req.method === 'TEARDOWN') this.camera?.destroy();
  }

  /**
   * Re-sends a request the camera challenged. A first challenge, a stale nonce, or a fresh nonce
   * after the credentials had already worked on this connection (a camera that expires nonces
   * without saying stale) are answered; a challenge to a request already signed with a current
   * nonce means the credentials are wrong: ffmpeg gets that 401 (one failed attempt per connect,
   * so the camera's lockout counter is not burnt by retries).
   */
  private retryAuthenticated(req: PendingRequest, challenges: string[]): boolean {
    if (req.retries >= 2) return false;
    const { ok, stale } = this.auth!.takeChallenge(challenges);
    if (!ok) return false;
    if (req.signed && !stale && !(this.authAccepted && req.retries === 0)) return false;
    req.retries += 1;
    this.send(req);
    return true;
  }

  private rewriteResponse(m: RtspMessage, req: PendingRequest | undefined): RtspMessage {
    let headers = m.headers.map(([k, v]): [string, string] => {
      const key = k.toLowerCase();
      if (key === 'content-base' || key === 'content-location' || key === 'location') return [k, this.toRelayUrl(v)];
      if (key === 'rtp-info') return [k, v.replace(/(url=)([^;,\s]+)/gi, (_all, p: string, u: string) => p + this.toRelayUrl(u))];
      return [k, v];
    });
    // Without a challenge ffmpeg cannot retry with credentials it does not have: the 401 it gets is final.
    headers = removeHeaders(headers, 'www-authenticate');
    if (req?.clientCseq !== undefined) headers = setHeader(headers, 'CSeq', req.clientCseq);
    let body = m.body;
    if (body.length > 0 && /sdp/i.test(headerValue(m.headers, 'content-type') ?? '')) {
      const sdp = body.toString('latin1').replace(/^(a=control:[ \t]*)(rtsps?:\/\/[^\s]+)/gim, (_all, p: string, u: string) => p + this.toRelayUrl(u));
      body = Buffer.from(sdp, 'latin1');
    }
    return { ...m, headers, body };
  }
}
