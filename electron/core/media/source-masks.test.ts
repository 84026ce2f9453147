// The mask picture ffmpeg overlays at the source (docs/design/privacy-masks.md "Masking at the
// source"): black, opaque over whole 2x2 blocks wherever a mask touches a pixel, so no 4:2:0 colour
// sample of the hidden scene survives; and the probe's picture size.
import { describe, expect, it } from 'vitest';
import { rasterizeMasks, type MaskShape } from '../../../shared/privacy-masks';
import { maskPicture, pgmSize } from './source-masks';

const TRIANGLE: MaskShape = { kind: 'permanent', points: [[0.13, 0.21], [0.71, 0.33], [0.4, 0.87]] };

describe('the mask picture', () => {
  it('is opaque over every 2x2 block a covered pixel touches and nowhere else, black and neutral', () => {
    const [width, height] = [64, 36];
    const pic = maskPicture([TRIANGLE], { width, height });
    const luma = width * height;
    expect(pic.length).toBe(luma * 2 + (luma / 4) * 2);
    const alpha = pic.subarray(luma + luma / 2);
    const cover = rasterizeMasks([TRIANGLE], width, height);
    for (let by = 0; by < height; by += 2) {
      for (let bx = 0; bx < width; bx += 2) {
        const block = [by * width + bx, by * width + bx + 1, (by + 1) * width + bx, (by + 1) * width + bx + 1];
        const touched = block.some((i) => cover[i] === 255);
        for (const i of block) expect(alpha[i], `block ${bx},${by}`).toBe(touched ? 255 : 0);
      }
    }
    expect(pic.subarray(0, luma).every((y) => y === 16)).toBe(true);
    expect(pic.subarray(luma, luma + luma / 2).every((c) => c === 128)).toBe(true);
  });

  it('refuses a size 4:2:0 cannot hold', () => {
    expect(() => maskPicture([TRIANGLE], { width: 63, height: 36 })).toThrow(/even/);
  });
});

describe('the probe picture size', () => {
  it('is read from a PGM header, odd sides rounded down to even, nonsense refused', () => {
    expect(pgmSize(Buffer.from('P5\n1280 720\n255\n\0\0'))).toEqual({ width: 1280, height: 720 });
    expect(pgmSize(Buffer.from('P5\n641 361\n255\n'))).toEqual({ width: 640, height: 360 });
    expect(pgmSize(Buffer.from('P5\n12'))).toBeNull();
    expect(() => pgmSize(Buffer.from('GIF89a'))).toThrow(/picture/);
    expect(() => pgmSize(Buffer.from('P5\n1 99999\n255\n'))).toThrow(/not usable/);
  });
});
