import { describe, expect, it } from 'vitest';
import { forgetWalls, keepWall, keptWall } from './wall-memory';

describe('the wall kept on the page across a lost engine', () => {
  it('comes back for the same user only, as a copy', () => {
    const slots = [3, null, 5, null, null, null, null, null, 8];
    keepWall('jan.guard', { layout: 9, slots, selected: 8 });
    slots[0] = 99;
    expect(keptWall('jan.guard')).toEqual({ layout: 9, slots: [3, null, 5, null, null, null, null, null, 8], selected: 8 });
    expect(keptWall('anna.admin')).toBeNull();
    const copy = keptWall('jan.guard')!;
    copy.slots[0] = 1;
    expect(keptWall('jan.guard')?.slots[0]).toBe(3);
  });

  it('is forgotten when someone signs out by hand', () => {
    keepWall('jan.guard', { layout: 4, slots: [1, 2, null, null], selected: 0 });
    forgetWalls();
    expect(keptWall('jan.guard')).toBeNull();
  });
});
