// Ingest of one camera stream (docs/design/overview.md §3, docs/design/live-pipeline.md): one ffmpeg per stream,
// RTSP over TCP, video copied (never re-encoded when H.264), audio dropped (JON 12), fragmented MP4
// of ~200 ms fragments to a pipe. Supervised: states are told apart, retries back off up to a cap,
// and nothing here can block another camera. ffmpeg connects through the local RTSP relay and never
// gets the camera's credentials (docs/design/live-pipeline.md "Credential relay").
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { Fmp4Splitter, type Fragment, type InitSegment } from './fmp4';
import { sharedRtspRelay, targetFromUrl, type RelayRegistration, type RtspRelay, type RtspTarget } from './rtsp-relay';

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
}

const COPYABLE = new Set(['avc1', 'avc3']);

/**
 * States with no picture from the camera. Moving between them (stalled, then reconnecting, then
 * unreachable while the retries go on) is one outage: its start time stays, so every screen says
 * "no signal since" the moment the picture was lost, not the latest retry.
 */
const NO_PICTURE: ReadonlySet<IngestState> = new Set(['stalled', 'reconnecting', 'unreachable']);

export function ffmpegArgs(url: string, transcode: boolean): string[] {
  // A copy never needs the frame rate (timestamps come from RTP), and probing it holds the first
  // fragment back by about a second (measured against the simulator: 1.3-2.7 s -> 0.5-1.2 s, same
  // fragments and keyframe cuts). The encoder needs the rate: a transcoded stream is probed as usual.
  const probe = transcode ? [] : ['-fpsprobesize', '0'];
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-timeout', '5000000', ...probe, '-i', url, ...ffmpegOutputArgs(transcode)];
}

/** Video only: audio, subtitles and data are never taken (JON 12, R8). */
export function ffmpegOutputArgs(transcode: boolean): string[] {
  return [
    '-map', '0:v:0', '-an', '-sn', '-dn',
    ...(transcode
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-bf', '0', '-force_key_frames', 'expr:gte(t,n_forced*1)']
      : ['-c:v', 'copy']),
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '200000',
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
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.kill();
    this.setStatus('idle', null);
  }

  private setStatus(state: IngestState, detail: string | null) {
    if (this.status.state !== state || this.status.detail !== detail || this.status.transcoding !== this.transcode) {
      const sameOutage = NO_PICTURE.has(this.status.state) && NO_PICTURE.has(state);
      // A picture lost while live was lost with its last fragment, not when the stall was noticed.
      const lostAt = this.status.state === 'live' && NO_PICTURE.has(state) ? this.status.lastFragmentAtMs : null;
      const sinceMs = this.status.state === state || sameOutage ? this.status.sinceMs : (lostAt ?? this.opts.clock.nowMs());
      this.status = { ...this.status, state, detail, transcoding: this.transcode, sinceMs };
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
    if (this.stopped) return;
    if ('error' in this.opts.ffmpeg) {
      this.setStatus('no_ffmpeg', this.opts.ffmpeg.error);
      return;
    }
    this.status.attempts += 1;
    // A retry of a camera that has no picture or refused the password keeps saying why (the word
    // and the reason do not flicker to "connecting" at every attempt).
    if (NO_PICTURE.has(this.status.state)) this.setStatus('reconnecting', this.status.detail);
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
    if (this.stopped) return;
    // ffmpeg gets a relay URL with a one-connection token, never the credentials: anyone on the
    // machine can read a process's argv (/proc/<pid>/cmdline) and environment.
    let registration: RelayRegistration;
    try {
      const relay = this.opts.relay ?? (await sharedRtspRelay(this.opts.logger));
      if (this.stopped) return;
      registration = relay.register(target, this.opts.label);
    } catch (err) {
      this.setStatus('unreachable', `The camera could not be connected through the local relay: ${err instanceof Error ? err.message : String(err)}`);
      this.scheduleRetry(false);
      return;
    }
    const spawnFn: SpawnFn = this.opts.spawnFn ?? ((cmd, args) => spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawnFn(this.opts.ffmpeg.path, ffmpegArgs(registration.url, this.transcode));
    } catch (err) {
      registration.close();
      this.setStatus('unreachable', `ffmpeg could not be started: ${err instanceof Error ? err.message : String(err)}`);
      this.scheduleRetry(false);
      return;
    }
    if (child.pid !== undefined) registration.bindProcess(child.pid);
    this.child = child;
    let stderr = '';
    let failure: { state: IngestState; detail: string; transcode?: boolean } | null = null;
    let gotInit = false;
    const splitter = new Fmp4Splitter(
      (init) => {
        gotInit = true;
        if (!COPYABLE.has(init.codec) && !this.transcode) {
          failure = { state: 'unsupported_codec', detail: `The camera sends ${init.codec}; switching to transcoding.`, transcode: true };
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
    child.on('close', () => {
      clearInterval(stallTimer);
      registration.close();
      if (this.child === child) this.child = null;
      if (gotInit) this.opts.onEnd();
      if (this.stopped) return;
      // The relay knows why the camera could not be connected; ffmpeg only saw the relay's answer.
      const cameraError = registration.cameraError;
      const f = failure ?? (cameraError ? { state: 'unreachable' as const, detail: `The camera cannot be reached (${cameraError}).` } : classifyFailure(stderr));
      this.opts.logger.warn('ingest ended', { stream: this.opts.label, state: f.state, detail: f.detail });
      if (f.transcode) {
        this.transcode = true;
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

  private scheduleRetry(slow: boolean) {
    if (this.stopped) return;
    const max = this.opts.backoffMaxMs ?? 30_000;
    const delay = slow ? max : this.backoffMs;
    this.backoffMs = Math.min(max, this.backoffMs * 2);
    this.retryTimer = setTimeout(() => void this.launch(), delay);
  }
}
