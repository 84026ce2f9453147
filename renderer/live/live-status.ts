// The states of the visible cameras and which of this console's views still exist. With pushed
// events (docs/design/events.md) a camera's state arrives as it changes (camera.state) and
// live.status is read once at start, shortly after a state event (for its detail words), after a
// reconnect and as a slow safety poll; a transport without events polls every 2 s (every 250 ms
// for a few seconds after a view opens). Players register their view ids here and subscribe.
import type { EngineEvent, StreamStatusView } from '../../shared/contract';
import type { ApiClient } from '../api/client';

export interface CameraStatus {
  main: StreamStatusView;
  sub: StreamStatusView | null;
}

export interface StatusSnapshot {
  /** Incremented on every successful poll. */
  generation: number;
  cameras: ReadonlyMap<number, CameraStatus>;
  openViewIds: ReadonlySet<string>;
  /** View ids that were sent with the poll: only these can be judged gone. */
  askedViewIds: ReadonlySet<string>;
}

export const POLL_MS = 2000;
/** With events: a safety net only (a view that ended without an event, an event lost on the way). */
export const SAFETY_POLL_MS = 15_000;
/** After a state event: read the detail words (why offline, who refused) once the burst settles. */
const DETAIL_POLL_MS = 400;
/** For a while after a view opens, poll faster so its tile attaches as soon as the stream is live. */
export const FAST_POLL_MS = 250;
const HURRY_MS = 8000;

export class LiveStatusStore {
  private snapshot: StatusSnapshot = { generation: 0, cameras: new Map(), openViewIds: new Set(), askedViewIds: new Set() };
  private readonly listeners = new Set<() => void>();
  private readonly views = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private hurryUntilMs = 0;

  private unsubscribe: (() => void)[] = [];

  constructor(private readonly api: ApiClient) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = [
      this.api.onEvent((event) => this.onEvent(event)),
      // Nothing is replayed across a reconnect: read the states afresh.
      this.api.onResync(() => this.pollIn(150)),
    ];
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }

  /** Polls now (after a view was opened, a camera placed): the tile need not wait for its state. */
  pollSoon(): void {
    if (this.stopped) return;
    // With events the stream's going live is pushed; without, poll fast for a while.
    if (!this.api.hasEvents) this.hurryUntilMs = Date.now() + HURRY_MS;
    this.pollIn(150);
  }

  private pollIn(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
  }

  private onEvent(event: EngineEvent): void {
    if (this.stopped || event.type !== 'camera.state') return;
    const cameras = applyCameraState(this.snapshot.cameras, event);
    if (cameras === this.snapshot.cameras) return;
    this.snapshot = { ...this.snapshot, cameras };
    for (const l of this.listeners) l();
    this.pollIn(DETAIL_POLL_MS);
  }

  addView(viewId: string): void {
    this.views.add(viewId);
  }

  removeView(viewId: string): void {
    this.views.delete(viewId);
  }

  get = (): StatusSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private async poll(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const asked = new Set([...this.views].slice(-32));
    const result = await this.api.call('live.status', { viewIds: [...asked] });
    if (this.stopped) return;
    if (result.ok) {
      this.snapshot = {
        generation: this.snapshot.generation + 1,
        cameras: new Map(result.value.cameras.map((c) => [c.cameraId, { main: c.main, sub: c.sub }])),
        openViewIds: new Set(result.value.openViewIds),
        askedViewIds: asked,
      };
      for (const l of this.listeners) l();
    }
    if (!this.stopped && !this.timer) this.timer = setTimeout(() => void this.poll(), nextPollMs(this.api.hasEvents, Date.now() < this.hurryUntilMs));
  }

}

/** The wait before the next live.status read. */
export function nextPollMs(hasEvents: boolean, hurrying: boolean): number {
  if (hurrying) return FAST_POLL_MS;
  return hasEvents ? SAFETY_POLL_MS : POLL_MS;
}

/**
 * A pushed camera state applied to the states held: the stream's state and since change at once;
 * its detail words are dropped with a changed state (they described the old one) until the next
 * live.status read. Returns the same map when nothing changes (a camera this wall does not know
 * yet waits for the next read, which brings its other stream too).
 */
export function applyCameraState(cameras: ReadonlyMap<number, CameraStatus>, event: Extract<EngineEvent, { type: 'camera.state' }>): ReadonlyMap<number, CameraStatus> {
  const held = cameras.get(event.cameraId);
  if (!held) return cameras;
  const before = event.stream === 'main' ? held.main : held.sub;
  if (before && before.state === event.state && before.sinceMs === event.sinceMs) return cameras;
  const next: StreamStatusView = {
    state: event.state,
    detail: before && before.state === event.state ? before.detail : null,
    transcoding: before?.transcoding ?? false,
    sinceMs: event.sinceMs,
  };
  const out = new Map(cameras);
  out.set(event.cameraId, event.stream === 'main' ? { ...held, main: next } : { ...held, sub: next });
  return out;
}
