// Masking at the source (R7; KRK §6.2-6.3, JON 8-9; docs/design/privacy-masks.md "Masking at the
// source"): the ingest re-encodes a camera's stream with its permanent masks burned in before the
// packager and the recorder see a byte, so no seat and no file ever holds the hidden pixels.
//
// How: ffmpeg gets the mask as a second input on its stdin, one yuva420p picture at the stream's own
// size (black, opaque where covered), and overlays it on every frame. The picture is scaled to that
// size first, so a camera that changes its resolution mid-stream is still covered where the mask's
// fractions say (stretched, never uncovered). The covered area is grown to whole 2x2 blocks: with
// 4:2:0 chroma every colour sample under a covered pixel is then replaced too (no tint of the hidden
// scene bleeds through), and the fill decodes to black within the encoder's rounding.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { rasterizeMasks, type MaskShape } from '../../../shared/privacy-masks';
import type { RtspRelay, RtspTarget } from './rtsp-relay';
import { FRAGMENTED_MP4_ARGS } from './fmp4';

export interface PictureSize {
  width: number;
  height: number;
}

/** Luma of black in limited-range video (what players decode to RGB 0,0,0). */
const BLACK_Y = 16;
const NEUTRAL_C = 128;

/**
 * The overlay picture: yuva420p planes Y, U, V, A of a width x height picture, black everywhere,
 * alpha 255 on every 2x2 block any covered pixel touches (rasterizeMasks is already conservative).
 */
export function maskPicture(shapes: readonly MaskShape[], size: PictureSize): Buffer {
  const { width, height } = size;
  if (width % 2 || height % 2) throw new Error(`a 4:2:0 picture has even sides, not ${width}x${height}`);
  const cover = rasterizeMasks(shapes, width, height);
  const lumaBytes = width * height;
  const chromaBytes = lumaBytes / 4;
  const out = Buffer.alloc(lumaBytes * 2 + chromaBytes * 2);
  out.fill(BLACK_Y, 0, lumaBytes);
  out.fill(NEUTRAL_C, lumaBytes, lumaBytes + 2 * chromaBytes);
  const alpha = out.subarray(lumaBytes + 2 * chromaBytes);
  for (let by = 0; by < height; by += 2) {
    for (let bx = 0; bx < width; bx += 2) {
      const i = by * width + bx;
      if (cover[i] || cover[i + 1] || cover[i + width] || cover[i + width + 1]) {
        alpha[i] = alpha[i + 1] = alpha[i + width] = alpha[i + width + 1] = 255;
      }
    }
  }
  return out;
}

/** Inputs after the camera's: the mask picture, read from ffmpeg's stdin. */
export function maskInputArgs(size: PictureSize): string[] {
  return ['-f', 'rawvideo', '-pix_fmt', 'yuva420p', '-s', `${size.width}x${size.height}`, '-i', 'pipe:0'];
}

/**
 * Video only (JON 12, R8), the mask burned in, H.264 for every player. libx264 ultrafast/zerolatency
 * (no lookahead, no B-frames: one frame of delay), a keyframe every second on the capture timestamps
 * and no scene-cut keyframes, like the copy path's 1 s GOP, so LL-HLS segments and the recorder's
 * cuts stay as they are; frames keep the camera's timing (no duplicated or dropped frames). No
 * hardware encoder: ffmpeg has VAAPI/QSV/NVENC built in, but the reference machine has no device for
 * them; choosing one where a device exists is a later step.
 */
export function maskedOutputArgs(size: PictureSize): string[] {
  const { width, height } = size;
  return [
    '-filter_complex', `[0:v:0]scale=${width}:${height},format=yuv420p[v];[v][1:v]overlay=format=yuv420:eof_action=repeat[masked]`,
    '-map', '[masked]', '-an', '-sn', '-dn',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-bf', '0', '-sc_threshold', '0',
    '-force_key_frames', 'expr:gte(t,n_forced*1)', '-fps_mode', 'passthrough',
    ...FRAGMENTED_MP4_ARGS,
    'pipe:1',
  ];
}

/** One decoded frame as PGM, to learn the stream's real size (nothing of it is kept or sent). */
export function probeOutputArgs(): string[] {
  return ['-map', '0:v:0', '-an', '-sn', '-dn', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'pgm', 'pipe:1'];
}

/**
 * The camera's picture size from one decoded frame, through a relay registration of its own (a
 * token opens one connection). `onChild` is told the running probe so that the ingest can kill it.
 */
export async function probePictureSize(o: {
  relay: RtspRelay;
  target: RtspTarget;
  label: string;
  spawnFn: (command: string, args: string[]) => ChildProcessWithoutNullStreams;
  ffmpegPath: string;
  /** Input arguments for a relay URL (the ingest's). */
  inputArgs: (url: string) => string[];
  timeoutMs: number;
  onChild(child: ChildProcessWithoutNullStreams, running: boolean): void;
}): Promise<ProbeResult & { cameraError?: string | null }> {
  let registration;
  try {
    registration = o.relay.register(o.target, `${o.label} probe`);
  } catch (err) {
    return { failed: 'ended', stderr: `The camera could not be connected through the local relay: ${err instanceof Error ? err.message : String(err)}` };
  }
  try {
    const child = o.spawnFn(o.ffmpegPath, [...o.inputArgs(registration.url), ...probeOutputArgs()]);
    if (child.pid !== undefined) registration.bindProcess(child.pid);
    o.onChild(child, true);
    const r = await readProbe(child, o.timeoutMs);
    o.onChild(child, false);
    return 'size' in r ? r : { ...r, cameraError: registration.cameraError };
  } catch (err) {
    return { failed: 'ended', stderr: `ffmpeg could not be started: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    registration.close();
  }
}

/** The size in a PGM header ("P5 <w> <h> <max>"), or null while the header is incomplete. */
export function pgmSize(bytes: Buffer): PictureSize | null {
  const head = bytes.subarray(0, 64).toString('latin1');
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
  if (!m) {
    if (bytes.length >= 64 || (bytes.length >= 2 && !head.startsWith('P5'))) throw new Error('the probe did not return a picture');
    return null;
  }
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (!(width >= 2 && height >= 2 && width <= 16384 && height <= 16384)) throw new Error(`the camera's picture size ${width}x${height} is not usable`);
  // 4:2:0 needs even sides; an odd camera is scaled one pixel down (the mask is in fractions).
  return { width: width - (width % 2), height: height - (height % 2) };
}

export type ProbeResult = { size: PictureSize } | { failed: 'no_ffmpeg' | 'timeout' | 'ended'; stderr: string };

/**
 * Reads the probe's output to its first decoded frame's header and kills it. The frame itself is
 * never kept: it is the unmasked picture.
 */
export function readProbe(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let head = Buffer.alloc(0);
    let stderr = '';
    let settled = false;
    const finish = (r: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      resolve(r);
    };
    const timer = setTimeout(() => finish({ failed: 'timeout', stderr }), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (settled) return;
      head = Buffer.concat([head, d]).subarray(0, 64);
      try {
        const size = pgmSize(head);
        if (size) finish({ size });
      } catch (err) {
        finish({ failed: 'ended', stderr: err instanceof Error ? err.message : String(err) });
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString();
    });
    child.on('error', (err: NodeJS.ErrnoException) => finish({ failed: err.code === 'ENOENT' ? 'no_ffmpeg' : 'ended', stderr: err.message }));
    child.on('close', () => finish({ failed: 'ended', stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end();
  });
}
