import { describe, expect, it } from 'vitest';
import { monthGrid, monthTitle, onDay, weekdayNames } from './calendar';

describe('the date field’s calendar', () => {
  it('lays a month out in weeks from Monday, with the neighbours’ days around it', () => {
    const december = monthGrid(2026, 11); // 1 December 2026 is a Tuesday
    expect(december[0]!.map((d) => d.iso)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(december.every((w) => w.length === 7)).toBe(true);
    expect(december.flat().filter((d) => d.inMonth).map((d) => d.day)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(december.at(-1)!.at(-1)!.iso).toBe('2027-01-03');
    // A month starting on a Monday starts its first row; February 2027 fits in four weeks.
    expect(monthGrid(2027, 1)[0]![0]!.iso).toBe('2027-02-01');
    expect(monthGrid(2027, 1)).toHaveLength(4);
    // Across the change to summer time (29 March 2026) every day appears once.
    expect(new Set(monthGrid(2026, 2).flat().map((d) => d.iso)).size).toBe(monthGrid(2026, 2).flat().length);
  });

  it('names weekdays from Monday and the month in the interface language', () => {
    expect(weekdayNames('en-GB')[0]).toBe('Mon');
    expect(weekdayNames('pl-PL')[6]).toMatch(/^niedz/);
    expect(monthTitle(2026, 11, 'pl-PL')).toBe('grudzień 2026');
    expect(monthTitle(2026, 11, 'cs-CZ')).toMatch(/^prosinec 2026$/);
  });

  it('a picked day keeps the time already written; a new value starts at midnight', () => {
    expect(onDay('2026-12-06T18:26', '2026-12-15', 'datetime')).toBe('2026-12-15T18:26');
    expect(onDay('', '2026-12-15', 'datetime')).toBe('2026-12-15T00:00');
    expect(onDay('2026-12-06T18:26:03', '2026-12-15', 'datetime-seconds')).toBe('2026-12-15T18:26:03');
    expect(onDay('2026-12-06', '2026-12-15', 'date')).toBe('2026-12-15');
  });
});
