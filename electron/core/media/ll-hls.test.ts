import { describe, expect, it } from 'vitest';
import { LlHlsPackager } from './ll-hls';
import { encodeFmp4, split } from './testing/ffmpeg-fixtures';

const { init, fragments } = split(encodeFmp4(10));
const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);

function feed(p: LlHlsPackager, count: number, from = 0, t0 = T0) {
  for (let i = from; i < from + count; i++) p.addFragment(fragments[i]!, t0 + (i + 1) * 200);
}

describe('LL-HLS packager', () => {
  it('writes parts, segments at keyframes, server control, preload hint and PROGRAM-DATE-TIME from arrival', () => {
    const p = new LlHlsPackager();
    p.setInit(init);
    feed(p, 12); // 2 complete segments of 5 parts, and 2 parts of the third
    const pl = p.playlist()!;
    expect(pl).toContain('#EXT-X-VERSION:9');
    expect(pl).toContain('#EXT-X-TARGETDURATION:1');
    expect(pl).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600');
    expect(pl).toContain('#EXT-X-PART-INF:PART-TARGET=0.200');
    expect(pl).toContain('#EXT-X-MAP:URI="init-1.mp4"');
    expect(pl.match(/#EXT-X-PART:/g)).toHaveLength(12);
    expect(pl.match(/INDEPENDENT=YES/g)).toHaveLength(3);
    expect(pl.match(/#EXTINF:1.000,/g)).toHaveLength(2);
    expect(pl).toContain('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part/12.m4s"');
    // The first segment's first frame: its first fragment arrived at T0+200 ms and lasts 200 ms.
    expect(pl).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(T0).toISOString()}`);
    expect(p.segment(0)!.equals(Buffer.concat(fragments.slice(0, 5).map((f) => f.bytes)))).toBe(true);
    expect(p.segment(2)).toBeNull(); // still open
  });

  it('blocks a playlist reload until the asked part exists, and a preload-hinted part until it arrives', async () => {
    const p = new LlHlsPackager();
    p.setInit(init);
    feed(p, 6);
    const waitPart = p.waitForPlaylist(1, 2, 2000);
    const waitHint = p.part(6, 2000);
    let settled = false;
    void waitPart.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(settled).toBe(false);
    feed(p, 2, 6); // parts 1.1 and 1.2
    expect(await waitPart).toBe(true);
    expect((await waitHint)?.bytes.equals(fragments[6]!.bytes)).toBe(true);
    expect(await p.waitForPlaylist(5, 0, 50)).toBe(false); // times out
    expect(await p.part(99, 50)).toBeNull(); // too far ahead: not waited for
  });

  it('keeps a sliding window and marks a reconnect as a discontinuity', () => {
    const p = new LlHlsPackager({ windowSegments: 3 });
    p.setInit(init);
    feed(p, 25); // 5 segments, the fifth still open
    p.end();
    p.setInit(init);
    feed(p, 10, 0, T0 + 60_000);
    const pl = p.playlist()!;
    expect(pl).toContain('#EXT-X-DISCONTINUITY\n');
    expect(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(pl)?.[1]).toBe('3');
    expect(pl.match(/#EXTINF/g)!.length).toBe(3);
  });

  it('drops fragments until the first keyframe', () => {
    const p = new LlHlsPackager();
    p.setInit(init);
    feed(p, 3, 1);
    expect(p.playlist()).toBeNull();
  });
});
