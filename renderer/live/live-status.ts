// Polls live.status every 2 s (every 250 ms for a few seconds after a view opens) for the states of the visible cameras and for which of this
// console's views still exist. Players register their view ids here and subscribe.
import type { StreamStatusView } from '../../shared/contract';
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

  constructor(private readonly api: ApiClient) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Polls now (after a view was opened, a camera placed): the tile need not wait 2 s for its state. */
  pollSoon(): void {
    if (this.stopped) return;
    this.hurryUntilMs = Date.now() + HURRY_MS;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), 150);
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
    if (!this.stopped && !this.timer) this.timer = setTimeout(() => void this.poll(), Date.now() < this.hurryUntilMs ? FAST_POLL_MS : POLL_MS);
  }

}
