// The live fragment path's player (docs/design/live-pipeline.md "Fragment path"): the engine sends
// the view's stream over a WebSocket (the init segment, then one fMP4 fragment per frame from a
// keyframe on) and this appends them to a SourceBuffer, playing at the live edge.
//
// - SourceBuffer mode 'sequence': each append follows the last one whatever its timestamps, so a
//   new ingest run (timestamps start again) or the engine skipping ahead for a slow seat needs no
//   bookkeeping here. Where each frame landed is read from timestampOffset after its append, which
//   maps the shown position back to the capture time the engine sent (playingDateMs).
// - Keep-up rule (measured: docs/benchmarks.md "Live"): stay about 0.1 s behind the newest frame;
//   more than 0.25 s behind plays at 1.1x, more than 0.5 s behind jumps.
// - The socket carries no command: the view's token in the URL is checked by the engine as for
//   LL-HLS. A close with 4403 means the view ended (lock, sign-out, camera hidden, expiry): the
//   owner opens a new view. Any other loss is a cut: the owner freezes the picture and reconnects
//   with a new player, so nothing of the old connection is ever shown as live.
export type MediaPathKind = 'fragments' | 'hls';

/** What LivePlayer needs of whichever path plays a view. */
export interface MediaPath {
  readonly kind: MediaPathKind;
  /** Wall-clock capture time of the frame shown, null before the first. */
  playingDateMs(): number | null;
  /** When data last arrived (Date.now()), 0 before any. */
  lastDataAtMs(): number;
  /** How often the picture jumped ahead to the live edge (frames skipped), null where not counted. */
  jumps(): number | null;
  destroy(): void;
}

export interface FragmentCallbacks {
  /** The socket closed: viewEnded when the engine ended the view (4403), else a cut or a refusal. */
  onClosed(viewEnded: boolean, opened: boolean, reason: string): void;
  /** The engine says the stream stopped sending (stalled) or its ingest ended. */
  onStalled(): void;
}

const HEADER_BYTES = 24;
const KIND_INIT = 1;
const KIND_FRAGMENT = 2;
const CLOSE_VIEW_ENDED = 4403;
const BEHIND_TARGET_S = 0.1;
const SPEED_UP_ABOVE_S = 0.25;
const JUMP_ABOVE_S = 0.5;
const KEEP_BEHIND_S = 6;

/** The fragment path's socket URL for a view's LL-HLS URL: same origin, same token. */
export function framesUrl(hlsUrl: string): string {
  return hlsUrl.replace(/^http/, 'ws').replace(/index\.m3u8$/, 'frames');
}

/** Whether this browser can play the fragment path at all (else LL-HLS). */
export function fragmentPathSupported(): boolean {
  return typeof WebSocket === 'function' && typeof MediaSource === 'function' && MediaSource.isTypeSupported('video/mp4; codecs="avc1.42E01E"');
}

interface Pending {
  bytes: Uint8Array;
  init: boolean;
  captureMs: number;
  mediaStartS: number;
}

export class FragmentPath implements MediaPath {
  readonly kind = 'fragments' as const;
  private readonly ws: WebSocket;
  private readonly ms = new MediaSource();
  private readonly objectUrl: string;
  private sb: SourceBuffer | null = null;
  private codec: string | null = null;
  private queue: Pending[] = [];
  private appending: Pending[] = [];
  /** Where frames landed: position in the video -> capture time. */
  private positions: { pos: number; captureMs: number }[] = [];
  private lastData = 0;
  private jumped = 0;
  private opened = false;
  private destroyed = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    url: string,
    private readonly video: HTMLVideoElement,
    private readonly cb: FragmentCallbacks,
  ) {
    this.objectUrl = URL.createObjectURL(this.ms);
    video.muted = true;
    video.src = this.objectUrl;
    this.ms.addEventListener('sourceopen', () => this.pump(), { once: true });
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => {
      this.opened = true;
    };
    this.ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => this.onMessage(e.data);
    this.ws.onclose = (e) => {
      if (this.destroyed) return;
      this.cb.onClosed(e.code === CLOSE_VIEW_ENDED, this.opened, e.reason);
    };
    this.timer = setInterval(() => this.keepUp(), 250);
  }

  playingDateMs(): number | null {
    const t = this.video.currentTime;
    let best: { pos: number; captureMs: number } | null = null;
    for (const p of this.positions) if (p.pos <= t + 0.001 && (!best || p.pos > best.pos)) best = p;
    return best ? best.captureMs + (t - best.pos) * 1000 : null;
  }

  lastDataAtMs(): number {
    return this.lastData;
  }

  jumps(): number {
    return this.jumped;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.timer);
    this.ws.onmessage = null;
    this.ws.onclose = null;
    this.ws.close();
    this.queue = [];
    this.video.removeAttribute('src');
    this.video.load();
    URL.revokeObjectURL(this.objectUrl);
  }

  private onMessage(data: ArrayBuffer | string): void {
    if (this.destroyed) return;
    if (typeof data === 'string') {
      let msg: { type?: unknown; codec?: unknown };
      try {
        msg = JSON.parse(data) as typeof msg;
      } catch {
        return;
      }
      if (msg.type === 'init' && typeof msg.codec === 'string') this.codec = msg.codec;
      else if (msg.type === 'stalled' || msg.type === 'ended') this.cb.onStalled();
      return;
    }
    if (data.byteLength < HEADER_BYTES) return;
    const view = new DataView(data);
    const kind = view.getUint8(0);
    if (kind !== KIND_INIT && kind !== KIND_FRAGMENT) return;
    this.lastData = Date.now();
    this.queue.push({ bytes: new Uint8Array(data, HEADER_BYTES), init: kind === KIND_INIT, captureMs: view.getFloat64(4, true), mediaStartS: view.getFloat64(12, true) });
    this.pump();
  }

  private ensureBuffer(): SourceBuffer | null {
    if (this.ms.readyState !== 'open' || !this.codec) return this.sb;
    const type = `video/mp4; codecs="${this.codec}"`;
    if (!this.sb) {
      this.sb = this.ms.addSourceBuffer(type);
      this.sb.mode = 'sequence';
      this.sb.addEventListener('updateend', () => this.onAppended());
      this.sb.addEventListener('error', () => this.fail('the picture could not be decoded'));
    }
    return this.sb;
  }

  /** Appends what is queued: an init segment alone, else every fragment up to the next init at once. */
  private pump(): void {
    if (this.destroyed || this.queue.length === 0) return;
    const sb = this.ensureBuffer();
    if (!sb || sb.updating) return;
    const first = this.queue[0]!;
    let batch: Pending[];
    if (first.init) {
      batch = [first];
      // A new run or codec: the decoder must be told before the init segment is appended.
      if (this.codec) sb.changeType(`video/mp4; codecs="${this.codec}"`);
    } else {
      const next = this.queue.findIndex((p) => p.init);
      batch = this.queue.slice(0, next < 0 ? this.queue.length : next);
    }
    this.queue = this.queue.slice(batch.length);
    const size = batch.reduce((n, p) => n + p.bytes.byteLength, 0);
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const p of batch) {
      bytes.set(p.bytes, at);
      at += p.bytes.byteLength;
    }
    this.appending = batch;
    try {
      sb.appendBuffer(bytes);
    } catch (err) {
      // QuotaExceededError: drop what is behind and try once more with the next batch.
      this.appending = [];
      if (err instanceof DOMException && err.name === 'QuotaExceededError') this.evict(true);
      else this.fail('the picture could not be appended');
    }
  }

  private onAppended(): void {
    const sb = this.sb;
    if (this.destroyed || !sb) return;
    for (const p of this.appending) if (!p.init) this.positions.push({ pos: p.mediaStartS + sb.timestampOffset, captureMs: p.captureMs });
    this.appending = [];
    if (this.positions.length > 400) this.positions = this.positions.slice(-200);
    if (this.video.paused && sb.buffered.length > 0) {
      this.video.currentTime = Math.max(sb.buffered.start(sb.buffered.length - 1), sb.buffered.end(sb.buffered.length - 1) - BEHIND_TARGET_S);
      this.video.play().catch(() => {
        // Muted autoplay is allowed; a refusal (element gone) needs no handling.
      });
    }
    if (this.queue.length > 0) this.pump();
    else this.evict(false);
  }

  /** The keep-up rule: a picture behind the newest frame catches up by playing faster or jumping. */
  private keepUp(): void {
    const sb = this.sb;
    const v = this.video;
    if (this.destroyed || !sb || sb.buffered.length === 0 || v.paused) return;
    const end = sb.buffered.end(sb.buffered.length - 1);
    const behind = end - v.currentTime;
    if (behind > JUMP_ABOVE_S || v.currentTime < sb.buffered.start(sb.buffered.length - 1)) {
      v.currentTime = end - BEHIND_TARGET_S;
      v.playbackRate = 1;
      this.jumped += 1;
    } else if (behind > SPEED_UP_ABOVE_S) v.playbackRate = 1.1;
    else if (behind < BEHIND_TARGET_S * 1.5) v.playbackRate = 1;
  }

  private evict(force: boolean): void {
    const sb = this.sb;
    if (!sb || sb.updating || sb.buffered.length === 0) return;
    const upTo = this.video.currentTime - KEEP_BEHIND_S;
    if (sb.buffered.start(0) < upTo - 2 || (force && upTo > sb.buffered.start(0))) sb.remove(0, upTo);
  }

  private fail(why: string): void {
    if (this.destroyed) return;
    const cb = this.cb;
    this.destroy();
    cb.onClosed(false, this.opened, why);
  }
}
