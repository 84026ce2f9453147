// The live wall's read-only test hook (window.__wall, renderer/live/player-handle.ts): what each live
// picture is doing, read from the page by the journeys and by the browser benchmarks (bench/).
import type { Page } from 'playwright-core';

/** One live picture, as WallTileMetrics in renderer/live/player-handle.ts describes it (the page's
 *  own types are not this layer's: e2e reads the hook as data). */
export interface WallTile {
  cameraId: number;
  stream: string | null;
  currentTime: number;
  playingDateMs: number | null;
  droppedFrames: number;
  totalFrames: number;
  state: string;
  frozen: boolean;
  single: boolean;
}

/** Every live picture on the page (the wall's tiles and the single view); none while the live section is not shown. */
export function wallTiles(page: Page): Promise<WallTile[]> {
  return page.evaluate(() => (window as unknown as { __wall?: { tiles(): WallTile[] } }).__wall?.tiles() ?? []);
}
