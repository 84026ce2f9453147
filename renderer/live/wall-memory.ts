// The wall a user had on this page, kept in the renderer across a lost engine: an engine restart
// ends every session, and after the same user signs in again the wall comes back as it was, even
// if its last change never reached the engine (walls.save is debounced). Kept in memory only (the
// page's lifetime), per user, and forgotten when someone signs out by hand.
import type { WallLayout } from '../../shared/cameras';
import type { WallArrangements } from '../../shared/contract';

export interface KeptWall {
  name: string;
  layout: WallLayout;
  arrangements: WallArrangements;
  selected: number;
}

const kept = new Map<string, KeptWall>();

const copy = (w: KeptWall): KeptWall => ({ ...w, arrangements: Object.fromEntries(Object.entries(w.arrangements).map(([l, tiles]) => [l, [...(tiles ?? [])]])) });

export function keepWall(username: string, wall: KeptWall): void {
  kept.set(username, copy(wall));
}

/** The wall `username` had on this page, if any (a copy). */
export function keptWall(username: string): KeptWall | null {
  const w = kept.get(username);
  return w ? copy(w) : null;
}

export function forgetWalls(): void {
  kept.clear();
}
