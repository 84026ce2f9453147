// Local RTSP relay (docs/design/live-pipeline.md "Credential relay"): ffmpeg connects to
// rtsp://127.0.0.1:PORT/<token>/<camera path> and never learns the camera's user name or password,
// so no local user can read them from /proc/<pid>/cmdline or environ. The relay connects to the
// camera (TCP, or TLS for rtsps://), answers its challenges and signs every request
// (rtsp-relay-session.ts). A token opens one connection, once: it is in ffmpeg's argv too.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { Logger } from '../logger';
import { connectionHeldBy } from './rtsp-relay-peer';
import { RelaySession } from './rtsp-relay-session';
import { parseCameraUrl, type Registration, type RtspTarget } from './rtsp-relay-target';

export { parseCameraUrl, safeCameraUrl, targetFromUrl, type RtspTarget } from './rtsp-relay-target';

export interface RelayRegistration {
  /** rtsp://127.0.0.1:PORT/<token>/...: carries no credential. */
  readonly url: string;
  /** Only this process may connect (ffmpeg, bound right after it is spawned). */
  bindProcess(pid: number): void;
  /** Why the camera could not be connected, in words for a tile ("connection refused"), if it could not. */
  readonly cameraError: string | null;
  /** Ends the registration and any connection it opened (the ingest's ffmpeg has exited). */
  close(): void;
}

export interface RelayOptions {
  logger: Logger;
  /** TCP (and TLS) connect limit for the camera, below ffmpeg's own 5 s I/O timeout. */
  cameraConnectTimeoutMs?: number;
  /** A connection that names no registered token within this is closed. */
  firstRequestTimeoutMs?: number;
  maxConnections?: number;
}

export class RtspRelay {
  private registrations = new Map<string, Registration>();
  private sockets = new Set<net.Socket>();
  private closing = false;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly o: Required<Omit<RelayOptions, 'logger'>> & { logger: Logger },
  ) {}

  static async start(options: RelayOptions): Promise<RtspRelay> {
    const o = { cameraConnectTimeoutMs: 4000, firstRequestTimeoutMs: 10_000, maxConnections: 512, ...options };
    const server = net.createServer({ noDelay: true });
    server.maxConnections = o.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const relay = new RtspRelay(server, (server.address() as net.AddressInfo).port, o);
    server.on('connection', (socket) => relay.accept(socket));
    server.on('error', (err) => o.logger.error('rtsp relay: server error', { error: err.message }));
    // The relay serves ingests; it never keeps the process alive by itself.
    server.unref();
    return relay;
  }

  /** Registers one ingest connection; its URL is good for one connection until close(). */
  register(target: RtspTarget, label: string): RelayRegistration {
    if (this.closing) throw new Error('the RTSP relay is closed');
    const endpoint = parseCameraUrl(target.url);
    const token = randomBytes(24).toString('base64url');
    const relayBase = `rtsp://127.0.0.1:${this.port}/${token}`;
    const reg: Registration = { token, label, endpoint, username: target.username, password: target.password, relayBase, used: false, pid: null, cameraError: null, closed: false, sessions: new Set() };
    this.registrations.set(token, reg);
    return {
      url: relayBase + (endpoint.rest.startsWith('/') || endpoint.rest === '' ? endpoint.rest : `/${endpoint.rest}`),
      bindProcess: (pid) => {
        reg.pid = pid;
      },
      get cameraError() {
        return reg.cameraError;
      },
      close: () => {
        reg.closed = true;
        this.registrations.delete(token);
        for (const s of [...reg.sessions]) s.close('registration closed');
      },
    };
  }

  get stats(): { registrations: number; connections: number } {
    return { registrations: this.registrations.size, connections: this.sockets.size };
  }

  private accept(socket: net.Socket) {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    new RelaySession(socket, {
      logger: this.o.logger,
      cameraConnectTimeoutMs: this.o.cameraConnectTimeoutMs,
      firstRequestTimeoutMs: this.o.firstRequestTimeoutMs,
      claim: (token) => {
        const reg = this.registrations.get(token);
        if (!reg || reg.used || reg.closed) return null;
        // Someone else with the URL (read from ffmpeg's argv) is refused without using the token
        // up, so ffmpeg still gets in. Where /proc cannot tell (not Linux), the token alone counts.
        if (reg.pid !== null && socket.remotePort !== undefined && connectionHeldBy(reg.pid, socket.remotePort, this.port) === false) {
          this.o.logger.warn('rtsp relay: connection from another process refused', { stream: reg.label });
          return null;
        }
        reg.used = true;
        return reg;
      },
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const reg of this.registrations.values()) for (const s of [...reg.sessions]) s.close('relay closed');
    this.registrations.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

let shared: Promise<RtspRelay> | null = null;

/** One relay for the process, started on first use (until the engine passes its own). */
export function sharedRtspRelay(logger: Logger): Promise<RtspRelay> {
  shared ??= RtspRelay.start({ logger }).catch((err: unknown) => {
    shared = null;
    throw err;
  });
  return shared;
}
