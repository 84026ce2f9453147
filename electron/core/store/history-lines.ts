// One way for the holds, incidents and exports tables to keep a line of history: who, when, which
// action, a person's own words (`note`) and the engine's values (`details`, JSON of
// shared/contract historyDetails) that the screens word in the reader's language.
import type { z } from 'zod';
import { historyDetails, type HistoryDetails, type HistoryEntry } from '../../../shared/contract';

/** The engine's values for a line as its writers give them; an undefined value is left out. */
export type HistoryValues = Readonly<Record<string, string | number | undefined>>;

/** The `details` column's text for values (undefined values left out: an absent value is not kept). */
export function detailsColumn(details: HistoryValues = {}): string {
  const kept: HistoryDetails = {};
  for (const [key, value] of Object.entries(details)) if (value !== undefined) kept[key] = value;
  return JSON.stringify(kept);
}

/**
 * A JSON text column read as `schema` says; `fallback` when it is not JSON or not of that shape
 * (written by hand, or a damaged copy): the record around it still reads.
 */
export function jsonColumn<S extends z.ZodType>(schema: S, text: string, fallback: z.infer<S>): z.infer<S> {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** A stored line as the contract carries it; a `details` text that is not valid values reads as none. */
export function historyLine(row: { at_ms: number | bigint; actor: string; action: string; note: string; details: string }): HistoryEntry {
  return { atMs: Number(row.at_ms), actor: row.actor, action: row.action, note: row.note, details: jsonColumn(historyDetails, row.details, {}) };
}
