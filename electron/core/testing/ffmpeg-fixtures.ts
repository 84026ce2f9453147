// Real ffmpeg output for media tests: H.264 25 fps, 1 s GOP, fragmented every 200 ms (as ingest writes).
import { spawnSync } from 'node:child_process';
import { Fmp4Splitter, type Fragment, type InitSegment } from '../media/fmp4';

export function encodeFmp4(seconds: number, size = '640x360', extra: string[] = []): Buffer {
  const r = spawnSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`, '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', ...extra,
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '200000', 'pipe:1',
  ], { maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

export function split(bytes: Buffer): { init: InitSegment; fragments: Fragment[] } {
  let init: InitSegment | null = null;
  const fragments: Fragment[] = [];
  new Fmp4Splitter((i) => (init = i), (f) => fragments.push(f)).push(bytes);
  if (!init) throw new Error('no init segment');
  return { init, fragments };
}
