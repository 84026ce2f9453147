/// <reference lib="dom" />
// Runs inside the console page (bundled by bench/browser.ts with esbuild and injected before the
// page's own scripts): reads the simulator's burned-in capture time from the frames a <video>
// presents, at presentation time (requestVideoFrameCallback), and times first frames from a UI
// action. Both clocks are this machine's wall clock. Read-only: it changes nothing in the page.
import { decodeTimecode, TIMECODE_BAND_DIVISOR } from '../tools/camera-sim/timecode';

export interface LatencySample {
  /** Wall-clock time the frame is expected on screen. */
  displayMs: number;
  captureMs: number;
  latencyMs: number;
  width: number;
  height: number;
  /** Media buffered after the frame shown, ms (null before any). */
  bufferAheadMs: number | null;
  playbackRate: number;
  /** The wall tile (data-index) and camera of the sampled <video>, when it is in a wall tile. */
  tile: number | null;
  cameraId: number | null;
}

export interface FirstFrameResult {
  /** Wall-clock time of the UI event (keydown Enter / dblclick) seen by the page. */
  actionMs: number;
  /** First frame presented (any content) and first with a decodable timecode, both from the action. */
  firstPresentedMs: number | null;
  firstDecodedMs: number | null;
  /** Latency of that first decodable frame (capture -> display). */
  firstLatencyMs: number | null;
  width: number;
  height: number;
}

type FrameMeta = { expectedDisplayTime: number };
type RvfcVideo = HTMLVideoElement & { requestVideoFrameCallback?(cb: (now: number, meta: FrameMeta) => void): number };

let canvas: HTMLCanvasElement | null = null;
let ctx: CanvasRenderingContext2D | null = null;
let frame: Uint8ClampedArray = new Uint8ClampedArray(0);

/** The capture time burned into the frame the video shows now, or null. Reads only the band. */
function readTimecode(video: HTMLVideoElement): number | null {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (w === 0 || h === 0) return null;
  const bandH = Math.ceil(h / TIMECODE_BAND_DIVISOR);
  if (!canvas) {
    canvas = document.createElement('canvas');
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) return null;
  if (canvas.width !== w || canvas.height !== bandH) {
    canvas.width = w;
    canvas.height = bandH;
  }
  // The top band of the native-size frame, unscaled.
  ctx.drawImage(video, 0, 0, w, bandH, 0, 0, w, bandH);
  const band = ctx.getImageData(0, 0, w, bandH).data;
  if (frame.length !== w * h * 4) frame = new Uint8ClampedArray(w * h * 4);
  frame.set(band);
  return decodeTimecode(frame, w, h);
}

/** Wall-clock time at which a presented frame is expected on screen. */
function displayEpoch(meta: FrameMeta | null): number {
  return meta ? Date.now() + (meta.expectedDisplayTime - performance.now()) : Date.now();
}

// --- continuous latency sampling ------------------------------------------------------------

/** A playback stall of a watched <video> ('waiting': it ran out of buffered media). */
export interface StallEvent {
  atMs: number;
  tile: number | null;
  cameraId: number | null;
}

interface Watched {
  video: RvfcVideo;
  lastAt: number;
  tile: number | null;
  cameraId: number | null;
}

let latency: { samples: LatencySample[]; failures: number; stalls: StallEvent[]; stop: boolean; timer: ReturnType<typeof setInterval> | null } | null = null;

/** Media buffered after the frame shown: what hls.js holds back behind the live edge plus what arrived early. */
function bufferAheadMs(video: HTMLVideoElement): number | null {
  const b = video.buffered;
  if (b.length === 0) return null;
  return Math.round((b.end(b.length - 1) - video.currentTime) * 1000);
}

/**
 * Samples every <video> matching `selector` (each at most every `minIntervalMs`), following tiles
 * that re-create their element (a new player). Each sample also notes the buffer ahead and the
 * playback rate (hls.js plays faster to catch up with its target latency); every 'waiting' event
 * (a stall: hls.js raises its target latency by a second after one) is kept with its time.
 */
function startLatency(selector: string, minIntervalMs: number): void {
  stopLatency();
  const state = { samples: [] as LatencySample[], failures: 0, stalls: [] as StallEvent[], stop: false, timer: null as ReturnType<typeof setInterval> | null };
  latency = state;
  const watched = new Map<HTMLVideoElement, Watched>();
  const onFrame = (w: Watched, meta: FrameMeta | null) => {
    if (state.stop || !w.video.isConnected) return void watched.delete(w.video);
    const now = performance.now();
    if (now - w.lastAt >= minIntervalMs) {
      w.lastAt = now;
      const capture = readTimecode(w.video);
      if (capture === null) state.failures++;
      else {
        const shown = displayEpoch(meta);
        state.samples.push({
          displayMs: shown,
          captureMs: capture,
          latencyMs: shown - capture,
          width: w.video.videoWidth,
          height: w.video.videoHeight,
          bufferAheadMs: bufferAheadMs(w.video),
          playbackRate: w.video.playbackRate,
          tile: w.tile,
          cameraId: w.cameraId,
        });
      }
    }
    arm(w);
  };
  const arm = (w: Watched) => {
    if (state.stop) return;
    if (w.video.requestVideoFrameCallback) w.video.requestVideoFrameCallback((_n, meta) => onFrame(w, meta));
    else setTimeout(() => onFrame(w, null), 40);
  };
  const scan = () => {
    if (state.stop) return;
    for (const video of document.querySelectorAll<RvfcVideo>(selector)) {
      if (watched.has(video)) continue;
      const tileEl = video.closest<HTMLElement>('[data-testid=wall-tile]');
      const tile = tileEl?.dataset.index !== undefined ? Number(tileEl.dataset.index) : null;
      const cameraId = tileEl?.dataset.cameraId ? Number(tileEl.dataset.cameraId) : null;
      const w: Watched = { video, lastAt: 0, tile, cameraId };
      watched.set(video, w);
      video.addEventListener('waiting', () => {
        if (!state.stop && video.currentTime > 0) state.stalls.push({ atMs: Date.now(), tile, cameraId });
      });
      arm(w);
    }
  };
  scan();
  state.timer = setInterval(scan, 100);
}

function stopLatency(): { samples: LatencySample[]; failures: number; stalls: StallEvent[] } {
  const s = latency;
  latency = null;
  if (!s) return { samples: [], failures: 0, stalls: [] };
  s.stop = true;
  if (s.timer) clearInterval(s.timer);
  return { samples: s.samples, failures: s.failures, stalls: s.stalls };
}

// --- first frame after a UI action ----------------------------------------------------------

let first: { result: FirstFrameResult | null; done: boolean } = { result: null, done: true };

/**
 * Arms a timer started by the next `eventType` event (capture phase, before the app sees it) and
 * stopped by the first frame with a decodable timecode presented by a NEW <video> matching `selector`.
 */
function armFirstFrame(selector: string, eventType: 'keydown' | 'dblclick'): void {
  const old = new Set(document.querySelectorAll(selector));
  const state = { result: null as FirstFrameResult | null, done: false };
  first = state;
  let actionMs = 0;
  let actionPerf = 0;
  const onEvent = (e: Event) => {
    if (eventType === 'keydown' && (e as KeyboardEvent).key !== 'Enter') return;
    window.removeEventListener(eventType, onEvent, true);
    actionMs = Date.now();
    actionPerf = performance.now();
    state.result = { actionMs, firstPresentedMs: null, firstDecodedMs: null, firstLatencyMs: null, width: 0, height: 0 };
    poll();
  };
  window.addEventListener(eventType, onEvent, true);
  const deadline = () => performance.now() - actionPerf > 30_000;
  const poll = () => {
    if (state.done) return;
    if (deadline()) return void (state.done = true);
    const v = [...document.querySelectorAll<RvfcVideo>(selector)].find((x) => !old.has(x));
    if (!v) return void setTimeout(poll, 5);
    const onFrame = (meta: FrameMeta | null) => {
      if (state.done || !state.result) return;
      const shown = displayEpoch(meta);
      if (state.result.firstPresentedMs === null) state.result.firstPresentedMs = shown - actionMs;
      const capture = readTimecode(v);
      if (capture !== null) {
        state.result.firstDecodedMs = shown - actionMs;
        state.result.firstLatencyMs = shown - capture;
        state.result.width = v.videoWidth;
        state.result.height = v.videoHeight;
        state.done = true;
        return;
      }
      if (deadline()) return void (state.done = true);
      again();
    };
    const again = () => {
      if (v.requestVideoFrameCallback) v.requestVideoFrameCallback((_n, meta) => onFrame(meta));
      else setTimeout(() => (v.currentTime > 0 ? onFrame(null) : again()), 10);
    };
    again();
  };
}

function firstFrame(): { done: boolean; result: FirstFrameResult | null } {
  return { done: first.done, result: first.result };
}

// --- one-off reading of every wall tile -----------------------------------------------------

function sampleTiles(): { cameraId: number; latencyMs: number | null }[] {
  const out: { cameraId: number; latencyMs: number | null }[] = [];
  for (const tile of document.querySelectorAll<HTMLElement>('[data-testid=wall-tile]')) {
    const video = tile.querySelector<HTMLVideoElement>('[data-testid=tile-video]');
    if (!video || video.videoWidth === 0) continue;
    const capture = readTimecode(video);
    out.push({ cameraId: Number(tile.dataset.cameraId), latencyMs: capture === null ? null : Date.now() - capture });
  }
  return out;
}

// --- every stall since the page loaded ------------------------------------------------------

/** A 'waiting' event of any <video> since the page loaded (media events do not bubble, but a
 *  capturing listener on the document sees them): when, which tile, and how much was buffered. */
export interface PageStall {
  atMs: number;
  tile: number | null;
  cameraId: number | null;
  currentTime: number;
  bufferAheadMs: number | null;
  /** ms since this <video> presented its first frame ('playing'), null before. */
  sincePlayingMs: number | null;
}
const pageStalls: PageStall[] = [];
const firstPlaying = new WeakMap<EventTarget, number>();
document.addEventListener('playing', (e) => {
  if (e.target instanceof HTMLVideoElement && !firstPlaying.has(e.target)) firstPlaying.set(e.target, Date.now());
}, true);
document.addEventListener('waiting', (e) => {
  const v = e.target;
  if (!(v instanceof HTMLVideoElement)) return;
  const tileEl = v.closest<HTMLElement>('[data-testid=wall-tile]');
  const since = firstPlaying.get(v);
  pageStalls.push({
    atMs: Date.now(),
    tile: tileEl?.dataset.index !== undefined ? Number(tileEl.dataset.index) : null,
    cameraId: tileEl?.dataset.cameraId ? Number(tileEl.dataset.cameraId) : null,
    currentTime: v.currentTime,
    bufferAheadMs: bufferAheadMs(v),
    sincePlayingMs: since === undefined ? null : Date.now() - since,
  });
}, true);

function stallLog(): PageStall[] {
  return [...pageStalls];
}

// hls.js makes several requests a second per picture: keep every resource timing entry (the
// benchmarks read when playlists were first asked for, and which URL a view uses).
performance.setResourceTimingBufferSize(100_000);

const probe = { startLatency, stopLatency, armFirstFrame, firstFrame, sampleTiles, stallLog, hasRvfc: () => 'requestVideoFrameCallback' in HTMLVideoElement.prototype };
export type Probe = typeof probe;
Object.defineProperty(window, '__benchProbe', { value: probe, configurable: false, enumerable: false, writable: false });
