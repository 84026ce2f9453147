// The mask editor's drafts (mask-model.ts): bounds from the contract, clicks kept inside the picture,
// closing the outline only on its first corner and with enough corners, nothing to save without a change.
import { describe, expect, it } from 'vitest';
import { MAX_CORNERS, MAX_MASKS, MIN_CORNERS, changedFrom, closesOutline, cornerAt, draftsOf, labelOk, masksOf, newMask, withCornerMoved } from './mask-model';

describe('mask drafts', () => {
  it('take their bounds from the contract (3 to 32 corners, 32 masks)', () => {
    expect([MIN_CORNERS, MAX_CORNERS, MAX_MASKS]).toEqual([3, 32, 32]);
  });

  it('a corner clicked outside the picture (a drag past its edge) is kept on the edge, rounded', () => {
    expect(cornerAt(-0.2, 1.4)).toEqual([0, 1]);
    expect(cornerAt(0.123456, 0.5)).toEqual([0.1235, 0.5]);
  });

  it('an outline closes on its first corner only, and only with at least three corners', () => {
    const two: [number, number][] = [[0.1, 0.1], [0.5, 0.1]];
    expect(closesOutline(two, 0.1, 0.1, 640, 360, 10)).toBe(false);
    const three: [number, number][] = [...two, [0.5, 0.5]];
    expect(closesOutline(three, 0.1 + 5 / 640, 0.1, 640, 360, 10)).toBe(true);
    // 15 px away on screen, whichever direction: a new corner, not the end.
    expect(closesOutline(three, 0.1, 0.1 + 15 / 360, 640, 360, 10)).toBe(false);
  });

  it('nothing is to be saved until a mask is added, changed or deleted', () => {
    const saved = [{ kind: 'permanent' as const, points: [[0, 0], [1, 0], [1, 1]] as [number, number][], label: 'windows opposite' }];
    const drafts = draftsOf(saved);
    expect(changedFrom(drafts, saved)).toBe(false);
    expect(changedFrom([{ ...drafts[0]!, kind: 'liftable' }], saved)).toBe(true);
    expect(changedFrom([{ ...drafts[0]!, points: withCornerMoved(drafts[0]!.points, 2, [0.9, 0.9]) }], saved)).toBe(true);
    expect(changedFrom([...drafts, newMask('permanent', [[0, 0], [0.2, 0], [0.2, 0.2]])], saved)).toBe(true);
    expect(changedFrom([], saved)).toBe(true);
  });

  it('a mask is sent without its key, its description trimmed; an empty description is refused', () => {
    const m = { ...newMask('liftable', [[0, 0], [0.2, 0], [0.2, 0.2]]), label: '  balcony  ' };
    expect(masksOf([m])).toEqual([{ kind: 'liftable', points: m.points, label: 'balcony' }]);
    expect(labelOk('')).toBe(false);
    expect(labelOk('   ')).toBe(false);
    expect(labelOk('windows of the residential building, KRK §6.3')).toBe(true);
  });
});
