import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatDateTimeSeconds,
  formatRange,
  formatWallClock,
  localTimesIn,
  fromLocalDateTimeInput,
  periodFromDays,
  reviewDateFromInput,
  toLocalDateInput,
  toLocalDateTimeInput,
  toLocalDateTimeSecondsInput,
} from './format-time';
import { displayDate } from './date-input';
import { currentLocale } from '../i18n';

beforeAll(async () => {
  await i18next.init({ lng: 'en', resources: {} });
});

describe('display formats', () => {
  it('are on a 24-hour clock in every language: midnight is 00, never 24', () => {
    const midnight = new Date(2026, 11, 6, 0, 5, 7).getTime();
    expect(formatDateTimeSeconds(midnight)).toContain('00:05:07');
    expect(formatDateTime(midnight)).toContain('00:05');
  });

  it('a day and a time are written as the date fields write them, in every language (one writing per screen)', async () => {
    const ms = new Date(2026, 11, 6, 18, 26, 3).getTime();
    const expected = { en: '06/12/2026 18:26', pl: '06.12.2026 18:26', lt: '2026-12-06 18:26', cs: '06. 12. 2026 18:26' };
    try {
      for (const [language, text] of Object.entries(expected)) {
        await i18next.changeLanguage(language);
        expect(formatDateTime(ms)).toBe(text);
        expect(formatDateTimeSeconds(ms)).toBe(`${text}:03`);
        expect(displayDate('2026-12-06T18:26', 'datetime', currentLocale())).toBe(text);
      }
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('a range on one day names the day once', () => {
    const from = new Date(2026, 11, 6, 9, 0).getTime();
    expect(formatRange(from, from + 3_600_000)).toMatch(/^.+ 09:00 – 10:00$/);
    expect(formatRange(from, from + 86_400_000).split('–')[1]).toContain('2026');
  });

  it('the playback clock shows local date and time to the millisecond', () => {
    const ms = new Date(2026, 10, 29, 7, 5, 9, 42).getTime();
    expect(formatWallClock(ms)).toEqual({ date: '2026-11-29', time: '07:05:09.042' });
  });
});

describe('times in the engine\'s words', () => {
  it('shows every UTC instant of a note as local time in the interface language, the words left as they are', () => {
    const iso = '2026-12-11T22:59:59.999Z';
    expect(localTimesIn(`decision due ${iso}; extended from 2026-12-10T10:00Z`)).toBe(`decision due ${formatDateTime(Date.parse(iso))}; extended from ${formatDateTime(Date.parse('2026-12-10T10:00Z'))}`);
    expect(localTimesIn('hold #4 over the approved ranges')).toBe('hold #4 over the approved ranges');
  });
});

describe('local date inputs', () => {
  it('round-trip datetime-local values, to the minute and to the second', () => {
    const ms = new Date(2026, 0, 5, 7, 8, 9).getTime();
    expect(toLocalDateTimeInput(ms)).toBe('2026-01-05T07:08');
    expect(toLocalDateTimeSecondsInput(ms)).toBe('2026-01-05T07:08:09');
    expect(fromLocalDateTimeInput('2026-01-05T07:08:09')).toBe(ms);
    expect(fromLocalDateTimeInput('')).toBeNull();
  });

  it('a review date means the end of that local day', () => {
    const ms = reviewDateFromInput('2026-06-30');
    expect(ms).toBe(new Date(2026, 5, 30, 23, 59).getTime());
    expect(toLocalDateInput(ms!)).toBe('2026-06-30');
    expect(reviewDateFromInput('30.06.2026')).toBeNull();
  });

  it('a period of days runs from the start of the first to the end of the last', () => {
    expect(periodFromDays('2026-03-01', '2026-03-31')).toEqual({ fromMs: new Date(2026, 2, 1).getTime(), toMs: new Date(2026, 3, 1).getTime() });
    expect(periodFromDays('2026-03-05', '2026-03-04')).toBeNull();
  });
});
