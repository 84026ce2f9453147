// The operator's hands to PTZ velocities (renderer/ptz/ptz-input.ts): a drag's distance from its
// start, a joystick's axes past the dead zone, the keys of a focused tile.
import { describe, expect, it } from 'vitest';
import { combine, deadZone, DRAG_START_PX, dragVelocity, GAMEPAD_DEAD_ZONE, gamepadVelocity, heldKeysVelocity, isStill, KEY_SPEED, ptzKey, quantise, wheelZoom, ZOOM_SPEED } from './ptz-input';

const W = 640;
const H = 360;

describe('drag distance to velocity', () => {
  it('a press that moves less than the drag threshold is a click, not a move', () => {
    expect(isStill(dragVelocity(DRAG_START_PX - 1, 0, W, H))).toBe(true);
    expect(isStill(dragVelocity(3, -3, W, H))).toBe(true);
  });

  it('the further from the start point, the faster, full speed at a quarter of the tile, never past 1', () => {
    const speeds = [20, 40, 80, 160, 320].map((dx) => dragVelocity(dx, 0, W, H).pan);
    for (let i = 1; i < speeds.length; i++) expect(speeds[i]!).toBeGreaterThanOrEqual(speeds[i - 1]!);
    expect(speeds[0]!).toBeGreaterThan(0);
    expect(speeds[0]!).toBeLessThan(0.1);
    expect(dragVelocity(W / 4, 0, W, H).pan).toBe(1);
    expect(dragVelocity(W, 0, W, H).pan).toBe(1);
  });

  it('dragging right pans right and dragging up tilts up (screen y grows down, ONVIF tilt grows up)', () => {
    expect(dragVelocity(100, 0, W, H)).toMatchObject({ pan: expect.any(Number), tilt: 0, zoom: 0 });
    expect(dragVelocity(100, 0, W, H).pan).toBeGreaterThan(0);
    expect(dragVelocity(-100, 0, W, H).pan).toBeLessThan(0);
    expect(dragVelocity(0, -60, W, H).tilt).toBeGreaterThan(0);
    expect(dragVelocity(0, 60, W, H).tilt).toBeLessThan(0);
  });

  it('each axis is measured against its own side of the tile', () => {
    // The same fraction of the width and of the height gives the same speed.
    expect(dragVelocity(W * 0.15, H * 0.15, W, H).pan).toBe(-dragVelocity(W * 0.15, H * 0.15, W, H).tilt);
  });

  it('a trembling hand sends the same velocity: values are rounded to a step and never -0', () => {
    expect(dragVelocity(70, 0, W, H)).toEqual(dragVelocity(71, 1, W, H));
    expect(Object.is(quantise(-0.001), 0)).toBe(true);
  });

  it('a tile of no size never divides by zero', () => {
    expect(isStill(dragVelocity(100, 100, 0, 0))).toBe(true);
  });
});

describe('wheel zoom', () => {
  it('away from the user zooms in, towards zooms out, no turn nothing', () => {
    expect(wheelZoom(-100)).toBe(ZOOM_SPEED);
    expect(wheelZoom(3)).toBe(-ZOOM_SPEED);
    expect(wheelZoom(0)).toBe(0);
  });
});

describe('gamepad axes with a dead zone', () => {
  it('a stick resting a little off centre sends nothing', () => {
    expect(deadZone(GAMEPAD_DEAD_ZONE)).toBe(0);
    expect(deadZone(-0.1)).toBe(0);
    expect(isStill(gamepadVelocity([0.08, -0.12, 0, 0.1], 'standard'))).toBe(true);
  });

  it('past the dead zone the speed starts from zero and reaches 1 at full deflection', () => {
    expect(deadZone(GAMEPAD_DEAD_ZONE + 0.05)).toBeLessThan(0.1);
    expect(deadZone(1)).toBe(1);
    expect(deadZone(-1)).toBe(-1);
    expect(deadZone(1.4)).toBe(1);
  });

  it('a broken axis reading (NaN) is nothing, not a move', () => {
    expect(deadZone(Number.NaN)).toBe(0);
  });

  it('standard gamepad: left stick pans and tilts (up is up), right stick up zooms in', () => {
    const v = gamepadVelocity([1, -1, 0, -1], 'standard');
    expect(v).toEqual({ pan: 1, tilt: 1, zoom: 1 });
  });

  it('a CCTV joystick (no standard mapping): axes 0 and 1 pan and tilt, axis 2 zooms', () => {
    expect(gamepadVelocity([-1, 1, 1], '')).toEqual({ pan: -1, tilt: -1, zoom: 1 });
    expect(gamepadVelocity([0, 0], '')).toEqual({ pan: 0, tilt: 0, zoom: 0 });
  });
});

describe('key mapping of a focused PTZ tile', () => {
  it('arrows turn, + and - zoom, Home goes home, Space stops, other keys are left to the wall', () => {
    expect(ptzKey('ArrowLeft')).toEqual({ kind: 'hold', velocity: { pan: -KEY_SPEED, tilt: 0, zoom: 0 } });
    expect(ptzKey('ArrowUp')).toEqual({ kind: 'hold', velocity: { pan: 0, tilt: KEY_SPEED, zoom: 0 } });
    expect(ptzKey('+')).toEqual({ kind: 'hold', velocity: { pan: 0, tilt: 0, zoom: ZOOM_SPEED } });
    expect(ptzKey('=')?.kind).toBe('hold');
    expect(ptzKey('-')).toEqual({ kind: 'hold', velocity: { pan: 0, tilt: 0, zoom: -ZOOM_SPEED } });
    expect(ptzKey('Home')).toEqual({ kind: 'home' });
    expect(ptzKey(' ')).toEqual({ kind: 'stop' });
    for (const k of ['m', 'M', '1', 'Enter', 'Delete', 'Escape', 'Tab']) expect(ptzKey(k)).toBeNull();
  });

  it('Shift gives the arrows full speed', () => {
    expect(ptzKey('ArrowRight', true)).toEqual({ kind: 'hold', velocity: { pan: 1, tilt: 0, zoom: 0 } });
  });

  it('keys held together add up: Left and Up move diagonally, Left and Right cancel', () => {
    expect(heldKeysVelocity(new Map([['ArrowLeft', false], ['ArrowUp', false]]))).toEqual({ pan: -KEY_SPEED, tilt: KEY_SPEED, zoom: 0 });
    expect(isStill(heldKeysVelocity(new Map([['ArrowLeft', false], ['ArrowRight', false]])))).toBe(true);
    expect(isStill(heldKeysVelocity(new Map()))).toBe(true);
  });

  it('hands together stay within -1..1 on each axis', () => {
    expect(combine([{ pan: 0.8, tilt: 0, zoom: 0 }, { pan: 0.8, tilt: -0.3, zoom: 0.5 }])).toEqual({ pan: 1, tilt: -0.3, zoom: 0.5 });
  });
});
