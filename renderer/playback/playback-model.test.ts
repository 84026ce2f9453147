import { describe, expect, it } from 'vitest';
import {
  DAY,
  HOUR,
  MIN_SPAN_MS,
  adjacentIncident,
  gapsOf,
  grantCovers,
  mediaTimeForWall,
  mergeGapFor,
  nextCovered,
  pan,
  ticks,
  viewAround,
  wallForMediaTime,
  zoomAt,
  type SegmentTime,
} from './playback-model';

const T0 = Date.UTC(2026, 10, 29, 8, 0, 0);

describe('grantCovers: a wider selection needs a new reason', () => {
  const grant = { playbackId: 'p', cameraIds: [1, 2], fromMs: T0, toMs: T0 + HOUR, expiresAtMs: T0 + 2 * HOUR };
  it('covers a subset of cameras inside the range', () => {
    expect(grantCovers(grant, [2], { fromMs: T0 + 60_000, toMs: T0 + HOUR }, T0)).toBe(true);
  });
  it('does not cover another camera, an earlier start, a later end, or after expiry', () => {
    expect(grantCovers(grant, [1, 3], { fromMs: T0, toMs: T0 + HOUR }, T0)).toBe(false);
    expect(grantCovers(grant, [1], { fromMs: T0 - 1, toMs: T0 + HOUR }, T0)).toBe(false);
    expect(grantCovers(grant, [1], { fromMs: T0, toMs: T0 + HOUR + 1 }, T0)).toBe(false);
    expect(grantCovers(grant, [1], { fromMs: T0, toMs: T0 + HOUR }, T0 + 2 * HOUR)).toBe(false);
    expect(grantCovers(null, [1], { fromMs: T0, toMs: T0 + 1 }, T0)).toBe(false);
  });
});

describe('timeline view', () => {
  it('zooms around the pointer and keeps the instant under it', () => {
    const v = { fromMs: T0, toMs: T0 + HOUR };
    const z = zoomAt(v, T0 + HOUR / 4, 0.5, T0 + DAY);
    expect(z.toMs - z.fromMs).toBe(HOUR / 2);
    expect((T0 + HOUR / 4 - z.fromMs) / (z.toMs - z.fromMs)).toBeCloseTo(0.25);
  });
  it('zooms no closer than a few seconds and no wider than a week, never into the future', () => {
    const v = { fromMs: T0, toMs: T0 + 10_000 };
    const z = zoomAt(v, T0, 0.01, T0 + DAY);
    expect(z.toMs - z.fromMs).toBe(MIN_SPAN_MS);
    const wide = zoomAt(v, T0, 1e9, T0 + 1000);
    expect(wide.toMs - wide.fromMs).toBe(7 * DAY);
    expect(wide.toMs).toBe(T0 + 1000);
    expect(viewAround(T0, HOUR, T0).toMs).toBe(T0);
    expect(pan({ fromMs: T0 - HOUR, toMs: T0 }, 0.5, T0)).toEqual({ fromMs: T0 - HOUR, toMs: T0 });
    expect(pan({ fromMs: T0 - HOUR, toMs: T0 }, -0.5, T0)).toEqual({ fromMs: T0 - 1.5 * HOUR, toMs: T0 - 0.5 * HOUR });
  });
  it('merges spans closer than a pixel', () => {
    expect(mergeGapFor({ fromMs: 0, toMs: DAY }, 1000)).toBe(86_400);
  });
  it('places ticks on local whole units', () => {
    const ts = ticks({ fromMs: T0 + 1234, toMs: T0 + 10 * 60_000 }, 60_000);
    expect(ts.every((t) => new Date(t).getSeconds() === 0 && new Date(t).getMilliseconds() === 0)).toBe(true);
    expect(ts).toHaveLength(10); // 08:01 .. 08:10, both ends inside
  });
});

describe('gaps', () => {
  const spans = [
    { fromMs: 10, toMs: 20 },
    { fromMs: 30, toMs: 40 },
  ];
  it('are what lies between spans inside the range', () => {
    expect(gapsOf(spans, { fromMs: 0, toMs: 50 })).toEqual([
      { fromMs: 0, toMs: 10 },
      { fromMs: 20, toMs: 30 },
      { fromMs: 40, toMs: 50 },
    ]);
    expect(gapsOf(spans, { fromMs: 12, toMs: 18 })).toEqual([]);
    expect(nextCovered(spans, 25)).toBe(30);
    expect(nextCovered(spans, 15)).toBe(15);
    expect(nextCovered(spans, 45)).toBeNull();
  });
});

describe('wall clock <-> media time through PROGRAM-DATE-TIME', () => {
  // Two files of 3 one-second segments with a 10 s gap between them; hls.js lays them end to end.
  const segs: SegmentTime[] = [
    { start: 0, duration: 1, programDateTime: T0 },
    { start: 1, duration: 1, programDateTime: T0 + 1000 },
    { start: 2, duration: 1, programDateTime: T0 + 2000 },
    { start: 3, duration: 1, programDateTime: T0 + 13_000 },
    { start: 4, duration: 1, programDateTime: T0 + 14_000 },
    { start: 5, duration: 1, programDateTime: T0 + 15_000 },
  ];
  it('maps both ways inside recordings', () => {
    expect(mediaTimeForWall(segs, T0 + 1500)).toEqual({ mediaS: 1.5, inGap: false });
    expect(mediaTimeForWall(segs, T0 + 14_250)).toEqual({ mediaS: 4.25, inGap: false });
    expect(wallForMediaTime(segs, 4.25)).toBe(T0 + 14_250);
    expect(wallForMediaTime(segs, 0)).toBe(T0);
  });
  it('a time inside a gap goes to the next recording; past the end there is nothing', () => {
    expect(mediaTimeForWall(segs, T0 + 5000)).toEqual({ mediaS: 3, inGap: true });
    expect(mediaTimeForWall(segs, T0 + 60_000)).toBeNull();
    expect(wallForMediaTime(segs, 6.05)).toBe(T0 + 16_050);
    expect(wallForMediaTime(segs, 9)).toBeNull();
  });
});

describe('incidents to jump to', () => {
  const incidents = [
    { id: 1, startMs: 1000 },
    { id: 2, startMs: 5000 },
    { id: 3, startMs: 9000 },
  ];

  it('walks forward and back, skipping the one just jumped to', () => {
    expect(adjacentIncident(incidents, 5000, 1)?.id).toBe(3);
    expect(adjacentIncident(incidents, 5000, -1)?.id).toBe(1);
    expect(adjacentIncident(incidents, 9000, 1)).toBeNull();
  });
});
