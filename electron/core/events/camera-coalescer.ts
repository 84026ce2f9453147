// Camera state bursts (docs/design/events.md): a camera that flaps (connecting, offline, reconnecting
// ...) must not flood every seat. Per camera stream, a state is sent at once when the last one went
// out at least `minIntervalMs` ago; otherwise only the latest is kept and sent when the interval is
// over. Memory: one entry per camera stream, at most one timer each.
import type { RoutedEvent } from './domain-events';

type CameraState = Extract<RoutedEvent, { type: 'camera.state' }>;

/** At most this many states per second per camera stream (1000 / CAMERA_STATE_MIN_INTERVAL_MS). */
export const CAMERA_STATE_MIN_INTERVAL_MS = 250;

export class CameraStateCoalescer {
  private readonly sent = new Map<string, { atMono: number; event: CameraState }>();
  private readonly waiting = new Map<string, { event: CameraState; timer: NodeJS.Timeout }>();

  constructor(
    private readonly emit: (e: CameraState) => void,
    private readonly minIntervalMs = CAMERA_STATE_MIN_INTERVAL_MS,
  ) {}

  offer(e: CameraState): void {
    const key = `${e.cameraId}:${e.stream}`;
    const held = this.waiting.get(key);
    if (held) {
      held.event = e;
      return;
    }
    const last = this.sent.get(key);
    const now = performance.now();
    if (!last || now - last.atMono >= this.minIntervalMs) {
      this.send(key, e, now);
      return;
    }
    const timer = setTimeout(() => {
      const w = this.waiting.get(key);
      this.waiting.delete(key);
      if (w) this.send(key, w.event, performance.now());
    }, last.atMono + this.minIntervalMs - now);
    timer.unref();
    this.waiting.set(key, { event: e, timer });
  }

  private send(key: string, e: CameraState, nowMono: number): void {
    const last = this.sent.get(key)?.event;
    // A burst that ended where it began (same state, same since) tells the seats nothing new.
    if (last && last.state === e.state && last.sinceMs === e.sinceMs) return;
    this.sent.set(key, { atMono: nowMono, event: e });
    this.emit(e);
  }

  close(): void {
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
  }
}
