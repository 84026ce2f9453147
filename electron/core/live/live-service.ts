// Live view (docs/design/overview.md §3, docs/design/live-pipeline.md): one ingest per camera stream shared by every viewer,
// packaged as LL-HLS in memory, behind per-view tokens. Main streams of enabled cameras are ingested
// continuously (recording uses them); sub streams start when a tile needs one and stop after an
// idle grace period. Views are audited from open to end (ELB 1.6).
import { randomBytes, randomUUID } from 'node:crypto';
import type { StreamKind, TileState } from '../../../shared/cameras';
import type { StreamStatusView } from '../../../shared/contract';
import type { MaskShape } from '../../../shared/privacy-masks';
import type { AuditLog } from '../audit/audit-log';
import type { Permission } from '../../../shared/roles';
import { sessionMay, type SessionRegistry } from '../auth/sessions';
import type { CameraRow, CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import type { EventPublisher } from '../events/domain-events';
import type { Logger } from '../logger';
import type { Fragment, InitSegment } from '../media/fmp4';
import { StreamIngest, type IngestStatus, type SpawnFn } from '../media/ingest';
import type { RtspRelay } from '../media/rtsp-relay';
import { SharedClaims } from '../nodes/shared-claims';
import type { SiteMedia, Standing } from '../nodes/site-media';
import { FragmentFeed, FragmentSockets } from './fragment-feed';
import { LlHlsPackager } from './ll-hls';

export interface LiveOptions {
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  sessions: SessionRegistry;
  cameras: CamerasService;
  ffmpeg: { path: string } | { error: string };
  /** A view whose media is not requested for this long ends (its token expires). */
  viewIdleMs?: number;
  /** A sub stream without viewers is stopped after this long. */
  subGraceMs?: number;
  stallMs?: number;
  spawnFn?: SpawnFn;
  /** The engine's credential relay: ffmpeg never gets a camera password (media/rtsp-relay.ts). */
  relay?: RtspRelay;
  /** Pushed events (docs/design/events.md): each stream's state as it changes (the bus coalesces bursts). */
  events?: EventPublisher;
}

export interface StreamListener {
  onInit(init: InitSegment): void;
  onFragment(fragment: Fragment, arrivedAtMs: number): void;
  onEnd(): void;
}

interface StreamEntry {
  key: string;
  cameraId: number;
  kind: StreamKind;
  connectUrl: string;
  /** What the ingest burns in at the source ('' when nothing): a change restarts it. */
  maskKey: string;
  ingest: StreamIngest;
  packager: LlHlsPackager;
  /** The fragment path's fan-out to the seats' sockets (fragment-feed.ts). */
  feed: FragmentFeed;
  lastViewerAtMono: number;
}

export interface View {
  id: string;
  token: string;
  sessionId: string;
  connectionId: string;
  userId: number;
  username: string;
  cameraId: number;
  kind: StreamKind;
  openedAtMs: number;
  lastUsedAtMs: number;
  /** Granted by the node the seat signed in at (docs/design/scale.md "Seats on any node"): its
   *  session is checked in the site's database, not in this node's registry. */
  remote?: true;
  /** What its session must be allowed (default live.view; a still of the masks editor: cameras.manage). */
  permission?: Permission;
}

export type Authorized = { ok: true; view: View; stream: StreamEntry } | { ok: false; why: string };

export class LiveService {
  private streams = new Map<string, StreamEntry>();
  private views = new Map<string, View>();
  private byToken = new Map<string, View>();
  private visibility = new Map<string, { ok: boolean; atMono: number }>();
  /** Main-stream listeners per camera; they outlive stream restarts (address changes, reconnects). */
  private mainListeners = new Map<number, Set<StreamListener>>();
  private sweeper: NodeJS.Timeout;
  mediaOrigin = '';
  /** The origin a connection reaches the engine's media at, when not mediaOrigin (site engine seats: docs/design/site-engine.md). */
  originOf: (connectionId: string) => string | undefined = () => undefined;
  /** A camera's permanent masks, for cameras masked at the source (docs/design/privacy-masks.md). Until
   *  the engine sets it such a camera is not ingested at all (fail closed). */
  permanentMasks: ((cameraId: number) => Promise<readonly MaskShape[]>) | null = null;
  /** The fragment path's sockets, opened with a view's token and checked as LL-HLS requests are. */
  readonly feeds = new FragmentSockets((token, cameraId, kind) => this.authorize(token, cameraId, kind));

  constructor(private readonly o: LiveOptions) {
    this.sweeper = setInterval(() => void this.sweep(), 1000);
    this.sweeper.unref();
  }

  /** Several nodes (docs/design/scale.md): whether this node ingests a camera (holds its lease). */
  ingestsHere: ((cameraId: number) => boolean) | null = null;

  /** Several nodes: another node ingests the camera (or none does now); false on one machine. */
  ingestedElsewhere(cameraId: number): boolean {
    return this.ingestsHere !== null && !this.ingestsHere(cameraId);
  }
  /** Several nodes: views other nodes granted on this one, their sessions, and this node's stream
   *  states for the other nodes' seats (nodes/site-media.ts). */
  site: Pick<SiteMedia, 'claim' | 'standing' | 'viewEnded' | 'publishState' | 'statesOf'> | null = null;
  private readonly claims = new SharedClaims<View>();
  private statePublished: Promise<void> = Promise.resolve();

  /** Starts main ingest for every enabled camera this node ingests, stops what is no longer wanted. */
  async syncCameras(): Promise<void> {
    const cameras = await this.o.cameras.all();
    const wanted = new Set<string>();
    for (const c of cameras) {
      if (c.enabled !== 1 || this.ingestedElsewhere(c.id)) continue;
      wanted.add(`${c.id}:main`);
      await this.ensureStream(c, 'main');
      if (this.streams.has(`${c.id}:sub`) && c.sub_url) {
        wanted.add(`${c.id}:sub`);
        await this.ensureStream(c, 'sub');
      }
    }
    const disabled = new Set(cameras.filter((c) => c.enabled !== 1).map((c) => c.id));
    for (const [key, s] of this.streams) {
      if (wanted.has(key)) continue;
      this.stopStream(s);
      if (disabled.has(s.cameraId)) this.o.events?.publish({ type: 'camera.state', cameraId: s.cameraId, stream: s.kind, state: 'disabled', sinceMs: this.o.clock.nowMs() });
    }
  }

  /** Stops at once, without asking the database, every stream of a camera this node no longer
   *  ingests (its lease ended: another node may be starting it, docs/design/scale.md "Leases"). */
  stopNotIngestedHere(): void {
    if (!this.ingestsHere) return;
    for (const s of [...this.streams.values()]) if (!this.ingestsHere(s.cameraId)) this.stopStream(s);
  }

  private async ensureStream(camera: CameraRow, kind: StreamKind): Promise<StreamEntry> {
    const key = `${camera.id}:${kind}`;
    const connectUrl = (kind === 'main' ? camera.main_url : camera.sub_url) ?? '';
    const existing = this.streams.get(key);
    const maskKey = await this.maskKeyOf(camera);
    // Restart when the camera's address changed (credentials are read fresh at each connect), or
    // what it burns in at the source (the ingest reads the masks afresh when it starts over).
    if (existing && existing.connectUrl === connectUrl) {
      if (existing.maskKey !== maskKey) {
        existing.maskKey = maskKey;
        existing.ingest.restart('Restarting with the camera’s new privacy masks.');
        // What seats could still fetch of the run before shows what the new masks hide.
        existing.packager.discard();
      }
      return existing;
    }
    if (existing) this.stopStream(existing);
    const packager = new LlHlsPackager();
    const feed = new FragmentFeed();
    const listeners = kind === 'main' ? this.listenersOf(camera.id) : new Set<StreamListener>();
    const ingest = new StreamIngest({
      label: key,
      url: async () => {
        const fresh = await this.o.cameras.byId(camera.id);
        if (!fresh) throw new Error('camera removed');
        return this.o.cameras.connectTarget(fresh, kind);
      },
      ffmpeg: this.o.ffmpeg,
      clock: this.o.clock,
      logger: this.o.logger,
      stallMs: this.o.stallMs,
      spawnFn: this.o.spawnFn,
      relay: this.o.relay,
      sourceMasks: async () => {
        const fresh = await this.o.cameras.byId(camera.id);
        return fresh?.mask_at_source === 1 ? this.masksAtSource(camera.id) : [];
      },
      onInit: (init) => {
        packager.setInit(init);
        feed.onInit(init);
        for (const l of listeners) l.onInit(init);
      },
      onFragment: (f, at) => {
        packager.addFragment(f, at);
        feed.onFragment(f, at);
        for (const l of listeners) l.onFragment(f, at);
      },
      onEnd: () => {
        packager.end();
        feed.onEnd();
        for (const l of listeners) l.onEnd();
      },
      // 'idle' is a stopped ingest: its stream goes away, and what status() reports then is not its.
      onStatus: (st) => {
        if (st.state === 'idle') return;
        this.o.events?.publish({ type: 'camera.state', cameraId: camera.id, stream: kind, state: toTileStatus(st).state, sinceMs: st.sinceMs });
        this.publishState(camera.id, kind, toTileStatus(st));
      },
    });
    const entry: StreamEntry = { key, cameraId: camera.id, kind, connectUrl, maskKey, ingest, packager, feed, lastViewerAtMono: performance.now() };
    this.streams.set(key, entry);
    ingest.start();
    return entry;
  }

  /** In order, one at a time: the other nodes' seats read the last state this node had (null: the stream stopped here). */
  private publishState(cameraId: number, kind: StreamKind, status: StreamStatusView | null): void {
    const site = this.site;
    if (!site) return;
    this.statePublished = this.statePublished
      .then(() => site.publishState(cameraId, kind, status))
      .catch((err: unknown) => this.o.logger.warn('stream state not written for the other nodes', { cameraId, stream: kind, error: err instanceof Error ? err.message : String(err) }));
  }

  private async masksAtSource(cameraId: number): Promise<readonly MaskShape[]> {
    if (!this.permanentMasks) throw new Error('the privacy masks are not available yet');
    return (await this.permanentMasks(cameraId)).filter((m) => m.kind === 'permanent');
  }

  private async maskKeyOf(camera: CameraRow): Promise<string> {
    if (camera.mask_at_source !== 1) return '';
    try {
      const masks = await this.masksAtSource(camera.id);
      return masks.length > 0 ? JSON.stringify(masks) : ''; // nothing to hide: copied as usual
    } catch {
      return 'unreadable'; // the ingest fails closed on the same error and retries
    }
  }

  private stopStream(s: StreamEntry) {
    this.publishState(s.cameraId, s.kind, null);
    s.ingest.stop();
    s.packager.end();
    s.feed.close('stream stopped');
    if (s.kind === 'main') for (const l of this.listenersOf(s.cameraId)) l.onEnd();
    this.streams.delete(s.key);
  }

  private listenersOf(cameraId: number): Set<StreamListener> {
    let set = this.mainListeners.get(cameraId);
    if (!set) this.mainListeners.set(cameraId, (set = new Set()));
    return set;
  }

  /** Subscribes to a camera's main-stream fragments (the recorder uses this: no second RTSP connection). */
  subscribe(cameraId: number, listener: StreamListener): () => void {
    this.listenersOf(cameraId).add(listener);
    const init = this.streams.get(`${cameraId}:main`)?.packager.initSegment;
    if (init) listener.onInit(init);
    return () => this.listenersOf(cameraId).delete(listener);
  }

  async open(session: { id: string; connectionId: string; userId: number; username: string }, camera: CameraRow, kind: StreamKind): Promise<View> {
    const stream = await this.ensureStream(camera, kind);
    stream.lastViewerAtMono = performance.now();
    const now = this.o.clock.nowMs();
    const view: View = {
      id: randomUUID(),
      token: randomBytes(24).toString('base64url'),
      sessionId: session.id,
      connectionId: session.connectionId,
      userId: session.userId,
      username: session.username,
      cameraId: camera.id,
      kind,
      openedAtMs: now,
      lastUsedAtMs: now,
    };
    this.views.set(view.id, view);
    this.byToken.set(view.token, view);
    return view;
  }

  urlFor(view: View): string {
    return `${this.originOf(view.connectionId) ?? this.mediaOrigin}/live/${view.cameraId}/${view.kind}/${view.token}/index.m3u8`;
  }

  view(viewId: string): View | undefined {
    return this.views.get(viewId);
  }

  async close(viewId: string, reason: string): Promise<void> {
    const v = this.views.get(viewId);
    if (!v) return;
    this.views.delete(viewId);
    this.byToken.delete(v.token);
    this.feeds.closeView(v.id, reason);
    if (v.remote) await this.site?.viewEnded(v.id, reason).catch((err: unknown) => this.o.logger.warn('a granted view’s end not written (its grant is refused anyway: claimed once)', { viewId: v.id, error: err instanceof Error ? err.message : String(err) }));
    const endedAtMs = this.o.clock.nowMs();
    await this.o.audit.append({
      actor: v.username,
      action: 'live.view.ended',
      target: `camera#${v.cameraId}`,
      outcome: 'allowed',
      details: { viewId: v.id, stream: v.kind, openedAtMs: v.openedAtMs, endedAtMs, durationMs: endedAtMs - v.openedAtMs, reason },
    });
  }

  /** Checked on every media request: token, its expiry, the session, the role, the camera's visibility. */
  async authorize(token: string, cameraId: number, kind: string): Promise<Authorized> {
    const v = this.byToken.get(token) ?? (await this.claimGrant(token));
    if (!v) return { ok: false, why: 'unknown or expired token' };
    // A token opens exactly one camera stream: another camera's URL with it is refused.
    if (v.cameraId !== cameraId || v.kind !== kind) return { ok: false, why: 'token is for another camera stream' };
    const idleMs = this.o.viewIdleMs ?? 30_000;
    if (this.o.clock.nowMs() - v.lastUsedAtMs > idleMs) {
      await this.close(v.id, 'token expired');
      return { ok: false, why: 'token expired' };
    }
    const standing = (await this.standingOf([v])).get(v.id)!;
    if (!standing.ok) {
      if (v.remote) await this.close(v.id, standing.why);
      return standing;
    }
    if (!sessionMay(standing, v.permission ?? 'live.view')) return { ok: false, why: 'role may not view live' };
    if (!(await this.seesCamera(v))) return { ok: false, why: 'camera not visible' };
    const stream = this.streams.get(`${v.cameraId}:${v.kind}`);
    if (!stream) return { ok: false, why: 'stream stopped' };
    v.lastUsedAtMs = this.o.clock.nowMs();
    stream.lastViewerAtMono = performance.now();
    return { ok: true, view: v, stream };
  }

  /** Whether each view's session stands: this node's registry for its own seats, the site's
   *  database (read together) for views other nodes granted here. */
  private async standingOf(views: readonly View[]): Promise<Map<string, Standing>> {
    const out = new Map<string, Standing>();
    const remote = views.filter((v) => v.remote).map((v) => v.id);
    if (remote.length > 0) {
      const read = this.site ? await this.site.standing(remote) : new Map<string, Standing>();
      for (const id of remote) out.set(id, read.get(id) ?? { ok: false, why: 'session not checked' });
    }
    for (const v of views) {
      if (v.remote) continue;
      const current = this.o.sessions.current(v.connectionId, v.sessionId);
      out.set(v.id, current.ok ? { ok: true, role: current.session.role, parked: current.session.parked } : current);
    }
    return out;
  }

  /** A token this node does not know: a view another node granted here, claimed once (several
   *  first requests at once share the one claim). */
  private claimGrant(token: string): Promise<View | null> {
    const site = this.site;
    if (!site) return Promise.resolve(null);
    return this.claims.run(token, async () => {
      const g = await site.claim(token).catch((err: unknown) => {
        this.o.logger.warn('a granted view could not be claimed (database unavailable)', { error: err instanceof Error ? err.message : String(err) });
        return null;
      });
      if (!g) return null;
      const camera = await this.o.cameras.byId(g.cameraId);
      const refused = !camera || camera.enabled !== 1 ? 'camera disabled' : this.ingestedElsewhere(g.cameraId) ? 'camera not ingested here' : null;
      if (refused || !camera) {
        await site.viewEnded(g.viewId, refused ?? 'camera disabled').catch(() => undefined);
        return null;
      }
      const stream = await this.ensureStream(camera, g.stream);
      stream.lastViewerAtMono = performance.now();
      const now = this.o.clock.nowMs();
      const view: View = { id: g.viewId, token, sessionId: g.sessionId, connectionId: `site:${g.sessionId}`, userId: g.userId, username: g.username, cameraId: g.cameraId, kind: g.stream, openedAtMs: now, lastUsedAtMs: now, remote: true, permission: g.permission };
      this.views.set(view.id, view);
      this.byToken.set(token, view);
      return view;
    });
  }

  /** A viewer sees the cameras of their groups; a still for the masks editor is taken by those who
   *  configure cameras, which covers every camera (docs/design/overview.md §6). */
  private seesCamera(v: View): Promise<boolean> {
    return v.permission === 'cameras.manage' ? Promise.resolve(true) : this.visible(v.userId, v.cameraId);
  }

    private async visible(userId: number, cameraId: number): Promise<boolean> {
    // Cached for 2 s: a group change reaches running views within that, and the sweep ends them.
    const key = `${userId}:${cameraId}:${this.o.cameras.version}`;
    const hit = this.visibility.get(key);
    if (hit && performance.now() - hit.atMono < 2000) return hit.ok;
    const ok = await this.o.cameras.isVisibleTo(userId, cameraId);
    if (this.visibility.size > 10_000) this.visibility.clear();
    this.visibility.set(key, { ok, atMono: performance.now() });
    return ok;
  }

  /** Ends views that expired or lost their session, and stops sub streams nobody watches. */
  async sweep(): Promise<void> {
    const idleMs = this.o.viewIdleMs ?? 30_000;
    const now = this.o.clock.nowMs();
    const views = [...this.views.values()];
    const standing = await this.standingOf(views);
    for (const v of views) {
      // An open socket is a view in use (LL-HLS players show it by asking every part).
      if (this.feeds.hasSocket(v.id)) v.lastUsedAtMs = now;
      const current = standing.get(v.id)!;
      if (!this.views.has(v.id)) continue;
      if (!current.ok) await this.close(v.id, current.why);
      else if (!sessionMay(current, v.permission ?? 'live.view')) await this.close(v.id, 'role may not view live');
      else if (now - v.lastUsedAtMs > idleMs) await this.close(v.id, 'token expired');
      else if (!(await this.seesCamera(v))) await this.close(v.id, 'camera no longer visible');
    }
    const graceMs = this.o.subGraceMs ?? 30_000;
    for (const s of this.streams.values()) s.feed.checkStalled();
    const watched = new Set([...this.views.values()].map((v) => `${v.cameraId}:${v.kind}`));
    for (const s of [...this.streams.values()]) {
      if (s.kind === 'sub' && !watched.has(s.key) && performance.now() - s.lastViewerAtMono > graceMs) this.stopStream(s);
    }
  }

  /** Ends every view of a session at once (sign-out, lock, replaced). */
  async endViewsOf(connectionId: string, reason: string): Promise<void> {
    for (const v of [...this.views.values()]) if (v.connectionId === connectionId) await this.close(v.id, reason);
  }

  openViewIds(connectionId: string): string[] {
    return [...this.views.values()].filter((v) => v.connectionId === connectionId).map((v) => v.id);
  }

  status(camera: CameraRow, kind: StreamKind): StreamStatusView | null {
    if (kind === 'sub' && !camera.sub_url) return null;
    if (camera.enabled !== 1) return { state: 'disabled', detail: null, transcoding: false, sinceMs: 0 };
    const s = this.streams.get(`${camera.id}:${kind}`);
    if (!s) return { state: 'connecting', detail: kind === 'sub' ? 'Starts when a tile shows it.' : null, transcoding: false, sinceMs: 0 };
    return toTileStatus(s.ingest.current);
  }

  /**
   * Each camera's stream states wherever it is ingested: this node's own, or (several nodes) the
   * states the node holding its lease wrote; a camera nobody holds is being taken over. A sub
   * stream that node has not started yet starts at a tile's first request there (the view is
   * granted there), so until then it is what the camera is: its main stream's state.
   */
  async statusesOf(rows: readonly CameraRow[]): Promise<Map<number, { main: StreamStatusView; sub: StreamStatusView | null }>> {
    const away = this.site ? rows.filter((c) => c.enabled === 1 && this.ingestedElsewhere(c.id)) : [];
    const states = this.site && away.length > 0 ? await this.site.statesOf(away.map((c) => c.id)) : new Map<number, never>();
    const out = new Map<number, { main: StreamStatusView; sub: StreamStatusView | null }>();
    for (const c of rows) {
      if (!away.includes(c)) {
        out.set(c.id, { main: this.status(c, 'main')!, sub: this.status(c, 'sub') });
        continue;
      }
      const there = states.get(c.id);
      const main = there?.main ?? { state: 'connecting' as const, detail: there ? null : 'No recording node holds this camera at the moment; another takes it over.', transcoding: false, sinceMs: 0 };
      out.set(c.id, { main, sub: c.sub_url ? (there?.sub ?? main) : null });
    }
    return out;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    this.feeds.closeAll('engine stopped');
    for (const v of [...this.views.values()]) await this.close(v.id, 'engine stopped');
    for (const s of [...this.streams.values()]) this.stopStream(s);
  }
}

export function toTileStatus(s: IngestStatus): StreamStatusView {
  const map: Record<IngestStatus['state'], TileState> = {
    idle: 'connecting',
    connecting: 'connecting',
    live: s.transcoding ? 'transcoding' : 'live',
    stalled: 'no_signal',
    reconnecting: 'no_signal',
    auth_failed: 'auth_failed',
    unreachable: 'no_signal',
    unsupported_codec: 'connecting',
    no_ffmpeg: 'no_ffmpeg',
  };
  return { state: map[s.state], detail: s.detail, transcoding: s.transcoding, sinceMs: s.sinceMs };
}
