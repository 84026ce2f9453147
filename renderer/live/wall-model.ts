// Pure rules of the camera wall: grid geometry, keyboard movement between tiles, placing and
// clearing cameras, and the camera tree (site, then group). No React, no DOM: unit-tested.
import { WALL_LAYOUTS, type WallLayout } from '../../shared/cameras';
import { fitTiles, wallTilesOf, type WallArrangements } from '../../shared/contract';

export const MAX_TILES = 16;

export function isWallLayout(n: unknown): n is WallLayout {
  return typeof n === 'number' && (WALL_LAYOUTS as readonly number[]).includes(n);
}

/** Columns of a square layout: 1, 2, 3 or 4. */
export function columnsOf(layout: WallLayout): number {
  return Math.round(Math.sqrt(layout));
}

export type ArrowKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

/** The tile reached from `index` by an arrow key; stays put at the edges. */
export function moveSelection(index: number, key: ArrowKey, layout: WallLayout): number {
  const cols = columnsOf(layout);
  const row = Math.floor(index / cols);
  const col = index % cols;
  switch (key) {
    case 'ArrowLeft':
      return col > 0 ? index - 1 : index;
    case 'ArrowRight':
      return col < cols - 1 ? index + 1 : index;
    case 'ArrowUp':
      return row > 0 ? index - cols : index;
    case 'ArrowDown':
      return row < cols - 1 ? index + cols : index;
  }
}

/**
 * The wall keeps 16 slots so that 4 -> 1 -> 4 gives back the same cameras; only the first
 * `layout` are shown and saved.
 */
export function normaliseSlots(tiles: readonly (number | null)[]): (number | null)[] {
  return Array.from({ length: MAX_TILES }, (_, i) => tiles[i] ?? null);
}

export type Arrangements = WallArrangements;

/** The first wall's stored name (shown as "Main wall" in the interface language). */
export const DEFAULT_WALL = 'default';

/** The wall used last (the one shown on the next visit). */
export function latestWall<W extends { updatedAtMs: number }>(walls: readonly W[]): W | undefined {
  return [...walls].sort((a, b) => b.updatedAtMs - a.updatedAtMs)[0];
}

/**
 * The arrangements after switching from layout `from` to `to`: a layout used before keeps its own
 * arrangement; a new one starts from the tiles shown before, each camera in the same tile when the
 * new layout has it, the others in the empty tiles that remain (in order, as many as fit). Nothing
 * of any other layout changes, so switching back gives the same wall.
 */
export function switchLayout(arrangements: Arrangements, from: WallLayout, to: WallLayout): Arrangements {
  if (arrangements[String(to) as keyof Arrangements]) return arrangements;
  const before = wallTilesOf(arrangements, from);
  const tiles = fitTiles(before, to);
  const left = before.slice(to).filter((id): id is number => id !== null);
  for (let i = 0; i < to && left.length > 0; i++) if (tiles[i] === null) tiles[i] = left.shift()!;
  return { ...arrangements, [String(to)]: tiles };
}

/** The arrangements with `layout`'s tiles replaced (cut to the layout's size). */
export function withTiles(arrangements: Arrangements, layout: WallLayout, tiles: readonly (number | null)[]): Arrangements {
  return { ...arrangements, [String(layout)]: fitTiles(tiles, layout) };
}

/** Places a camera into a tile; a camera shown elsewhere on the visible wall moves (one tile per camera). */
export function placeCamera(slots: readonly (number | null)[], layout: WallLayout, index: number, cameraId: number): (number | null)[] {
  const next = normaliseSlots(slots);
  const previous = next.findIndex((id, i) => i < layout && id === cameraId);
  if (previous >= 0 && previous !== index) next[previous] = next[index] ?? null;
  next[index] = cameraId;
  return next;
}

export function clearTile(slots: readonly (number | null)[], index: number): (number | null)[] {
  const next = normaliseSlots(slots);
  next[index] = null;
  return next;
}

/** Drops cameras the user can no longer see (group change, camera removed). */
export function keepVisible(slots: readonly (number | null)[], visible: ReadonlySet<number>): (number | null)[] {
  return normaliseSlots(slots).map((id) => (id !== null && visible.has(id) ? id : null));
}

/** A first wall for a user without a saved one: the smallest layout that shows the first cameras. */
export function initialWall(cameraIds: readonly number[]): { layout: WallLayout; slots: (number | null)[] } {
  const n = Math.min(cameraIds.length, MAX_TILES);
  const layout = WALL_LAYOUTS.find((l) => l >= n) ?? 16;
  return { layout: n === 0 ? 4 : layout, slots: normaliseSlots(cameraIds.slice(0, layout)) };
}

/** The next empty visible tile after `from` (wrapping), or `from` when the wall is full. */
export function nextEmptyTile(slots: readonly (number | null)[], layout: WallLayout, from: number): number {
  for (let k = 1; k <= layout; k++) {
    const i = (from + k) % layout;
    if ((slots[i] ?? null) === null) return i;
  }
  return from;
}

export interface TreeCamera {
  id: number;
  name: string;
  site: string;
  groupName: string;
}

export interface TreeSite<C extends TreeCamera> {
  site: string;
  groups: { groupName: string; cameras: C[] }[];
}

/** Cameras grouped by site, then camera group, each level sorted by name (locale-aware). */
export function buildTree<C extends TreeCamera>(cameras: readonly C[], locale: string): TreeSite<C>[] {
  const cmp = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' }).compare;
  const sites = new Map<string, Map<string, C[]>>();
  for (const c of cameras) {
    const groups = sites.get(c.site) ?? new Map<string, C[]>();
    sites.set(c.site, groups);
    const list = groups.get(c.groupName) ?? [];
    groups.set(c.groupName, list);
    list.push(c);
  }
  return [...sites.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([site, groups]) => ({
      site,
      groups: [...groups.entries()]
        .sort(([a], [b]) => cmp(a, b))
        .map(([groupName, list]) => ({ groupName, cameras: [...list].sort((a, b) => cmp(a.name, b.name)) })),
    }));
}

/**
 * Whether a picture is stale: the frame shown is more than `maxLagMs` behind the wall clock, or
 * playback has not advanced for `maxStillMs`. A frozen picture must never look live.
 */
export function isStale(o: { nowMs: number; playingDateMs: number | null; lastProgressAtMs: number; maxLagMs?: number; maxStillMs?: number }): boolean {
  return staleness(o) === 'still';
}

/**
 * What is wrong with a picture, if anything: 'still' when it stopped advancing (a frozen picture
 * must never look live), 'lagging' when it advances but shows a moment more than `maxLagMs` ago
 * (the player should jump to the live edge rather than be torn down), or null.
 */
export function staleness(o: { nowMs: number; playingDateMs: number | null; lastProgressAtMs: number; maxLagMs?: number; maxStillMs?: number }): 'still' | 'lagging' | null {
  const maxLag = o.maxLagMs ?? 3000;
  const maxStill = o.maxStillMs ?? 2000;
  if (o.nowMs - o.lastProgressAtMs > maxStill) return 'still';
  if (o.playingDateMs !== null && o.nowMs - o.playingDateMs > maxLag) return 'lagging';
  return null;
}

/** Retry delay after `failures` consecutive failures: 2 s doubling to 30 s. */
export function backoffMs(failures: number): number {
  return Math.min(30_000, 2000 * 2 ** Math.max(0, failures - 1));
}
