// Connection state of the transport, for the banner, the wall's tiles and the enrolment screen.
// Electron IPC is always connected. A socket transport reports each loss, the time of its next
// attempt (capped backoff, docs/design/site-engine.md "The Node seat client" uses the same shape),
// and a final refusal when the site engine does not accept this browser as a seat.
import type { SeatRefusal } from '../../shared/contract/seats';

export type ConnectionState = 'connecting' | 'connected' | 'lost' | 'reconnected' | 'refused';

/** Why a site engine refused this browser's socket: not enrolled (or the enrolment is unknown), or revoked. */
export interface Refusal {
  reason: Extract<SeatRefusal, 'not-enrolled' | 'revoked'>;
}

export interface ConnectionInfo {
  state: ConnectionState;
  /** Incremented on every reconnect; the engine has ended the session by then. */
  generation: number;
  /** While lost: when the next attempt starts (epoch ms), and how many failed since the loss. */
  nextAttemptAtMs: number | null;
  attempts: number;
  refusal: Refusal | null;
}

export class ConnectionTracker {
  private info: ConnectionInfo = { state: 'connecting', generation: 0, nextAttemptAtMs: null, attempts: 0, refusal: null };
  private readonly listeners = new Set<() => void>();

  get = (): ConnectionState => this.info.state;
  getGeneration = (): number => this.info.generation;
  /** One object per change (for useSyncExternalStore). */
  getInfo = (): ConnectionInfo => this.info;

  set(state: ConnectionState, detail: { nextAttemptAtMs?: number | null; attempts?: number; refusal?: Refusal | null } = {}): void {
    const generation = state === 'reconnected' ? this.info.generation + 1 : this.info.generation;
    const lost = state === 'lost';
    this.info = {
      state,
      generation,
      nextAttemptAtMs: lost ? (detail.nextAttemptAtMs ?? null) : null,
      attempts: lost ? (detail.attempts ?? 0) : 0,
      refusal: state === 'refused' ? (detail.refusal ?? { reason: 'not-enrolled' }) : null,
    };
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
