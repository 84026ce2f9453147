// Checks of privacy masks in decoded video (R7; docs/design/exports.md "Privacy masks in packages"):
// every frame of a file decoded by ffmpeg to RGB, and measures of how well a region holds a fill
// colour or matches another video.
import { spawnSync } from 'node:child_process';

export interface DecodedVideo {
  width: number;
  height: number;
  /** One RGB24 buffer per frame, in order. */
  frames: Buffer[];
}

/** Every frame of the file, decoded by ffmpeg to RGB24. */
export function decodeEveryFrame(file: string): DecodedVideo {
  const p = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`ffprobe ${file}: ${p.stderr}`);
  const [width, height] = p.stdout.trim().split(',').map(Number) as [number, number];
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ffmpeg ${file}: ${r.stderr.toString()}`);
  const size = width * height * 3;
  if (r.stdout.length % size !== 0) throw new Error(`${file}: ${r.stdout.length} bytes is not a whole number of ${width}x${height} frames`);
  const frames: Buffer[] = [];
  for (let o = 0; o < r.stdout.length; o += size) frames.push(r.stdout.subarray(o, o + size));
  return { width, height, frames };
}

/** Pixels of a coverage map (255 = covered) whose whole 3x3 neighbourhood is covered. */
export function interior(cover: Uint8Array, width: number, height: number): number[] {
  const out: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      let all = true;
      for (let dy = -1; dy <= 1 && all; dy++) for (let dx = -1; dx <= 1 && all; dx++) if (!cover[(y + dy) * width + x + dx]) all = false;
      if (all) out.push(y * width + x);
    }
  }
  return out;
}

/** The largest difference of any channel of the pixels from the colour, over every frame, and where. */
export function worstFillDeviation(v: DecodedVideo, pixels: readonly number[], rgb: readonly [number, number, number]): { deviation: number; frame: number; x: number; y: number } {
  let worst = { deviation: -1, frame: -1, x: -1, y: -1 };
  v.frames.forEach((f, frame) => {
    for (const i of pixels) {
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(f[i * 3 + c]! - rgb[c]!);
        if (d > worst.deviation) worst = { deviation: d, frame, x: i % v.width, y: Math.floor(i / v.width) };
      }
    }
  });
  return worst;
}

/** Pixels at least marginPx (Chebyshev distance) away from every covered pixel of the map. */
export function wellOutside(cover: Uint8Array, width: number, height: number, marginPx: number): number[] {
  const near = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!cover[y * width + x]) continue;
      for (let yy = Math.max(0, y - marginPx); yy <= Math.min(height - 1, y + marginPx); yy++) near.fill(1, yy * width + Math.max(0, x - marginPx), yy * width + Math.min(width, x + marginPx + 1));
    }
  }
  const out: number[] = [];
  for (let i = 0; i < near.length; i++) if (!near[i]) out.push(i);
  return out;
}

/** Per frame, the mean absolute difference of the pixels' channels between two videos of the same size; the largest of those means. */
export function worstMeanDifference(a: DecodedVideo, b: DecodedVideo, pixels: readonly number[]): { meanAbs: number; frame: number } {
  let worst = { meanAbs: -1, frame: -1 };
  const n = Math.min(a.frames.length, b.frames.length);
  for (let frame = 0; frame < n; frame++) {
    const fa = a.frames[frame]!;
    const fb = b.frames[frame]!;
    let sum = 0;
    for (const i of pixels) for (let c = 0; c < 3; c++) sum += Math.abs(fa[i * 3 + c]! - fb[i * 3 + c]!);
    const meanAbs = sum / (pixels.length * 3);
    if (meanAbs > worst.meanAbs) worst = { meanAbs, frame };
  }
  return worst;
}
