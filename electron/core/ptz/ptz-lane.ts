// One PTZ camera's connection, its calls in order (docs/design/ptz.md). A stop must reach the camera
// after the move before it, never before: every call goes through one queue per camera. Moves are
// coalesced: while one is on its way, a newer one replaces any still waiting, so a seat repeating
// its move four times a second never builds a backlog behind a slow camera. A repeated move with
// the same velocity is not sent again until the camera's own timeout is half spent.
import type { PtzDevice, PtzVelocity } from '../cameras/onvif-ptz';

const same = (a: PtzVelocity, b: PtzVelocity): boolean => a.pan === b.pan && a.tilt === b.tilt && a.zoom === b.zoom;
export const isStill = (v: PtzVelocity): boolean => v.pan === 0 && v.tilt === 0 && v.zoom === 0;

export class PtzLane {
  private chain: Promise<unknown> = Promise.resolve();
  private wanted: PtzVelocity | null = null;
  private queuedMove: Promise<void> | null = null;
  /** The last move the camera took, on the monotonic clock (the camera's timeout runs in real time). */
  private sent: { v: PtzVelocity; atMs: number } | null = null;
  private closed = false;

  constructor(
    readonly device: PtzDevice,
    /** The Timeout sent with every move: the camera stops by itself after it (the engine may die too). */
    private readonly cameraTimeoutMs: number,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** Whether the camera was last told to move (and not told to stop since). */
  get moving(): boolean {
    return this.sent !== null || this.wanted !== null;
  }

  /** Runs one call after those queued before it. */
  run<T>(fn: (device: PtzDevice) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the PTZ connection is closed'));
    const p = this.chain.then(() => fn(this.device));
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** A continuous move (a still velocity is a stop). */
  move(v: PtzVelocity): Promise<void> {
    if (isStill(v)) return this.stop();
    this.wanted = v;
    this.queuedMove ??= this.run(async (device) => {
      this.queuedMove = null;
      const next = this.wanted;
      if (!next) return;
      const now = this.monotonicMs();
      if (this.sent && same(this.sent.v, next) && now - this.sent.atMs < this.cameraTimeoutMs / 2) {
        this.wanted = null;
        return;
      }
      try {
        await device.continuousMove(next, this.cameraTimeoutMs);
        this.sent = { v: next, atMs: now };
      } finally {
        if (this.wanted === next) this.wanted = null;
      }
    });
    return this.queuedMove;
  }

  /** Stops every axis, after whatever was queued before. */
  stop(): Promise<void> {
    this.wanted = null;
    return this.run(async (device) => {
      this.sent = null;
      await device.stop();
    });
  }

  /** Waits for the queue, then closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    const last = this.chain;
    this.closed = true;
    await last;
    await this.device.close();
  }
}
