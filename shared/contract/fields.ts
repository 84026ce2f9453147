// Field schemas shared by commands. Every string is bounded and free of control characters, so a
// huge or odd payload is an InvalidArgument, never a crash or a corrupted record.
import { z } from 'zod';
import { ROLES } from '../roles';
import { LANGUAGES } from '../i18n-languages';

// C0/C1 controls, bidi overrides and other invisible format characters that make a name look like another.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]/u;

/** Single-line human text, trimmed and NFC-normalised. */
export function text(max: number, min = 1) {
  return z
    .string()
    .max(max * 4, `at most ${max} characters`)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? 'must not be empty' : `at least ${min} characters`)
        .max(max, `at most ${max} characters`)
        .refine((s) => !FORBIDDEN_CHARS.test(s), 'contains control or invisible characters'),
    );
}

/** Multi-line text (notes, reasons): newlines and tabs allowed, other controls not. */
export function longText(max: number, min = 1) {
  return z
    .string()
    .max(max * 4, `at most ${max} characters`)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? 'must not be empty' : `at least ${min} characters`)
        .max(max, `at most ${max} characters`)
        .refine((s) => !FORBIDDEN_CHARS.test(s.replace(/[\n\t]/g, ' ')), 'contains control or invisible characters'),
    );
}

/** User names: 3-32 of a-z 0-9 . _ -, compared case-insensitively (stored lower-case). */
export const username = z
  .string()
  .max(128)
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, '3-32 characters: letters a-z, digits, dot, dash, underscore'));

/** A password as typed. Policy (length, user name, common list) is checked in core: JON 15.6. */
export const password = z.string().min(1, 'must not be empty').max(256, 'at most 256 characters');

export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);
export const role = z.enum(ROLES);
export const language = z.enum(LANGUAGES);
