import { describe, expect, it } from 'vitest';
import { dateExample, datePattern, displayDate, parseDate } from './date-input';

describe('dates typed and shown in the interface language, 24-hour', () => {
  it('shows each language its own numeric form', () => {
    expect(displayDate('2026-12-06T18:26', 'datetime', 'pl-PL')).toBe('06.12.2026 18:26');
    expect(displayDate('2026-12-06T18:26', 'datetime', 'en-GB')).toBe('06/12/2026 18:26');
    expect(displayDate('2026-12-06T18:26', 'datetime', 'lt-LT')).toBe('2026-12-06 18:26');
    expect(displayDate('2026-12-06T18:26', 'datetime', 'cs-CZ')).toBe('06. 12. 2026 18:26');
    expect(displayDate('2026-12-06T08:05:09', 'datetime-seconds', 'pl-PL')).toBe('06.12.2026 08:05:09');
    expect(displayDate('2027-03-06', 'date', 'pl-PL')).toBe('06.03.2027');
    expect(dateExample('date', 'en-GB')).toBe('06/12/2026');
  });

  it('reads what each language writes, and ISO in any language', () => {
    for (const [locale, text] of [['pl-PL', '6.12.2026 18:26'], ['en-GB', '06/12/2026 18:26'], ['lt-LT', '2026-12-06 18:26'], ['cs-CZ', '6. 12. 2026 18:26'], ['cs-CZ', '2026-12-06T18:26']] as const) {
      expect(parseDate(text, 'datetime', locale), `${locale} ${text}`).toBe('2026-12-06T18:26');
    }
    expect(parseDate('06.12.2026 18:26:03', 'datetime-seconds', 'pl-PL')).toBe('2026-12-06T18:26:03');
    expect(parseDate('06.12.2026 18:26', 'datetime-seconds', 'pl-PL')).toBe('2026-12-06T18:26:00');
    expect(parseDate('06.03.2027', 'date', 'pl-PL')).toBe('2027-03-06');
  });

  it('refuses what is not a real date or time instead of guessing', () => {
    for (const text of ['31.02.2026 10:00', '06.12.2026 24:00', '06.12.2026 18:61', '06.12.26 18:26', '06.12.2026', 'yesterday', '13/13/2026 10:00']) {
      expect(parseDate(text, 'datetime', 'pl-PL'), text).toBeNull();
    }
    expect(parseDate('06.12.2026 18:26', 'date', 'pl-PL')).toBeNull();
  });

  it('never reads the day and the month the wrong way round: the order is the language’s', () => {
    expect(datePattern('en-GB').order).toEqual(['day', 'month', 'year']);
    expect(parseDate('03/06/2027', 'date', 'en-GB')).toBe('2027-06-03');
    expect(parseDate('03.06.2027', 'date', 'pl-PL')).toBe('2027-06-03');
  });
});
