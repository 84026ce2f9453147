// Conversions between the browser's date and datetime-local inputs (local wall time) and epoch
// milliseconds, and the date and byte formats shown on the holds and storage pages.
import { currentLocale } from '../i18n';

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms -> `YYYY-MM-DDTHH:MM` in local time, for `<input type="datetime-local">`. */
export function toLocalDateTimeInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
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

/**
 * `YYYY-MM-DD` (local) -> the end of that day (23:59 local) in epoch ms. A review date is a day:
 * the hold is due for review during it and becomes overdue once the day is over.
 */
export function reviewDateFromInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 0, 0);
  const ms = d.getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
}

export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** `from – to`, the second without its date when both fall on the same day. */
export function formatRange(fromMs: number, toMs: number): string {
  const sameDay = toLocalDateInput(fromMs) === toLocalDateInput(toMs);
  const to = sameDay ? new Intl.DateTimeFormat(currentLocale(), { hour: '2-digit', minute: '2-digit', hour12: false }).format(toMs) : formatDateTime(toMs);
  return `${formatDateTime(fromMs)} – ${to}`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Binary units, as disks and quotas are set in GiB. */
export function formatBytes(bytes: number, locale: string = currentLocale()): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${UNITS[unit]}`;
}
