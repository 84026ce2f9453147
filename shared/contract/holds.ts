// Legal holds: footage that is or may be evidence is kept past its retention until released
// (docs/design/recording.md; R2; ELB 1.13, ELB 1.14, JON 11).
import { z } from 'zod';
import { cameraRefs, command, holdRef } from './define';
import { EXPORT_STATUSES } from './exports';
import { epochMs, historyEntry, id, longText, text } from './fields';

export const HOLD_KINDS = ['legal', 'data_subject'] as const;
export const HOLD_STATUSES = ['active', 'released'] as const;

export const holdItem = z
  .strictObject({ cameraId: id, fromMs: epochMs, toMs: epochMs })
  .refine((i) => i.toMs > i.fromMs, 'toMs must be after fromMs');

/** An export a hold protects until its handover (the production places that hold). */
export const protectedExport = z.strictObject({ number: z.string(), status: z.enum(EXPORT_STATUSES) });
export type ProtectedExport = z.infer<typeof protectedExport>;

/** Whether `typed` names the export (its number, in any letter case): what releasing its hold early asks for. */
export function namesExport(typed: string | undefined, exportNumber: string): boolean {
  return typed?.trim().toUpperCase() === exportNumber.toUpperCase();
}

export const holdView = z.strictObject({
  id,
  kind: z.enum(HOLD_KINDS),
  caseReference: z.string(),
  legalBasis: z.string(),
  requestingBody: z.string(),
  reason: z.string(),
  reviewDateMs: z.number(),
  status: z.enum(HOLD_STATUSES),
  /** Active and past its review date: someone must decide whether it is still needed. */
  reviewOverdue: z.boolean(),
  createdBy: z.string(),
  createdAtMs: z.number(),
  releasedBy: z.string().nullable(),
  releasedAtMs: z.number().nullable(),
  releaseReason: z.string().nullable(),
  items: z.array(z.strictObject({ cameraId: id, cameraName: z.string(), fromMs: z.number(), toMs: z.number() })),
  history: z.array(historyEntry),
  /** Active, and protecting an export not yet handed over: releasing it needs the export's number. */
  protectsExport: protectedExport.nullable(),
});
export type HoldView = z.infer<typeof holdView>;

export const HOLDS_COMMANDS = {
  'holds.list': command({
    request: z.strictObject({
      status: z.enum(HOLD_STATUSES).optional(),
      search: text(100).optional(),
      cameraId: id.optional(),
      overdueOnly: z.boolean().optional(),
    }),
    response: z.strictObject({ holds: z.array(holdView) }),
    access: { kind: 'permission', permission: 'holds.read' },
    audit: { when: 'before' },
    scope: { filtered: 'holds on a camera the caller sees (every hold for records.readAll)' },
    target: () => 'holds',
    example: {},
  }),
  'holds.place': command({
    request: z.strictObject({
      kind: z.enum(HOLD_KINDS),
      caseReference: text(100),
      legalBasis: text(300),
      requestingBody: text(200),
      reason: longText(2000, 10),
      reviewDateMs: epochMs,
      items: z.array(holdItem).min(1).max(64),
    }),
    response: holdView,
    access: { kind: 'permission', permission: 'holds.place' },
    audit: { when: 'before' },
    scope: { refs: (r) => cameraRefs(r.items.map((i) => i.cameraId)) },
    target: (r) => `case:${r.caseReference}`,
    example: { kind: 'legal', caseReference: 'RSD-1/26', legalBasis: 'Art. 217 KPK', requestingBody: 'Police', reason: 'possible evidence of theft', reviewDateMs: Date.UTC(2027, 0, 1), items: [{ cameraId: 999, fromMs: 1_000, toMs: 2_000 }] },
  }),
  'holds.extend': command({
    request: z.strictObject({
      holdId: id,
      /** New review date (later than the current one), or null to keep it. */
      reviewDateMs: epochMs.nullable(),
      /** Ranges added to the hold (a hold only grows until released). */
      addItems: z.array(holdItem).max(64),
      reason: longText(1000, 10),
    }),
    response: holdView,
    access: { kind: 'permission', permission: 'holds.place' },
    audit: { when: 'before' },
    scope: { refs: (r) => [holdRef(r.holdId), ...cameraRefs(r.addItems.map((i) => i.cameraId))] },
    target: (r) => `hold#${r.holdId}`,
    example: { holdId: 999, reviewDateMs: null, addItems: [], reason: 'proceedings continue' },
  }),
  'holds.release': command({
    // confirmExport: the number of the export the hold protects, typed to release it before the
    // handover (the footage could then be deleted before the package is handed over).
    request: z.strictObject({ holdId: id, reason: longText(1000, 10), confirmExport: z.string().max(40).optional() }),
    response: holdView,
    access: { kind: 'permission', permission: 'holds.release' },
    audit: { when: 'before' },
    scope: { refs: (r) => [holdRef(r.holdId)] },
    target: (r) => `hold#${r.holdId}`,
    example: { holdId: 999, reason: 'proceedings concluded' },
  }),
} as const;
