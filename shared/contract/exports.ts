// Export requests (docs/design/exports.md; R6; ELB 1.12, JON 17-20, KRK §5.3.5, BRN 16.4): footage
// leaves only on a registered request with a legal basis, after a supervisor who is not the
// requester approves it, as a signed evidence package, and with a record of who received it.
import { z } from 'zod';
import { cameraRefs, command, exportRef, incidentRef } from './define';
import { epochMs, historyEntry, id, keysetPage, longText, nextPage, text } from './fields';

export const EXPORT_BODY_TYPES = ['police', 'prosecutor', 'court', 'other_authority', 'data_subject', 'internal'] as const;
export type ExportBodyType = (typeof EXPORT_BODY_TYPES)[number];

export const EXPORT_STATUSES = ['pending', 'approved', 'rejected', 'producing', 'produced', 'failed', 'handed_over'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export const EXPORT_MODES = ['copy', 'burn_in'] as const;
export const EXPORT_ATTEMPT_STATUSES = ['producing', 'produced', 'failed', 'cancelled'] as const;

/** Deadline state on the supervisors' queue: near = due within one working day. */
export const DEADLINE_STATES = ['ok', 'near', 'overdue', 'done'] as const;

/** The number shown to people: EXP-<id>. */
export function exportNumber(exportId: number): string {
  return `EXP-${exportId}`;
}

export const exportItem = z
  .strictObject({ cameraId: id, fromMs: epochMs, toMs: epochMs })
  .refine((i) => i.toMs > i.fromMs, 'toMs must be after fromMs')
  .refine((i) => i.toMs - i.fromMs <= 24 * 3_600_000, 'one range is at most 24 hours');

/** A redaction box that follows a region over time: positions at key times, linear in between,
 *  in fractions of the picture (0..1) so they hold for any resolution. */
export const redactionBox = z.strictObject({
  cameraId: id,
  label: text(60),
  keyframes: z
    .array(z.strictObject({ atMs: epochMs, x: z.number().min(0).max(1), y: z.number().min(0).max(1), w: z.number().min(0.01).max(1), h: z.number().min(0.01).max(1) }))
    .min(1)
    .max(200),
});
export type RedactionBox = z.infer<typeof redactionBox>;

/** A position of a redaction box in fractions of the picture (as redactionBox's keyframes). */
const boxPosition = { x: z.number().min(0).max(1), y: z.number().min(0).max(1), w: z.number().min(0.01).max(1), h: z.number().min(0.01).max(1) };

/** How far one exports.trackBox call follows a region (docs/design/exports.md "Data-subject packages"). */
export const TRACK_MAX_SPAN_MS = 60_000;

/** Why tracking stopped: it reached toMs; the match fell below the threshold (lost); the region has
 *  too little detail to follow (featureless: nothing proposed); the recording ends or jumps (a gap). */
export const TRACK_OUTCOMES = ['reached', 'lost', 'featureless', 'recording_ends'] as const;
export type TrackOutcome = (typeof TRACK_OUTCOMES)[number];

export const trackedPath = z.strictObject({
  /** Proposed positions after the starting one, in time order, each with its match score (0..1). */
  keyframes: z.array(z.strictObject({ atMs: z.number(), ...boxPosition, score: z.number() })),
  outcome: z.enum(TRACK_OUTCOMES),
  /** Footage time where tracking stopped (toMs when reached). */
  stoppedAtMs: z.number(),
});
export type TrackedPath = z.infer<typeof trackedPath>;

/** JON 19: a data subject's package with other people visible needs redaction boxes the producer
 *  confirms cover them, or the producer's attestation, with a reason, that nobody else is visible. */
export const DATA_SUBJECT_ATTESTATION_MIN = 10;
export const DATA_SUBJECT_ATTESTATION_MAX = 500;

export const exportSummaryView = z.strictObject({
  id,
  number: z.string(),
  status: z.enum(EXPORT_STATUSES),
  bodyType: z.enum(EXPORT_BODY_TYPES),
  bodyName: z.string(),
  bodyReference: z.string(),
  urgent: z.boolean(),
  requestedBy: z.string(),
  requestedAtMs: z.number(),
  receivedAtMs: z.number(),
  deadlineMs: z.number(),
  deadlineState: z.enum(DEADLINE_STATES),
  cameras: z.number().int(),
});
export type ExportSummaryView = z.infer<typeof exportSummaryView>;

export const exportView = exportSummaryView.extend({
  purpose: z.string(),
  legalBasis: z.string(),
  recipient: z.string(),
  incidentId: id.nullable(),
  items: z.array(z.strictObject({ cameraId: id, cameraName: z.string(), fromMs: z.number(), toMs: z.number() })),
  /** Data subject requests: the extended deadline and its reason (BRN 16.4: up to two more months). */
  deadlineExtension: z.strictObject({ untilMs: z.number(), reason: z.string(), by: z.string() }).nullable(),
  decision: z.strictObject({ approved: z.boolean(), by: z.string(), atMs: z.number(), reason: z.string() }).nullable(),
  production: z
    .strictObject({
      mode: z.enum(EXPORT_MODES),
      by: z.string(),
      startedAtMs: z.number(),
      /** 0..1 */
      progress: z.number(),
      /** Estimated milliseconds left while producing, else null. */
      etaMs: z.number().nullable(),
      finishedAtMs: z.number().nullable(),
      error: z.string().nullable(),
      /** Where the package is, on the engine's machine. */
      packagePath: z.string().nullable(),
      manifestSha256: z.string().nullable(),
      redactions: z.number().int(),
    })
    .nullable(),
  /** Every production attempt, first to latest (`production` is the latest in full). */
  attempts: z.array(
    z.strictObject({
      attempt: z.number().int(),
      status: z.enum(EXPORT_ATTEMPT_STATUSES),
      mode: z.enum(EXPORT_MODES),
      by: z.string(),
      startedAtMs: z.number(),
      finishedAtMs: z.number().nullable(),
      error: z.string().nullable(),
    }),
  ),
  handover: z.strictObject({ receivedBy: z.string(), receivedAtMs: z.number(), medium: z.string(), note: z.string(), recordedBy: z.string() }).nullable(),
  history: z.array(historyEntry),
});
export type ExportView = z.infer<typeof exportView>;

const exportId = z.strictObject({ exportId: id });

export const EXPORT_COMMANDS = {
  'exports.create': command({
    request: z.strictObject({
      bodyType: z.enum(EXPORT_BODY_TYPES),
      bodyName: text(200),
      bodyReference: text(100),
      /** When the written request arrived: deadlines count from it. */
      receivedAtMs: epochMs,
      purpose: longText(1000, 10),
      legalBasis: text(300),
      urgent: z.boolean(),
      recipient: text(200),
      incidentId: id.nullable(),
      items: z.array(exportItem).min(1).max(16),
    }),
    response: exportView,
    access: { kind: 'permission', permission: 'exports.request' },
    audit: { when: 'before' },
    target: (r) => `body:${r.bodyName} ref:${r.bodyReference}`,
    scope: { refs: (r) => [...cameraRefs(r.items.map((i) => i.cameraId)), ...(r.incidentId === null ? [] : [incidentRef(r.incidentId)])] },
    example: { bodyType: 'police', bodyName: 'Police', bodyReference: 'RSD-1/26', receivedAtMs: 1_000, purpose: 'footage of a theft at the entrance', legalBasis: 'Art. 217 KPK', urgent: false, recipient: 'Officer on duty', incidentId: null, items: [{ cameraId: 999, fromMs: 1_000, toMs: 2_000 }] },
  }),
  'exports.list': command({
    request: z.strictObject({
      status: z.enum(EXPORT_STATUSES).optional(),
      /** Pending requests, nearest deadline first (the supervisors' queue). */
      queue: z.boolean().optional(),
      ...keysetPage,
    }),
    response: z.strictObject({ exports: z.array(exportSummaryView), ...nextPage }),
    access: { kind: 'permission', permission: 'exports.read' },
    audit: { when: 'before' },
    target: () => 'exports',
    scope: { filtered: 'the caller’s own requests and those whose cameras the caller all sees (every request for records.readAll)' },
    example: { limit: 10 },
  }),
  'exports.get': command({
    request: exportId,
    response: exportView,
    access: { kind: 'permission', permission: 'exports.read' },
    audit: { when: 'never', why: 'polled for production progress; the list and every change are audited' },
    scope: { refs: (r) => [exportRef(r.exportId)] },
    example: { exportId: 999 },
  }),
  'exports.decide': command({
    request: z.strictObject({ exportId: id, approve: z.boolean(), reason: longText(1000, 10) }),
    response: exportView,
    access: { kind: 'permission', permission: 'exports.approve' },
    audit: { when: 'before' },
    target: (r) => `export#${r.exportId}`,
    reason: (r) => `${r.approve ? 'approve' : 'reject'}: ${r.reason}`,
    scope: { refs: (r) => [exportRef(r.exportId)] },
    example: { exportId: 999, approve: true, reason: 'legal basis checked' },
  }),
  'exports.extendDeadline': command({
    request: z.strictObject({ exportId: id, months: z.union([z.literal(1), z.literal(2)]), reason: longText(1000, 10) }),
    response: exportView,
    access: { kind: 'permission', permission: 'exports.approve' },
    audit: { when: 'before' },
    target: (r) => `export#${r.exportId}`,
    reason: (r) => r.reason,
    scope: { refs: (r) => [exportRef(r.exportId)] },
    example: { exportId: 999, months: 1, reason: 'many recordings to review' },
  }),
  'exports.produce': command({
    request: z.strictObject({
      exportId: id,
      mode: z.enum(EXPORT_MODES),
      redactions: z.array(redactionBox).max(50),
      /** Data subject requests (JON 19): the producer confirms that the boxes cover every person other than the data subject. */
      redactionsCoverOthers: z.boolean().optional(),
      /** Data subject requests (JON 19): instead, the producer attests that nobody else is visible, and why they know. */
      attestation: z.strictObject({ reason: longText(DATA_SUBJECT_ATTESTATION_MAX, DATA_SUBJECT_ATTESTATION_MIN) }).optional(),
    }),
    response: exportView,
    access: { kind: 'permission', permission: 'exports.request' },
    audit: { when: 'before' },
    target: (r) => `export#${r.exportId}`,
    // The data-subject attestation is the producer's own statement: the audit entry carries it.
    reason: (r) => (r.attestation ? `nobody else visible: ${r.attestation.reason}` : r.redactionsCoverOthers ? 'redaction boxes cover every other person' : ''),
    scope: { refs: (r) => [exportRef(r.exportId)] },
    example: { exportId: 999, mode: 'copy', redactions: [] },
  }),
  'exports.trackBox': command({
    request: z
      .strictObject({
        exportId: id,
        cameraId: id,
        /** Where the operator placed the box, and when. */
        from: z.strictObject({ atMs: epochMs, ...boxPosition }),
        /** Follow it forward until here (at most TRACK_MAX_SPAN_MS later). */
        toMs: epochMs,
      })
      .refine((r) => r.toMs > r.from.atMs, 'toMs must be after from.atMs')
      .refine((r) => r.toMs - r.from.atMs <= TRACK_MAX_SPAN_MS, `at most ${TRACK_MAX_SPAN_MS / 1000} s at once`),
    response: trackedPath,
    access: { kind: 'permission', permission: 'exports.request' },
    // Decodes recorded footage in the engine (only numbers leave it): audited like a playback.
    audit: { when: 'before' },
    target: (r) => `export#${r.exportId}`,
    // As exports.produce: whoever sees the request may produce it, so may follow a box in its footage
    // (the camera must be one of its items: the handler checks it).
    scope: { refs: (r) => [exportRef(r.exportId)] },
    example: { exportId: 999, cameraId: 999, from: { atMs: 1_000, x: 0.1, y: 0.1, w: 0.2, h: 0.3 }, toMs: 5_000 },
  }),
  'exports.cancel': command({
    request: exportId,
    response: exportView,
    access: { kind: 'permission', permission: 'exports.request' },
    audit: { when: 'before' },
    target: (r) => `export#${r.exportId}`,
    scope: { refs: (r) => [exportRef(r.exportId)] },
    example: { exportId: 999 },
  }),
  'exports.handover': command({
    request: z.strictObject({ exportId: id, receivedBy: text(200), receivedAtMs: epochMs, medium: text(100), note: longText(1000, 0) }),
    response: exportView,
    access: { kind: 'permission', permission: 'exports.request' },
    audit: { when: 'before' },
    target: (r) => `export#${r.exportId}`,
    scope: { refs: (r) => [exportRef(r.exportId)] },
    example: { exportId: 999, receivedBy: 'Officer on duty', receivedAtMs: 1_000, medium: 'USB stick', note: '' },
  }),
} as const;
