// Ingest of one camera stream (docs/design/overview.md §3, docs/design/live-pipeline.md): one ffmpeg per stream,
// RTSP over TCP, video copied (never re-encoded when H.264), audio dropped (JON 12), fragmented MP4
// of one frame per fragment to a pipe. Supervised: states are told apart, retries back off up to a cap,
// and nothing here can block another camera. ffmpeg connects through the local RTSP relay and never
// gets the camera's credentials (docs/design/live-pipeline.md "Credential relay"). A camera masked at
// the source is re-encoded with its permanent masks burned in (source-masks.ts).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { MaskShape } from '../../../shared/privacy-masks';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { Fmp4Splitter, FRAGMENTED_MP4_ARGS, type Fragment, type InitSegment } from './fmp4';
import { sharedRtspRelay, targetFromUrl, type RelayRegistration, type RtspRelay, type RtspTarget } from './rtsp-relay';
import { maskedOutputArgs, maskInputArgs, maskPicture, probePictureSize, type PictureSize } from './source-masks';

export const INGEST_STATES = ['idle', 'connecting', 'live', 'stalled', 'reconnecting', 'auth_failed', 'unreachable', 'unsupported_codec', 'no_ffmpeg'] as const;
export type IngestState = (typeof INGEST_STATES)[number];

export interface IngestStatus {
  state: IngestState;
  detail: string | null;
  /** Re-encoding to H.264 because the camera sends something Chromium cannot play (costs CPU). */
  transcoding: boolean;
  sinceMs: number;
  lastFragmentAtMs: number | null;
  attempts: number;
}

/** Starts ffmpeg. The process it returns must be the one that connects to the relay (a wrapper
 * must exec ffmpeg, not fork it): the relay accepts a connection only from that pid. */
export type SpawnFn = (command: string, args: string[]) => ChildProcessWithoutNullStreams;

export interface IngestOptions {
  /** For logs: camera id and stream, never the URL. */
  label: string;
  /** The camera, read at each connect: an RTSP URL (credentials in its userinfo are taken out and
   * given to the relay) or a target with separate credentials. Never logged, never given to ffmpeg. */
  url: () => Promise<string | RtspTarget>;
  /** The engine's relay; without one, a relay shared by the process is started on first use. */
  relay?: RtspRelay;
  ffmpeg: { path: string } | { error: string };
  clock: Clock;
  logger: Logger;
  onInit(init: InitSegment): void;
  onFragment(fragment: Fragment, arrivedAtMs: number): void;
  onEnd(): void;
  onStatus?(status: IngestStatus): void;
  /** No fragment for this long after the first one: stalled, reconnect. */
  stallMs?: number;
  /** No first fragment this long after ffmpeg started: the camera is not sending a picture. A
   * camera (or ffmpeg's probe) that takes a few seconds to start is slow, not stalled: killing it
   * at the stall limit would restart the same slow start forever. */
  connectTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  spawnFn?: SpawnFn;
  /** Force re-encoding (set automatically when the camera's codec cannot be copied). */
  transcode?: boolean;
  /** Masking at the source (docs/design/privacy-masks.md): the permanent masks to burn in, read at
   * each connect; none: copied as usual. When they cannot be read the stream stays down (fail closed). */
  sourceMasks?: () => Promise<readonly MaskShape[]>;
}

const COPYABLE = new Set(['avc1', 'avc3']);

/**
 * States with no picture from the camera. Moving between them (stalled, then reconnecting, then
 * unreachable while the retries go on) is one outage: its start time stays, so every screen says
 * "no signal since" the moment the picture was lost, not the latest retry.
 */
const NO_PICTURE: ReadonlySet<IngestState> = new Set(['stalled', 'reconnecting', 'unreachable']);

export function ffmpegArgs(url: string, transcode: boolean, quickProbe = false): string[] {
  // A copy never needs the frame rate (timestamps come from RTP), and probing it holds the first
  // fragment back by about a second (measured against the simulator: 1.3-2.7 s -> 0.5-1.2 s, same
  // fragments and keyframe cuts). The encoder needs the rate: a transcoded stream is probed as usual.
  return [...ffmpegInputArgs(url, !transcode, !transcode && quickProbe), ...ffmpegOutputArgs(transcode)];
}

/**
 * The camera through the relay. The masked encoder keeps the camera's timestamps (`-fps_mode
 * passthrough`), so it does not need the frame rate probed either.
 *
 * `quickProbe` (copied streams): ffmpeg stops studying the stream at once (`-analyzeduration 1`)
 * instead of decoding about seven frames after the first keyframe to guess the decoder's delay,
 * which a copy never uses: the first fragment comes ~0.3 s sooner (mean 975 -> 670 ms from start to
 * the first keyframe fragment, 12 trials each against the simulator). It relies on the camera's SDP
 * carrying its parameter sets; StreamIngest turns it off for a camera whose run ends without an init
 * segment that names its codec configuration (docs/design/live-pipeline.md "Cold start").
 */
export function ffmpegInputArgs(url: string, skipFpsProbe: boolean, quickProbe = false): string[] {
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-timeout', '5000000', ...(skipFpsProbe ? ['-fpsprobesize', '0'] : []), ...(quickProbe ? ['-analyzeduration', '1'] : []), '-i', url];
}

/** Video only: audio, subtitles and data are never taken (JON 12, R8). */
export function ffmpegOutputArgs(transcode: boolean): string[] {
  return [
    '-map', '0:v:0', '-an', '-sn', '-dn',
    ...(transcode
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-bf', '0', '-force_key_frames', 'expr:gte(t,n_forced*1)']
      : ['-c:v', 'copy']),
    ...FRAGMENTED_MP4_ARGS,
    'pipe:1',
  ];
}

/** What an ffmpeg exit means, from its error output. */
export function classifyFailure(stderrRaw: string): { state: IngestState; detail: string; transcode?: boolean } {
  // Match on what ffmpeg says, not on URLs or its "[rtsp @ 0x55d0c401...]" context addresses, where
  // a port or a pointer can contain "401" or "404" by chance.
  const stderr = stderrRaw.replace(/\w+:\/\/\S+/g, '<url>').replace(/\[[\w-]+ @ 0x[0-9a-f]+\]/gi, '');
  if (/\b401 Unauthorized|\b403 Forbidden|authorization failed/i.test(stderr)) return { state: 'auth_failed', detail: 'The camera refused the user name or password.' };
  if (/Could not find tag for codec|not currently supported in container|codec not supported/i.test(stderr)) {
    return { state: 'unsupported_codec', detail: 'The camera codec cannot be copied; switching to transcoding.', transcode: true };
  }
  if (/\b404 Not Found/i.test(stderr)) return { state: 'unreachable', detail: 'The camera does not have that stream (404).' };
  if (/refused|unreachable|No route|timed out|Connection reset|Name or service not known|Invalid data|End of file|Immediate exit|Broken pipe/i.test(stderr)) {
    return { state: 'unreachable', detail: firstLine(stderr) ?? 'The camera cannot be reached.' };
  }
  return { state: 'unreachable', detail: firstLine(stderr) ?? 'The stream ended.' };
}

function firstLine(s: string): string | null {
  const line = s.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  // Never echo a URL: ffmpeg prints the input URL, with credentials, in some messages.
  return line ? line.replace(/\w+:\/\/\S+/g, '<camera>').slice(0, 200) : null;
}

export class StreamIngest {
  private child: ChildProcessWithoutNullStreams | null = null;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoffMs: number;
  private transcode: boolean;
  private wasLive = false;
  private lastFragmentAtMono = 0;
  private fragmentCount = 0;
  private status: IngestStatus;
  /** Bumped by stop() and restart(): a launch or a process of an older generation is abandoned. */
  private generation = 0;
  /** Ends the current run for the listeners (once), when it has begun. */
  private endRun: (() => void) | null = null;
  private masked = false; // burning masks in at the source in the current run
  /** The camera's picture size, learned by a probe; forgotten when a run fails (the camera may have changed). */
  private pictureSize: PictureSize | null = null;
  private restartDetail: string | null = null;
  /** Copied streams start with ffmpeg's quick probe until a run shows the camera needs the full one. */
  private quickProbe = true;

  constructor(private readonly opts: IngestOptions) {
    this.backoffMs = opts.backoffInitialMs ?? 1000;
    this.transcode = opts.transcode ?? false;
    this.status = { state: 'idle', detail: null, transcoding: this.transcode, sinceMs: opts.clock.nowMs(), lastFragmentAtMs: null, attempts: 0 };
  }

  get current(): IngestStatus {
    return { ...this.status };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.backoffMs = this.opts.backoffInitialMs ?? 1000;
    void this.launch();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.kill();
    this.setStatus('idle', null);
  }

  /** Starts over at once, reading the camera's settings afresh (its masks at the source changed). The
   *  current run ends for the listeners now and nothing more of it is delivered. */
  restart(detail: string): void {
    if (this.stopped) return;
    this.generation += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.endRun?.();
    this.kill();
    this.backoffMs = this.opts.backoffInitialMs ?? 1000;
    this.restartDetail = detail;
    void this.launch();
  }

  private setStatus(state: IngestState, detail: string | null) {
    if (this.status.state !== state || this.status.detail !== detail || this.status.transcoding !== (this.transcode || this.masked)) {
      const sameOutage = NO_PICTURE.has(this.status.state) && NO_PICTURE.has(state);
      // A picture lost while live was lost with its last fragment, not when the stall was noticed.
      const lostAt = this.status.state === 'live' && NO_PICTURE.has(state) ? this.status.lastFragmentAtMs : null;
      const sinceMs = this.status.state === state || sameOutage ? this.status.sinceMs : (lostAt ?? this.opts.clock.nowMs());
      this.status = { ...this.status, state, detail, transcoding: (this.transcode || this.masked), sinceMs };
      this.opts.onStatus?.(this.current);
    }
  }

  private kill() {
    const c = this.child;
    this.child = null;
    if (c && c.exitCode === null) {
      c.kill('SIGTERM');
      setTimeout(() => c.exitCode === null && c.kill('SIGKILL'), 2000).unref();
    }
  }

  private async launch() {
    const gen = this.generation;
    const gone = () => this.stopped || gen !== this.generation;
    if (gone()) return;
    if ('error' in this.opts.ffmpeg) {
      this.setStatus('no_ffmpeg', this.opts.ffmpeg.error);
      return;
    }
    const ffmpegPath = this.opts.ffmpeg.path;
    this.status.attempts += 1;
    // A retry of a camera that has no picture or refused the password keeps saying why (the word
    // and the reason do not flicker to "connecting" at every attempt).
    if (this.restartDetail !== null) this.setStatus('connecting', this.restartDetail);
    else if (NO_PICTURE.has(this.status.state)) this.setStatus('reconnecting', this.status.detail);
    else if (this.status.state !== 'auth_failed') this.setStatus(this.wasLive ? 'reconnecting' : 'connecting', null);
    let target: RtspTarget;
    try {
      const source = await this.opts.url();
      target = typeof source === 'string' ? targetFromUrl(source) : source;
    } catch (err) {
      // A keychain that is locked or still starting is not a wrong password: retry at the usual pace.
      this.setStatus('auth_failed', `The camera credentials could not be read from the keychain: ${err instanceof Error ? err.message : String(err)}`);
      this.scheduleRetry(false);
      return;
    }
    let masks: readonly MaskShape[];
    try {
      masks = (await this.opts.sourceMasks?.()) ?? [];
    } catch (err) {
      // Fail closed: a camera masked at the source is never sent or recorded unmasked instead.
      this.setStatus('unreachable', `The camera's privacy masks could not be read: ${err instanceof Error ? err.message : String(err)}`);
      this.scheduleRetry(false);
      return;
    }
    if (gone()) return;
    this.restartDetail = null;
    this.masked = masks.length > 0;
    // ffmpeg gets a relay URL with a one-connection token, never the credentials: anyone on the
    // machine can read a process's argv (/proc/<pid>/cmdline) and environment.
    let relay: RtspRelay;
    try {
      relay = this.opts.relay ?? (await sharedRtspRelay(this.opts.logger));
    } catch (err) {
      this.setStatus('unreachable', `The camera could not be connected through the local relay: ${err instanceof Error ? err.message : String(err)}`);
      this.scheduleRetry(false);
      return;
    }
    if (gone()) return;
    const spawnFn: SpawnFn = this.opts.spawnFn ?? ((cmd, args) => spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    if (this.masked && !this.pictureSize) {
      // The mask is drawn at the stream's own size, learned from one decoded frame first.
      const probed = await this.probeSize(relay, target, spawnFn, ffmpegPath);
      if (gone()) return;
      if ('failure' in probed) {
        this.setStatus(probed.failure.state, probed.failure.detail);
        if (probed.failure.state !== 'no_ffmpeg') this.scheduleRetry(probed.failure.state === 'auth_failed');
        return;
      }
      this.pictureSize = probed.size;
    }
    const size = this.masked ? this.pictureSize : null;
    let registration: RelayRegistration | undefined;
    let child: ChildProcessWithoutNullStreams;
    try {
      registration = relay.register(target, this.opts.label);
      const args = size ? [...ffmpegInputArgs(registration.url, true), ...maskInputArgs(size), ...maskedOutputArgs(size)] : ffmpegArgs(registration.url, this.transcode, this.quickProbe);
      child = spawnFn(ffmpegPath, args);
    } catch (err) {
      registration?.close();
      this.setStatus('unreachable', `ffmpeg could not be started: ${err instanceof Error ? err.message : String(err)}`);
      this.scheduleRetry(false);
      return;
    }
    if (child.pid !== undefined) registration.bindProcess(child.pid);
    this.child = child;
    let stderr = '';
    // `transcode` or `again`: start over at once, re-encoding or with the settings just changed.
    let failure: { state: IngestState; detail: string; transcode?: boolean; again?: boolean } | null = null;
    let gotInit = false;
    const quick = !size && !this.transcode && this.quickProbe;
    let ended = false;
    this.endRun = () => {
      if (gotInit && !ended) this.opts.onEnd();
      ended = true;
    };
    const splitter = new Fmp4Splitter(
      (init) => {
        gotInit = true;
        if (size && (init.width !== size.width || init.height !== size.height || !COPYABLE.has(init.codec))) {
          // Never expected (the picture is scaled to the mask's size); if it happens nothing is delivered.
          failure = { state: 'unreachable', detail: `The masked stream came out ${init.width}x${init.height} ${init.codec}, not ${size.width}x${size.height} H.264.` };
          ended = true;
          this.kill();
          return;
        }
        if (!COPYABLE.has(init.codec) && !this.transcode) {
          failure = { state: 'unsupported_codec', detail: `The camera sends ${init.codec}; switching to transcoding.`, transcode: true };
          this.kill();
          return;
        }
        if (quick && (init.codecString === null || !init.width || !init.height)) {
          // The quick probe ended before the camera's parameter sets (its SDP carries none): study
          // the stream in full from the next run on. Nothing of this run is delivered.
          this.quickProbe = false;
          failure = { state: 'connecting', detail: 'The camera announces its stream late; connecting again with a full probe.', again: true };
          ended = true;
          this.kill();
          return;
        }
        this.opts.onInit(init);
      },
      (fragment) => {
        this.lastFragmentAtMono = performance.now();
        this.fragmentCount += 1;
        this.status.lastFragmentAtMs = this.opts.clock.nowMs();
        if (this.status.state !== 'live') {
          this.wasLive = true;
          this.backoffMs = this.opts.backoffInitialMs ?? 1000;
          this.setStatus('live', this.transcode ? 'Transcoding to H.264' : null);
        }
        this.opts.onFragment(fragment, this.status.lastFragmentAtMs);
      },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      try {
        splitter.push(chunk);
      } catch (err) {
        failure = { state: 'unreachable', detail: `The stream could not be read: ${err instanceof Error ? err.message : String(err)}` };
        this.kill();
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString();
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      failure = err.code === 'ENOENT' ? { state: 'no_ffmpeg', detail: `ffmpeg was not found at ${this.opts.ffmpeg && 'path' in this.opts.ffmpeg ? this.opts.ffmpeg.path : '?'}.` } : { state: 'unreachable', detail: err.message };
    });
    child.stdin.on('error', () => {});
    // The mask picture is ffmpeg's second input, on its stdin (nothing written to disk).
    if (size) child.stdin.end(maskPicture(masks, size));
    child.on('close', () => {
      clearInterval(stallTimer);
      registration.close();
      if (this.child === child) this.child = null;
      if (gotInit && !ended) this.opts.onEnd();
      ended = true;
      if (gone()) return;
      if (this.masked) this.pictureSize = null;
      // The relay knows why the camera could not be connected; ffmpeg only saw the relay's answer.
      const cameraError = registration.cameraError;
      const f: NonNullable<typeof failure> = failure ?? (cameraError ? { state: 'unreachable' as const, detail: `The camera cannot be reached (${cameraError}).` } : classifyFailure(stderr));
      this.opts.logger.warn('ingest ended', { stream: this.opts.label, state: f.state, detail: f.detail });
      // A quick-probed run that never gave an init segment may have failed for want of the full
      // probe (a camera whose SDP has no parameter sets): every later run probes in full.
      if (quick && !gotInit) this.quickProbe = false;
      if (f.transcode || f.again) {
        if (f.transcode) this.transcode = true;
        this.setStatus('connecting', f.detail);
        this.retryTimer = setTimeout(() => void this.launch(), 100);
        return;
      }
      if (f.state === 'no_ffmpeg') {
        this.setStatus('no_ffmpeg', f.detail);
        return;
      }
      // After having been live, the tile says "reconnecting" while we retry; otherwise it shows why.
      this.setStatus(this.wasLive && f.state === 'unreachable' ? 'reconnecting' : f.state, f.detail);
      this.scheduleRetry(f.state === 'auth_failed');
    });
    const stallMs = this.opts.stallMs ?? 5000;
    const connectTimeoutMs = Math.max(stallMs, this.opts.connectTimeoutMs ?? 15_000);
    const startedAtMono = performance.now();
    const fragmentsAtStart = this.fragmentCount;
    const stallTimer = setInterval(() => {
      if (this.child !== child) return;
      const now = performance.now();
      if (this.fragmentCount === fragmentsAtStart) {
        if (now - startedAtMono > connectTimeoutMs) {
          failure = { state: 'unreachable', detail: `The camera sent no picture within ${Math.round(connectTimeoutMs / 1000)} s of connecting.` };
          this.kill();
        }
      } else if (now - this.lastFragmentAtMono > stallMs) {
        // A picture that stops must never look live: say so, then reconnect (the close handler retries).
        failure = { state: 'stalled', detail: `No video for ${Math.round(stallMs / 1000)} s.` };
        this.setStatus('stalled', failure.detail);
        this.kill();
      }
    }, 500);
  }

  private async probeSize(relay: RtspRelay, target: RtspTarget, spawnFn: SpawnFn, ffmpegPath: string): Promise<{ size: PictureSize } | { failure: { state: IngestState; detail: string } }> {
    const timeoutMs = Math.max(this.opts.stallMs ?? 5000, this.opts.connectTimeoutMs ?? 15_000);
    const r = await probePictureSize({
      relay, target, label: this.opts.label, spawnFn, ffmpegPath, inputArgs: (url) => ffmpegInputArgs(url, true), timeoutMs, onChild: (c, running) => {
        if (running) this.child = c;
        else if (this.child === c) this.child = null;
      },
    });
    if ('size' in r) return r;
    if (r.failed === 'no_ffmpeg') return { failure: { state: 'no_ffmpeg', detail: `ffmpeg was not found at ${ffmpegPath}.` } };
    if (r.failed === 'timeout') return { failure: { state: 'unreachable', detail: `The camera sent no picture within ${Math.round(timeoutMs / 1000)} s of connecting.` } };
    return { failure: r.cameraError ? { state: 'unreachable', detail: `The camera cannot be reached (${r.cameraError}).` } : classifyFailure(r.stderr) };
  }

  private scheduleRetry(slow: boolean) {
    if (this.stopped) return;
    const max = this.opts.backoffMaxMs ?? 30_000;
    const delay = slow ? max : this.backoffMs;
    this.backoffMs = Math.min(max, this.backoffMs * 2);
    this.retryTimer = setTimeout(() => void this.launch(), delay);
  }
}
