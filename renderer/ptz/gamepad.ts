// A USB joystick or gamepad steers the PTZ tile the operator last touched or focused (Gamepad API).
// Browsers do not push axis changes, so the pads are read every POLL_MS, and only while one is
// connected and a PTZ tile is on screen. The mapping is renderer/ptz/ptz-input.ts gamepadVelocity.
import { getGamepadTarget } from './ptz-controller';
import { GAMEPAD_STOP_BUTTON, gamepadVelocity, isStill, STILL, type PtzVelocity } from './ptz-input';

const POLL_MS = 50;
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;
let stopHeld = false;

function pads(): Gamepad[] {
  if (typeof navigator === 'undefined' || typeof navigator.getGamepads !== 'function') return [];
  return navigator.getGamepads().filter((p): p is Gamepad => p !== null && p.connected);
}

function poll(): void {
  const connected = pads();
  if (connected.length === 0) return stopPolling();
  const target = getGamepadTarget();
  if (!target) return;
  // The first pad off centre steers; the stop button of any pad stops.
  let v: PtzVelocity = STILL;
  let stop = false;
  for (const pad of connected) {
    if (pad.buttons[GAMEPAD_STOP_BUTTON]?.pressed) stop = true;
    const pv = gamepadVelocity(pad.axes, pad.mapping);
    if (isStill(v) && !isStill(pv)) v = pv;
  }
  if (stop) {
    // Held down, it keeps the camera still; it stops once per press, not 20 times a second.
    if (!stopHeld) target.stopAll();
    stopHeld = true;
    return;
  }
  stopHeld = false;
  target.setVelocity('gamepad', v);
}

function startPolling(): void {
  if (timer === null && users > 0 && pads().length > 0) timer = setInterval(poll, POLL_MS);
}

function stopPolling(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
  getGamepadTarget()?.setVelocity('gamepad', STILL);
}

const onConnected = () => startPolling();
const onDisconnected = () => {
  if (pads().length === 0) stopPolling();
};

/** Counted: the pads are read while at least one PTZ tile is shown. Returns the undo. */
export function watchGamepads(): () => void {
  users++;
  if (users === 1 && typeof window !== 'undefined') {
    window.addEventListener('gamepadconnected', onConnected);
    window.addEventListener('gamepaddisconnected', onDisconnected);
  }
  startPolling();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    users--;
    if (users > 0) return;
    window.removeEventListener('gamepadconnected', onConnected);
    window.removeEventListener('gamepaddisconnected', onDisconnected);
    stopPolling();
  };
}
