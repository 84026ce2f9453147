import { describe, expect, it } from 'vitest';
import { MAX_HOLD_ITEMS, itemProblem, newItemRow, toHoldItems } from './hold-form-model';

describe('hold form model', () => {
  it('a new row covers the last whole hour and needs a camera', () => {
    const now = new Date(2026, 2, 14, 10, 37, 12).getTime();
    const row = newItemRow(now);
    expect(row.to).toBe('2026-03-14T10:37');
    expect(row.from).toBe('2026-03-14T09:37');
    expect(itemProblem(row)).toBe('camera');
    expect(itemProblem({ ...row, cameraId: '3' })).toBeNull();
  });

  it('refuses empty and reversed ranges, and sends only complete rows', () => {
    const row = { ...newItemRow(Date.now()), cameraId: '2' };
    expect(itemProblem({ ...row, from: '' })).toBe('from');
    expect(itemProblem({ ...row, to: 'x' })).toBe('to');
    expect(itemProblem({ ...row, from: row.to })).toBe('order');
    const items = toHoldItems([row, { ...row, cameraId: null }, { ...row, from: row.to }]);
    expect(items).toHaveLength(1);
    expect(items[0]?.cameraId).toBe(2);
    expect(items[0]!.toMs - items[0]!.fromMs).toBe(3_600_000);
  });

  it('takes as many rows as the contract lets a hold have', () => {
    expect(MAX_HOLD_ITEMS).toBe(64);
  });
});
