// Burned-in capture-time pattern of the camera simulator: layout, decoder and a reference
// renderer. Pure: no Node and no DOM APIs, so the decoder runs on canvas ImageData in the
// renderer as well as on ffmpeg raw frames in Node tests. media_server.py draws the same layout.
//
// Layout (resolution independent, so it survives downscaling to 640x360 and 320x180):
//   the top 1/16 of the frame is a band of 62 equal-width cells spanning the full width;
//   cell i covers x in [floor(i*W/62), floor((i+1)*W/62)); white = 1, black = 0.
//   cells  0..2   start guard 1,0,1
//   cells  3..50  Unix time in milliseconds, 48 bits, most significant bit first
//   cells 51..58  CRC-8 (polynomial 0x07, init 0, no reflection) of the 6 big-endian time bytes
//   cells 59..61  stop guard 0,1,1

export const TIMECODE_CELLS = 62;
export const TIMECODE_BAND_DIVISOR = 16;
export const TIMECODE_TIME_BITS = 48;
export const TIMECODE_CRC_BITS = 8;
export const TIMECODE_START_GUARD: readonly number[] = [1, 0, 1];
export const TIMECODE_STOP_GUARD: readonly number[] = [0, 1, 1];

const DATA_START = TIMECODE_START_GUARD.length;
const CRC_START = DATA_START + TIMECODE_TIME_BITS;
const STOP_START = CRC_START + TIMECODE_CRC_BITS;
const MIN_CONTRAST = 48; // luma difference between the guards' white and black cells

function timeBytes(ms: number): number[] {
  const bytes: number[] = [];
  let rest = ms;
  for (let i = 0; i < 6; i++) {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return bytes;
}

export function crc8(bytes: readonly number[]): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** The 62 cell values (1 = white) encoding `ms` (integer Unix time in ms, 0 <= ms < 2^48). */
export function timecodeBits(ms: number): number[] {
  if (!Number.isInteger(ms) || ms < 0 || ms >= 2 ** TIMECODE_TIME_BITS) throw new RangeError(`bad time ${ms}`);
  const bits: number[] = [...TIMECODE_START_GUARD];
  const bytes = timeBytes(ms);
  for (const byte of bytes) for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
  const crc = crc8(bytes);
  for (let i = 7; i >= 0; i--) bits.push((crc >> i) & 1);
  bits.push(...TIMECODE_STOP_GUARD);
  return bits;
}

/** Reference renderer (tests, synthetic frames): draws the band into an RGBA image. */
export function renderTimecode(rgba: Uint8ClampedArray, width: number, height: number, ms: number): void {
  const bits = timecodeBits(ms);
  const bandH = Math.floor(height / TIMECODE_BAND_DIVISOR);
  for (let i = 0; i < TIMECODE_CELLS; i++) {
    const x0 = Math.floor((i * width) / TIMECODE_CELLS);
    const x1 = Math.floor(((i + 1) * width) / TIMECODE_CELLS);
    const v = bits[i] ? 255 : 0;
    for (let y = 0; y < bandH; y++) {
      for (let x = x0; x < x1; x++) {
        const o = (y * width + x) * 4;
        rgba[o] = v;
        rgba[o + 1] = v;
        rgba[o + 2] = v;
        rgba[o + 3] = 255;
      }
    }
  }
}

/**
 * Decodes the capture time (Unix ms) burned into a frame by the camera simulator.
 * `rgba` is the whole frame, row-major RGBA (canvas ImageData layout), `width` x `height`.
 * Returns null when there is no valid pattern (guards missing, too little contrast, CRC mismatch).
 */
export function decodeTimecode(rgba: Uint8ClampedArray, width: number, height: number): number | null {
  if (width < TIMECODE_CELLS * 2 || height < TIMECODE_BAND_DIVISOR * 2) return null;
  if (rgba.length < width * height * 4) return null;
  const bandH = height / TIMECODE_BAND_DIVISOR;
  // sample the middle 50% of the band's height and of each cell's width (away from blurred edges)
  const y0 = Math.floor(bandH * 0.25);
  const y1 = Math.max(y0 + 1, Math.ceil(bandH * 0.75));
  const yStep = Math.max(1, Math.floor((y1 - y0) / 4));
  const cellW = width / TIMECODE_CELLS;
  const luma: number[] = [];
  for (let i = 0; i < TIMECODE_CELLS; i++) {
    const x0 = Math.floor(i * cellW + cellW * 0.25);
    const x1 = Math.max(x0 + 1, Math.ceil(i * cellW + cellW * 0.75));
    const xStep = Math.max(1, Math.floor((x1 - x0) / 4));
    let sum = 0;
    let n = 0;
    for (let y = y0; y < y1; y += yStep) {
      for (let x = x0; x < x1; x += xStep) {
        const o = (y * width + x) * 4;
        sum += 0.299 * (rgba[o] ?? 0) + 0.587 * (rgba[o + 1] ?? 0) + 0.114 * (rgba[o + 2] ?? 0);
        n++;
      }
    }
    luma.push(sum / n);
  }
  // threshold halfway between the guards' white and black cells
  const guards = [...TIMECODE_START_GUARD.map((b, i) => [b, i] as const), ...TIMECODE_STOP_GUARD.map((b, i) => [b, STOP_START + i] as const)];
  let white = 0;
  let whites = 0;
  let black = 0;
  let blacks = 0;
  for (const [bit, cell] of guards) {
    const v = luma[cell] ?? 0;
    if (bit) {
      white += v;
      whites++;
    } else {
      black += v;
      blacks++;
    }
  }
  white /= whites;
  black /= blacks;
  if (white - black < MIN_CONTRAST) return null;
  const threshold = (white + black) / 2;
  const bits = luma.map((v) => (v > threshold ? 1 : 0));
  for (const [bit, cell] of guards) if (bits[cell] !== bit) return null;
  let ms = 0;
  for (let i = DATA_START; i < CRC_START; i++) ms = ms * 2 + (bits[i] ?? 0);
  let crc = 0;
  for (let i = CRC_START; i < STOP_START; i++) crc = (crc << 1) | (bits[i] ?? 0);
  if (crc8(timeBytes(ms)) !== crc) return null;
  return ms;
}
