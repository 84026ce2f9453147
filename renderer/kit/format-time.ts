// Every date and time the renderer shows or puts into an input, in one place: the display formats
// follow the interface language (currentLocale), always on a 24-hour clock (hourCycle h23, so
// midnight is 00:00, never 24:00); the input formats are the browser's local wall time that
// `<input type="date">` and `<input type="datetime-local">` read and write.
import { currentLocale } from '../i18n';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
const HOUR_MINUTE: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const SECONDS: Intl.DateTimeFormatOptions = { ...HOUR_MINUTE, second: '2-digit' };

function format(ms: number, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(currentLocale(), options).format(ms);
}

/**
 * A day and a time joined by one space, as the date fields write them (kit/date-input.ts): Intl
 * alone puts a comma between them in English and Polish, and one screen would show two writings.
 */
function formatWithTime(ms: number, time: Intl.DateTimeFormatOptions): string {
  return `${format(ms, DATE)} ${format(ms, time)}`;
}

/** A day: `06/12/2026` (en), `06.12.2026` (pl). */
export function formatDate(ms: number): string {
  return format(ms, DATE);
}

/** A day and a time to the minute: lists, deadlines, who placed what when. */
export function formatDateTime(ms: number): string {
  return formatWithTime(ms, HOUR_MINUTE);
}

/** To the second: history entries, audit entries, a live mark's moment (evidence of when). */
export function formatDateTimeSeconds(ms: number): string {
  return formatWithTime(ms, SECONDS);
}

/** The time of day to the second (the wall's tiles, the moment the mark key was pressed). */
export function formatTimeOfDay(ms: number): string {
  return format(ms, SECONDS);
}

/** `Sunday, 6 December 2026`: under a big time of day, so the day is not misread. */
export function formatLongDate(ms: number): string {
  return format(ms, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}

/** `from – to`, the second without its date when both fall on the same local day. */
export function formatRange(fromMs: number, toMs: number): string {
  const to = toLocalDateInput(fromMs) === toLocalDateInput(toMs) ? format(toMs, HOUR_MINUTE) : formatDateTime(toMs);
  return `${formatDateTime(fromMs)} – ${to}`;
}

/** A tick label of the playback timeline: as much as the tick step needs. */
export function formatTick(ms: number, stepMs: number): string {
  if (stepMs >= 86_400_000) return format(ms, { month: '2-digit', day: '2-digit' });
  if (stepMs >= 3_600_000) return format(ms, { month: '2-digit', day: '2-digit', ...HOUR_MINUTE });
  return format(ms, stepMs >= 60_000 ? HOUR_MINUTE : SECONDS);
}

/** The big clock of the playback screen: local date and time to the millisecond, the same in every
 *  language (an ISO-like stamp people compare with burned-in times and written reports). */
export function formatWallClock(ms: number): { date: string; time: string } {
  const d = new Date(ms);
  return {
    date: toLocalDateInput(ms),
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`,
  };
}

/** Epoch ms -> `YYYY-MM-DDTHH:MM` in local time, for `<input type="datetime-local">`. */
export function toLocalDateTimeInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Epoch ms -> `YYYY-MM-DDTHH:MM:SS` local, for a datetime-local input with step 1 (exports go to the second). */
export function toLocalDateTimeSecondsInput(ms: number): string {
  return `${toLocalDateTimeInput(ms)}:${pad(new Date(ms).getSeconds())}`;
}

/** Epoch ms -> `YYYY-MM-DD` in local time, for `<input type="date">`. */
export function toLocalDateInput(ms: number): string {
  return toLocalDateTimeInput(ms).slice(0, 10);
}

/** `YYYY-MM-DDTHH:MM[:SS]` (local) -> epoch ms, or null when empty or not a date. */
export function fromLocalDateTimeInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** `YYYY-MM-DD` (local) -> the given wall time of that day plus `dayOffset` days, or null. */
function fromLocalDay(value: string, dayOffset: number, hours = 0, minutes = 0): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const ms = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + dayOffset, hours, minutes, 0, 0).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/**
 * `YYYY-MM-DD` (local) -> the end of that day (23:59 local) in epoch ms. A review date is a day:
 * the hold is due for review during it and becomes overdue once the day is over.
 */
export function reviewDateFromInput(value: string): number | null {
  return fromLocalDay(value, 0, 23, 59);
}

/** `YYYY-MM-DD` days (local) -> from the start of the first to the end of the last, or null. */
export function periodFromDays(from: string, to: string): { fromMs: number; toMs: number } | null {
  const fromMs = fromLocalDay(from, 0);
  const toMs = fromLocalDay(to, 1);
  return fromMs !== null && toMs !== null && toMs > fromMs ? { fromMs, toMs } : null;
}

/** The start of the local day of `ms`. */
export function startOfLocalDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z\b/g;

/**
 * Text written by the engine (a history note such as "decision due 2026-12-11T22:59:59.999Z") with
 * each UTC instant in it shown as local time in the interface language, to the minute.
 */
export function localTimesIn(text: string): string {
  return text.replace(ISO_INSTANT, (iso) => {
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? formatDateTime(ms) : iso;
  });
}
