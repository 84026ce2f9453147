// Where a simulated PTZ camera's picture looks, read from its pixels (the scene: ptz_scene.py).
// The scene's chroma is a ramp: U rises with the scene's x, V with its y, from 16 to 240. The mean
// U of a strip of columns is linear in the strip's position, so two strips give the window's left
// edge and its width, i.e. pan and zoom; two strips of rows give tilt. Pure: works on an I420
// frame (ffmpeg -pix_fmt yuv420p), the planes as the encoder saw them, no colour conversion.
import { decodeTimecode } from './timecode';

/** MUST match ptz_scene.py. */
export const SCENE_FACTOR = 4;
const CHROMA_LO = 16;
const CHROMA_SPAN = 224;

export interface WindowReading {
  pan: number;
  tilt: number;
  zoom: number;
  /** The window's centre and size in fractions of the scene (x right, y down). */
  centreX: number;
  centreY: number;
  widthFraction: number;
  heightFraction: number;
}

function meanOf(plane: Uint8Array, stride: number, x0: number, x1: number, y0: number, y1: number): number {
  let sum = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += plane[y * stride + x]!;
  return sum / ((x1 - x0) * (y1 - y0));
}

/** The window of an I420 frame of `width` x `height` (both even) from the scene's chroma ramps. */
export function readWindow(i420: Uint8Array, width: number, height: number): WindowReading {
  const cw = width / 2;
  const ch = height / 2;
  const u = i420.subarray(width * height, width * height + cw * ch);
  const v = i420.subarray(width * height + cw * ch, width * height + 2 * cw * ch);
  const frac = (level: number) => (level - CHROMA_LO) / CHROMA_SPAN;
  // Columns: strips of a quarter of the width at the left and right, in the lower half of the
  // picture (the timecode band and the clock text sit at the top). Mean of (2x+1) over [a, b) is a+b.
  const q = Math.floor(cw / 4);
  const uL = frac(meanOf(u, cw, 0, q, ch / 2, ch));
  const uR = frac(meanOf(u, cw, cw - q, cw, ch / 2, ch));
  const kx = (uR - uL) / (2 * cw - 2 * q); // scene fraction per output pixel
  const x0 = uL - q * kx;
  const widthFraction = kx * width;
  // Rows: a strip below the band and one at the bottom, in the right half (away from the clock text).
  const a = Math.ceil(ch / 8) + 1;
  const n = Math.floor(ch / 4);
  const vT = frac(meanOf(v, cw, cw / 2, cw, a, a + n));
  const vB = frac(meanOf(v, cw, cw / 2, cw, ch - n, ch));
  const ky = (vB - vT) / (2 * ch - 2 * a - 2 * n);
  const y0 = vT - (2 * a + n) * ky;
  const heightFraction = ky * height;
  const centreX = x0 + widthFraction / 2;
  const centreY = y0 + heightFraction / 2;
  return {
    pan: widthFraction < 1 ? ((centreX - 0.5) * 2) / (1 - widthFraction) : 0,
    tilt: heightFraction < 1 ? (-(centreY - 0.5) * 2) / (1 - heightFraction) : 0,
    zoom: Math.log(0.5 / widthFraction) / Math.log(4),
    centreX,
    centreY,
    widthFraction,
    heightFraction,
  };
}

/** The burned-in capture time of an I420 frame (the band is luma only); `scratch` is reused between calls. */
export function decodeTimecodeI420(i420: Uint8Array, width: number, height: number, scratch?: Uint8ClampedArray): number | null {
  const rgba = scratch && scratch.length >= width * height * 4 ? scratch : new Uint8ClampedArray(width * height * 4);
  const bandRows = Math.ceil(height / 16);
  for (let i = 0; i < width * bandRows; i++) {
    const y = i420[i]!;
    rgba[i * 4] = y;
    rgba[i * 4 + 1] = y;
    rgba[i * 4 + 2] = y;
    rgba[i * 4 + 3] = 255;
  }
  return decodeTimecode(rgba, width, height);
}
