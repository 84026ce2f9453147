// PTZ sessions (docs/design/ptz.md): who steers which camera, the rules that end a session (release,
// 30 s idle, taken over by a higher role, the holder's session locking or ending, the engine
// stopping), each end audited with its start and reason, the dead-man rule for moves, and the
// return to a chosen preset after a while without control. Time is the engine's injected clock;
// a sweep every 100 ms (real time) applies the rules.
import { PTZ_DEAD_MAN_MS, PTZ_IDLE_RELEASE_MS, type PtzEndReason, type PtzStatusView } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { Session } from '../auth/sessions';
import type { CamerasService } from '../cameras/cameras-service';
import type { PtzConnector, PtzDevice, PtzTarget, PtzVelocity } from '../cameras/onvif-ptz';
import { OnvifError } from '../cameras/onvif-error';
import type { Clock } from '../clock';
import type { EventPublisher } from '../events/domain-events';
import type { Logger } from '../logger';
import { decideAcquire, heldMessage, mayTake, type PtzCaller, type PtzHolder } from './ptz-control';
import { ptzFailure } from './ptz-errors';
import { isStill, PtzLane } from './ptz-lane';
import type { PtzSiteHolders } from './ptz-site';
import type { PtzStore } from './ptz-store';

export interface PtzServiceOptions {
  clock: Clock;
  logger: Logger;
  audit: Pick<AuditLog, 'append'>;
  events: EventPublisher;
  cameras: Pick<CamerasService, 'byId' | 'storedPassword'>;
  connector: PtzConnector;
  store: PtzStore;
  idleReleaseMs?: number;
  deadManMs?: number;
  /** How often the rules are applied (real time). */
  sweepEveryMs?: number;
  /** The camera's privacy masks in force (masks/masks-service.ts): a masked camera is not steered. */
  masks?: { liveMasks(cameraId: number): Promise<readonly unknown[]> };
}

interface Control {
  cameraId: number;
  holder: PtzHolder | null;
  /** The camera's connection while someone steers it. */
  lane: PtzLane | null;
  /** Dead-man: the current move is stopped at this engine time unless the seat repeats it. */
  moveUntilMs: number | null;
  /** The preset to return to, and when (set when the last session ended). */
  park: { presetToken: string; atMs: number } | null;
  /** Taking, ending and parking of this camera happen one at a time. */
  queue: Promise<unknown>;
  /** Work queued or running on it: a control with work is never forgotten (a take may be connecting). */
  busy: number;
}

export const callerOf = (s: Session): PtzCaller => ({ sessionId: s.id, connectionId: s.connectionId, userId: s.userId, username: s.username, displayName: s.displayName, role: s.role });

/** How long a camera found without PTZ is answered so without asking it again (its settings may change). */
export const NO_PTZ_REMEMBERED_MS = 5 * 60_000;
/** How often a node renews its PTZ holders in the site database (ptz-site.ts). */
const RENEW_EVERY_MS = 1000;

export class PtzService {
  readonly idleReleaseMs: number;
  readonly deadManMs: number;
  private readonly controls = new Map<number, Control>();
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private closed = false;
  /** A site of several nodes: the holders of every node, in the database (ptz-site.ts). */
  site: PtzSiteHolders | null = null;
  private renewing: Promise<void> | null = null;
  private renewedAtMono = 0;

  constructor(private readonly o: PtzServiceOptions) {
    this.idleReleaseMs = o.idleReleaseMs ?? PTZ_IDLE_RELEASE_MS;
    this.deadManMs = o.deadManMs ?? PTZ_DEAD_MAN_MS;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.sweep(), this.o.sweepEveryMs ?? 100);
    this.timer.unref();
  }

  private control(cameraId: number): Control {
    let c = this.controls.get(cameraId);
    if (!c) {
      c = { cameraId, holder: null, lane: null, moveUntilMs: null, park: null, queue: Promise.resolve(), busy: 0 };
      this.controls.set(cameraId, c);
    }
    return c;
  }

  /** Runs `fn` after the camera's earlier takes and ends. */
  private exclusive<T>(c: Control, fn: () => Promise<T>): Promise<T> {
    c.busy++;
    const p = c.queue.then(fn).finally(() => c.busy--);
    c.queue = p.catch(() => undefined);
    return p;
  }

  /** How the console reaches the camera's ONVIF service, or why it cannot steer it. */
  async target(cameraId: number): Promise<Result<PtzTarget>> {
    const camera = await this.o.cameras.byId(cameraId);
    if (!camera) return fail('NotFound', `No such camera: ${cameraId}.`);
    if (camera.enabled !== 1) return fail('FailedPrecondition', 'The camera is switched off.');
    if (camera.source_kind !== 'onvif' || !camera.onvif_xaddr) {
      return fail('FailedPrecondition', 'This camera was added by its RTSP address: the console steers only cameras added through ONVIF.');
    }
    const password = camera.has_password ? await this.o.cameras.storedPassword(cameraId) : '';
    if (password === null) return fail('Unavailable', 'The camera’s password is missing from the keychain.');
    return ok({ xaddr: camera.onvif_xaddr, username: camera.username ?? '', password, profileToken: camera.main_profile });
  }

  /**
   * Cameras found without PTZ, and until when that answer stands (engine clock). Every seat asks
   * each tile's camera once per page (renderer/ptz): without this a wall of fixed ONVIF cameras would
   * open one ONVIF connection per tile per page load, and cameras limit their connections.
   */
  private readonly noPtz = new Map<number, { untilMs: number; answer: Result<never> }>();

  /** Runs `fn` on the camera: on the connection of its session, or on one opened for this call. */
  async withDevice<T>(cameraId: number, fn: (device: PtzDevice) => Promise<T>): Promise<Result<T>> {
    const known = this.noPtz.get(cameraId);
    if (known && known.untilMs > this.o.clock.nowMs()) return known.answer;
    try {
      const lane = this.controls.get(cameraId)?.lane;
      if (lane) return ok(await lane.run(fn));
      const t = await this.target(cameraId);
      if (!t.ok) return t;
      let device: PtzDevice;
      try {
        device = await this.o.connector.connect(t.value);
      } catch (err) {
        const answer = ptzFailure(err, this.o.logger, cameraId);
        if (err instanceof OnvifError && err.kind === 'unsupported') this.noPtz.set(cameraId, { untilMs: this.o.clock.nowMs() + NO_PTZ_REMEMBERED_MS, answer });
        return answer;
      }
      try {
        return ok(await fn(device));
      } finally {
        await device.close();
      }
    } catch (err) {
      return ptzFailure(err, this.o.logger, cameraId);
    }
  }

  async status(session: Session, cameraId: number): Promise<PtzStatusView> {
    const c = this.controls.get(cameraId);
    const h = c?.holder ?? (await this.holderElsewhere(cameraId).catch(() => null));
    const park = await this.o.store.park(cameraId);
    return {
      cameraId,
      holder: h && { username: h.username, displayName: h.displayName, role: h.role, sinceMs: h.sinceMs, lastCommandAtMs: h.lastCommandAtMs, mine: h.sessionId === session.id },
      mayTake: mayTake(h, callerOf(session)),
      park: park?.presetToken ? { presetToken: park.presetToken, afterMs: park.afterMs } : null,
      idleReleaseMs: this.idleReleaseMs,
      deadManMs: this.deadManMs,
    };
  }

  async acquire(session: Session, cameraId: number, takeOver: boolean): Promise<Result<PtzStatusView>> {
    if (this.closed) return fail('Unavailable', 'The engine is shutting down.');
    // Privacy masks are drawn for one view of the camera, in picture coordinates (R7;
    // docs/design/privacy-masks.md): turning or zooming it would move what they hide out from under
    // them. Until masks follow the camera's position, a masked camera is not steered.
    if (this.o.masks && (await this.o.masks.liveMasks(cameraId)).length > 0) {
      return fail('FailedPrecondition', 'This camera has privacy masks drawn for one view of it: steering it would uncover what they hide, so it cannot be steered. Use the camera’s own privacy masks for a moving camera.');
    }
    const c = this.control(cameraId);
    const taken = await this.exclusive(c, async (): Promise<Result<true>> => {
      let elsewhere;
      try {
        elsewhere = await this.holderElsewhere(cameraId);
      } catch (err) {
        this.o.logger.warn('who steers a PTZ camera could not be read from the site database', { cameraId, error: err });
        return fail('Unavailable', 'Who steers this camera cannot be checked now (the site database does not answer); try again shortly.');
      }
      // Held at another node: a holder here has lost it already (its node's renewal will say so).
      if (elsewhere && c.holder) await this.finish(c, 'taken_over', { takenBy: elsewhere.username });
      const current = elsewhere ?? c.holder;
      const decision = decideAcquire(current, callerOf(session), takeOver);
      if (decision.kind === 'refused') return fail('FailedPrecondition', heldMessage(decision.holder, decision.canTakeOver));
      if (!c.lane) {
        const t = await this.target(cameraId);
        if (!t.ok) return t;
        try {
          c.lane = new PtzLane(await this.o.connector.connect(t.value), this.deadManMs + 1000);
        } catch (err) {
          return ptzFailure(err, this.o.logger, cameraId);
        }
      }
      const now = this.o.clock.nowMs();
      const next = c.holder?.sessionId === session.id ? { ...c.holder, lastCommandAtMs: now } : { ...callerOf(session), sinceMs: now, lastCommandAtMs: now };
      if (this.site && !(await this.claimOnSite(cameraId, next, current?.sessionId ?? null))) {
        if (!c.holder) await this.closeLane(c);
        return fail('FailedPrecondition', 'Someone took control of this camera at the same moment: look who steers it and try again.');
      }
      // A holder at this node is ended here; one at another node by its node, when it renews.
      if (decision.previous && decision.previous === c.holder) await this.endHolding(c, 'taken_over', { takenBy: session.username });
      if (c.holder?.sessionId === session.id) c.holder.lastCommandAtMs = now;
      else {
        c.holder = { ...callerOf(session), sinceMs: now, lastCommandAtMs: now };
        this.o.events.publish({ type: 'ptz.changed', cameraId, held: true });
      }
      c.park = null; // someone is steering it: no return to the park preset
      return ok(true);
    });
    return taken.ok ? ok(await this.status(session, cameraId)) : taken;
  }

  /** The camera's session if the caller holds it, else why not. */
  held(session: Session, cameraId: number): Result<Control & { holder: PtzHolder; lane: PtzLane }> {
    const c = this.controls.get(cameraId);
    if (!c?.holder || !c.lane) return fail('FailedPrecondition', 'Nobody steers this camera: take control of it first.');
    if (c.holder.sessionId !== session.id) return fail('FailedPrecondition', heldMessage(c.holder, mayTake(c.holder, callerOf(session))));
    c.holder.lastCommandAtMs = this.o.clock.nowMs();
    return ok(c as Control & { holder: PtzHolder; lane: PtzLane });
  }

  /** A command of the holder on its camera's connection (moves to presets and home, saving them). */
  async onHeld<T>(session: Session, cameraId: number, fn: (device: PtzDevice) => Promise<T>): Promise<Result<T>> {
    const h = this.held(session, cameraId);
    if (!h.ok) return h;
    h.value.moveUntilMs = null; // a move to a position replaces the continuous move
    try {
      return ok(await h.value.lane.run(fn));
    } catch (err) {
      return this.laneFailure(h.value, session, err);
    }
  }

  async move(session: Session, cameraId: number, v: PtzVelocity): Promise<Result<{ done: true; standsForMs: number }>> {
    const h = this.held(session, cameraId);
    if (!h.ok) return h;
    const c = h.value;
    c.moveUntilMs = isStill(v) ? null : this.o.clock.nowMs() + this.deadManMs;
    try {
      await c.lane.move(v);
    } catch (err) {
      return this.laneFailure(c, session, err);
    }
    return ok({ done: true, standsForMs: this.deadManMs });
  }

  async stop(session: Session, cameraId: number): Promise<Result<{ done: true }>> {
    const h = this.held(session, cameraId);
    if (!h.ok) return h;
    h.value.moveUntilMs = null;
    try {
      await h.value.lane.stop();
    } catch (err) {
      return this.laneFailure(h.value, session, err);
    }
    return ok({ done: true });
  }

  private laneFailure(c: Control, session: Session, err: unknown): Result<never> {
    // The session ended while the call waited (taken over, idle): say so rather than the closed connection.
    if (c.holder?.sessionId !== session.id) return fail('FailedPrecondition', 'You no longer steer this camera.');
    return ptzFailure(err, this.o.logger, c.cameraId);
  }

  async release(session: Session, cameraId: number): Promise<Result<{ done: true }>> {
    const c = this.controls.get(cameraId);
    if (c) await this.exclusive(c, () => (c.holder?.sessionId === session.id ? this.finish(c, 'released') : Promise.resolve()));
    return ok({ done: true });
  }

  /**
   * The camera's privacy masks changed (R7): a camera with masks in force is no longer steered, so
   * whoever steers it lets go now (audited `masked`) and it does not return to a park preset.
   */
  async masksChanged(cameraId: number): Promise<void> {
    const c = this.controls.get(cameraId);
    if (!c?.holder || !this.o.masks || (await this.o.masks.liveMasks(cameraId)).length === 0) return;
    await this.exclusive(c, async () => {
      if (c.holder) await this.finish(c, 'masked');
      c.park = null;
    });
  }

  /** Another node of the site changed cameras (their masks, perhaps): each camera steered here is
   *  checked again, as masksChanged does for a save at this node. */
  async camerasChangedElsewhere(): Promise<void> {
    for (const c of [...this.controls.values()]) if (c.holder) await this.masksChanged(c.cameraId);
  }

  /** The session on a seat locked or ended: its moves stop at once, then its PTZ sessions end. */
  async endSessionsOf(sessionId: string, reason: PtzEndReason): Promise<void> {
    const mine = [...this.controls.values()].filter((c) => c.holder?.sessionId === sessionId);
    await Promise.all(
      mine.map(async (c) => {
        c.moveUntilMs = null;
        if (c.lane?.moving) await c.lane.stop().catch((err: unknown) => this.o.logger.warn('PTZ stop failed', { cameraId: c.cameraId, error: err }));
        await this.exclusive(c, () => (c.holder?.sessionId === sessionId ? this.finish(c, reason) : Promise.resolve()));
      }),
    );
  }

  /** Ends the holder's session (audited, pushed) and closes the camera's connection; the park timer starts. */
  private async finish(c: Control, reason: PtzEndReason, extra: Record<string, unknown> = {}): Promise<void> {
    await this.endHolding(c, reason, extra);
    await this.closeLane(c);
    if (this.closed || reason === 'taken_over') return;
    const park = await this.o.store.park(c.cameraId);
    if (park?.presetToken) c.park = { presetToken: park.presetToken, atMs: this.o.clock.nowMs() + park.afterMs };
  }

  private async closeLane(c: Control): Promise<void> {
    const lane = c.lane;
    c.lane = null;
    await lane?.close().catch((err: unknown) => this.o.logger.warn('closing a PTZ connection failed', { cameraId: c.cameraId, error: err }));
  }

  private async endHolding(c: Control, reason: PtzEndReason, extra: Record<string, unknown> = {}): Promise<void> {
    const h = c.holder;
    if (!h) return;
    c.holder = null;
    c.moveUntilMs = null;
    // Free for the other nodes at once (not only when the row goes stale).
    await this.site?.release(c.cameraId, h.sessionId).catch((err: unknown) => this.o.logger.warn('a PTZ holder not removed from the site database (it goes stale)', { cameraId: c.cameraId, error: err }));
    if (c.lane?.moving) await c.lane.stop().catch((err: unknown) => this.o.logger.warn('PTZ stop failed', { cameraId: c.cameraId, error: err }));
    const endedAtMs = this.o.clock.nowMs();
    if (reason !== 'taken_over') this.o.events.publish({ type: 'ptz.changed', cameraId: c.cameraId, held: false });
    try {
      await this.o.audit.append({
        actor: h.username,
        action: 'ptz.session.ended',
        target: `camera#${c.cameraId}`,
        outcome: 'allowed',
        details: { startedAtMs: h.sinceMs, endedAtMs, durationMs: endedAtMs - h.sinceMs, reason, ...extra },
      });
    } catch (err) {
      // The session has ended whatever the log does: its camera connection must still close.
      this.o.logger.error('auditing the end of a PTZ session failed', { cameraId: c.cameraId, error: err });
    }
  }

  /** The rules, applied: dead-man stops, idle releases, returns to the park preset. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = this.o.clock.nowMs();
    const work: Promise<unknown>[] = [];
    // Never awaited here: the dead-man stops below must not wait for the site database.
    if (this.site && !this.renewing && performance.now() - this.renewedAtMono >= RENEW_EVERY_MS) {
      this.renewedAtMono = performance.now();
      this.renewing = this.renewOnSite(this.site).finally(() => (this.renewing = null));
    }
    for (const c of this.controls.values()) {
      if (c.holder && c.lane && c.moveUntilMs !== null && now >= c.moveUntilMs) {
        // Dead-man: the seat stopped repeating its move (gone silent, frozen, cut off).
        c.moveUntilMs = null;
        work.push(c.lane.stop().catch((err: unknown) => this.o.logger.warn('PTZ dead-man stop failed', { cameraId: c.cameraId, error: err })));
      }
      const h = c.holder;
      if (h && now - h.lastCommandAtMs >= this.idleReleaseMs) {
        work.push(this.exclusive(c, () => (c.holder === h && this.o.clock.nowMs() - h.lastCommandAtMs >= this.idleReleaseMs ? this.finish(c, 'idle') : Promise.resolve())));
      }
      if (!c.holder && c.park && now >= c.park.atMs) {
        const { presetToken } = c.park;
        c.park = null;
        work.push(this.exclusive(c, () => this.parkCamera(c, presetToken)));
      }
      if (!c.holder && !c.lane && !c.park && c.busy === 0) this.controls.delete(c.cameraId);
    }
    await Promise.all(work).catch((err: unknown) => this.o.logger.error('PTZ sweep failed', { error: err }));
  }

  private async parkCamera(c: Control, presetToken: string): Promise<void> {
    if (c.holder || this.closed) return;
    // Steered from another node now (or that cannot be known): it is not turned away from under them.
    if (await this.holderElsewhere(c.cameraId).catch(() => true)) return;
    const r = await this.withDevice(c.cameraId, (d) => d.gotoPreset(presetToken));
    if (r.ok) this.o.logger.info('PTZ camera returned to its park preset', { cameraId: c.cameraId });
    else this.o.logger.warn('PTZ camera could not return to its park preset', { cameraId: c.cameraId, error: r.error.message });
  }

  private holderElsewhere(cameraId: number): Promise<PtzHolder | null> {
    return this.site ? this.site.elsewhere(cameraId) : Promise.resolve(null);
  }

  private async claimOnSite(cameraId: number, next: PtzHolder, expected: string | null): Promise<boolean> {
    try {
      return await this.site!.claim(cameraId, next, expected);
    } catch (err) {
      this.o.logger.warn('a PTZ take not written to the site database: refused', { cameraId, error: err });
      return false;
    }
  }

  /** This node's holders renewed in the site database; one whose camera another seat took ends here. */
  private async renewOnSite(site: PtzSiteHolders): Promise<void> {
    const held = [...this.controls.values()].flatMap((c) => (c.holder ? [{ cameraId: c.cameraId, holder: c.holder }] : []));
    let lost: Map<number, string | null>;
    try {
      lost = await site.renew(held);
    } catch (err) {
      // Nobody at another node can take them either while the database is away.
      return this.o.logger.warn('PTZ holders not renewed in the site database', { error: err });
    }
    await Promise.all(
      held
        .filter((h) => lost.has(h.cameraId))
        .map(({ cameraId, holder }) => {
          const c = this.controls.get(cameraId)!;
          c.moveUntilMs = null;
          return this.exclusive(c, () => (c.holder === holder ? this.finish(c, 'taken_over', lost.get(cameraId) ? { takenBy: lost.get(cameraId) } : {}) : Promise.resolve()));
        }),
    );
  }

  /** The engine stops: every move stops, every session ends (audited), every connection closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
    await this.renewing;
    await Promise.all([...this.controls.values()].map((c) => this.exclusive(c, () => this.finish(c, 'engine_stopped'))));
  }
}
