// Field schemas shared by commands. Every string is bounded and free of control characters, so a
// huge or odd payload is an InvalidArgument, never a crash or a corrupted record.
import { z } from 'zod';
import { ROLES } from '../roles';
import { LANGUAGES } from '../i18n-languages';

/**
 * Characters a person cannot see or that change how the text around them reads: controls (Cc),
 * format characters such as bidi marks, soft hyphens, zero-width and tag characters (Cf), line and
 * paragraph separators (Zl, Zp), private-use (Co) and lone surrogates (Cs), and the Hangul fillers
 * that render as blanks. One rule for every name and free-text field a person reads, so a name
 * cannot look like another or hide text (docs/design/threat-model.md).
 */
export const INVISIBLE_CHARS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\u115f\u1160\u3164\uffa0]/u;

/** True when a person reading the text sees all of it (see INVISIBLE_CHARS); newlines and tabs allowed when multiLine. */
export function isVisibleText(s: string, multiLine = false): boolean {
  return !INVISIBLE_CHARS.test(multiLine ? s.replace(/[\n\t]/g, ' ') : s);
}

/** Human text, trimmed and NFC-normalised, refused when a person could not see all of it. */
function humanText(max: number, min: number, multiLine: boolean) {
  return z
    .string()
    .max(max * 4, `at most ${max} characters`)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? 'must not be empty' : `at least ${min} characters`)
        .max(max, `at most ${max} characters`)
        .refine((s) => isVisibleText(s, multiLine), 'contains control or invisible characters'),
    );
}

/** Single-line human text (names, titles, references). */
export function text(max: number, min = 1) {
  return humanText(max, min, false);
}

/** Multi-line text (notes, reasons): newlines and tabs allowed, other controls not. */
export function longText(max: number, min = 1) {
  return humanText(max, min, true);
}

/** User names: 3-32 of a-z 0-9 . _ -, compared case-insensitively (stored lower-case). */
export const username = z
  .string()
  .max(128)
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, '3-32 characters: letters a-z, digits, dot, dash, underscore'));

/**
 * Names the engine writes in the audit log's actor column for what no person did: calls before
 * sign-in, the engine itself, the machine the engine runs on (the audit screen words them). An
 * account of such a name would read as the engine in the log, so none can be created.
 */
export const RESERVED_USERNAMES = ['anonymous', 'system', 'engine-machine'] as const;

/** The name of an account being created: a user name that is not one of RESERVED_USERNAMES. */
export const newUsername = username.refine((u) => !(RESERVED_USERNAMES as readonly string[]).includes(u), 'this name is kept for the engine’s own entries in the audit log');

/** A password as typed. Policy (length, user name, common list) is checked in core: JON 15.6. */
export const password = z.string().min(1, 'must not be empty').max(256, 'at most 256 characters');

export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);
/** Keyset paging of a long list: the rows that come after the row `beforeId` (from the first without
 *  it), at most `limit` of them. Spread into a list command's request. */
export const keysetPage = { beforeId: id.optional(), limit: z.number().int().min(1).max(500) };
/** Where the next page starts (its `beforeId`), null after the last. Spread into the list's response. */
export const nextPage = { nextBeforeId: z.number().nullable() };
export const role = z.enum(ROLES);
export const empty = z.strictObject({});
export const done = z.strictObject({ done: z.literal(true) });
export const language = z.enum(LANGUAGES);

/**
 * What the engine itself adds to a line of a record's history, as values for the screens to word in
 * the reader's language: names and references as they were given, counts, instants as `…AtMs`,
 * calendar days as `…DateMs`, an enumerated `kind`. A person's own words stay in the line's `note`;
 * lines written before the engine kept values carry their English text there and no values.
 */
export const historyDetails = z.record(z.string(), z.union([z.string(), z.number()]));
export type HistoryDetails = z.infer<typeof historyDetails>;

/** One line of the history of a hold, an incident or an export, oldest first. */
export const historyEntry = z.strictObject({ atMs: z.number(), actor: z.string(), action: z.string(), note: z.string(), details: historyDetails });
export type HistoryEntry = z.infer<typeof historyEntry>;
