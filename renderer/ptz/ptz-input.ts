// The operator's hands to PTZ velocities (docs/design/ptz.md "What an operator can do"): a drag in the
// tile, the mouse wheel, the keyboard and a joystick or gamepad each become pan, tilt and zoom
// velocities in -1..1 (ONVIF's generic velocity space, as ptz.move takes them). Pure, so the
// mappings are tested without a screen; renderer/ptz/ptz-controller.ts sends them.

export interface PtzVelocity {
  pan: number;
  tilt: number;
  zoom: number;
}

export const STILL: PtzVelocity = Object.freeze({ pan: 0, tilt: 0, zoom: 0 });

/** A drag shorter than this (in px) is a click on the tile (select it, open the single view), not a move. */
export const DRAG_START_PX = 6;
/** The part of the tile's half size a drag must cover for full speed: a quarter of the tile from the start point. */
export const DRAG_FULL_SPEED_FRACTION = 0.5;
/** Velocities are rounded to this step, so a hand that trembles sends the same move again, not a new one. */
export const VELOCITY_STEP = 0.05;
/** The slowest move a drag asks for, as soon as it is a drag: a drag never sits in a band that does nothing. */
export const DRAG_MIN_SPEED = 0.05;
/** A joystick at rest reads a little off centre; less than this on an axis counts as nothing. */
export const GAMEPAD_DEAD_ZONE = 0.15;
/** Zoom speed of the mouse wheel and of the + and - keys. */
export const ZOOM_SPEED = 0.5;
/** Pan and tilt speed of the arrow keys (Shift: full speed). */
export const KEY_SPEED = 0.4;

const clamp1 = (v: number) => Math.max(-1, Math.min(1, v));
/** Rounded to VELOCITY_STEP, never -0 (so equal moves compare equal). */
export const quantise = (v: number) => {
  const q = Math.round(clamp1(v) / VELOCITY_STEP) * VELOCITY_STEP;
  return Math.abs(q) < 1e-9 ? 0 : Number(q.toFixed(2));
};

export function isStill(v: PtzVelocity): boolean {
  return v.pan === 0 && v.tilt === 0 && v.zoom === 0;
}

export function sameVelocity(a: PtzVelocity, b: PtzVelocity): boolean {
  return a.pan === b.pan && a.tilt === b.tilt && a.zoom === b.zoom;
}

/**
 * A drag from the start point to the pointer now, in a tile of `width` x `height` px: the further
 * from the start, the faster, full speed at DRAG_FULL_SPEED_FRACTION of the tile's half size.
 * Dragging right pans right, dragging up tilts up (ONVIF: positive tilt is up, screen y grows down).
 * Within DRAG_START_PX of the start nothing moves; past it the speed starts at DRAG_MIN_SPEED and
 * grows with the square of the distance, so small corrections are slow and a long drag is fast.
 */
export function dragVelocity(dxPx: number, dyPx: number, widthPx: number, heightPx: number): PtzVelocity {
  if (Math.hypot(dxPx, dyPx) < DRAG_START_PX || widthPx <= 0 || heightPx <= 0) return STILL;
  const axis = (d: number, size: number) => {
    const r = clamp1(d / ((size / 2) * DRAG_FULL_SPEED_FRACTION));
    if (Math.abs(d) < DRAG_START_PX / 2) return 0;
    return quantise(Math.sign(r) * (DRAG_MIN_SPEED + (1 - DRAG_MIN_SPEED) * r * r));
  };
  return { pan: axis(dxPx, widthPx), tilt: axis(-dyPx, heightPx), zoom: 0 };
}

/** A wheel turn: away from the user (deltaY < 0) zooms in, towards zooms out. */
export function wheelZoom(deltaY: number): number {
  if (deltaY === 0) return 0;
  return deltaY < 0 ? ZOOM_SPEED : -ZOOM_SPEED;
}

/** An axis with the dead zone taken out and the rest stretched back to 0..1, so control is smooth past it. */
export function deadZone(value: number, zone = GAMEPAD_DEAD_ZONE): number {
  if (!Number.isFinite(value)) return 0;
  const v = clamp1(value);
  if (Math.abs(v) <= zone) return 0;
  return quantise((Math.sign(v) * (Math.abs(v) - zone)) / (1 - zone));
}

/**
 * A gamepad's or joystick's axes to velocities. A gamepad with the browser's `standard` mapping:
 * the left stick pans and tilts, the right stick's vertical axis zooms (up zooms in). Anything else
 * (a CCTV joystick): axes 0 and 1 pan and tilt, axis 2 (the twist or the zoom rocker) zooms. The
 * Gamepad API gives up as -1 on the vertical axes, so tilt and zoom are turned round.
 */
export function gamepadVelocity(axes: readonly number[], mapping: string, zone = GAMEPAD_DEAD_ZONE): PtzVelocity {
  const zoomAxis = mapping === 'standard' ? 3 : 2;
  return {
    pan: deadZone(axes[0] ?? 0, zone),
    tilt: -deadZone(axes[1] ?? 0, zone) || 0,
    zoom: mapping === 'standard' ? -deadZone(axes[zoomAxis] ?? 0, zone) || 0 : deadZone(axes[zoomAxis] ?? 0, zone),
  };
}

/** The button that stops the camera at once: the first (a gamepad's A, a joystick's trigger). */
export const GAMEPAD_STOP_BUTTON = 0;

/** What a key does to a focused PTZ tile: hold a velocity while pressed, or a one-off action. */
export type PtzKey = { kind: 'hold'; velocity: PtzVelocity } | { kind: 'home' } | { kind: 'stop' } | null;

/** The key, as KeyboardEvent.key gives it, to what it does; Shift gives full speed to the arrows. */
export function ptzKey(key: string, shift = false): PtzKey {
  const s = shift ? 1 : KEY_SPEED;
  switch (key) {
    case 'ArrowLeft':
      return { kind: 'hold', velocity: { pan: -s, tilt: 0, zoom: 0 } };
    case 'ArrowRight':
      return { kind: 'hold', velocity: { pan: s, tilt: 0, zoom: 0 } };
    case 'ArrowUp':
      return { kind: 'hold', velocity: { pan: 0, tilt: s, zoom: 0 } };
    case 'ArrowDown':
      return { kind: 'hold', velocity: { pan: 0, tilt: -s, zoom: 0 } };
    case '+':
    case '=':
    case 'Add':
      return { kind: 'hold', velocity: { pan: 0, tilt: 0, zoom: ZOOM_SPEED } };
    case '-':
    case '_':
    case 'Subtract':
      return { kind: 'hold', velocity: { pan: 0, tilt: 0, zoom: -ZOOM_SPEED } };
    case 'Home':
      return { kind: 'home' };
    case ' ':
    case 'Spacebar':
      return { kind: 'stop' };
    default:
      return null;
  }
}

/** The keys held down now, added up (Left and Up together move diagonally; Left and Right cancel). */
export function heldKeysVelocity(held: ReadonlyMap<string, boolean>): PtzVelocity {
  let pan = 0;
  let tilt = 0;
  let zoom = 0;
  for (const [key, shift] of held) {
    const k = ptzKey(key, shift);
    if (k?.kind !== 'hold') continue;
    pan += k.velocity.pan;
    tilt += k.velocity.tilt;
    zoom += k.velocity.zoom;
  }
  return { pan: quantise(pan), tilt: quantise(tilt), zoom: quantise(zoom) };
}

/** Several hands at once (a key held while dragging): added, each axis kept in -1..1. */
export function combine(vs: readonly PtzVelocity[]): PtzVelocity {
  const sum = vs.reduce((a, v) => ({ pan: a.pan + v.pan, tilt: a.tilt + v.tilt, zoom: a.zoom + v.zoom }), STILL);
  return { pan: quantise(sum.pan), tilt: quantise(sum.tilt), zoom: quantise(sum.zoom) };
}
