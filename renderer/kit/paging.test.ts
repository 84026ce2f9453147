import { describe, expect, it } from 'vitest';
import { appendPage, withReplaced } from './paging';

const rec = (id: number, v = '') => ({ id, v });

describe('keyset pages merged without repeats', () => {
  it('appends the next page in order', () => {
    expect(appendPage([rec(9), rec(8)], [rec(7), rec(6)]).map((r) => r.id)).toEqual([9, 8, 7, 6]);
  });

  it('a record seen twice (a record added between two pages shifts the next one) is kept once, where first seen', () => {
    const merged = appendPage([rec(9, 'first'), rec(8)], [rec(8, 'again'), rec(7), rec(7)]);
    expect(merged.map((r) => r.id)).toEqual([9, 8, 7]);
    expect(merged[1]?.v).toBe('');
  });

  it('a changed record is shown in place', () => {
    expect(withReplaced([rec(2), rec(1)], new Map([[1, rec(1, 'closed')]]))).toEqual([rec(2), rec(1, 'closed')]);
  });
});
