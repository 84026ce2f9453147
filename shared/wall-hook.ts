// The live wall's read-only test hook, `window.__wall.tiles()` (renderer/live/player-handle.ts):
// what each live picture is doing. The renderer fills it; the journeys (e2e/wall-hook.ts) and the
// browser benchmarks read it from the page as data. One shape for both sides.
import type { StreamKind } from './cameras';

export interface WallTileMetrics {
  cameraId: number;
  stream: StreamKind | null;
  currentTime: number;
  playingDateMs: number | null;
  droppedFrames: number;
  totalFrames: number;
  state: string;
  frozen: boolean;
  single: boolean;
  /** How the picture arrives: 'fragments' (WebSocket into MSE), 'hls' (LL-HLS), null before it plays. */
  path: 'fragments' | 'hls' | null;
  /**
   * How often this player jumped ahead to the live edge since it started (the fragment path's
   * keep-up rule; the frames jumped over are never shown); null on LL-HLS, whose own live sync
   * is not counted. A new player (reconnect) starts again at 0.
   */
  jumps: number | null;
}
