// LL-HLS through hls.js: the live path where the fragment path cannot be used (a setting, or after
// the socket failed to open: docs/design/live-pipeline.md "Fragment path"). Recorded footage keeps
// its own hls.js player (renderer/playback).
import Hls, { type ErrorData } from 'hls.js';
import type { MediaPath } from './fragment-player';

export class HlsPath implements MediaPath {
  readonly kind = 'hls' as const;
  private readonly hls: Hls;
  private lastPartAtMs = 0;
  private mediaRecoveries = 0;
  private destroyed = false;

  constructor(
    url: string,
    video: HTMLVideoElement,
    private readonly onFatal: () => void,
  ) {
    const hls = new Hls({
      debug: false,
      enableWorker: true,
      lowLatencyMode: true,
      backBufferLength: 4,
      maxLiveSyncPlaybackRate: 1.5,
      // hls.js holds this much further behind the live edge after every stall, for as long as the
      // player lives (default 1 s, capped at the target duration): one stall at start, when the
      // machine is busy, then cost a tile a second of latency for good. One part per stall keeps
      // the margin a stall asks for without that (docs/design/live-pipeline.md "Where the latency goes").
      liveSyncOnStallIncrease: 0.2,
      // A wall shows one rendition per tile; nothing to adapt.
      capLevelToPlayerSize: false,
      startFragPrefetch: false,
    });
    this.hls = hls;
    hls.on(Hls.Events.FRAG_LOADED, () => {
      this.lastPartAtMs = Date.now();
    });
    hls.on(Hls.Events.ERROR, (_e, data) => this.onError(data));
    hls.on(Hls.Events.MEDIA_ATTACHED, () => {
      hls.loadSource(url);
    });
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      video.play().catch(() => {
        // Autoplay of a muted video is allowed; a refusal (element gone) needs no handling.
      });
    });
    video.muted = true;
    hls.attachMedia(video);
  }

  playingDateMs(): number | null {
    return this.hls.playingDate?.getTime() ?? null;
  }

  lastDataAtMs(): number {
    return this.lastPartAtMs;
  }

  /** hls.js keeps up by itself (its live sync); its seeks are not counted here. */
  jumps(): null {
    return null;
  }

  /** Where hls.js would play at the live edge, for a tile that fell behind. */
  liveSyncPosition(): number | null {
    return this.hls.liveSyncPosition;
  }

  private onError(data: ErrorData): void {
    if (this.destroyed || !data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && this.mediaRecoveries < 2) {
      this.mediaRecoveries += 1;
      this.hls.recoverMediaError();
      return;
    }
    this.onFatal();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    // Detaches the video and aborts what is in flight: no further request carries this token.
    this.hls.destroy();
  }
}
