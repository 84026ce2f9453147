// Socket transport (docs/design/overview.md §2 "Transports"): the same ConsoleApi as the preload, carried over the
// engine's WebSocket, with the events the engine pushes as `{ event }` frames
// (docs/design/events.md), each parsed with the contract's schema before anyone sees it.
// Two ways in:
// - loopback host mode (`npm run host`): the seat key comes from `#seat=KEY` once and then lives in
//   sessionStorage so a reload keeps working (docs/adr/0002-host-mode-seat-key.md);
// - a site engine (`npm run engine`, HTTPS): this browser is a seat only once enrolled; the engine
//   keeps the seat's credential in an HttpOnly cookie the page never reads
//   (docs/design/site-engine.md "Enrolment"). A browser cannot read why an upgrade was refused, so
//   a refusal is told apart from a stopped engine by asking /healthz: an engine that answers but
//   will not take our socket does not know this seat.
// The engine ends the session when the socket closes, so after a reconnect the console signs in again.
import { engineEvent, type CommandName, type EngineEvent, type RequestOf, type ResponseOf } from '../../shared/contract';
import { CLOSE_SEAT_REVOKED, HEALTH_PATH, SEAT_CHECK_PATH } from '../../shared/contract/seats';
import { errorSchema, type Result } from '../../shared/result';
import { WS_PATH, type ConsoleApi } from '../../shared/transport';
import type { ConnectionTracker } from './connection';
import { reconnectDelayMs } from './reconnect';

const SEAT_STORAGE_KEY = 'operator-console.seat';

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

export type WireMessage = { kind: 'response'; id: number; result: Result<unknown> } | { kind: 'event'; event: EngineEvent } | null;

/**
 * Reads one message from the engine: a command's answer (its payload is checked per command by the
 * caller, api/client.ts) or a pushed event, parsed with the contract's `engineEvent` schema. Anything
 * else (not JSON, an unknown event, a malformed answer) is null and dropped.
 */
export function parseWireMessage(data: unknown): WireMessage {
  if (typeof data !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  if ('event' in parsed) {
    const event = engineEvent.safeParse(Reflect.get(parsed, 'event'));
    return event.success ? { kind: 'event', event: event.data } : null;
  }
  const id: unknown = Reflect.get(parsed, 'id');
  const result: unknown = Reflect.get(parsed, 'result');
  if (typeof id !== 'number' || typeof result !== 'object' || result === null) return null;
  const ok: unknown = Reflect.get(result, 'ok');
  if (ok === true) return { kind: 'response', id, result: { ok: true, value: Reflect.get(result, 'value') } };
  if (ok === false) {
    const error = errorSchema.safeParse(Reflect.get(result, 'error'));
    if (error.success) return { kind: 'response', id, result: { ok: false, error: error.data } };
  }
  return null;
}

/**
 * Why a running site engine refused this browser's socket: the page cannot read the upgrade's answer,
 * so it asks `/seat` (the same check, with the same cookie). 'ok' when the seat is fine after all.
 */
async function seatStanding(): Promise<'ok' | 'revoked' | 'not-enrolled'> {
  try {
    const r = await fetch(SEAT_CHECK_PATH, { cache: 'no-store' });
    if (r.ok) return 'ok';
    const body: unknown = await r.json().catch(() => null);
    return body !== null && typeof body === 'object' && Reflect.get(body, 'reason') === 'revoked' ? 'revoked' : 'not-enrolled';
  } catch {
    return 'not-enrolled';
  }
}

/** The engine sends a `{ tick }` frame every 5 s (electron/core/host/socket.ts TICK_MS); a socket
 *  silent for this long is an engine gone away without closing (a cut cable), so it is dropped. */
export const SILENT_SOCKET_MS = 15_000;

/** Whether the engine at our own origin answers at all (a refused socket from a running engine means: not a seat). */
async function engineAnswers(): Promise<boolean> {
  try {
    const r = await fetch(HEALTH_PATH, { cache: 'no-store' });
    return r.ok;
  } catch {
    return false;
  }
}

export class WsConsoleApi implements ConsoleApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private queue: { id: number; message: string }[] = [];
  /** Attempts that failed since the last open socket. */
  private failures = 0;
  private everConnected = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** A final refusal (revoked, not enrolled): no attempt until retryNow(). */
  private stopped = false;
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();

  constructor(
    private readonly seatKey: string | null,
    private readonly tracker: ConnectionTracker,
    /** Served by a site engine over HTTPS: enrolled seats only. */
    private readonly site = false,
  ) {
    void this.attempt();
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

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Try at once (the person pressed "Try now", or this browser has just enrolled). */
  retryNow(): void {
    if (this.socket) return;
    this.stopped = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.tracker.set('connecting');
    void this.attempt();
  }

  private async attempt(): Promise<void> {
    this.retryTimer = null;
    if (this.stopped || this.socket) return;
    // A site engine that is down is asked over HTTP first: one failed request per attempt, and a
    // socket only to an engine that answers.
    if (this.site && !(await engineAnswers())) return this.lost();
    if (this.stopped || this.socket) return;
    this.open();
  }

  private lost(): void {
    const delay = reconnectDelayMs(this.failures);
    this.failures += 1;
    this.tracker.set('lost', { nextAttemptAtMs: Date.now() + delay, attempts: this.failures });
    this.retryTimer = setTimeout(() => void this.attempt(), delay);
  }

  private open(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = this.seatKey ? `?seat=${encodeURIComponent(this.seatKey)}` : '';
    const socket = new WebSocket(`${scheme}://${location.host}${WS_PATH}${query}`);
    this.socket = socket;
    let opened = false;
    // Any frame (answer, event, tick) shows the engine is there; silence past the limit is a loss.
    let lastFrameAtMs = Date.now();
    const watchdog = setInterval(() => {
      if (opened && Date.now() - lastFrameAtMs > SILENT_SOCKET_MS) socket.close();
    }, SILENT_SOCKET_MS / 3);
    socket.addEventListener('open', () => {
      opened = true;
      this.failures = 0;
      const reconnected = this.everConnected;
      this.everConnected = true;
      for (const { id, message } of this.queue) {
        const pending = this.pending.get(id);
        if (!pending) continue;
        socket.send(message);
        pending.sent = true;
      }
      this.queue = [];
      this.tracker.set(reconnected ? 'reconnected' : 'connected');
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      lastFrameAtMs = Date.now();
      const message = parseWireMessage(event.data);
      if (!message) return;
      if (message.kind === 'event') {
        for (const listener of this.eventListeners) listener(message.event);
        return;
      }
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      pending.resolve(message.result);
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      clearInterval(watchdog);
      if (this.socket !== socket) return;
      this.socket = null;
      // Calls in flight will never be answered: settle them as Unavailable rather than hang.
      for (const [id, pending] of this.pending) {
        if (!pending.sent) continue;
        this.pending.delete(id);
        pending.resolve({ ok: false, error: { kind: 'Unavailable', message: 'connection to the engine lost' } });
      }
      if (event.code === CLOSE_SEAT_REVOKED) {
        // Final: the engine refuses this seat's credential from now on (docs/design/site-engine.md "Revocation").
        this.stopped = true;
        this.tracker.set('refused', { refusal: { reason: 'revoked' } });
        return;
      }
      if (this.site && !opened) {
        void engineAnswers().then(async (up) => {
          if (this.socket || this.retryTimer || this.stopped) return;
          if (!up) return this.lost();
          const standing = await seatStanding();
          if (this.socket || this.retryTimer || this.stopped) return;
          if (standing === 'ok') return this.lost();
          this.stopped = true;
          this.tracker.set('refused', { refusal: { reason: standing } });
        });
        return;
      }
      this.lost();
    });
  }
}
