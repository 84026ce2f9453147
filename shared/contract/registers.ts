// Every register the console prints (the breach register, data-subject requests, access reviews...)
// is asked for the same way and answered the same way: the engine writes the file in the requested
// language (electron/core/registers/register-document.ts) into its downloads folder and offers it
// once to the session that asked, like the audit CSV report (docs/design/audit-chain.md "Export").
import { z } from 'zod';
import { CSV_SEPARATORS } from './audit';
import { language } from './fields';

export const REGISTER_FORMATS = ['pdf', 'csv'] as const;
export type RegisterFormat = (typeof REGISTER_FORMATS)[number];

export const registerExportRequest = z.strictObject({
  format: z.enum(REGISTER_FORMATS),
  /** The language the file is written in. */
  language,
  /** CSV only: `;` for spreadsheets whose decimal separator is a comma (Polish, Lithuanian, Czech); `,` by default. */
  separator: z.enum(CSV_SEPARATORS).optional(),
});
export type RegisterExportRequest = z.infer<typeof registerExportRequest>;

/** A single-use URL for this session, valid until expiresAtMs; `rows`: the register's lines. */
export const registerExportResponse = z.strictObject({ fileName: z.string(), downloadUrl: z.string(), expiresAtMs: z.number(), rows: z.number().int() });
export type RegisterExportResponse = z.infer<typeof registerExportResponse>;
