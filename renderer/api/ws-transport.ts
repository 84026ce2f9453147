// Host-mode transport (DESIGN §2 "Transports"): the same ConsoleApi as the preload, carried over the
// engine's authenticated WebSocket. The seat key comes from `#seat=KEY` once and then lives in
// sessionStorage so a reload keeps working. The engine ends the session when the socket closes, so
// after a reconnect the console is back at sign-in.
import type { CommandName, RequestOf, ResponseOf } from '../../shared/contract';
import { errorSchema, type Result } from '../../shared/result';
import { WS_PATH, type ConsoleApi } from '../../shared/transport';
import type { ConnectionState, ConnectionTracker } from './connection';

const SEAT_STORAGE_KEY = 'operator-console.seat';
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000] as const;
const MAX_RECONNECT_DELAY_MS = 5000;

export function readSeatKey(): string | null {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromHash = hash.get('seat');
  if (fromHash) {
    sessionStorage.setItem(SEAT_STORAGE_KEY, fromHash);
    // Keep the key out of the address bar, history and screenshots.
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(SEAT_STORAGE_KEY);
}

interface Pending {
  resolve: (result: Result<unknown>) => void;
  /** Written to a socket; unsent calls wait in the queue for the next connection. */
  sent: boolean;
}

/** Checks the outer shape of a message from the engine; the payload is validated per command by the caller. */
function parseWireResponse(data: unknown): { id: number; result: Result<unknown> } | null {
  if (typeof data !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const id: unknown = Reflect.get(parsed, 'id');
  const result: unknown = Reflect.get(parsed, 'result');
  if (typeof id !== 'number' || typeof result !== 'object' || result === null) return null;
  const ok: unknown = Reflect.get(result, 'ok');
  if (ok === true) return { id, result: { ok: true, value: Reflect.get(result, 'value') } };
  if (ok === false) {
    const error = errorSchema.safeParse(Reflect.get(result, 'error'));
    if (error.success) return { id, result: { ok: false, error: error.data } };
  }
  return null;
}

export class WsConsoleApi implements ConsoleApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private queue: { id: number; message: string }[] = [];
  private attempt = 0;
  private everConnected = false;

  constructor(
    private readonly seatKey: string | null,
    private readonly tracker: ConnectionTracker,
  ) {
    this.connect();
  }

  call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<Result<ResponseOf<N>>> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, name, payload: request });
    return new Promise((resolve) => {
      // The response schema is checked by the caller (api/client.ts); here it is still unknown.
      const pending: Pending = { resolve: resolve as (r: Result<unknown>) => void, sent: false };
      this.pending.set(id, pending);
      if (this.socket?.readyState === WebSocket.OPEN) {
        this.socket.send(message);
        pending.sent = true;
      } else this.queue.push({ id, message });
    });
  }

  private setState(state: ConnectionState): void {
    this.tracker.set(state);
  }

  private connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = this.seatKey ? `?seat=${encodeURIComponent(this.seatKey)}` : '';
    const socket = new WebSocket(`${scheme}://${location.host}${WS_PATH}${query}`);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempt = 0;
      const reconnected = this.everConnected;
      this.everConnected = true;
      for (const { id, message } of this.queue) {
        const pending = this.pending.get(id);
        if (!pending) continue;
        socket.send(message);
        pending.sent = true;
      }
      this.queue = [];
      this.setState(reconnected ? 'reconnected' : 'connected');
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      const response = parseWireResponse(event.data);
      if (!response) return;
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      pending.resolve(response.result);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      // Calls in flight will never be answered: settle them as Unavailable rather than hang.
      for (const [id, pending] of this.pending) {
        if (!pending.sent) continue;
        this.pending.delete(id);
        pending.resolve({ ok: false, error: { kind: 'Unavailable', message: 'connection to the engine lost' } });
      }
      this.setState('lost');
      const delay = RECONNECT_DELAYS_MS[this.attempt] ?? MAX_RECONNECT_DELAY_MS;
      this.attempt += 1;
      window.setTimeout(() => this.connect(), delay);
    });
  }
}
