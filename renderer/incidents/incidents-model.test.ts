import { describe, expect, it } from 'vitest';
import {
  EMPTY_INCIDENT_FILTER,
  categoryKeyFromLabel,
  categoryProblems,
  defaultUnlinkedPeriod,
  filterRangeReversed,
  isCategoryKey,
  markCameraFor,
  newCategoryRow,
  relabel,
  removedKeys,
  rowsFromCategories,
  toListRequest,
  toSaveRequest,
  usedCategoryKeys,
} from './incidents-model';
import { periodFromDays } from '../kit/format-time';

describe('incident list filter', () => {
  it('an empty form asks for the newest page only', () => {
    expect(toListRequest(EMPTY_INCIDENT_FILTER)).toEqual({ limit: 50 });
  });

  it('sends every set field, trims the author and pages by id', () => {
    const request = toListRequest(
      { from: '2026-03-01T08:00', to: '2026-03-02T08:00', cameraId: '7', category: 'theft', status: 'open', author: '  guard.one ' },
      120,
      25,
    );
    expect(request).toEqual({
      limit: 25,
      fromMs: new Date(2026, 2, 1, 8, 0).getTime(),
      toMs: new Date(2026, 2, 2, 8, 0).getTime(),
      cameraIds: [7],
      category: 'theft',
      status: 'open',
      author: 'guard.one',
      beforeId: 120,
    });
  });

  it('leaves out unreadable bounds and notices a reversed range', () => {
    const form = { ...EMPTY_INCIDENT_FILTER, from: '2026-03-02T08:00', to: 'x', cameraId: 'abc' };
    expect(toListRequest(form)).toEqual({ limit: 50, fromMs: new Date(2026, 2, 2, 8, 0).getTime() });
    expect(filterRangeReversed(form)).toBe(false);
    expect(filterRangeReversed({ ...form, to: '2026-03-01T08:00' })).toBe(true);
  });
});

describe('category keys', () => {
  it('are made from labels in every interface language', () => {
    expect(categoryKeyFromLabel('Theft')).toBe('theft');
    expect(categoryKeyFromLabel('Kradzież w sklepie')).toBe('kradziez_w_sklepie');
    expect(categoryKeyFromLabel('Łódź — zakłócenie porządku')).toBe('lodz_zaklocenie_porzadku');
    expect(categoryKeyFromLabel('Vagystė / plėšimas')).toBe('vagyste_plesimas');
    expect(categoryKeyFromLabel('Výtržnictví č. 2')).toBe('vytrznictvi_c_2');
    expect(categoryKeyFromLabel('  --Fire!!  ')).toBe('fire');
  });

  it('are unique and at most 40 characters', () => {
    expect(categoryKeyFromLabel('Theft', new Set(['theft']))).toBe('theft_2');
    expect(categoryKeyFromLabel('Theft', new Set(['theft', 'theft_2']))).toBe('theft_3');
    const long = categoryKeyFromLabel('a very long category label that goes on and on and on');
    expect(long.length).toBeLessThanOrEqual(40);
    expect(isCategoryKey(long)).toBe(true);
    const longTaken = categoryKeyFromLabel('a very long category label that goes on and on and on', new Set([long]));
    expect(longTaken.endsWith('_2')).toBe(true);
    expect(longTaken.length).toBeLessThanOrEqual(40);
  });

  it('follow the contract: 2-40 of a-z, digits, dash, underscore', () => {
    expect(isCategoryKey('fire_alarm')).toBe(true);
    expect(isCategoryKey('x')).toBe(false);
    expect(isCategoryKey('Fire')).toBe(false);
    expect(isCategoryKey('-fire')).toBe(false);
    expect(isCategoryKey(categoryKeyFromLabel('!'))).toBe(false);
  });
});

describe('category editor', () => {
  const saved = rowsFromCategories([
    { key: 'theft', label: 'Theft', names: { pl: 'Kradzież' }, active: true },
    { key: 'fire', label: 'Fire', names: {}, active: false },
  ]);

  it('a new row derives its key from the label until the key is edited; saved keys never change', () => {
    const row = newCategoryRow('Vandalism', saved);
    expect(row.key).toBe('vandalism');
    const rows = [...saved, row];
    expect(relabel(row, 'Fire', rows).key).toBe('fire_2');
    expect(relabel({ ...row, keyEdited: true }, 'Graffiti', rows).key).toBe('vandalism');
    expect(relabel(saved[0]!, 'Shoplifting', rows)).toMatchObject({ key: 'theft', label: 'Shoplifting' });
  });

  it('reports empty labels, bad and repeated keys, and a list with nothing active', () => {
    const rows = [...saved, { ...newCategoryRow('', saved), key: 'ok-key' }, { ...newCategoryRow('X', saved), key: 'X' }, { ...newCategoryRow('Theft', saved), key: 'theft' }];
    const { rows: problems, list } = categoryProblems(rows);
    expect([...problems.values()]).toEqual(['duplicate', 'label', 'key', 'duplicate']);
    expect(list).toBeNull();
    expect(categoryProblems(saved.map((r) => ({ ...r, active: false }))).list).toBe('noneActive');
    expect(categoryProblems([]).list).toBe('empty');
  });

  it('sends trimmed labels and knows which saved keys were removed', () => {
    const rows = [{ ...saved[0]!, label: ' Theft  ', names: { ...saved[0]!.names, cs: ' Krádež ', lt: '  ' } }];
    // Names are sent trimmed, blank ones left out (the label is shown in those languages).
    expect(toSaveRequest(rows)).toEqual({ categories: [{ key: 'theft', label: 'Theft', names: { pl: 'Kradzież', cs: 'Krádež' }, active: true }] });
    expect(removedKeys([{ key: 'theft', label: 'Theft', names: {}, active: true }, { key: 'fire', label: 'Fire', names: {}, active: false }], rows)).toEqual(['fire']);
  });
});

describe('refused removals', () => {
  it('reads the used keys from the engine issues, and nothing from other errors', () => {
    expect(usedCategoryKeys({ kind: 'InvalidArgument', issues: ['categories: theft is in use', 'categories: fire_smoke is in use'] })).toEqual(['theft', 'fire_smoke']);
    expect(usedCategoryKeys({ kind: 'InvalidArgument', issues: ['categories.0.label: must not be empty'] })).toEqual([]);
    expect(usedCategoryKeys({ kind: 'PermissionDenied' })).toEqual([]);
    expect(usedCategoryKeys(null)).toEqual([]);
  });
});

describe('unlinked-viewing period', () => {
  it('defaults to the last 30 days and covers whole local days', () => {
    const now = new Date(2026, 2, 31, 15, 0).getTime();
    const period = defaultUnlinkedPeriod(now);
    expect(period).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(periodFromDays(period.from, period.to)).toEqual({ fromMs: new Date(2026, 2, 1).getTime(), toMs: new Date(2026, 3, 1).getTime() });
    expect(periodFromDays('2026-03-05', '2026-03-04')).toBeNull();
    expect(periodFromDays('', '2026-03-04')).toBeNull();
  });
});

describe('mark key target', () => {
  const known = (id: number) => id !== 99;
  it('is the single view, else the selected tile, else the only camera on the wall', () => {
    expect(markCameraFor({ slots: [1, 2, null, null], layout: 4, selected: 0, single: 1 }, known)).toBe(2);
    expect(markCameraFor({ slots: [1, 2, null, null], layout: 4, selected: 1, single: null }, known)).toBe(2);
    expect(markCameraFor({ slots: [null, 3, null, null], layout: 4, selected: 0, single: null }, known)).toBe(3);
    expect(markCameraFor({ slots: [null, 3, 3, null], layout: 4, selected: 0, single: null }, known)).toBe(3);
  });

  it('is nothing when the choice is unclear or the camera is unknown', () => {
    expect(markCameraFor({ slots: [null, 3, 4, null], layout: 4, selected: 0, single: null }, known)).toBeNull();
    expect(markCameraFor({ slots: [99, null, null, null], layout: 4, selected: 0, single: null }, known)).toBeNull();
    expect(markCameraFor({ slots: [null, null, null, null, 5], layout: 4, selected: 0, single: null }, known)).toBeNull();
  });
});
