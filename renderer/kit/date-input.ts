// Dates and times typed by people, in the interface language's own numeric order and separators
// (06.12.2026 18:26 in Polish, 06/12/2026 18:26 in English, 2026-12-06 18:26 in Lithuanian,
// 06. 12. 2026 18:26 in Czech), always on a 24-hour clock: the browser's native date inputs follow
// the machine's locale instead, so a Polish screen showed 12/06/2026, 06:26 PM. The value the rest of
// the renderer uses stays the local ISO-like text of the native inputs (`YYYY-MM-DD`,
// `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS`), so format-time.ts's helpers keep working.

export type DateKind = 'date' | 'datetime' | 'datetime-seconds';

type Part = 'day' | 'month' | 'year';

interface DatePattern {
  order: Part[];
  /** Separators after each part but the last (`.`, `/`, `-`, `. `). */
  separators: string[];
}

const SAMPLE = new Date(2026, 11, 6, 18, 26, 3);
const patterns = new Map<string, DatePattern>();

/** The locale's numeric date: its order of day, month and year, and its separators. */
export function datePattern(locale: string): DatePattern {
  let p = patterns.get(locale);
  if (!p) {
    const parts = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(SAMPLE);
    const order: Part[] = [];
    const separators: string[] = [];
    for (const part of parts) {
      if (part.type === 'day' || part.type === 'month' || part.type === 'year') order.push(part.type);
      else if (part.type === 'literal' && order.length > 0 && order.length < 3) separators[order.length - 1] = part.value;
    }
    p = order.length === 3 ? { order, separators: [separators[0] ?? '-', separators[1] ?? '-'] } : { order: ['year', 'month', 'day'], separators: ['-', '-'] };
    patterns.set(locale, p);
  }
  return p;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The value (`YYYY-MM-DD[THH:MM[:SS]]`) as shown in `locale`; what cannot be read is shown as it is. */
export function displayDate(value: string, kind: DateKind, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!m) return value;
  const fields: Record<Part, string> = { year: m[1]!, month: m[2]!, day: m[3]! };
  const { order, separators } = datePattern(locale);
  const date = `${fields[order[0]!]}${separators[0]}${fields[order[1]!]}${separators[1]}${fields[order[2]!]}`;
  if (kind === 'date') return date;
  const time = `${m[4] ?? '00'}:${m[5] ?? '00'}`;
  return kind === 'datetime-seconds' ? `${date} ${time}:${m[6] ?? '00'}` : `${date} ${time}`;
}

/** An example of the expected writing, for hints and errors. */
export function dateExample(kind: DateKind, locale: string): string {
  const iso = `${SAMPLE.getFullYear()}-${pad(SAMPLE.getMonth() + 1)}-${pad(SAMPLE.getDate())}T18:26:03`;
  return displayDate(kind === 'date' ? iso.slice(0, 10) : kind === 'datetime' ? iso.slice(0, 16) : iso, kind, locale);
}

/**
 * What a person typed, as the value; null when it is not a real date (and time) of that kind.
 * Read in the locale's order, or as ISO (`2026-12-06 18:26`, `2026-12-06T18:26`) whatever the
 * language: a year of four digits first always means year, month, day. Seconds are optional.
 */
export function parseDate(text: string, kind: DateKind, locale: string): string | null {
  const groups = text.trim().match(/\d+/g);
  if (!groups) return null;
  const dateCount = 3;
  const timeCount = kind === 'date' ? 0 : groups.length - dateCount;
  if (groups.length < dateCount || (kind === 'date' && groups.length !== dateCount) || (kind !== 'date' && (timeCount < 2 || timeCount > 3))) return null;
  const order: Part[] = groups[0]!.length === 4 ? ['year', 'month', 'day'] : datePattern(locale).order;
  const fields = Object.fromEntries(order.map((p, i) => [p, Number(groups[i])])) as Record<Part, number>;
  if (String(groups[order.indexOf('year')]).length !== 4) return null;
  const [hour, minute, second] = [Number(groups[3] ?? 0), Number(groups[4] ?? 0), Number(groups[5] ?? 0)];
  const d = new Date(fields.year, fields.month - 1, fields.day, hour, minute, second);
  // Out of range (31.02., 24:00, 18:61) rolls over in Date: refuse it rather than guess.
  if (d.getFullYear() !== fields.year || d.getMonth() !== fields.month - 1 || d.getDate() !== fields.day || d.getHours() !== hour || d.getMinutes() !== minute || d.getSeconds() !== second) return null;
  const date = `${pad(fields.year, 4)}-${pad(fields.month)}-${pad(fields.day)}`;
  if (kind === 'date') return date;
  const time = `${pad(hour)}:${pad(minute)}`;
  return kind === 'datetime-seconds' ? `${date}T${time}:${pad(second)}` : `${date}T${time}`;
}
