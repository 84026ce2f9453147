// What both transports (Electron IPC, host WebSocket) carry: a command name, a payload, a Result;
// and, from the engine, pushed events (docs/design/events.md).
import type { CommandName, EngineEvent, RequestOf, ResponseOf } from './contract';
import type { Result } from './result';

export interface ConsoleApi {
  call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<Result<ResponseOf<N>>>;
  /**
   * Events the engine pushes to this connection, filtered by its session's visibility; returns the
   * unsubscribe. Optional: a transport without it leaves the seat to poll. What arrives is data from
   * another process: parse it with the contract's `engineEvent` schema before use. Nothing is
   * replayed after a reconnect: a seat reloads its lists then.
   */
  onEvent?(listener: (event: EngineEvent) => void): () => void;
}

/** The single IPC channel the preload uses for commands. */
export const IPC_CHANNEL = 'console:call';
/** The IPC channel main pushes events on (main to renderer only). */
export const IPC_EVENT_CHANNEL = 'console:event';
/** WebSocket path of the host transport. */
export const WS_PATH = '/ws';

export interface WireRequest {
  id: number;
  name: string;
  payload: unknown;
}
export interface WireResponse {
  id: number;
  result: Result<unknown>;
}
/** A pushed event on the host socket (a frame without `id`). */
export interface WireEvent {
  event: EngineEvent;
}
