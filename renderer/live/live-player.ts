// One live picture: opens a view (live.open), plays it once the engine says the stream is live
// (the fragment path: one-frame fMP4 fragments over a WebSocket into MSE, fragment-player.ts; or
// LL-HLS with hls.js, hls-path.ts, by setting or when the socket cannot be used), watches that the
// picture keeps moving, and recovers by itself.
//
// Rules (docs/design/live-pipeline.md):
// - The playlist is loaded only while the stream is live, so the player never asks the media
//   server for a stream that does not exist (every HTTP error would be a failure in the field log).
// - A picture that stops moving is torn down at once (before the engine's 3 s part wait ends) and
//   shown greyed with the time of its last frame: a frozen picture must never look live.
// - The player (socket or hls.js) is destroyed BEFORE live.close, so nothing reaches the server with a closed token.
// - A cut socket freezes the picture (greyed, not live) and reconnects with a new MediaSource: the
//   tile is live again only once a frame of the new connection plays.
// - A view the engine ended (token expiry, lock, camera no longer visible) is reopened; while the
//   camera's main stream is down, at most every 30 s, so a dead camera does not flood the audit log.
import { cameraStateOf, hasPicture, type StreamKind, type TileState } from '../../shared/cameras';
import type { StreamStatusView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import type { ApiClient } from '../api/client';
import type { LiveStatusStore, StatusSnapshot } from './live-status';
import { backoffMs, staleness } from './wall-model';
import type { MaskShape } from '../../shared/privacy-masks';
import { noteLift } from '../masks/lift-store';
import { FragmentPath, fragmentPathSupported, framesUrl, type MediaPath, type MediaPathKind } from './fragment-player';
import { HlsPath } from './hls-path';

/** The live path this seat prefers: localStorage `console.livePath` = 'hls' forces LL-HLS (a setting
 *  for sites whose network cuts WebSockets); anything else, the fragment path where the browser can. */
export function preferredLivePath(): MediaPathKind {
  try {
    if (localStorage.getItem('console.livePath') === 'hls') return 'hls';
  } catch {
    // No storage (a sandboxed page): the default.
  }
  return fragmentPathSupported() ? 'fragments' : 'hls';
}

/** Sockets that fail to open this many times in a row, with no picture between, make the player use LL-HLS. */
const FRAGMENT_OPEN_FAILURES_FOR_FALLBACK = 3;

export interface PlayerSnapshot {
  /** Words for the tile: the camera's one state from the engine (cameraStateOf), its reason and since when. */
  state: TileState;
  detail: string | null;
  sinceMs: number | null;
  transcoding: boolean;
  stream: StreamKind | null;
  /** Wall-clock time of the frame shown (EXT-X-PROGRAM-DATE-TIME), null before the first frame. */
  playingDateMs: number | null;
  /** Set when the picture stopped moving: the time of the last frame seen. */
  frozenSinceMs: number | null;
  /** True while a frozen frame is kept on the snapshot canvas. */
  showingSnapshot: boolean;
  playing: boolean;
  error: CommandError | null;
  /** The camera's privacy masks in force now, from the engine with the view (R7). */
  masks: MaskShape[];
}

const TICK_MS = 500;
/** No new part for this long (parts come every ~200 ms) means the stream stalled. */
const PART_GAP_MS = 2000;
/** Time allowed from attaching to the first frame. */
const START_GRACE_MS = 8000;

export interface PlayerOptions {
  api: ApiClient;
  status: LiveStatusStore;
  cameraId: number;
  stream: StreamKind;
  video: HTMLVideoElement;
  snapshotCanvas: HTMLCanvasElement | null;
}

export class LivePlayer {
  private snap: PlayerSnapshot;
  private readonly listeners = new Set<() => void>();
  private disposed = false;
  private view: { viewId: string; url: string; stream: StreamKind } | null = null;
  private opening = false;
  private openAttempts = 0;
  private nextOpenAtMs = 0;
  private media: MediaPath | null = null;
  private pathKind: MediaPathKind = preferredLivePath();
  private fragmentOpenFailures = 0;
  private attachedAtMs = 0;
  private attachBlockedUntilMs = 0;
  private frozenStatusSince: number | null = null;
  private failures = 0;
  private lastCurrentTime = -1;
  private lastProgressAtMs = 0;
  private playingSinceMs = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: PlayerOptions) {
    this.snap = { state: 'connecting', detail: null, sinceMs: null, transcoding: false, stream: null, playingDateMs: null, frozenSinceMs: null, showingSnapshot: false, playing: false, error: null, masks: [] };
    this.unsubscribe = o.status.subscribe(() => this.onStatus(o.status.get()));
    this.timer = setInterval(() => this.tick(), TICK_MS);
    // Leaving or reloading the page: stop hls.js first, so its open requests are aborted before
    // the console's socket closes and the engine ends the session (then they would get 403).
    window.addEventListener('pagehide', this.onPageHide);
    this.tick();
  }

  private readonly onPageHide = () => this.destroyMedia();

  get = (): PlayerSnapshot => this.snap;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For the test hook: what the video element reports. */
  metrics(): { currentTime: number; droppedFrames: number; totalFrames: number; path: MediaPathKind | null; jumps: number | null } {
    const q = this.o.video.getVideoPlaybackQuality?.();
    return { currentTime: this.o.video.currentTime, droppedFrames: q?.droppedVideoFrames ?? 0, totalFrames: q?.totalVideoFrames ?? 0, path: this.media?.kind ?? null, jumps: this.media?.jumps() ?? null };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.timer);
    window.removeEventListener('pagehide', this.onPageHide);
    this.unsubscribe();
    this.listeners.clear();
    this.destroyMedia();
    await this.closeView();
  }

  // --- state -------------------------------------------------------------------------------

  private update(patch: Partial<PlayerSnapshot>): void {
    const next = { ...this.snap, ...patch };
    const keys = Object.keys(next) as (keyof PlayerSnapshot)[];
    if (keys.every((k) => next[k] === this.snap[k])) return;
    this.snap = next;
    for (const l of this.listeners) l();
  }

  private streamStatus(s: StatusSnapshot): StreamStatusView | null {
    const cam = s.cameras.get(this.o.cameraId);
    if (!cam) return null;
    if (this.view?.stream === 'sub' && cam.sub) return cam.sub;
    return cam.main;
  }

  private mainPlayable(s: StatusSnapshot): boolean {
    const main = s.cameras.get(this.o.cameraId)?.main;
    return main ? hasPicture(main.state) : false;
  }

  private onStatus(s: StatusSnapshot): void {
    if (this.disposed) return;
    const v = this.view;
    if (v && s.askedViewIds.has(v.viewId) && !s.openViewIds.has(v.viewId)) {
      // The engine ended the view (expired token, locked console, camera no longer visible).
      this.destroyMedia();
      this.o.status.removeView(v.viewId);
      this.view = null;
      this.nextOpenAtMs = Date.now() + (this.mainPlayable(s) ? 1000 : 30_000);
    }
    const status = this.streamStatus(s);
    const main = s.cameras.get(this.o.cameraId)?.main;
    if (status && main) {
      // The camera's one state (shared/cameras.ts cameraStateOf): when the camera has no picture the
      // tile says what the camera tree says, with the main stream's reason; the shown stream's own
      // state only while the camera is up. Before the sub stream's view exists its state says only
      // "starts when shown": streamStatus gives the main stream's then.
      const state = cameraStateOf(main, status);
      const from = state === status.state ? status : main;
      this.update({ state, detail: from.detail, sinceMs: from.sinceMs, transcoding: status.transcoding });
    }
    this.tick();
  }

  private tick(): void {
    if (this.disposed) return;
    const now = Date.now();
    const s = this.o.status.get();
    const status = this.streamStatus(s);

    if (!this.view && !this.opening && now >= this.nextOpenAtMs && status?.state !== 'disabled') {
      void this.open();
    }

    if (this.view && !this.media && status && hasPicture(status.state) && now >= this.attachBlockedUntilMs) {
      // After a freeze, wait for the engine to report a new live period (or 10 s) before trying again.
      if (this.frozenStatusSince === null || status.sinceMs !== this.frozenStatusSince || now - this.attachBlockedUntilMs > 10_000) {
        this.attach(this.view.url);
      }
    }

    if (this.media) this.watch(now);
  }

  private watch(now: number): void {
    const media = this.media;
    const video = this.o.video;
    if (!media) return;
    const date = media.playingDateMs();
    if (video.currentTime !== this.lastCurrentTime) {
      if (this.lastCurrentTime >= 0 || video.currentTime > 0) this.lastProgressAtMs = now;
      this.lastCurrentTime = video.currentTime;
    }
    const started = this.lastProgressAtMs > 0;
    if (!started) {
      if (now - this.attachedAtMs > START_GRACE_MS) this.freeze(now, 'no first frame');
      return;
    }
    const lastDataAtMs = media.lastDataAtMs();
    const partGap = lastDataAtMs > 0 && now - lastDataAtMs > PART_GAP_MS;
    const state = staleness({ nowMs: now, playingDateMs: date, lastProgressAtMs: this.lastProgressAtMs });
    if (partGap || state === 'still') {
      this.freeze(now, partGap ? 'no new part' : 'picture stalled');
      return;
    }
    const edge = media instanceof HlsPath ? media.liveSyncPosition() : null;
    if (state === 'lagging' && edge !== null && edge > video.currentTime) {
      // Behind but moving (a busy machine): jump to the live edge instead of tearing the player down.
      // (The fragment path keeps up by itself: FragmentPath.keepUp.)
      video.currentTime = edge;
    }
    if (media.kind === 'fragments') this.fragmentOpenFailures = 0;
    if (now - this.playingSinceMs > 10_000) this.failures = 0;
    this.update({ playingDateMs: date, playing: true, frozenSinceMs: null, showingSnapshot: false });
  }

  /** The picture stopped: keep its last frame greyed, stop asking the server, retry later. */
  private freeze(now: number, _why: string): void {
    const shown = this.snap.playing || this.snap.showingSnapshot;
    const kept = this.snap.playing ? this.keepSnapshot() : this.snap.showingSnapshot;
    const lastDate = this.media?.playingDateMs() ?? this.snap.playingDateMs;
    this.destroyMedia();
    this.failures += 1;
    // Jitter, so a wall of frozen tiles does not come back all at the same moment.
    this.attachBlockedUntilMs = now + backoffMs(this.failures) + Math.floor(Math.random() * 1000);
    this.frozenStatusSince = this.streamStatus(this.o.status.get())?.sinceMs ?? null;
    this.update({ playing: false, showingSnapshot: kept, frozenSinceMs: shown ? (lastDate ?? now) : this.snap.frozenSinceMs, playingDateMs: lastDate });
  }

  private keepSnapshot(): boolean {
    const canvas = this.o.snapshotCanvas;
    const video = this.o.video;
    if (!canvas || video.videoWidth === 0) return false;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    return true;
  }

  // --- views -------------------------------------------------------------------------------

  private async open(): Promise<void> {
    this.opening = true;
    this.openAttempts += 1;
    const result = await this.o.api.call('live.open', { cameraId: this.o.cameraId, stream: this.o.stream });
    this.opening = false;
    if (this.disposed) {
      if (result.ok) await this.o.api.call('live.close', { viewId: result.value.viewId });
      return;
    }
    if (!result.ok) {
      // NotFound: not (or no longer) visible; FailedPrecondition: disabled. Try again later.
      this.nextOpenAtMs = Date.now() + backoffMs(Math.min(this.openAttempts, 5)) * 2;
      this.update({ error: result.error });
      return;
    }
    this.openAttempts = 0;
    this.view = result.value;
    noteLift(this.o.cameraId, result.value.lift);
    this.update({ stream: result.value.stream, error: null, masks: result.value.masks });
    this.o.status.addView(result.value.viewId);
    this.o.status.pollSoon();
    // A stream already live (another tile or seat watches it) plays now, not at the next status poll
    // or tick: the warm first frame (docs/benchmarks.md "Live"). A stream not yet live waits as before.
    this.tick();
  }

  private async closeView(): Promise<void> {
    const v = this.view;
    this.view = null;
    if (!v) return;
    this.o.status.removeView(v.viewId);
    await this.o.api.call('live.close', { viewId: v.viewId });
  }

  /** A fatal player error: a new view (fresh token) after a back-off. */
  private async reopen(): Promise<void> {
    this.destroyMedia();
    this.failures += 1;
    const wait = backoffMs(this.failures);
    this.nextOpenAtMs = Date.now() + wait;
    this.attachBlockedUntilMs = 0;
    this.frozenStatusSince = null;
    await this.closeView();
  }

  // --- media paths ------------------------------------------------------------------------

  private attach(url: string): void {
    const video = this.o.video;
    const now = Date.now();
    this.attachedAtMs = now;
    this.lastCurrentTime = -1;
    this.lastProgressAtMs = 0;
    this.playingSinceMs = now;
    if (this.pathKind === 'fragments') {
      const path: FragmentPath = new FragmentPath(framesUrl(url), video, {
        onClosed: (viewEnded, opened) => {
          if (this.media !== path) return;
          if (viewEnded) {
            // The engine ended the view (lock, sign-out, camera hidden, expiry): a new view later.
            void this.reopen();
          } else if (!opened) {
            // Refused or unreachable: the token may be dead; after a few in a row, LL-HLS instead.
            this.fragmentOpenFailures += 1;
            if (this.fragmentOpenFailures >= FRAGMENT_OPEN_FAILURES_FOR_FALLBACK) this.pathKind = 'hls';
            void this.reopen();
          } else {
            // A cut: the picture freezes (never shown as live) and a new connection starts soon.
            this.freeze(Date.now(), 'connection lost');
            this.frozenStatusSince = null;
          }
        },
        onStalled: () => {
          if (this.media === path && this.lastProgressAtMs > 0) this.freeze(Date.now(), 'engine says stalled');
        },
      });
      this.media = path;
      return;
    }
    this.media = new HlsPath(url, video, () => void this.reopen());
  }

  private destroyMedia(): void {
    const media = this.media;
    if (!media) return;
    this.media = null;
    media.destroy();
  }
}
