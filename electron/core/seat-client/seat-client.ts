// The Node seat client (docs/design/site-engine.md "Seats"): plain Node, no Electron, so the desktop
// app's main process, tools and tests use the same code. One WebSocket to the site engine over TLS
// with the site CA pinned; the same `{ id, name, payload }` -> `{ id, result }` messages as every
// transport, and `{ event }` frames pushed by the engine (docs/design/events.md).
//
// States: connecting -> connected; a lost socket -> reconnecting (capped backoff) -> connected.
// A site of several nodes (docs/design/scale.md "Seats on any node"): given the site's other nodes
// (`alternates`), a seat whose node stays unreachable for two attempts in a row tries the next
// node, round the list with the address it enrolled at first, so a node's death costs the person
// a sign-in, not the console. Every node is checked against the one site CA the seat pinned.
// Sessions live in the engine's memory and end with their socket, so after any reconnect the person
// signs in again: onSessionEnded tells the seat. A refusal that retrying cannot fix (the seat was
// revoked or is unknown, another engine answers at the address) is final: state refused, no retry.
// A heartbeat (ping every second) notices a silent loss within a few seconds.
import WebSocket from 'ws';
import { SEAT_AUTH_SCHEME, CLOSE_SEAT_REVOKED, seatRefusal, type SeatRefusal } from '../../../shared/contract/seats';
import type { Result } from '../../../shared/result';
import { WS_PATH } from '../../../shared/transport';
import { parseAddress, parseAddresses, pinnedTlsOptions, siteCa, WrongSiteError, type SiteAddress } from './pinning';

export type SeatState =
  | { kind: 'connecting' }
  /** `at`: the origin of the node the socket is open to. */
  | { kind: 'connected'; at: string }
  | { kind: 'reconnecting'; attempt: number; delayMs: number; why: string }
  | { kind: 'refused'; reason: SeatRefusal | 'wrong-certificate'; message: string }
  | { kind: 'closed' };

export interface SeatClientOptions {
  version?: string;
  onState?: (state: SeatState) => void;
  onEvent?: (event: unknown) => void;
  /** The socket that carried any sign-in closed: the engine has ended that session. */
  onSessionEnded?: (why: string) => void;
  /** Reconnect delays (ms), the last one repeated; jittered by up to a fifth. */
  backoffMs?: readonly number[];
  heartbeatMs?: number;
  /**
   * The site's other nodes (origins), read at each move: tried in turn when the current node stays
   * unreachable. Addresses that cannot be parsed are skipped.
   */
  alternates?: () => readonly string[];
}

const DEFAULT_BACKOFF_MS = [250, 500, 1000, 2000, 4000, 5000] as const;
/** Refusals no retry can fix. */
const FINAL: ReadonlySet<string> = new Set(['revoked', 'not-enrolled', 'wrong-name']);
/** Failed attempts in a row at one node before the next node of the site is tried. */
export const MOVE_AFTER_FAILURES = 2;

interface Pending {
  resolve: (r: Result<unknown>) => void;
  sent: boolean;
}

export class SeatClient {
  private ws: WebSocket | null = null;
  private current: SeatState = { kind: 'connecting' };
  private readonly pending = new Map<number, Pending>();
  private queue: { id: number; text: string }[] = [];
  private nextId = 1;
  private attempt = 0;
  /** Failed attempts in a row at `address`. */
  private failuresHere = 0;
  /** Where the socket goes: the enrolled address, or another node of the site after a move. */
  private address: SiteAddress;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(event: unknown) => void>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly home: SiteAddress,
    private readonly credential: string,
    private readonly fingerprint: string,
    private readonly o: SeatClientOptions = {},
  ) {
    this.address = home;
    if (o.onEvent) this.listeners.add(o.onEvent);
    void this.open();
  }

  get state(): SeatState {
    return this.current;
  }

  /** Resolves once connected; rejects when the seat is refused or closed first. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.current.kind === 'connected') resolve();
        else if (this.current.kind === 'refused') reject(new Error(this.current.message));
        else if (this.current.kind === 'closed') reject(new Error('the seat client was closed'));
        else return false;
        this.waiters.delete(check);
        return true;
      };
      if (!check()) this.waiters.add(check);
    });
  }

  onEvent(listener: (event: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a command; while reconnecting it waits in a queue. Never throws: results are values. */
  call(name: string, payload: unknown): Promise<Result<unknown>> {
    if (this.current.kind === 'refused' || this.current.kind === 'closed') {
      return Promise.resolve({ ok: false, error: { kind: 'Unavailable', message: this.current.kind === 'refused' ? this.current.message : 'The seat client is closed.' } });
    }
    const id = this.nextId++;
    const text = JSON.stringify({ id, name, payload });
    return new Promise((resolve) => {
      const p: Pending = { resolve, sent: false };
      this.pending.set(id, p);
      if (this.ws?.readyState === WebSocket.OPEN) {
        this.ws.send(text);
        p.sent = true;
      } else this.queue.push({ id, text });
    });
  }

  close(): void {
    this.stopTimers();
    this.setState({ kind: 'closed' });
    this.ws?.close(1000, 'seat closed');
    this.settleAll('The seat client is closed.');
  }

  private finished(): boolean {
    return this.current.kind === 'refused' || this.current.kind === 'closed';
  }

  private setState(s: SeatState): void {
    this.current = s;
    this.o.onState?.(s);
    for (const w of [...this.waiters]) w();
  }

  private async open(): Promise<void> {
    if (this.finished()) return;
    let tlsOptions;
    try {
      const { caPem } = await siteCa(this.address, this.fingerprint);
      tlsOptions = pinnedTlsOptions(this.address, caPem, this.fingerprint);
    } catch (err) {
      if (err instanceof WrongSiteError && this.wrongSite(err.message)) return;
      return this.retry(err instanceof Error ? err.message : String(err));
    }
    // close() or a refusal may have come while the CA was read.
    if (this.finished()) return;
    const ws = new WebSocket(`wss://${this.address.origin.slice('https://'.length)}${WS_PATH}`, {
      ...tlsOptions,
      headers: { Authorization: `${SEAT_AUTH_SCHEME} ${this.credential}`, 'X-Seat-Version': this.o.version ?? 'node-seat' },
      handshakeTimeout: 5000,
    });
    this.ws = ws;
    // A refused upgrade: its JSON body says why (read whole before the socket goes).
    let refused = false;
    ws.on('unexpected-response', (_req, res) => {
      refused = true;
      let text = '';
      let decided = false;
      const decide = () => {
        if (decided) return;
        decided = true;
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          // not an answer of ours
        }
        const r = seatRefusal.safeParse(body);
        const message = r.success ? r.data.message : `The site engine refused the connection (HTTP ${res.statusCode}).`;
        if (r.success && r.data.reason && FINAL.has(r.data.reason)) this.refuse(r.data.reason, message);
        else this.retry(message);
        ws.terminate();
      };
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (text.length < 8192) text += c;
      });
      res.on('end', decide);
      res.on('close', decide);
      res.on('error', decide);
    });
    ws.on('open', () => {
      this.attempt = 0;
      this.failuresHere = 0;
      this.setState({ kind: 'connected', at: this.address.origin });
      for (const q of this.queue) {
        const p = this.pending.get(q.id);
        if (!p) continue;
        ws.send(q.text);
        p.sent = true;
      }
      this.queue = [];
      this.startHeartbeat(ws);
    });
    ws.on('message', (data: WebSocket.RawData) => this.receive(data));
    ws.on('error', (err) => {
      // (At another node, the close that follows retries, at the next node.)
      if (err instanceof WrongSiteError || (err as { cause?: unknown }).cause instanceof WrongSiteError) this.wrongSite(err.message);
    });
    ws.on('close', (code, reasonBuf) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopHeartbeat();
      const wasOpen = this.current.kind === 'connected';
      const reason = reasonBuf.toString() || `closed (${code})`;
      this.settleAll('The connection to the site engine was lost.');
      if (wasOpen) this.o.onSessionEnded?.(reason);
      if (code === CLOSE_SEAT_REVOKED) return this.refuse('revoked', 'This seat was revoked by an administrator. Ask an administrator to enrol it again.');
      if (refused) return; // the refusal's body decides
      if (this.current.kind === 'connected' || this.current.kind === 'connecting' || this.current.kind === 'reconnecting') this.retry(reason);
    });
  }

  private receive(data: WebSocket.RawData): void {
    let msg: unknown;
    try {
      msg = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    } catch {
      return;
    }
    if (msg === null || typeof msg !== 'object') return;
    if ('event' in msg) {
      for (const l of this.listeners) l(msg.event);
      return;
    }
    const id: unknown = Reflect.get(msg, 'id');
    const result: unknown = Reflect.get(msg, 'result');
    if (typeof id !== 'number' || result === null || typeof result !== 'object') return;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve(result as Result<unknown>);
  }

  private retry(why: string): void {
    if (this.current.kind === 'refused' || this.current.kind === 'closed') return;
    this.failuresHere += 1;
    if (this.failuresHere >= MOVE_AFTER_FAILURES) this.moveOn();
    const steps = this.o.backoffMs ?? DEFAULT_BACKOFF_MS;
    const base = steps[Math.min(this.attempt, steps.length - 1)]!;
    const delayMs = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    this.setState({ kind: 'reconnecting', attempt: this.attempt, delayMs, why });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.open();
    }, delayMs);
  }

  /** The next node of the site after the current one (the enrolled address first), if there is another. */
  private moveOn(): void {
    const others = parseAddresses(this.o.alternates?.() ?? []);
    const ring = [...new Map([this.home, ...others].map((a) => [a.origin, a])).values()];
    if (ring.length < 2) return;
    const here = ring.findIndex((a) => a.origin === this.address.origin);
    this.address = ring[(here + 1) % ring.length]!;
    this.failuresHere = 0;
  }

  /**
   * A certificate not of the pinned site: final at the enrolled address (true: refused); at another
   * node (a name the site gave) that node is passed over at the next retry, since the seat must not
   * end because one node is wrong.
   */
  private wrongSite(message: string): boolean {
    if (this.address.origin === this.home.origin) {
      this.refuse('wrong-certificate', message);
      return true;
    }
    this.failuresHere = MOVE_AFTER_FAILURES - 1;
    return false;
  }

  private refuse(reason: SeatRefusal | 'wrong-certificate', message: string): void {
    if (this.current.kind === 'closed') return;
    this.stopTimers();
    this.setState({ kind: 'refused', reason, message });
    this.settleAll(message, true);
    this.ws?.terminate();
  }

  /** Calls that can no longer be answered are settled as Unavailable, never left hanging. */
  private settleAll(message: string, queuedToo = false): void {
    for (const [id, p] of this.pending) {
      if (!p.sent && !queuedToo) continue;
      this.pending.delete(id);
      p.resolve({ ok: false, error: { kind: 'Unavailable', message } });
    }
    if (queuedToo) this.queue = [];
  }

  private startHeartbeat(ws: WebSocket): void {
    const every = this.o.heartbeatMs ?? 1000;
    let lastPongMs = Date.now();
    ws.on('pong', () => (lastPongMs = Date.now()));
    this.heartbeat = setInterval(() => {
      // No answer for 2.5 beats: the engine or the network is gone, whatever TCP says.
      if (Date.now() - lastPongMs > every * 2.5) {
        ws.terminate();
        return;
      }
      ws.ping();
    }, every);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private stopTimers(): void {
    this.stopHeartbeat();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Connects an enrolled seat: `credential` is `<seatId>.<secret>` as enrol() returned it. */
export function connect(addressText: string, seatId: number, credential: string, pinnedFingerprint: string, options: SeatClientOptions = {}): SeatClient {
  if (!credential.startsWith(`${seatId}.`)) throw new Error(`the credential is not seat ${seatId}'s`);
  return new SeatClient(parseAddress(addressText), credential, pinnedFingerprint, options);
}
