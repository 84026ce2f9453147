// An RTSP client that hands over every decoded frame as I420 with its arrival time and its
// burned-in capture time: the PTZ tests and bench:ptz read where the picture looks (ptz-scene.ts)
// and when. ffmpeg over RTSP/TCP, no buffering, H.264 low-delay decoding.
import { spawn } from 'node:child_process';
import { decodeTimecodeI420 } from './ptz-scene';

export interface I420Frame {
  /** Date.now() when the frame's last byte arrived from ffmpeg. */
  receivedAtMs: number;
  /** The burned-in capture time (Unix ms), or null when it does not decode. */
  capturedAtMs: number | null;
  data: Uint8Array;
}

export interface FrameReader {
  /** Frames so far. */
  count(): number;
  /** Resolves with the first frame after now that satisfies `test`, or rejects after `timeoutMs`. */
  next(test: (f: I420Frame) => boolean, timeoutMs: number): Promise<I420Frame>;
  stop(): Promise<void>;
}

export function startFrameReader(url: string, width: number, height: number, onFrame?: (f: I420Frame) => void): FrameReader {
  const args = ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-fflags', 'nobuffer', '-flags', 'low_delay', '-i', url, '-an', '-vf', `scale=${width}:${height}`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const size = (width * height * 3) / 2;
  const scratch = new Uint8ClampedArray(width * height * 4);
  const waiters = new Set<{ test: (f: I420Frame) => boolean; resolve: (f: I420Frame) => void }>();
  let pending: Buffer = Buffer.alloc(0);
  let frames = 0;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.stdout.on('data', (d: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, d]) : d;
    while (pending.length >= size) {
      const receivedAtMs = Date.now();
      const data = new Uint8Array(pending.buffer.slice(pending.byteOffset, pending.byteOffset + size));
      pending = pending.subarray(size);
      frames++;
      const frame = { receivedAtMs, capturedAtMs: decodeTimecodeI420(data, width, height, scratch), data };
      onFrame?.(frame);
      for (const w of [...waiters]) {
        if (w.test(frame)) {
          waiters.delete(w);
          w.resolve(frame);
        }
      }
    }
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    count: () => frames,
    next(test, timeoutMs) {
      return new Promise((resolve, reject) => {
        const w = {
          test,
          resolve: (f: I420Frame) => {
            clearTimeout(timer);
            resolve(f);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no matching frame within ${timeoutMs} ms (${frames} frames read)${stderr ? `: ${stderr.trim()}` : ''}`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
