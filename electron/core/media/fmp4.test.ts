import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Fmp4Splitter, type Fragment, type InitSegment } from './fmp4';

/** Real ffmpeg output: 3 s of 25 fps H.264 with 1 s GOP, fragmented every 200 ms, as ingest writes it. */
function ffmpegFmp4(codec: 'libx264' | 'libx265' = 'libx264'): Buffer {
  const r = spawnSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25', '-t', '3',
    '-c:v', codec, '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', ...(codec === 'libx264' ? ['-preset', 'ultrafast'] : ['-preset', 'ultrafast', '-tag:v', 'hvc1', '-x265-params', 'log-level=none']),
    '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '200000', 'pipe:1',
  ], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

describe('fMP4 splitting', () => {
  it('cuts real ffmpeg output into an init segment and 200 ms fragments, keyframes every second', () => {
    const bytes = ffmpegFmp4();
    let init: InitSegment | null = null;
    const fragments: Fragment[] = [];
    const splitter = new Fmp4Splitter((i) => (init = i), (f) => fragments.push(f));
    // Feed in awkward chunk sizes, as a pipe would.
    for (let o = 0; o < bytes.length; o += 777) splitter.push(bytes.subarray(o, o + 777));
    expect(init).not.toBeNull();
    const i = init as unknown as InitSegment;
    expect(i.codec).toBe('avc1');
    expect(i.codecString).toMatch(/^avc1\.[0-9a-f]{6}$/);
    expect([i.width, i.height]).toEqual([640, 360]);
    expect(fragments.length).toBe(15);
    expect(fragments.map((f) => f.sampleCount)).toEqual(Array(15).fill(5));
    expect(fragments.map((f) => f.independent)).toEqual(fragments.map((_, k) => k % 5 === 0));
    expect(fragments.every((f) => Math.abs(f.durationTicks / i.timescale - 0.2) < 1e-6)).toBe(true);
    for (let k = 1; k < fragments.length; k++) {
      expect(fragments[k]!.baseDecodeTime).toBe(fragments[k - 1]!.baseDecodeTime + fragments[k - 1]!.durationTicks);
    }
    // Every byte is kept, in order; only the closing index box (mfra) is dropped.
    const kept = Buffer.concat([i.bytes, ...fragments.map((f) => f.bytes)]);
    expect(kept.equals(bytes.subarray(0, kept.length))).toBe(true);
    expect(bytes.toString('latin1', kept.length + 4, kept.length + 8)).toBe('mfra');
  });

  it('recognises H.265 so ingest can transcode it', () => {
    let init: InitSegment | null = null;
    new Fmp4Splitter((i) => (init = i), () => {}).push(ffmpegFmp4('libx265'));
    expect((init as unknown as InitSegment).codec).toBe('hvc1');
  });

  it('rejects garbage with a clear error instead of looping', () => {
    const s = new Fmp4Splitter(() => {}, () => {});
    expect(() => s.push(Buffer.from([0, 0, 0, 2, 1, 2, 3, 4, 5, 6]))).toThrow(/corrupt box/);
  });
});
