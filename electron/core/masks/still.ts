// A still of a camera for drawing its masks (docs/design/privacy-masks.md "The editor's still"): the
// newest keyframe of its main stream, taken from the ingest the recorder already reads (no second
// camera connection), decoded by ffmpeg, its permanent masks filled in the engine before the JPEG is
// made, so the private area never reaches the administrator's screen.
import { spawn } from 'node:child_process';
import type { Fragment, InitSegment } from '../media/fmp4';
import type { StreamListener } from '../live/live-service';
import { rasterizeMasks, type MaskShape } from '../../../shared/privacy-masks';

export const STILL_WIDTH = 640;

/** The next keyframe fragment of a camera's main stream (with its init segment), or an error after timeoutMs. */
export function nextKeyframe(subscribe: (listener: StreamListener) => () => void, timeoutMs: number): Promise<{ init: InitSegment; fragment: Fragment; atMs: number }> {
  return new Promise((resolve, reject) => {
    let init: InitSegment | null = null;
    const done = (f: () => void) => {
      clearTimeout(timer);
      unsubscribe();
      f();
    };
    const timer = setTimeout(() => done(() => reject(new Error(`the camera sent no picture within ${Math.round(timeoutMs / 1000)} s`))), timeoutMs);
    const unsubscribe = subscribe({
      onInit: (i) => {
        init = i;
      },
      onFragment: (f, arrivedAtMs) => {
        if (init && f.independent) done(() => resolve({ init: init!, fragment: f, atMs: arrivedAtMs }));
      },
      onEnd: () => {},
    });
  });
}

function run(ffmpeg: string, args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg failed (${code}): ${err.trim()}`))));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** Paints the masks into an RGB24 picture: permanent ones solid black, liftable ones too when asked. */
export function fillMasks(rgb: Buffer, width: number, height: number, masks: readonly MaskShape[], kinds: readonly MaskShape['kind'][]): void {
  const cover = rasterizeMasks(masks.filter((m) => kinds.includes(m.kind)), width, height);
  for (let i = 0; i < cover.length; i++) if (cover[i]) rgb.fill(0, i * 3, i * 3 + 3);
}

/** A JPEG of one keyframe at STILL_WIDTH wide, its permanent masks filled. */
export async function maskedStill(ffmpeg: string, init: InitSegment, fragment: Fragment, masks: readonly MaskShape[]): Promise<{ jpeg: Buffer; width: number; height: number }> {
  const width = STILL_WIDTH;
  const height = Math.max(2, Math.round((init.height / init.width) * width / 2) * 2);
  const rgb = await run(ffmpeg, ['-f', 'mp4', '-i', 'pipe:0', '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], Buffer.concat([init.bytes, fragment.bytes]));
  if (rgb.length !== width * height * 3) throw new Error(`ffmpeg decoded ${rgb.length} bytes, expected ${width * height * 3}`);
  fillMasks(rgb, width, height, masks, ['permanent']);
  const jpeg = await run(ffmpeg, ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', 'pipe:0', '-frames:v', '1', '-q:v', '3', '-f', 'mjpeg', 'pipe:1'], rgb);
  return { jpeg, width, height };
}
