// What both transports (Electron IPC, host WebSocket) carry: a command name, a payload, a Result.
import type { CommandName, RequestOf, ResponseOf } from './contract';
import type { Result } from './result';

export interface ConsoleApi {
  call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<Result<ResponseOf<N>>>;
}

/** The single IPC channel the preload uses. */
export const IPC_CHANNEL = 'console:call';
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
