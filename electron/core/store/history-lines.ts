// One way for the holds, incidents and exports tables to keep a line of history: who, when, which
// action, a person's own words (`note`) and the engine's values (`details`, JSON of
// shared/contract historyDetails) that the screens word in the reader's language.
import { historyDetails, type HistoryDetails, type HistoryEntry } from '../../../shared/contract';

/** The `details` column's text for values (undefined values left out: an absent value is not kept). */
export function detailsColumn(details: Readonly<Record<string, string | number | undefined>> = {}): string {
  const kept: HistoryDetails = {};
  for (const [key, value] of Object.entries(details)) if (value !== undefined) kept[key] = value;
  return JSON.stringify(kept);
}

/** A stored line as the contract carries it; a `details` text that is not valid values reads as none. */
export function historyLine(row: { at_ms: number | bigint; actor: string; action: string; note: string; details: string }): HistoryEntry {
  let details: HistoryDetails = {};
  try {
    const parsed = historyDetails.safeParse(JSON.parse(row.details));
    if (parsed.success) details = parsed.data;
  } catch {
    // written by hand or by a damaged copy: the line still shows its action and note
  }
  return { atMs: Number(row.at_ms), actor: row.actor, action: row.action, note: row.note, details };
}
