// Follows a region from one grey frame to the next by template matching (docs/design/exports.md
// "Data-subject packages"): normalised cross-correlation of the region's template over a search
// window around where constant velocity predicts it, the template updated slowly while the match is
// good. It never guesses: a region with too little contrast to match is refused at the start, and a
// best match below LOST_SCORE ends tracking (the operator places the next key by hand).

export interface GrayFrame {
  width: number;
  height: number;
  /** One byte per pixel, rows top to bottom. */
  data: Uint8Array;
}

/** A region in pixels of the frames being tracked. */
export interface PixelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Below this normalised cross-correlation the region is lost (1: identical up to brightness and contrast). */
export const LOST_SCORE = 0.6;
/** Only a match at least this good updates the template (so an occlusion does not creep into it). */
const UPDATE_SCORE = 0.8;
/** Share of the new picture mixed into the template per frame: slow, so it follows a turning person but not the background. */
const UPDATE_RATE = 0.1;
/** Standard deviation (grey levels) under which a region has nothing to match: a wall, the sky, a dark corner. */
export const MIN_TEMPLATE_STDDEV = 6;
/** Smallest template side in pixels worth matching. */
export const MIN_TEMPLATE_SIDE = 6;

export class TemplateTracker {
  readonly featureless: boolean;
  private readonly tw: number;
  private readonly th: number;
  /** The template's picture (running average) and its zero-mean copy with its norm. */
  private readonly raw: Float32Array;
  private readonly zeroMean: Float32Array;
  private norm = 0;
  private x: number;
  private y: number;
  private vx = 0;
  private vy = 0;
  private readonly radius: number;

  constructor(first: GrayFrame, box: PixelBox) {
    this.tw = Math.max(1, Math.min(first.width, Math.round(box.w)));
    this.th = Math.max(1, Math.min(first.height, Math.round(box.h)));
    this.x = clamp(Math.round(box.x), 0, first.width - this.tw);
    this.y = clamp(Math.round(box.y), 0, first.height - this.th);
    // Movement per frame the window allows beyond the prediction: about 0.4 of the region's size.
    this.radius = Math.max(4, Math.round(0.4 * Math.max(this.tw, this.th)));
    this.raw = new Float32Array(this.tw * this.th);
    this.zeroMean = new Float32Array(this.tw * this.th);
    this.copyPatch(first, this.x, this.y, this.raw, 1);
    this.refresh();
    const stddev = this.norm / Math.sqrt(this.tw * this.th);
    this.featureless = this.tw < MIN_TEMPLATE_SIDE || this.th < MIN_TEMPLATE_SIDE || stddev < MIN_TEMPLATE_STDDEV;
  }

  /** Where the region is in `frame` and how well it matched; `lost` when the best match is below LOST_SCORE. */
  step(frame: GrayFrame): { box: PixelBox; score: number; lost: boolean } {
    const { tw, th } = this;
    const px = clamp(Math.round(this.x + this.vx), 0, frame.width - tw);
    const py = clamp(Math.round(this.y + this.vy), 0, frame.height - th);
    const x0 = clamp(px - this.radius, 0, frame.width - tw);
    const x1 = clamp(px + this.radius, 0, frame.width - tw);
    const y0 = clamp(py - this.radius, 0, frame.height - th);
    const y1 = clamp(py + this.radius, 0, frame.height - th);
    const sums = windowSums(frame, x0, y0, x1 + tw, y1 + th);
    const n = tw * th;
    let best = -2;
    let bx = px;
    let by = py;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const { sum, sumSq } = sums.at(x - x0, y - y0, tw, th);
        const variance = sumSq - (sum * sum) / n;
        if (variance <= 1e-6) continue;
        let cross = 0;
        for (let j = 0; j < th; j++) {
          const row = (y + j) * frame.width + x;
          const t = j * tw;
          for (let i = 0; i < tw; i++) cross += this.zeroMean[t + i]! * frame.data[row + i]!;
        }
        const score = cross / (this.norm * Math.sqrt(variance));
        // Ties go to the position nearest the prediction: no motion is invented on a repeated texture.
        if (score > best + 1e-9 || (Math.abs(score - best) <= 1e-9 && Math.hypot(x - px, y - py) < Math.hypot(bx - px, by - py))) {
          best = score;
          bx = x;
          by = y;
        }
      }
    }
    const score = Math.max(0, best);
    if (score < LOST_SCORE) return { box: { x: this.x, y: this.y, w: tw, h: th }, score, lost: true };
    this.vx = 0.5 * this.vx + 0.5 * (bx - this.x);
    this.vy = 0.5 * this.vy + 0.5 * (by - this.y);
    this.x = bx;
    this.y = by;
    if (score >= UPDATE_SCORE) {
      this.copyPatch(frame, bx, by, this.raw, UPDATE_RATE);
      this.refresh();
    }
    return { box: { x: bx, y: by, w: tw, h: th }, score, lost: false };
  }

  /** raw = (1 - rate) * raw + rate * patch at (x, y). */
  private copyPatch(frame: GrayFrame, x: number, y: number, into: Float32Array, rate: number): void {
    for (let j = 0; j < this.th; j++) {
      const row = (y + j) * frame.width + x;
      for (let i = 0; i < this.tw; i++) {
        const k = j * this.tw + i;
        into[k] = (1 - rate) * into[k]! + rate * frame.data[row + i]!;
      }
    }
  }

  private refresh(): void {
    let mean = 0;
    for (const v of this.raw) mean += v;
    mean /= this.raw.length;
    let sq = 0;
    for (let k = 0; k < this.raw.length; k++) {
      const d = this.raw[k]! - mean;
      this.zeroMean[k] = d;
      sq += d * d;
    }
    this.norm = Math.sqrt(sq);
  }
}

/** Summed-area tables of a frame's rectangle [x0, x1) x [y0, y1): the sum and sum of squares of any window in it. */
function windowSums(frame: GrayFrame, x0: number, y0: number, x1: number, y1: number) {
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const s = new Float64Array(w * h);
  const q = new Float64Array(w * h);
  for (let j = 1; j < h; j++) {
    let rs = 0;
    let rq = 0;
    const row = (y0 + j - 1) * frame.width + x0;
    for (let i = 1; i < w; i++) {
      const v = frame.data[row + i - 1]!;
      rs += v;
      rq += v * v;
      s[j * w + i] = s[(j - 1) * w + i]! + rs;
      q[j * w + i] = q[(j - 1) * w + i]! + rq;
    }
  }
  const at = (table: Float64Array, x: number, y: number, ww: number, hh: number) => table[(y + hh) * w + x + ww]! - table[y * w + x + ww]! - table[(y + hh) * w + x]! + table[y * w + x]!;
  return { at: (x: number, y: number, ww: number, hh: number) => ({ sum: at(s, x, y, ww, hh), sumSq: at(q, x, y, ww, hh) }) };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
