// A stable holder for a LivePlayer, made during render without side effects; the player itself
// starts in an effect (start) and ends in its cleanup (stop). React reads it as an external store.
import type { StreamKind } from '../../shared/cameras';
import type { WallTileMetrics } from '../../shared/wall-hook';
import type { ApiClient } from '../api/client';
import { LivePlayer, type PlayerSnapshot } from './live-player';
import type { LiveStatusStore } from './live-status';

const IDLE: PlayerSnapshot = {
  state: 'connecting',
  detail: null,
  sinceMs: null,
  transcoding: false,
  stream: null,
  playingDateMs: null,
  frozenSinceMs: null,
  showingSnapshot: false,
  playing: false,
  error: null,
  masks: [],
};

export class PlayerHandle {
  private player: LivePlayer | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();

  get = (): PlayerSnapshot => this.player?.get() ?? IDLE;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  current(): LivePlayer | null {
    return this.player;
  }

  start(o: { api: ApiClient; status: LiveStatusStore; cameraId: number; stream: StreamKind; video: HTMLVideoElement; snapshotCanvas: HTMLCanvasElement | null }): void {
    this.stop();
    const player = new LivePlayer(o);
    this.player = player;
    this.unsubscribe = player.subscribe(() => this.emit());
    this.emit();
  }

  stop(): void {
    const player = this.player;
    if (!player) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.player = null;
    void player.dispose();
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}


const registry = new Map<object, { cameraId: number; single: boolean; handle: PlayerHandle }>();

export function registerPicture(key: object, cameraId: number, single: boolean, handle: PlayerHandle): () => void {
  registry.set(key, { cameraId, single, handle });
  return () => registry.delete(key);
}

export function wallMetrics(): WallTileMetrics[] {
  return [...registry.values()].map(({ cameraId, single, handle }) => {
    const snap = handle.get();
    const m = handle.current()?.metrics() ?? { currentTime: 0, droppedFrames: 0, totalFrames: 0, path: null, jumps: null };
    return {
      cameraId,
      stream: snap.stream,
      currentTime: m.currentTime,
      playingDateMs: snap.playingDateMs,
      droppedFrames: m.droppedFrames,
      totalFrames: m.totalFrames,
      state: snap.state,
      frozen: snap.frozenSinceMs !== null,
      single,
      path: m.path,
      jumps: m.jumps,
    };
  });
}

declare global {
  interface Window {
    readonly __wall?: { tiles(): WallTileMetrics[] };
  }
}

/** Installs window.__wall while the live section is shown; returns the removal. */
export function installWallHook(): () => void {
  Object.defineProperty(window, '__wall', { value: Object.freeze({ tiles: wallMetrics }), configurable: true, enumerable: false, writable: false });
  return () => {
    Reflect.deleteProperty(window, '__wall');
  };
}
