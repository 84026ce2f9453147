// Deadlines of export requests (docs/design/exports.md "Request, deadline, decision"; JON 20, BRN 16.4), pure functions of the receipt time,
// the site's country and its time zone. Working days are Monday to Friday that are not public
// holidays of the country (date-holidays, type 'public' only: not observances or bank holidays),
// counted on the site's local calendar. A deadline is the end of its last day, local time.
//
// - Authorities (JON 20): the decision within 5 working days of receipt; 1 working day for urgent
//   requests of the police, a prosecutor or a court. The day of receipt does not count.
// - Data subjects (BRN 16.4): one calendar month from receipt (Jan 31 -> Feb 28/29), extendable
//   once by one or two further months with a reason.
import Holidays from 'date-holidays';
import type { ExportBodyType } from '../../../shared/contract/exports';

import type { SiteCountry } from '../../../shared/contract';
export type { SiteCountry };
export type DeadlineState = 'ok' | 'near' | 'overdue' | 'done';

/** The site's time zone: every site of a country is on its country's single zone. */
export const COUNTRY_TIME_ZONE: Readonly<Record<SiteCountry, string>> = { PL: 'Europe/Warsaw', LT: 'Europe/Vilnius', CZ: 'Europe/Prague' };

export const WORKING_DAYS_TO_DECIDE = 5;
export const WORKING_DAYS_TO_DECIDE_URGENT = 1;
/** Bodies whose urgent requests are decided within one working day (JON 20). */
const URGENT_BODIES: readonly ExportBodyType[] = ['police', 'prosecutor', 'court'];

interface LocalDate {
  y: number;
  /** 1..12 */
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a time zone. */
function zonedParts(ms: number, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, mi: p.minute!, s: p.second! };
}

/** Milliseconds the zone is ahead of UTC at this instant. */
function offsetMs(ms: number, timeZone: string): number {
  const z = zonedParts(ms, timeZone);
  return Date.UTC(z.y, z.m - 1, z.d, z.h, z.mi, z.s) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant of a local wall-clock time (a time in a DST gap or overlap resolves to one of its candidates). */
function zonedToUtc(date: LocalDate, h: number, mi: number, s: number, msec: number, timeZone: string): number {
  const naive = Date.UTC(date.y, date.m - 1, date.d, h, mi, s, msec);
  let guess = naive - offsetMs(naive, timeZone);
  guess = naive - offsetMs(guess, timeZone);
  return guess;
}

function localDate(ms: number, timeZone: string): LocalDate {
  const z = zonedParts(ms, timeZone);
  return { y: z.y, m: z.m, d: z.d };
}

function nextDay(date: LocalDate): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + 1));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const iso = (date: LocalDate) => `${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;

/** End of a local day: its last millisecond. */
function endOfDay(date: LocalDate, timeZone: string): number {
  return zonedToUtc(date, 23, 59, 59, 999, timeZone);
}

const holidayCache = new Map<string, ReadonlySet<string>>();
/** Public holidays of a country in a year, as local dates YYYY-MM-DD. */
export function publicHolidays(country: SiteCountry, year: number): ReadonlySet<string> {
  const key = `${country}:${year}`;
  let set = holidayCache.get(key);
  if (!set) {
    const hd = new Holidays(country);
    set = new Set(hd.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
    holidayCache.set(key, set);
  }
  return set;
}

function isWorkingDay(date: LocalDate, country: SiteCountry): boolean {
  const weekday = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !publicHolidays(country, date.y).has(iso(date));
}

/** True when the local day of this instant is a working day of the country. */
export function isWorkingDayAt(ms: number, country: SiteCountry, timeZone = COUNTRY_TIME_ZONE[country]): boolean {
  return isWorkingDay(localDate(ms, timeZone), country);
}

/** The end (local) of the n-th working day after the local day of `fromMs` (that day not counted). */
export function addWorkingDays(fromMs: number, n: number, country: SiteCountry, timeZone = COUNTRY_TIME_ZONE[country]): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`addWorkingDays: n must be a positive integer, not ${n}`);
  let date = localDate(fromMs, timeZone);
  let left = n;
  while (left > 0) {
    date = nextDay(date);
    if (isWorkingDay(date, country)) left -= 1;
  }
  return endOfDay(date, timeZone);
}

/** The end (local) of the same day `months` calendar months later; a day the month lacks becomes its last day (Jan 31 + 1 -> Feb 28). */
export function addCalendarMonths(fromMs: number, months: number, timeZone: string): number {
  const from = localDate(fromMs, timeZone);
  const monthIndex = from.m - 1 + months;
  const y = from.y + Math.floor(monthIndex / 12);
  const m = (((monthIndex % 12) + 12) % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return endOfDay({ y, m, d: Math.min(from.d, last) }, timeZone);
}

/** The deadline of a request at its registration (JON 20; BRN 16.4 for data subjects). */
export function requestDeadline(r: { bodyType: ExportBodyType; urgent: boolean; receivedAtMs: number }, country: SiteCountry, timeZone = COUNTRY_TIME_ZONE[country]): number {
  if (r.bodyType === 'data_subject') return addCalendarMonths(r.receivedAtMs, 1, timeZone);
  const days = r.urgent && URGENT_BODIES.includes(r.bodyType) ? WORKING_DAYS_TO_DECIDE_URGENT : WORKING_DAYS_TO_DECIDE;
  return addWorkingDays(r.receivedAtMs, days, country, timeZone);
}

/** A data subject request's deadline extended by one or two further months (BRN 16.4): counted from
 *  the receipt, so one month plus the extension, whatever day of the month the deadline fell on. */
export function extendedDeadline(receivedAtMs: number, months: 1 | 2, timeZone: string): number {
  return addCalendarMonths(receivedAtMs, 1 + months, timeZone);
}

/**
 * Where a request stands against its deadline. The deadline is for the decision (JON 20), so an
 * approved or rejected request is 'done' whatever happens later; 'near' means due by the end of the
 * next working day.
 */
export function deadlineState(deadlineMs: number, decided: boolean, nowMs: number, country: SiteCountry, timeZone = COUNTRY_TIME_ZONE[country]): DeadlineState {
  if (decided) return 'done';
  if (nowMs > deadlineMs) return 'overdue';
  if (deadlineMs <= addWorkingDays(nowMs, 1, country, timeZone)) return 'near';
  return 'ok';
}
