import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FRAGMENTED_MP4_ARGS } from '../media/fmp4';
import { LlHlsPackager } from './ll-hls';
import { encodeFmp4, split } from '../testing/ffmpeg-fixtures';

const { init, fragments } = split(encodeFmp4(10));
const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);

function feed(p: LlHlsPackager, count: number, from = 0, t0 = T0) {
  for (let i = from; i < from + count; i++) p.addFragment(fragments[i]!, t0 + (i + 1) * 200);
}

describe('LL-HLS packager', () => {
  it('writes parts, segments at keyframes, server control, preload hint and PROGRAM-DATE-TIME from arrival', () => {
    const p = new LlHlsPackager();
    p.setInit(init);
    // The run's keyframe part alone, the rest of its GOP, one whole GOP, 2 parts of the next.
    feed(p, 12);
    const pl = p.playlist()!;
    expect(pl).toContain('#EXT-X-VERSION:9');
    expect(pl).toContain('#EXT-X-TARGETDURATION:1');
    expect(pl).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600');
    expect(pl).toContain('#EXT-X-PART-INF:PART-TARGET=0.200');
    expect(pl).toContain('#EXT-X-MAP:URI="init-1.mp4"');
    // Parts are listed for the last three segments: 4 + 5 + 2.
    expect(pl.match(/#EXT-X-PART:/g)).toHaveLength(11);
    expect(pl.match(/INDEPENDENT=YES/g)).toHaveLength(2);
    expect(pl.match(/#EXTINF:[\d.]+,/g)).toEqual(['#EXTINF:0.200,', '#EXTINF:0.800,', '#EXTINF:1.000,']);
    expect(pl).toContain('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part/12.m4s"');
    // The first segment's first frame: its first fragment arrived at T0+200 ms and lasts 200 ms.
    expect(pl).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(T0).toISOString()}`);
    expect(p.segment(0)!.equals(fragments[0]!.bytes)).toBe(true);
    expect(p.segment(1)!.equals(Buffer.concat(fragments.slice(1, 5).map((f) => f.bytes)))).toBe(true);
    expect(p.segment(2)!.equals(Buffer.concat(fragments.slice(5, 10).map((f) => f.bytes)))).toBe(true);
    expect(p.segment(3)).toBeNull(); // still open
  });

  it('closes a run’s first segment after its keyframe part, so a player can start without waiting a whole GOP', () => {
    const p = new LlHlsPackager();
    p.setInit(init);
    feed(p, 1);
    // hls.js starts only at a complete segment: one exists as soon as the first keyframe is in.
    expect(p.playlist()).toContain('#EXTINF:0.200,\nseg/0.m4s');
    feed(p, 1, 1);
    const pl = p.playlist()!;
    // The rest of the first GOP is a segment that does not start at a keyframe, and says so.
    expect(pl).toMatch(/seg\/0\.m4s\n#EXT-X-PROGRAM-DATE-TIME:[^\n]+\n#EXT-X-PART:DURATION=0\.200,URI="part\/1\.m4s"\n#EXT-X-PRELOAD-HINT/);
    // A reconnect starts a new run, which starts quickly too.
    feed(p, 8, 2);
    p.end();
    p.setInit(init);
    feed(p, 1, 0, T0 + 60_000);
    expect(p.playlist()).toMatch(/#EXT-X-DISCONTINUITY-SEQUENCE:1\n#EXT-X-MAP:URI="init-1\.mp4"\n#EXT-X-PROGRAM-DATE-TIME:[^\n]+\n#EXT-X-PART:DURATION=0\.200,URI="part\/10\.m4s",INDEPENDENT=YES\n#EXTINF:0\.200,/);
  });

  it('blocks a playlist reload until the asked part exists, and a preload-hinted part until it arrives', async () => {
    const p = new LlHlsPackager();
    p.setInit(init);
    feed(p, 6); // segments 0 (one part), 1 (four parts), 2 (one part so far)
    const waitPart = p.waitForPlaylist(2, 2, 2000);
    const waitHint = p.part(6, 2000);
    let settled = false;
    void waitPart.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(settled).toBe(false);
    feed(p, 2, 6); // parts 2.1 and 2.2
    expect(await waitPart).toBe(true);
    expect((await waitHint)?.bytes.equals(fragments[6]!.bytes)).toBe(true);
    expect(await p.waitForPlaylist(5, 0, 50)).toBe(false); // times out
    expect(await p.part(99, 50)).toBeNull(); // too far ahead: not waited for
  });

  it('keeps a sliding window; a reconnect starts the playlist again after the gap, counting the discontinuity', () => {
    const p = new LlHlsPackager({ windowSegments: 3 });
    p.setInit(init);
    feed(p, 25); // the run's one-part first segment, the rest of its GOP, 4 more, the last still open
    const first = p.playlist()!;
    // Segments 0-4 complete, 5 open: three complete ones are kept.
    expect(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(first)?.[1]).toBe('2');
    expect(first.match(/#EXTINF/g)!.length).toBe(3);
    p.end();
    p.setInit(init);
    feed(p, 10, 0, T0 + 60_000);
    const pl = p.playlist()!;
    // Segments 6-8 of the second run (8 open); nothing from before the gap, so a player that starts
    // now cannot land in the old run's last seconds; the removed discontinuity is counted.
    expect(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(pl)?.[1]).toBe('6');
    expect(pl).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1\n');
    expect(pl).not.toContain('#EXT-X-DISCONTINUITY\n');
    expect(pl.match(/#EXTINF/g)!.length).toBe(2);
    expect(pl).not.toMatch(/seg\/[0-5]\.m4s|part\/(\d|1\d|2[0-4])\.m4s/);
    expect(p.segment(5)).toBeNull();
  });

  it('withdraws everything it holds when the masks at the source change: nothing of it is served again, and players wait for the new run', async () => {
    const p = new LlHlsPackager();
    p.setInit(init);
    feed(p, 12); // segments 0-2 complete, 3 open; parts 0-11
    const blocked = p.waitForPlaylist(3, 4, 5000); // a player waiting at the live edge
    p.end(); // the ingest restarts ...
    p.discard(); // ... with new masks
    expect(await blocked).toBe(false);
    expect(p.playlist()).toBeNull();
    for (let msn = 0; msn < 4; msn++) expect(p.segment(msn)).toBeNull();
    for (let id = 0; id < 12; id++) expect(await p.part(id, 10)).toBeNull();
    // A player asking now waits for the new run (a cold start), not a refusal.
    const first = p.waitForPlaylist(0, 0, 5000);
    p.setInit(init);
    feed(p, 1, 0, T0 + 10_000);
    expect(await first).toBe(true);
    const pl = p.playlist()!;
    // Numbers go on; the gap is a discontinuity for a player that had the old playlist.
    expect(pl).toContain('#EXT-X-MEDIA-SEQUENCE:4');
    expect(pl).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1');
    expect(pl).toContain('URI="part/12.m4s",INDEPENDENT=YES');
    expect(pl).not.toMatch(/part\/([0-9]|1[01])\.m4s|seg\/[0-3]\.m4s/);
  });

  it('drops fragments until the first keyframe', () => {
    const p = new LlHlsPackager();
    p.setInit(init);
    feed(p, 3, 1);
    expect(p.playlist()).toBeNull();
  });

  it('joins the ingest’s one-frame fragments into parts of 200 ms, a keyframe always starting a part', () => {
    const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', ...FRAGMENTED_MP4_ARGS, 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 });
    const frames = split(r.stdout);
    expect(frames.fragments).toHaveLength(50);
    expect(frames.fragments.every((f) => f.sampleCount === 1)).toBe(true);
    const p = new LlHlsPackager();
    p.setInit(frames.init);
    frames.fragments.forEach((f, i) => p.addFragment(f, T0 + (i + 1) * 40));
    const pl = p.playlist()!;
    // Frames 0-4 (the run's keyframe part), 5-24 in four parts, 25-44 in four parts; 45-49 complete the next part.
    expect(pl.match(/#EXT-X-PART:DURATION=0\.200,/g)).toHaveLength(10);
    expect(pl).toContain('#EXT-X-PART-INF:PART-TARGET=0.200');
    expect(pl.match(/INDEPENDENT=YES/g)).toHaveLength(2);
    expect(p.segment(0)!.equals(Buffer.concat(frames.fragments.slice(0, 5).map((f) => f.bytes)))).toBe(true);
    expect(p.segment(1)!.equals(Buffer.concat(frames.fragments.slice(5, 25).map((f) => f.bytes)))).toBe(true);
    // The segment's first frame: arrival of its first fragment (T0 + 40 ms) minus its 40 ms.
    expect(pl).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(T0).toISOString()}`);
  });
});
