// The picture privacy masks are burned into exported video with (R7; KRK §6.2-6.3, JON 8-9;
// docs/design/exports.md "Privacy masks in packages"). ffmpeg 5.1 has no polygon fill, so the
// engine rasterizes the masks itself (shared/privacy-masks.ts) into an RGBA picture that the
// burn-in graph lays over every frame: opaque where a mask is, transparent elsewhere.
//
// Both kinds are filled solid: permanent ones black, liftable ones dark grey (told apart by eye;
// the manifest names each polygon and its kind). A package can never lift a mask, and a blur shows
// movement and shapes and can be partly undone, which is what a mask exists to prevent (the same
// reason redaction boxes are black).
//
// The fill covers whole 8x8 pixel blocks: every block any mask touches is filled completely. H.264
// codes 8x8 and 4x4 transform blocks (4:2:0 chroma: half that), so a block is either all fill or
// untouched, and no block mixes the fill with the picture: a mixed block rings after quantisation
// (measured at CRF 23 on a test pattern: up to 53 of 255 two pixels inside a pixel-exact edge,
// up to 249 on the edge itself where 4:2:0 chroma straddles it; with 8x8 blocks at most 12 on any
// pixel of the mask). The fill therefore reaches up to 7 pixels beyond a mask's outline, never less.
import { rasterizeMasks, type MaskKind, type MaskShape } from '../../../../shared/privacy-masks';
import type { ItemMasks } from '../production-types';

/** Side of the square blocks the fill is aligned to (pixels, from the picture's top-left corner). */
export const MASK_BLOCK_PX = 8;
/** RGB of the fill per kind (full range; ffmpeg converts it to the video's limited range exactly). */
export const MASK_FILL_RGB: Record<MaskKind, readonly [number, number, number]> = { permanent: [0, 0, 0], liftable: [64, 64, 64] };

export interface MaskOverlay {
  /** Top-left corner of the overlay in the picture (multiples of MASK_BLOCK_PX, so even for 4:2:0). */
  x: number;
  y: number;
  width: number;
  height: number;
  /** width x height RGBA, row by row; alpha 255 inside the fill, 0 elsewhere. */
  rgba: Buffer;
}

/**
 * Which pixels of a width x height picture are filled, and with which kind: 2 permanent (black),
 * 1 liftable (grey), 0 none. A block touched by a permanent mask is black even where a liftable one
 * covers it too (solid black wins).
 */
export function maskFill(shapes: readonly MaskShape[], width: number, height: number): Uint8Array {
  const fill = new Uint8Array(width * height);
  const layers: [number, Uint8Array][] = [
    [1, rasterizeMasks(shapes.filter((s) => s.kind === 'liftable'), width, height)],
    [2, rasterizeMasks(shapes.filter((s) => s.kind === 'permanent'), width, height)],
  ];
  const B = MASK_BLOCK_PX;
  for (let by = 0; by < height; by += B) {
    const yEnd = Math.min(height, by + B);
    for (let bx = 0; bx < width; bx += B) {
      const xEnd = Math.min(width, bx + B);
      let value = 0;
      for (const [v, cover] of layers) {
        for (let y = by; y < yEnd && value < v; y++) for (let x = bx; x < xEnd; x++) if (cover[y * width + x]) { value = v; break; }
      }
      if (value === 0) continue;
      for (let y = by; y < yEnd; y++) fill.fill(value, y * width + bx, y * width + xEnd);
    }
  }
  return fill;
}

/** The overlay for the masks, cropped to the blocks they fill; null when they fill nothing. */
export function maskOverlay(shapes: readonly MaskShape[], width: number, height: number): MaskOverlay | null {
  if (shapes.length === 0) return null;
  const fill = maskFill(shapes, width, height);
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!fill[y * width + x]) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  }
  if (x1 === 0) return null;
  const w = x1 - x0;
  const h = y1 - y0;
  const rgba = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = fill[(y + y0) * width + x + x0]!;
      if (!v) continue;
      const rgb = MASK_FILL_RGB[v === 2 ? 'permanent' : 'liftable'];
      rgba.set([rgb[0], rgb[1], rgb[2], 255], (y * w + x) * 4);
    }
  }
  return { x: x0, y: y0, width: w, height: h, rgba };
}

/** Why a package of these cameras cannot be made by copying (the request side and production both refuse it). */
export function maskedCopyRefusal(cameraNames: readonly string[]): string {
  const which = cameraNames.length === 1 ? `Camera "${cameraNames[0]}" has` : `Cameras ${cameraNames.map((n) => `"${n}"`).join(', ')} have`;
  return `${which} privacy masks (R7): a copy would hand over the picture without them. Produce the package with burn-in, which fills every mask in every frame.`;
}

/** What manifest.json says about an item's masks, so a court can see the video was masked and how. */
export function manifestMasks(masks: ItemMasks, filled: boolean): Record<string, unknown> {
  return {
    versions: masks.versions,
    permanent: masks.shapes.filter((s) => s.kind === 'permanent').length,
    liftable: masks.shapes.filter((s) => s.kind === 'liftable').length,
    // Corners in fractions of the picture, as drawn: they show where the picture was covered, not what.
    shapes: masks.shapes.map((s) => ({ kind: s.kind, points: s.points })),
    fill: filled ? { permanentRgb: MASK_FILL_RGB.permanent, liftableRgb: MASK_FILL_RGB.liftable, blockPx: MASK_BLOCK_PX } : null,
  };
}
