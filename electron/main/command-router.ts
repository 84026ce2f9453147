// Where a window's commands go (docs/design/overview.md §2 "Transports"; docs/design/site-engine.md
// "The desktop app as a seat"): to the engine inside the app (embedded), or over the pinned TLS
// socket of the Node seat client to the site engine (site). Either way the engine's dispatcher
// decides every call; main only carries it. One engine connection per window, as before: its
// session ends when the window reloads, crashes or closes. No Electron import: tested in plain Node
// against a real engine and a real site engine.
import type { Connection } from '../core/dispatcher';
import type { Engine } from '../core/engine';
import type { Logger } from '../core/logger';
import { connect, type Enrolment, type SeatClient, type SeatClientOptions, type SeatState } from '../core/seat-client';
import { errorSchema, fail, type Result } from '../../shared/result';
import type { LinkRefusal, LinkStatus } from '../../shared/transport';

/** What a window receives from its link; main sends it only while the window shows our page. */
export interface WindowSink {
  event(event: unknown): void;
  link(status: LinkStatus): void;
}

export interface WindowLink {
  call(name: unknown, payload: unknown): Promise<Result<unknown>>;
  /** The page went away (reload, crash): the engine must end the session it had. */
  endSession(): void;
  close(): void;
  status(): LinkStatus;
}

export interface Backend {
  readonly mode: 'embedded' | 'site';
  attach(windowId: number, sink: WindowSink): WindowLink;
  close(): Promise<void>;
}

/** The embedded engine's connection of one window (the audit trail names it `local:window:N`). */
export function connectionOf(windowId: number): Connection {
  return { id: `window:${windowId}`, transport: 'ipc', peer: `local:window:${windowId}` };
}

export function embeddedBackend(engine: Engine, logger: Logger): Backend {
  const disconnect = (id: string) => void engine.disconnect(id).catch((err: unknown) => logger.error('ending a window session failed', { error: err }));
  return {
    mode: 'embedded',
    attach(windowId, sink) {
      const connection = connectionOf(windowId);
      // Pushed events (docs/design/events.md): the engine filters by the session of the moment.
      const unsubscribe = engine.subscribe(connection.id, (event) => sink.event(event));
      return {
        call: (name, payload) => engine.dispatch(connection, name, payload),
        endSession: () => disconnect(connection.id),
        close() {
          unsubscribe();
          disconnect(connection.id);
        },
        status: () => ({ seq: 0, state: 'connected' }),
      };
    },
    close: () => engine.close(),
  };
}

/** Refusals after which the credential is dead: the engine will never take it again. */
export const CREDENTIAL_DEAD: ReadonlySet<LinkRefusal> = new Set(['revoked', 'not-enrolled']);

export interface SiteBackendOptions {
  enrolment: Enrolment;
  /** Sent as the seat's version (`X-Seat-Version`), at most 64 characters. */
  version: string;
  logger: Logger;
  /** The engine refused this seat for good; called once per refusal that kills the credential. */
  onCredentialDead(reason: LinkRefusal, message: string): void;
  /** The site's other nodes (origins) as last learnt: tried in turn when the engine stays unreachable. */
  alternates?: () => readonly string[];
  /** Tests shorten the reconnect delays. */
  client?: Pick<SeatClientOptions, 'backoffMs' | 'heartbeatMs'>;
}

export function siteBackend(o: SiteBackendOptions): Backend {
  const links = new Set<SeatLink>();
  return {
    mode: 'site',
    attach(_windowId, sink) {
      const link = new SeatLink(o, sink, () => links.delete(link));
      links.add(link);
      return link;
    },
    async close() {
      for (const link of [...links]) link.close();
    },
  };
}

/**
 * Seat mode whose enrolment cannot be used (not in the keychain, revoked, the keychain locked): each
 * window is told why, as a final refusal, and no command leaves the app.
 */
export function refusedBackend(reason: LinkRefusal, message: string): Backend {
  const status: LinkStatus = { seq: 1, state: 'refused', reason, message };
  return {
    mode: 'site',
    attach: () => ({ call: () => Promise.resolve(fail('Unavailable', message)), endSession() {}, close() {}, status: () => status }),
    close: () => Promise.resolve(),
  };
}

/** Checks the outer shape of a result that came over the network (the renderer checks the value). */
function wireResult(r: Result<unknown>): Result<unknown> {
  if (r.ok === true) return { ok: true, value: r.value };
  const error = errorSchema.safeParse(r.error);
  return error.success ? { ok: false, error: error.data } : fail('Internal', 'The site engine answered with something that is not a result.');
}

/** One window's seat socket. A reload opens a new socket, so the engine ends the old session. */
class SeatLink implements WindowLink {
  private client: SeatClient | null = null;
  /** A command went over this socket: a session may exist on it. */
  private carried = false;
  private everConnected = false;
  private seq = 0;
  private current: LinkStatus = { seq: 0, state: 'connecting' };
  private closed = false;

  constructor(
    private readonly o: SiteBackendOptions,
    private readonly sink: WindowSink,
    private readonly onClose: () => void,
  ) {
    this.open();
  }

  status(): LinkStatus {
    return this.current;
  }

  call(name: unknown, payload: unknown): Promise<Result<unknown>> {
    if (typeof name !== 'string') return Promise.resolve(fail('UnknownCommand', 'Unknown command.'));
    if (!this.client) return Promise.resolve(fail('Unavailable', 'This window is not connected to the site engine.'));
    this.carried = true;
    try {
      return this.client.call(name, payload).then(wireResult);
    } catch (err) {
      // A payload that is not JSON (the renderer is untrusted): refused here, nothing was sent.
      return Promise.resolve(fail('InvalidArgument', `The request could not be sent: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  endSession(): void {
    // Nothing was sent on this socket, so no session exists on it (the first page load).
    if (!this.carried || this.closed || this.current.state === 'refused') return;
    this.client?.close();
    this.open();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client?.close();
    this.client = null;
    this.onClose();
  }

  private open(): void {
    const e = this.o.enrolment;
    this.carried = false;
    this.everConnected = false;
    this.emit({ state: 'connecting' });
    let client: SeatClient;
    try {
      client = connect(e.address, e.seatId, e.credential, e.fingerprint, {
        version: this.o.version,
        alternates: this.o.alternates,
        ...this.o.client,
        onState: (s) => {
          if (this.client === client) this.onState(s);
        },
        onEvent: (event) => {
          if (this.client === client) this.sink.event(event);
        },
      });
    } catch (err) {
      this.emit({ state: 'refused', reason: 'not-enrolled', message: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.client = client;
  }

  private onState(s: SeatState): void {
    switch (s.kind) {
      case 'connecting':
        return this.emit({ state: 'connecting' });
      case 'connected':
        this.emit({ state: this.everConnected ? 'reconnected' : 'connected' });
        this.everConnected = true;
        return;
      case 'reconnecting':
        this.o.logger.warn('site engine link lost, reconnecting', { attempt: s.attempt, delayMs: s.delayMs, why: s.why.slice(0, 200) });
        return this.emit({ state: 'lost', attempt: s.attempt, retryInMs: s.delayMs });
      case 'refused': {
        const reason = toLinkRefusal(s.reason);
        this.o.logger.error('the site engine refused this seat', { reason: s.reason, message: s.message.slice(0, 300) });
        this.emit({ state: 'refused', reason, message: s.message });
        if (CREDENTIAL_DEAD.has(reason)) this.o.onCredentialDead(reason, s.message);
        return;
      }
      case 'closed':
        return;
    }
  }

  private emit(status: { state: 'connecting' | 'connected' | 'reconnected' } | { state: 'lost'; attempt: number; retryInMs: number } | { state: 'refused'; reason: LinkRefusal; message: string }): void {
    this.seq += 1;
    this.current = { seq: this.seq, ...status };
    this.sink.link(this.current);
  }
}

/** The seat client's final refusals in the link's words (an unexpected one counts as not enrolled). */
function toLinkRefusal(reason: string): LinkRefusal {
  return reason === 'revoked' || reason === 'wrong-certificate' || reason === 'wrong-name' ? reason : 'not-enrolled';
}

/**
 * The windows of the app and the one backend their commands go to. Before the first-start choice
 * there is no backend: commands are answered Unavailable and the page shows the choice.
 */
export class CommandRouter {
  private backend: Backend | null = null;
  private readonly windows = new Map<number, { sink: WindowSink; link: WindowLink | null }>();

  get mode(): 'embedded' | 'site' | null {
    return this.backend?.mode ?? null;
  }

  /** Once per run: leaving a mode restarts the app (electron/main/main.ts). */
  setBackend(backend: Backend): void {
    if (this.backend) throw new Error(`the ${this.backend.mode} engine is already in use`);
    this.backend = backend;
    for (const [id, w] of this.windows) w.link = backend.attach(id, w.sink);
  }

  openWindow(windowId: number, sink: WindowSink): void {
    this.windows.set(windowId, { sink, link: this.backend?.attach(windowId, sink) ?? null });
  }

  closeWindow(windowId: number): void {
    this.windows.get(windowId)?.link?.close();
    this.windows.delete(windowId);
  }

  /** The window's page went away (a reload, a crash): its engine session ends. */
  pageGone(windowId: number): void {
    this.windows.get(windowId)?.link?.endSession();
  }

  call(windowId: number, name: unknown, payload: unknown): Promise<Result<unknown>> {
    const w = this.windows.get(windowId);
    if (!w) return Promise.resolve(fail('PermissionDenied', 'Only the console window may send commands.'));
    if (!w.link) return Promise.resolve(fail('Unavailable', 'Choose how this PC connects to its engine first.'));
    return w.link.call(name, payload);
  }

  linkStatus(windowId: number): LinkStatus {
    return this.windows.get(windowId)?.link?.status() ?? { seq: 0, state: 'connecting' };
  }

  /** Quit: every window's session ends, then the engine closes (or the seat sockets do). */
  async close(): Promise<void> {
    for (const w of this.windows.values()) w.link?.close();
    this.windows.clear();
    const b = this.backend;
    this.backend = null;
    await b?.close();
  }
}
