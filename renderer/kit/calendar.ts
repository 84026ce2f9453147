// The month grid of the date field's calendar (DateTimeInput): weeks from Monday, as the calendars
// of Poland, Lithuania and Czechia (and en-GB) start them; names of months and weekdays from Intl in
// the interface language. Pure, so the grid is tested without a browser.
import type { DateKind } from './date-input';

export interface CalendarDay {
  /** yyyy-mm-dd */
  iso: string;
  day: number;
  inMonth: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The weeks (Monday to Sunday) that show month `month0` (0-11) of `year`, with the neighbours' days around it. */
export function monthGrid(year: number, month0: number): CalendarDay[][] {
  const first = new Date(year, month0, 1);
  const start = new Date(year, month0, 1 - ((first.getDay() + 6) % 7));
  const weeks: CalendarDay[][] = [];
  for (let d = new Date(start); weeks.length === 0 || d.getMonth() === month0 || (weeks.at(-1)!.length < 7); ) {
    if (weeks.length === 0 || weeks.at(-1)!.length === 7) weeks.push([]);
    weeks.at(-1)!.push({ iso: isoOf(d), day: d.getDate(), inMonth: d.getMonth() === month0 });
    d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1);
  }
  return weeks;
}

/** Short weekday names, Monday first. */
export function weekdayNames(locale: string): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: 'short' });
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(2024, 0, 1 + i))); // 2024-01-01 was a Monday
}

/** "grudzień 2026", "December 2026". */
export function monthTitle(year: number, month0: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' }).format(new Date(year, month0, 1));
}

/** `value` (the field's local ISO-like value, or '') on the day `iso`, keeping its time; a new value starts at 00:00. */
export function onDay(value: string, iso: string, kind: DateKind): string {
  if (kind === 'date') return iso;
  const time = /T(\d{2}:\d{2}(?::\d{2})?)$/.exec(value)?.[1] ?? (kind === 'datetime-seconds' ? '00:00:00' : '00:00');
  return `${iso}T${time}`;
}
