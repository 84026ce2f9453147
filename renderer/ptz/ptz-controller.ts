// One camera's PTZ control as this seat sees it (docs/design/ptz.md): whether the camera can be
// steered at all, who holds it (ptz.status, reloaded on ptz.changed), its presets, and the velocity
// the operator's hands ask for. The first move takes the camera (ptz.acquire without takeOver: a
// colleague's camera is never taken by a drag); a held velocity is repeated every REPEAT_MS, well
// inside the engine's dead-man time, and a stop is sent the moment the hands let go. One
// controller per camera per page, shared by the wall's tile and the single view.
import type { PtzPresetView, PtzStatusView, ResponseOf } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import type { ApiClient } from '../api/client';
import type { PtzOp } from './ptz-error-text';
import { combine, isStill, sameVelocity, STILL, type PtzVelocity } from './ptz-input';

/** Repeat of a held move: the engine stops a move not repeated within PTZ_DEAD_MAN_MS (1 s); "every 250-500 ms is right". */
export const REPEAT_MS = 300;
/** A camera found without PTZ is asked again after this (it may be switched on, or re-added through ONVIF). */
const NO_PTZ_RECHECK_MS = 5 * 60_000;
/** A controller whose last tile went away is kept this long: a layout switch remounts the tiles. */
const DISPOSE_AFTER_MS = 2_000;

export type PtzSource = 'drag' | 'keys' | 'wheel' | 'gamepad';
/** unknown: not asked yet or the camera did not answer; none: the engine says it cannot be steered. */
export type PtzSupport = 'unknown' | 'checking' | 'yes' | 'none';

export interface PtzSnapshot {
  support: PtzSupport;
  status: PtzStatusView | null;
  presets: readonly PtzPresetView[];
  homeSupported: boolean | null;
  /** The velocity sent last (STILL once stopped). */
  moving: boolean;
  /** The last refusal or failure and the command it answered, until the next success. */
  error: { op: PtzOp; error: CommandError } | null;
  /** A command of the panel (go, save, take over) under way. */
  busy: boolean;
}

type Api = Pick<ApiClient, 'call' | 'onEvent' | 'onResync'>;

export class PtzController {
  private snap: PtzSnapshot = { support: 'unknown', status: null, presets: [], homeSupported: null, moving: false, error: null, busy: false };
  private readonly listeners = new Set<() => void>();
  private readonly wanted = new Map<PtzSource, PtzVelocity>();
  private sent: PtzVelocity = STILL;
  private sending = false;
  private repeatTimer: ReturnType<typeof setTimeout> | null = null;
  /** A gesture whose acquire was refused does not ask again until the hands let go. */
  private refusedGesture = false;
  private checkedAtMs = 0;
  private readonly unsubscribe: (() => void)[] = [];
  users = 0;
  disposeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly api: Api,
    readonly cameraId: number,
  ) {
    this.unsubscribe.push(
      api.onEvent((e) => {
        if (e.type === 'ptz.changed' && e.cameraId === cameraId) void this.refreshStatus();
      }),
      api.onResync(() => void this.refreshStatus()),
    );
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): PtzSnapshot => this.snap;

  private set(patch: Partial<PtzSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const l of this.listeners) l();
  }

  /** Whether the camera can be steered: ptz.presets answers only for a camera with a PTZ service (the seat has no other way to learn it). */
  async check(force = false): Promise<void> {
    const s = this.snap.support;
    if (s === 'checking' || (!force && s === 'yes') || (!force && s === 'none' && Date.now() - this.checkedAtMs < NO_PTZ_RECHECK_MS)) return;
    this.set({ support: 'checking' });
    const r = await this.api.call('ptz.presets', { cameraId: this.cameraId });
    this.checkedAtMs = Date.now();
    if (r.ok) {
      this.applyPresets(r.value);
      this.set({ support: 'yes' });
      await this.refreshStatus();
    } else {
      // FailedPrecondition: added by RTSP, switched off, or no PTZ service; NotFound: not visible.
      // Anything else (a camera not answering) leaves it to be asked again.
      this.set({ support: r.error.kind === 'FailedPrecondition' || r.error.kind === 'NotFound' || r.error.kind === 'PermissionDenied' ? 'none' : 'unknown' });
    }
  }

  private applyPresets(v: ResponseOf<'ptz.presets'>): void {
    const presets = [...v.presets].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
    this.set({ presets, homeSupported: v.homeSupported });
  }

  async refreshStatus(): Promise<void> {
    if (this.snap.support !== 'yes') return;
    const r = await this.api.call('ptz.status', { cameraId: this.cameraId });
    if (r.ok) this.set({ status: r.value });
  }

  async reloadPresets(): Promise<void> {
    const r = await this.api.call('ptz.presets', { cameraId: this.cameraId });
    if (r.ok) this.applyPresets(r.value);
  }

  private held(): boolean {
    return this.snap.status?.holder?.mine === true;
  }

  /** Takes the camera if this seat does not hold it; takeOver only when the operator asked for it. */
  async acquire(takeOver = false): Promise<boolean> {
    if (this.held() && !takeOver) return true;
    const r = await this.api.call('ptz.acquire', { cameraId: this.cameraId, ...(takeOver ? { takeOver: true } : {}) });
    if (!r.ok) {
      this.set({ error: { op: takeOver ? 'takeOver' : 'acquire', error: r.error } });
      await this.refreshStatus();
      return false;
    }
    this.set({ status: r.value, error: null });
    return true;
  }

  /** What one hand asks for now; the hands together are what the camera is sent. */
  setVelocity(source: PtzSource, v: PtzVelocity): void {
    if (isStill(v)) this.wanted.delete(source);
    else this.wanted.set(source, v);
    const target = this.target();
    if (isStill(target)) this.refusedGesture = false;
    void this.pump();
  }

  /** Stops at once, whatever any hand still holds (Space, the gamepad's stop button). */
  stopAll(): void {
    this.wanted.clear();
    this.refusedGesture = false;
    void this.pump();
  }

  private target(): PtzVelocity {
    return this.wanted.size === 0 ? STILL : combine([...this.wanted.values()]);
  }

  /** Sends what the hands want, one command at a time: the newest wish after the one in flight. */
  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (;;) {
        const target = this.target();
        if (sameVelocity(target, this.sent)) break;
        if (isStill(target)) {
          this.sent = STILL;
          this.clearRepeat();
          this.set({ moving: false });
          if (this.held()) await this.api.call('ptz.stop', { cameraId: this.cameraId });
          continue;
        }
        if (this.refusedGesture) break;
        if (!this.held() && !(await this.acquire())) {
          this.refusedGesture = true;
          break;
        }
        if (!(await this.sendMove(target))) break;
      }
    } finally {
      this.sending = false;
    }
  }

  private async sendMove(v: PtzVelocity): Promise<boolean> {
    this.sent = v;
    this.set({ moving: true });
    const r = await this.api.call('ptz.move', { cameraId: this.cameraId, ...v });
    if (!r.ok) {
      // Taken over, released for idleness, or the camera refusing: the gesture ends here.
      this.sent = STILL;
      this.refusedGesture = true;
      this.clearRepeat();
      this.set({ moving: false, error: { op: 'move', error: r.error } });
      await this.refreshStatus();
      return false;
    }
    if (this.snap.error) this.set({ error: null });
    this.scheduleRepeat();
    return true;
  }

  private scheduleRepeat(): void {
    this.clearRepeat();
    this.repeatTimer = setTimeout(() => {
      this.repeatTimer = null;
      const target = this.target();
      if (isStill(target) || this.sending || !sameVelocity(target, this.sent)) return;
      this.sending = true;
      void this.sendMove(target).finally(() => {
        this.sending = false;
        void this.pump();
      });
    }, REPEAT_MS);
  }

  private clearRepeat(): void {
    if (this.repeatTimer) clearTimeout(this.repeatTimer);
    this.repeatTimer = null;
  }

  /** A command of the panel that needs the camera held: takes it first if free. */
  private async asHolder(op: PtzOp, run: () => Promise<{ ok: true } | { ok: false; error: CommandError }>): Promise<boolean> {
    this.set({ busy: true });
    try {
      if (!(await this.acquire())) return false;
      const r = await run();
      this.set({ error: r.ok ? null : { op, error: r.error } });
      return r.ok;
    } finally {
      this.set({ busy: false });
    }
  }

  gotoPreset(presetToken: string): Promise<boolean> {
    return this.asHolder('preset', () => this.api.call('ptz.gotoPreset', { cameraId: this.cameraId, presetToken }));
  }

  home(): Promise<boolean> {
    return this.asHolder('home', () => this.api.call('ptz.home', { cameraId: this.cameraId }));
  }

  async savePreset(name: string, presetToken?: string): Promise<boolean> {
    const saved = await this.asHolder('save', () => this.api.call('ptz.savePreset', { cameraId: this.cameraId, name, ...(presetToken ? { presetToken } : {}) }));
    if (saved) await this.reloadPresets();
    return saved;
  }

  async takeOver(): Promise<boolean> {
    this.set({ busy: true });
    try {
      return await this.acquire(true);
    } finally {
      this.set({ busy: false });
    }
  }

  async release(): Promise<void> {
    this.stopAll();
    if (!this.held()) return;
    const r = await this.api.call('ptz.release', { cameraId: this.cameraId });
    if (!r.ok) this.set({ error: { op: 'release', error: r.error } });
    await this.refreshStatus();
  }

  clearError(): void {
    if (this.snap.error) this.set({ error: null });
  }

  dispose(): void {
    this.stopAll();
    this.clearRepeat();
    if (this.held()) void this.api.call('ptz.release', { cameraId: this.cameraId });
    for (const u of this.unsubscribe) u();
    this.listeners.clear();
  }
}

const controllers = new Map<number, PtzController>();

/** The page's controller of `cameraId`, counted in use until `release` is called. */
export function takeController(api: Api, cameraId: number): { controller: PtzController; release: () => void } {
  let c = controllers.get(cameraId);
  if (!c) {
    c = new PtzController(api, cameraId);
    controllers.set(cameraId, c);
  }
  const controller = c;
  controller.users++;
  if (controller.disposeTimer) clearTimeout(controller.disposeTimer);
  controller.disposeTimer = null;
  let released = false;
  return {
    controller,
    release: () => {
      if (released) return;
      released = true;
      controller.users--;
      if (controller.users > 0) return;
      // Stopped at once (a tile gone mid-drag); let go of the camera only if no tile comes back.
      controller.stopAll();
      controller.disposeTimer = setTimeout(() => {
        if (controller.users > 0) return;
        controllers.delete(cameraId);
        controller.dispose();
      }, DISPOSE_AFTER_MS);
    },
  };
}

/** The controller the gamepad steers: the PTZ tile the operator last touched or focused. */
let gamepadTarget: PtzController | null = null;
export function setGamepadTarget(c: PtzController | null): void {
  if (gamepadTarget && gamepadTarget !== c) gamepadTarget.setVelocity('gamepad', STILL);
  gamepadTarget = c;
}
export function getGamepadTarget(): PtzController | null {
  return gamepadTarget;
}
