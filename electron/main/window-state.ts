// Window bounds are a per-seat setting (docs/design/overview.md §4 "Settings that are per seat"): electron-store in userData.
import { screen, type BrowserWindow, type Rectangle } from 'electron';
import Store from 'electron-store';
import { z } from 'zod';

const windowState = z.object({
  bounds: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(400), height: z.number().int().min(300) }),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowState>;

export const DEFAULT_SIZE = { width: 1440, height: 900 } as const;

/** The per-seat settings file (`seat-settings.json` in userData): window bounds, how this PC connects. */
export function openSeatSettings(): Store {
  return new Store({ name: 'seat-settings' });
}

export class WindowStateStore {
  constructor(private readonly store: Store = openSeatSettings()) {}

  /** The saved state, if it is well-formed and still on a connected display. */
  load(key: string): WindowState | null {
    const parsed = windowState.safeParse(this.store.get(`window.${key}`));
    if (!parsed.success) return null;
    return isOnSomeDisplay(parsed.data.bounds) ? parsed.data : null;
  }

  /** Saves on close, so the next start of this seat opens where the operator left it. */
  track(key: string, win: BrowserWindow): void {
    win.on('close', () => {
      const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
      this.store.set(`window.${key}`, state);
    });
  }
}

function isOnSomeDisplay(bounds: Rectangle): boolean {
  return screen.getAllDisplays().some(({ workArea: a }) =>
    bounds.x < a.x + a.width && bounds.x + bounds.width > a.x && bounds.y < a.y + a.height && bounds.y + bounds.height > a.y,
  );
}
