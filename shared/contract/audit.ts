// The audit log: reading, exporting and verifying the hash chain (docs/design/audit-chain.md;
// R4, KRK §5.3.4). Reading the log is itself audited.
import { z } from 'zod';
import { command } from './define';
import { empty, epochMs, id, text } from './fields';

export const AUDIT_OUTCOMES = ['allowed', 'denied', 'failed'] as const;
export const auditEntryView = z.strictObject({
  seq: z.number().int(),
  atMs: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  outcome: z.enum(AUDIT_OUTCOMES),
  details: z.string(),
  reason: z.string().nullable(),
});
export type AuditEntryView = z.infer<typeof auditEntryView>;

export const auditFilter = z.strictObject({
  fromMs: epochMs.optional(),
  toMs: epochMs.optional(),
  actor: text(64).optional(),
  action: text(64).optional(),
  target: text(128).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
});
export type AuditFilter = z.infer<typeof auditFilter>;

export const auditVerifyReport = z.strictObject({
  ok: z.boolean(),
  entries: z.number().int(),
  headSeq: z.number().int(),
  headHash: z.string(),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
  elapsedMs: z.number(),
  /** Anchor breaks an administrator acknowledged: each is an entry of the log itself, saying what
   *  the start-up check found (docs/design/audit-chain.md "Anchor"). The chain may be intact. */
  acknowledgedBreaks: z.array(z.strictObject({ seq: z.number().int(), atMs: z.number(), acknowledgedBy: z.string(), found: z.string() })),
});
export type AuditVerifyReport = z.infer<typeof auditVerifyReport>;

/** CSV report separators: `,`, and `;` for spreadsheets whose decimal separator is a comma. */
export const CSV_SEPARATORS = [',', ';'] as const;
export type CsvSeparator = (typeof CSV_SEPARATORS)[number];

const auditLog = () => 'audit-log';

export const AUDIT_COMMANDS = {
  'audit.query': command({
    request: z.strictObject({
      filter: auditFilter,
      /** Keyset paging: entries with seq below this, newest first. */
      beforeSeq: id.optional(),
      limit: z.number().int().min(1).max(500),
    }),
    response: z.strictObject({
      entries: z.array(auditEntryView),
      nextBeforeSeq: z.number().int().nullable(),
      totalMatching: z.number().int(),
    }),
    access: { kind: 'permission', permission: 'audit.read' },
    audit: { when: 'before' },
    target: auditLog,
    example: { filter: {}, limit: 5 },
  }),
  'audit.exportCsv': command({
    // `;` for spreadsheets whose decimal separator is a comma (Polish, Lithuanian, Czech); `,` by default.
    request: z.strictObject({ filter: auditFilter, separator: z.enum(CSV_SEPARATORS).optional() }),
    // The file is written off the engine's thread into the data directory and fetched once from the
    // engine's media server: a single-use URL for this session, valid until expiresAtMs.
    response: z.strictObject({
      fileName: z.string(),
      rows: z.number().int(),
      truncated: z.boolean(),
      downloadUrl: z.string(),
      expiresAtMs: z.number(),
    }),
    access: { kind: 'permission', permission: 'audit.export' },
    audit: { when: 'before' },
    target: auditLog,
    example: { filter: { action: 'users.' }, separator: ';' },
  }),
  'audit.verify': command({
    request: empty,
    response: auditVerifyReport,
    access: { kind: 'permission', permission: 'audit.verify' },
    audit: { when: 'before' },
    target: auditLog,
    example: {},
  }),
  'audit.unlinkedViewing': command({
    request: z.strictObject({ fromMs: epochMs, toMs: epochMs }).refine((r) => r.toMs > r.fromMs, 'toMs must be after fromMs'),
    response: z.strictObject({
      users: z.array(
        z.strictObject({
          username: z.string(),
          displayName: z.string(),
          /** Playback sessions opened in the range. */
          sessions: z.number().int(),
          /** Of those, how many named no existing incident (INC-n) and no case reference of a legal hold. */
          withoutLink: z.number().int(),
        }),
      ),
    }),
    access: { kind: 'permission', permission: 'audit.read' },
    audit: { when: 'before' },
    target: () => 'playback-sessions',
    example: { fromMs: 1_000, toMs: 2_000 },
  }),
} as const;
