// Helpers shared by the camera simulator's tests (Node only).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { decodeTimecode } from './timecode';

export interface GrabbedFrame {
  /** Date.now() when the last byte of the raw frame arrived from ffmpeg */
  receivedAt: number;
  /** decoded burned-in capture time, or null */
  captured: number | null;
  rgba: Uint8ClampedArray;
}

/**
 * Pulls `frames` frames over RTSP/TCP with ffmpeg, as raw RGBA of `width`x`height` (ffmpeg scales
 * when that differs from the stream), and decodes the timecode of each as it arrives.
 */
export function grabFrames(url: string, frames: number, width: number, height: number, timeoutMs = 20_000): Promise<GrabbedFrame[]> {
  const args = [
    '-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-fflags', 'nobuffer', // (not '-flags low_delay': it breaks ffmpeg's HEVC decoding)
   
    '-i', url, '-frames:v', String(frames), '-vf', `scale=${width}:${height}`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-',
  ];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const size = width * height * 4;
  const out: GrabbedFrame[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ffmpeg timed out after ${out.length} frame(s): ${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      while (pending.length >= size) {
        const receivedAt = Date.now();
        const rgba = new Uint8ClampedArray(pending.buffer.slice(pending.byteOffset, pending.byteOffset + size));
        pending = pending.subarray(size);
        out.push({ receivedAt, captured: decodeTimecode(rgba, width, height), rgba });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (out.length >= frames) resolve(out);
      else reject(new Error(`ffmpeg exited ${code} after ${out.length} frame(s): ${stderr}`));
    });
  });
}

/** Starts a long-running RTSP/TCP pull with ffmpeg that counts decoded frames. */
export function startPull(url: string): { child: ChildProcess; frames: () => number; exited: Promise<number | null>; stop: () => void } {
  const child = spawn(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-timeout', '3000000', '-i', url, '-f', 'null', '-progress', 'pipe:1', '-'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let frames = 0;
  child.stdout?.on('data', (d: Buffer) => {
    for (const m of d.toString().matchAll(/^frame=(\d+)/gm)) frames = Number(m[1]);
  });
  child.stderr?.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, frames: () => frames, exited, stop: () => void child.kill('SIGKILL') };
}

/** Sends one raw RTSP request (no auth or a ready Authorization header) and returns the status line + headers. */
export function rtspRequest(url: string, method: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    let data = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('RTSP request timed out'));
    }, 10_000);
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('connect', () => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      sock.write(`${method} ${u.protocol}//${u.host}${u.pathname} RTSP/1.0\r\nCSeq: 1\r\n${extra}\r\n`);
    });
    sock.on('data', (d) => {
      data += d.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = data.slice(0, end).split('\r\n');
      const h: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) h[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      const len = Number(h['content-length'] ?? 0);
      if (data.length < end + 4 + len) return;
      clearTimeout(timer);
      sock.destroy();
      resolve({ status: Number(statusLine?.split(' ')[1]), headers: h, body: data.slice(end + 4, end + 4 + len) });
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 100 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(100);
  }
  return cond();
}
