import { describe, expect, it } from 'vitest';
import { forgetWalls, keepWall, keptWall } from './wall-memory';

describe('the wall kept on the page across a lost engine', () => {
  it('comes back for the same user only, as a copy, with every layout it had', () => {
    const nine = [3, null, 5, null, null, null, null, null, 8];
    keepWall('jan.guard', { name: 'Night', layout: 9, arrangements: { '9': nine, '4': [3, 5, 8, null] }, selected: 8 });
    nine[0] = 99;
    expect(keptWall('jan.guard')).toEqual({ name: 'Night', layout: 9, arrangements: { '9': [3, null, 5, null, null, null, null, null, 8], '4': [3, 5, 8, null] }, selected: 8 });
    expect(keptWall('anna.admin')).toBeNull();
    const copy = keptWall('jan.guard')!;
    copy.arrangements['9']![0] = 1;
    expect(keptWall('jan.guard')?.arrangements['9']![0]).toBe(3);
  });

  it('is forgotten when someone signs out by hand', () => {
    keepWall('jan.guard', { name: 'default', layout: 4, arrangements: { '4': [1, 2, null, null] }, selected: 0 });
    forgetWalls();
    expect(keptWall('jan.guard')).toBeNull();
  });
});
