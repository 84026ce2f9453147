// One recorded picture: plays a playback session's VOD playlist (byte ranges of the recording
// files, EXT-X-PROGRAM-DATE-TIME on every segment) with hls.js, and speaks wall-clock time: where
// it is, and seeking to an instant. Gaps between recordings are discontinuities that hls.js lays
// end to end, so playing runs across a gap and the wall clock jumps over it.
import Hls from 'hls.js';
import { FRAME_S, mediaTimeForWall, wallForMediaTime, type SegmentTime } from './playback-model';

export type VodState = 'loading' | 'ready' | 'no_recording' | 'error';

export interface VodSnapshot {
  state: VodState;
  /** Wall-clock time of the frame shown, null before the first frame. */
  wallMs: number | null;
  paused: boolean;
  error: string | null;
}

type RvfcVideo = HTMLVideoElement & { requestVideoFrameCallback?(cb: () => void): number };

export class VodPlayer {
  private hls: Hls | null;
  private segs: SegmentTime[] = [];
  private snap: VodSnapshot = { state: 'loading', wallMs: null, paused: true, error: null };
  private readonly listeners = new Set<() => void>();
  private wantPlaying = false;
  private rate = 1;
  private frameWaiters: (() => void)[] = [];

  constructor(
    private readonly video: HTMLVideoElement,
    url: string,
    startWallMs: number,
  ) {
    const hls = new Hls({
      debug: false,
      enableWorker: true,
      autoStartLoad: false,
      // Recorded footage: a few seconds ahead is enough, and memory stays flat over a long review.
      maxBufferLength: 10,
      backBufferLength: 10,
      capLevelToPlayerSize: false,
      startFragPrefetch: true,
    });
    this.hls = hls;
    hls.on(Hls.Events.LEVEL_LOADED, (_e, data) => {
      this.segs = data.details.fragments.map((f) => ({ start: f.start, duration: f.duration, programDateTime: f.programDateTime }));
      const at = mediaTimeForWall(this.segs, startWallMs) ?? (this.segs.length ? { mediaS: 0, inGap: true } : null);
      if (!at) {
        this.set({ state: 'no_recording' });
        return;
      }
      hls.startLoad(at.mediaS);
      video.currentTime = at.mediaS;
      this.set({ state: 'ready' });
    });
    hls.on(Hls.Events.ERROR, (_e, data) => {
      // Nothing recorded in the opened range: an empty playlist, said in words, not an error.
      if (data.details === Hls.ErrorDetails.LEVEL_EMPTY_ERROR) {
        this.set({ state: 'no_recording' });
        this.destroyHls();
        return;
      }
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
        return;
      }
      // A 403 means the playback session ended (expired, signed out, locked): say so, do not retry.
      const status = data.response?.code;
      this.set({ state: 'error', error: status === 403 ? 'forbidden' : (data.details ?? 'error') });
      this.destroyHls();
    });
    video.addEventListener('timeupdate', this.onTime);
    video.addEventListener('seeked', this.onTime);
    video.addEventListener('play', this.onTime);
    video.addEventListener('pause', this.onTime);
    hls.loadSource(url);
    hls.attachMedia(video);
    // Leaving or reloading the page: abort hls.js's requests before the session ends with the socket.
    window.addEventListener('pagehide', this.onPageHide);
    this.watchFrames();
  }

  private readonly onPageHide = () => this.destroyHls();

  get = (): VodSnapshot => this.snap;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  segments(): readonly SegmentTime[] {
    return this.segs;
  }

  /** Wall-clock time of the frame shown now (read on demand: the big clock polls this). */
  wallMs(): number | null {
    return this.segs.length ? wallForMediaTime(this.segs, this.video.currentTime) : null;
  }

  /** Shows the frame captured at wallMs; inside a gap, the next recording. False past the end. */
  seekWall(wallMs: number): { ok: boolean; inGap: boolean } {
    const at = mediaTimeForWall(this.segs, wallMs);
    if (!at) return { ok: false, inGap: false };
    this.video.currentTime = at.mediaS;
    return { ok: true, inGap: at.inGap };
  }

  play(): void {
    this.wantPlaying = true;
    this.video.playbackRate = this.rate;
    void this.video.play().catch(() => {});
  }

  pause(): void {
    this.wantPlaying = false;
    this.video.pause();
  }

  get playing(): boolean {
    return this.wantPlaying;
  }

  setRate(rate: number): void {
    this.rate = rate;
    this.video.playbackRate = rate;
  }

  /** One frame forward or back, paused. */
  step(dir: 1 | -1): void {
    this.pause();
    this.video.currentTime = Math.max(0, this.video.currentTime + dir * FRAME_S);
  }

  /** Resolves when the next frame is presented (requestVideoFrameCallback), for "first frame" timing. */
  nextFrame(): Promise<void> {
    return new Promise((resolve) => this.frameWaiters.push(resolve));
  }

  destroy(): void {
    window.removeEventListener('pagehide', this.onPageHide);
    this.video.removeEventListener('timeupdate', this.onTime);
    this.video.removeEventListener('seeked', this.onTime);
    this.video.removeEventListener('play', this.onTime);
    this.video.removeEventListener('pause', this.onTime);
    this.destroyHls();
    this.listeners.clear();
    this.frameWaiters = [];
  }

  private destroyHls(): void {
    // hls.js first, so no request reaches the media server after the session is closed.
    this.hls?.destroy();
    this.hls = null;
  }

  private watchFrames(): void {
    const v = this.video as RvfcVideo;
    if (!v.requestVideoFrameCallback) return;
    const onFrame = () => {
      if (!this.hls) return;
      const waiters = this.frameWaiters;
      this.frameWaiters = [];
      for (const w of waiters) w();
      this.onTime();
      v.requestVideoFrameCallback?.(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  }

  private readonly onTime = () => {
    this.set({ wallMs: this.wallMs(), paused: this.video.paused });
  };

  private set(patch: Partial<VodSnapshot>): void {
    const next = { ...this.snap, ...patch };
    if (next.state === this.snap.state && next.wallMs === this.snap.wallMs && next.paused === this.snap.paused && next.error === this.snap.error) return;
    this.snap = next;
    for (const l of this.listeners) l();
  }
}
