// The renderer's one way to the engine. Picks the transport at start-up (preload IPC in Electron,
// WebSocket in host mode), checks every response against the contract's schema (data from another
// process is never trusted with `as T`), and tells the app when the core reports a locked or ended session.
import { COMMANDS, type CommandName, type RequestOf, type ResponseOf } from '../../shared/contract';
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

export class ApiClient {
  private readonly signalListeners = new Set<(signal: SessionSignal) => void>();
  private ended = false;

  constructor(
    private readonly transport: ConsoleApi,
    readonly connection: ConnectionTracker,
    readonly mode: 'electron' | 'host',
    /** Host mode opened without `#seat=KEY` (and none kept from earlier): the engine will refuse the socket. */
    readonly seatKeyMissing = false,
  ) {}

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
    if (signal === 'ended') this.ended = true;
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
  return new ApiClient(new WsConsoleApi(seatKey, connection), connection, 'host', seatKey === null);
}
