// The live wall's read-only test hook (window.__wall, shared/wall-hook.ts): what each live
// picture is doing, read from the page by the journeys and by the browser benchmarks (bench/).
import type { Page } from 'playwright-core';
import type { WallTileMetrics } from '../shared/wall-hook';

/** One live picture (shared/wall-hook.ts). */
export type WallTile = WallTileMetrics;

/** Every live picture on the page (the wall's tiles and the single view); none while the live section is not shown. */
export function wallTiles(page: Page): Promise<WallTile[]> {
  return page.evaluate(() => (window as unknown as { __wall?: { tiles(): WallTile[] } }).__wall?.tiles() ?? []);
}
