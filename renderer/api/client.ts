// The renderer's one way to the engine. Picks the transport at start-up (preload IPC in Electron,
// WebSocket in host mode or from a site engine), checks every response against the contract's
// schema (data from another process is never trusted with `as T`), passes on the events the engine
// pushes (docs/design/events.md), each parsed with the contract's schema, and tells the app when
// the core reports a locked or ended session.
import { COMMANDS, engineEvent, type CommandName, type EngineEvent, type RequestOf, type ResponseOf } from '../../shared/contract';
import type { CommandError, Result } from '../../shared/result';
import type { ConsoleApi } from '../../shared/transport';
import { ConnectionTracker } from './connection';
import { WsConsoleApi, readSeatKey } from './ws-transport';

declare global {
  interface Window {
    /** Exposed by electron/preload; absent in host mode (browser). */
    readonly consoleApi?: ConsoleApi;
  }
}

/** Session commands that answer Unauthenticated for a wrong password while the session goes on. */
const PASSWORD_CHECKING: ReadonlySet<CommandName> = new Set(['session.unlock', 'auth.changePassword']);

export type SessionSignal = 'locked' | 'ended';
/** electron: the desktop window over IPC; host: loopback host mode (seat key); site: a browser seat of a site engine. */
export type TransportMode = 'electron' | 'host' | 'site';

export class ApiClient {
  private readonly signalListeners = new Set<(signal: SessionSignal) => void>();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private ended = false;
  /** Counts the moments when lists may be stale: a reconnect (nothing is replayed) or events.dropped. */
  private resyncs = 0;
  private lastGeneration = 0;
  /** The transport delivers events: screens may drop their polls (a transport without it leaves them polling). */
  readonly hasEvents: boolean;

  constructor(
    private readonly transport: ConsoleApi & { retryNow?: () => void },
    readonly connection: ConnectionTracker,
    readonly mode: TransportMode,
    /** Host mode opened without `#seat=KEY` (and none kept from earlier): the engine will refuse the socket. */
    readonly seatKeyMissing = false,
    /** The transport parses events with the contract's schema itself (ws-transport.ts); the preload's are parsed here. */
    eventsParsed = false,
  ) {
    this.hasEvents = typeof transport.onEvent === 'function';
    transport.onEvent?.((raw: unknown) => {
      if (eventsParsed) return this.deliver(raw as EngineEvent);
      const parsed = engineEvent.safeParse(raw);
      if (parsed.success) this.deliver(parsed.data);
    });
    connection.subscribe(() => {
      const generation = connection.getGeneration();
      if (generation === this.lastGeneration) return;
      this.lastGeneration = generation;
      this.bumpResync();
    });
  }

  /** Every event the engine pushed to this connection, parsed; returns the unsubscribe. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called when what a screen shows may be stale (reconnect, events.dropped): reload the lists. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  getResyncs = (): number => this.resyncs;

  /** Ask the transport to try the engine now (after an enrolment, or "Try now"). */
  retryNow(): void {
    this.transport.retryNow?.();
  }

  private deliver(event: EngineEvent): void {
    if (event.type === 'session.locked') this.emit('locked');
    else if (event.type === 'session.ended') this.emit('ended');
    else if (event.type === 'events.dropped') this.bumpResync();
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (err) {
        // One screen's handler must not stop the others from hearing the event; the error still shows (and fails a journey).
        console.error('event handler failed', err);
      }
    }
  }

  private bumpResync(): void {
    this.resyncs += 1;
    for (const listener of this.resyncListeners) listener();
  }

  async call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<Result<ResponseOf<N>>> {
    let result: Result<unknown>;
    try {
      result = await this.transport.call(name, request);
    } catch (err) {
      return { ok: false, error: { kind: 'Unavailable', message: err instanceof Error ? err.message : String(err) } };
    }
    if (!result.ok) {
      this.signalFrom(name, result.error);
      return result;
    }
    if (name === 'auth.signOut') this.ended = true;
    if (name === 'auth.signIn') this.ended = false;
    const schema = COMMANDS[name].response;
    const parsed = schema.safeParse(result.value);
    if (!parsed.success) {
      return { ok: false, error: { kind: 'Internal', message: `response of ${name} does not match the contract` } };
    }
    // safeParse of COMMANDS[name].response yields exactly ResponseOf<N>; TypeScript cannot see through
    // the indexed access on a generic key.
    return { ok: true, value: parsed.data as ResponseOf<N> };
  }

  /** After a failed password check at the lock or change-password screen: is the session still there? */
  async confirmSession(): Promise<void> {
    const status = await this.call('session.status', {});
    if (status.ok && !status.value.signedIn) this.emit('ended');
  }

  /** True once this seat signed out (or the engine ended its session), until the next sign-in:
   *  screens closing then have nothing left to close in the engine. */
  get sessionEnded(): boolean {
    return this.ended;
  }

  onSessionSignal(listener: (signal: SessionSignal) => void): () => void {
    this.signalListeners.add(listener);
    return () => this.signalListeners.delete(listener);
  }

  private signalFrom(name: CommandName, error: CommandError): void {
    let signal: SessionSignal | null = null;
    if (error.kind === 'SessionLocked') signal = 'locked';
    // A session command answered Unauthenticated: the engine ended the session (sign-out elsewhere,
    // reconnect in host mode). Public commands (sign-in) answer Unauthenticated for a wrong password.
    else if (error.kind === 'Unauthenticated' && COMMANDS[name].access.kind !== 'public' && !PASSWORD_CHECKING.has(name)) {
      signal = 'ended';
    }
    if (signal) this.emit(signal);
  }

  private emit(signal: SessionSignal): void {
    if (signal === 'ended') {
      if (this.ended) return;
      this.ended = true;
    }
    for (const listener of this.signalListeners) listener(signal);
  }
}

export function createApiClient(): ApiClient {
  const connection = new ConnectionTracker();
  const preload = window.consoleApi;
  if (preload) {
    connection.set('connected');
    return new ApiClient(preload, connection, 'electron');
  }
  const seatKey = readSeatKey();
  // Served over HTTPS without a seat key: a site engine's page, which takes enrolled seats only.
  const site = seatKey === null && location.protocol === 'https:';
  return new ApiClient(new WsConsoleApi(seatKey, connection, site), connection, site ? 'site' : 'host', !site && seatKey === null, true);
}
