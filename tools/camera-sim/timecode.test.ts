import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from './client';
import { grabFrames } from './test-helpers';
import { decodeTimecode, renderTimecode, timecodeBits, TIMECODE_CELLS } from './timecode';

/** Box-filter downscale of an RGBA image by an integer factor. */
function downscale(src: Uint8ClampedArray, w: number, h: number, f: number): Uint8ClampedArray {
  const ow = Math.floor(w / f);
  const oh = Math.floor(h / f);
  const out = new Uint8ClampedArray(ow * oh * 4);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++)
      for (let c = 0; c < 4; c++) {
        let s = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) s += src[((y * f + dy) * w + x * f + dx) * 4 + c] ?? 0;
        out[(y * ow + x) * 4 + c] = s / (f * f);
      }
  return out;
}

function frame(w: number, h: number, ms: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(w * h * 4).fill(128);
  renderTimecode(rgba, w, h, ms);
  return rgba;
}

describe('timecode pattern (pure)', () => {
  const ms = 1_767_225_600_123; // 2026-01-01T00:00:00.123Z

  it('has 62 cells: guards, 48 time bits, CRC-8', () => {
    const bits = timecodeBits(ms);
    expect(bits).toHaveLength(TIMECODE_CELLS);
    expect(bits.slice(0, 3)).toEqual([1, 0, 1]);
    expect(bits.slice(-3)).toEqual([0, 1, 1]);
  });

  it('round-trips at 1280x720, 640x360 and 320x180 (box-downscaled)', () => {
    const full = frame(1280, 720, ms);
    expect(decodeTimecode(full, 1280, 720)).toBe(ms);
    expect(decodeTimecode(downscale(full, 1280, 720, 2), 640, 360)).toBe(ms);
    expect(decodeTimecode(downscale(full, 1280, 720, 4), 320, 180)).toBe(ms);
  });

  it('survives noise and low contrast', () => {
    const rgba = frame(640, 360, ms);
    let seed = 7;
    for (let i = 0; i < rgba.length; i++) {
      if (i % 4 === 3) continue;
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      rgba[i] = 40 + (rgba[i] ?? 0) * 0.7 + ((seed % 41) - 20);
    }
    expect(decodeTimecode(rgba, 640, 360)).toBe(ms);
  });

  it('rejects frames without a valid pattern', () => {
    expect(decodeTimecode(new Uint8ClampedArray(320 * 180 * 4), 320, 180)).toBeNull();
    expect(decodeTimecode(new Uint8ClampedArray(320 * 180 * 4).fill(255), 320, 180)).toBeNull();
    const rgba = frame(1280, 720, ms);
    // flip one data cell: the CRC must catch it
    const cellW = 1280 / TIMECODE_CELLS;
    const x0 = Math.floor(20 * cellW);
    for (let y = 0; y < 45; y++)
      for (let x = x0; x < Math.floor(21 * cellW); x++) for (let c = 0; c < 3; c++) rgba[(y * 1280 + x) * 4 + c] = 255 - (rgba[(y * 1280 + x) * 4 + c] ?? 0);
    expect(decodeTimecode(rgba, 1280, 720)).toBeNull();
    expect(decodeTimecode(rgba, 10, 10)).toBeNull();
  });
});

describe('timecode in the live RTSP stream', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, user: 'op', password: 'secret' });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const withCreds = (url: string) => url.replace('rtsp://', 'rtsp://op:secret@');

  for (const [label, stream, w, h] of [
    ['main 1280x720', 'rtspMain', 1280, 720],
    ['sub 640x360', 'rtspSub', 640, 360],
    ['sub scaled to a 320x180 tile', 'rtspSub', 320, 180],
    ['main scaled to a 320x180 tile', 'rtspMain', 320, 180],
  ] as const) {
    it(`carries the capture wall-clock time: ${label}`, async () => {
      const cam = sim.cameras[label.startsWith('main') ? 0 : 1];
      if (!cam) throw new Error('no camera');
      const frames = await grabFrames(withCreds(cam[stream]), 8, w, h);
      const decoded = frames.map((f) => f.captured);
      expect(decoded.every((t) => t !== null), `decoded: ${decoded.join(',')}`).toBe(true);
      const latencies = frames.map((f) => f.receivedAt - (f.captured ?? 0));
      // Same machine clock: never in the future, and the present (not a stale or made-up time).
      // How fresh it is (typically 150-250 ms) is a benchmark's business (bench:live), not a test's:
      // the bounds here only catch a wrong clock, and hold on a busy 2-core CI machine.
      for (const l of latencies) expect(l, `latencies ${latencies.join(',')}`).toBeGreaterThan(-5);
      expect(Math.min(...latencies), `latencies ${latencies.join(',')}`).toBeLessThan(5_000);
      for (let i = 1; i < decoded.length; i++) {
        const step = (decoded[i] ?? 0) - (decoded[i - 1] ?? 0);
        expect(step, `steps in ${decoded.join(',')}`).toBeGreaterThan(0);
        expect(step, `steps in ${decoded.join(',')}`).toBeLessThan(3_000); // 40 ms, more when a loaded machine drops frames
      }
      console.log(`${label}: latency ms ${latencies.join(' ')}`);
    });
  }
});
