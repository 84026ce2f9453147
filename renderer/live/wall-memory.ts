// The wall a user had on this page, kept in the renderer across a lost engine: an engine restart
// ends every session, and after the same user signs in again the wall comes back as it was, even
// if its last change never reached the engine (walls.save is debounced). Kept in memory only (the
// page's lifetime), per user, and forgotten when someone signs out by hand.
import type { WallLayout } from '../../shared/cameras';

export interface KeptWall {
  layout: WallLayout;
  slots: (number | null)[];
  selected: number;
}

const kept = new Map<string, KeptWall>();

export function keepWall(username: string, wall: KeptWall): void {
  kept.set(username, { layout: wall.layout, slots: [...wall.slots], selected: wall.selected });
}

/** The wall `username` had on this page, if any (a copy). */
export function keptWall(username: string): KeptWall | null {
  const w = kept.get(username);
  return w ? { layout: w.layout, slots: [...w.slots], selected: w.selected } : null;
}

export function forgetWalls(): void {
  kept.clear();
}
