// The register of data-subject requests (docs/design/subject-requests.md; BRN art. 15-17; JON 17-20;
// ELB 1.14): every request by a person about footage of themselves, from its receipt to the answer,
// with the deadline of the site's country, the decision and its reasons, and the holds, exports and
// on-site viewings it caused. Supervisors and the auditor (the data protection officer) read and keep
// it; guards and reviewers do not see it at all.
import { z } from 'zod';
import { command, exportRef, holdRef } from './define';
import { epochMs, historyEntry, id, longText, text } from './fields';
import { registerExportRequest, registerExportResponse } from './registers';
import { SITE_COUNTRIES } from './site';

/**
 * What the person asks for: confirmation whether they were recorded, information about the
 * processing, a copy of the footage, viewing it on site (JON 20), erasure, restriction, objection
 * (BRN 17-21), or that the footage be secured for the authorities (ELB 1.14).
 */
export const SUBJECT_REQUEST_KINDS = ['confirm', 'information', 'copy', 'viewing', 'erasure', 'restriction', 'objection', 'secure'] as const;
export type SubjectRequestKind = (typeof SUBJECT_REQUEST_KINDS)[number];

/** How the request arrived (BRN 15.1: the answer is given in the same form unless agreed otherwise). */
export const SUBJECT_REQUEST_CHANNELS = ['letter', 'email', 'in_person', 'phone', 'e_delivery'] as const;
/** How the person's identity was checked (BRN 16.1 step 1). No document number is kept: only how, and by whom. */
export const IDENTITY_METHODS = ['id_document', 'known_in_person', 'qualified_signature', 'e_delivery_account', 'other'] as const;
export const SUBJECT_DECISIONS = ['granted', 'partly', 'refused'] as const;
export type SubjectDecision = (typeof SUBJECT_DECISIONS)[number];
/** open: not decided yet; decided: the requester still has to be told; answered: told, the deadline no longer runs. */
export const SUBJECT_REQUEST_STATUSES = ['open', 'decided', 'answered'] as const;
export type SubjectRequestStatus = (typeof SUBJECT_REQUEST_STATUSES)[number];
/**
 * Where a request stands against its current deadline: ok, near (due by the end of the next working
 * day), overdue, or done (answered).
 */
export const SUBJECT_DEADLINE_STATES = ['ok', 'near', 'overdue', 'done'] as const;
export type SubjectDeadlineState = (typeof SUBJECT_DEADLINE_STATES)[number];
/**
 * What the current deadline is for: the answer within a calendar month (PL, CZ: GDPR art. 12(3),
 * BRN 16.4), or, in Lithuania, the decision within 5 working days and then telling the person by the
 * next working day (JON 20).
 */
export const SUBJECT_DEADLINE_PHASES = ['answer', 'decision'] as const;
export const SUBJECT_LINK_KINDS = ['hold', 'export'] as const;

/** The fee's currency follows the site's country. */
export const FEE_CURRENCY = { PL: 'PLN', CZ: 'CZK', LT: 'EUR' } as const satisfies Record<(typeof SITE_COUNTRIES)[number], string>;

/** A time a person gives (when they told the requester, when they answered) may be at most this far ahead of the engine's clock. */
export const SUBJECT_TIME_MAX_SKEW_MS = 5 * 60_000;

/** A refusal's or a fee's reason is at least this long: a word or two is not a reason (BRN 16.2, 16.5). */
export const SUBJECT_REASON_MIN_CHARS = 10;

/** DSR-<id>: what the register and the requester quote. */
export const subjectRequestReference = (requestId: number): string => `DSR-${requestId}`;

const deadline = z.strictObject({
  phase: z.enum(SUBJECT_DEADLINE_PHASES),
  /** The deadline that runs now (the extended one after an extension). */
  dueMs: z.number(),
  state: z.enum(SUBJECT_DEADLINE_STATES),
  /** The deadline set at receipt: a month (PL, CZ) or 5 working days to decide (LT). */
  originalDueMs: z.number(),
  /** LT: the decision was recorded after its 5 working days. */
  decidedLate: z.boolean(),
  /** The answer was recorded after the deadline that ran then. */
  answeredLate: z.boolean(),
  /** Whether this request's deadline can still be extended (PL, CZ; once; before the month ends). */
  extendable: z.boolean(),
});

const linkView = z.strictObject({
  kind: z.enum(SUBJECT_LINK_KINDS),
  targetId: id,
  /** EXP-12 for an export request, the case reference for a hold. */
  label: z.string(),
  /** The export request's or hold's status now (null when it can no longer be read). */
  status: z.string().nullable(),
  /** An export's redaction statement once produced (JON 19): boxes confirmed or attested. */
  redaction: z.enum(['boxes_confirmed', 'attested']).nullable(),
  linkedBy: z.string(),
  linkedAtMs: z.number(),
});

const viewingView = z.strictObject({
  id,
  cameras: z.array(z.strictObject({ cameraId: id, cameraName: z.string() })),
  fromMs: z.number(),
  toMs: z.number(),
  shownBy: z.string(),
  shownAtMs: z.number(),
  note: z.string(),
  recordedBy: z.string(),
});

export const subjectRequestView = z.strictObject({
  id,
  reference: z.string(),
  kind: z.enum(SUBJECT_REQUEST_KINDS),
  status: z.enum(SUBJECT_REQUEST_STATUSES),
  country: z.enum(SITE_COUNTRIES),
  receivedAtMs: z.number(),
  channel: z.enum(SUBJECT_REQUEST_CHANNELS),
  requesterName: z.string(),
  requesterContact: z.string(),
  /** Where and when the person says they were filmed (JON 19), in their words. */
  footage: z.string(),
  recordedBy: z.string(),
  recordedAtMs: z.number(),
  identity: z.strictObject({ method: z.enum(IDENTITY_METHODS), checkedBy: z.string(), note: z.string(), recordedBy: z.string(), atMs: z.number() }).nullable(),
  deadline,
  extension: z.strictObject({ months: z.union([z.literal(1), z.literal(2)]), untilMs: z.number(), reason: z.string(), toldRequesterAtMs: z.number(), by: z.string(), atMs: z.number() }).nullable(),
  decision: z
    .strictObject({
      outcome: z.enum(SUBJECT_DECISIONS),
      reason: z.string(),
      /** In the currency's minor unit (grosze, haléře, euro cents). */
      fee: z.strictObject({ amountMinor: z.number().int(), currency: z.string(), reason: z.string() }).nullable(),
      remediesTold: z.boolean(),
      by: z.string(),
      atMs: z.number(),
    })
    .nullable(),
  answer: z.strictObject({ atMs: z.number(), channel: z.string(), appointmentAtMs: z.number().nullable(), note: z.string(), recordedBy: z.string() }).nullable(),
  links: z.array(linkView),
  viewings: z.array(viewingView),
  history: z.array(historyEntry),
});
export type SubjectRequestView = z.infer<typeof subjectRequestView>;

const requestId = z.strictObject({ requestId: id });
const identityFields = { method: z.enum(IDENTITY_METHODS), checkedBy: text(100), note: longText(500).optional() };

export const SUBJECT_REQUEST_COMMANDS = {
  'subjects.record': command({
    // The person's data kept to the minimum needed to answer them (a name and one way to reach them);
    // identity may be checked later, but nothing is granted before it is (BRN 16.1).
    request: z.strictObject({
      kind: z.enum(SUBJECT_REQUEST_KINDS),
      receivedAtMs: epochMs,
      channel: z.enum(SUBJECT_REQUEST_CHANNELS),
      requesterName: text(120),
      requesterContact: text(200),
      footage: longText(1000).optional(),
      identity: z.strictObject(identityFields).optional(),
    }),
    response: subjectRequestView,
    access: { kind: 'permission', permission: 'subjects.manage' },
    audit: { when: 'before' },
    target: () => 'subject-requests',
    example: { kind: 'copy', receivedAtMs: 1_000, channel: 'letter', requesterName: 'Anna Wiśniewska', requesterContact: 'anna@example.org', footage: 'Ticket office, 3 March about 10:15' },
  }),
  'subjects.list': command({
    request: z.strictObject({ show: z.enum(['pending', 'answered', 'all']).optional() }),
    response: z.strictObject({ requests: z.array(subjectRequestView) }),
    access: { kind: 'permission', permission: 'subjects.read' },
    audit: { when: 'before' },
    target: () => 'subject-requests',
    example: {},
  }),
  'subjects.get': command({
    request: requestId,
    response: subjectRequestView,
    access: { kind: 'permission', permission: 'subjects.read' },
    audit: { when: 'before' },
    target: (r) => `subject-request#${r.requestId}`,
    example: { requestId: 999 },
  }),
  'subjects.verifyIdentity': command({
    request: z.strictObject({ requestId: id, ...identityFields }),
    response: subjectRequestView,
    access: { kind: 'permission', permission: 'subjects.manage' },
    audit: { when: 'before' },
    target: (r) => `subject-request#${r.requestId}`,
    example: { requestId: 999, method: 'id_document', checkedBy: 'Front desk, Jan Kowalski' },
  }),
  'subjects.extend': command({
    // GDPR art. 12(3), BRN 16.4: once, by one or two further months, with the reason the requester
    // was told before the first month ended.
    request: z.strictObject({ requestId: id, months: z.union([z.literal(1), z.literal(2)]), reason: longText(1000, 10), toldRequesterAtMs: epochMs }),
    response: subjectRequestView,
    access: { kind: 'permission', permission: 'subjects.manage' },
    audit: { when: 'before' },
    reason: (r) => r.reason,
    target: (r) => `subject-request#${r.requestId}`,
    example: { requestId: 999, months: 2, reason: 'Footage of six cameras over two days must be reviewed', toldRequesterAtMs: 1_000 },
  }),
  'subjects.decide': command({
    // A refusal (whole or partial) and a fee only with their reasons (BRN 16.2, 16.5).
    request: z.strictObject({
      requestId: id,
      outcome: z.enum(SUBJECT_DECISIONS),
      reason: longText(2000).optional(),
      /** The requester is told they may complain to the supervisory authority and go to court (BRN 16.2). */
      remediesTold: z.boolean().optional(),
      feeAmountMinor: z.number().int().min(1).max(100_000_000).optional(),
      feeReason: longText(2000).optional(),
    }),
    response: subjectRequestView,
    access: { kind: 'permission', permission: 'subjects.manage' },
    audit: { when: 'before' },
    target: (r) => `subject-request#${r.requestId}`,
    example: { requestId: 999, outcome: 'granted' },
  }),
  'subjects.recordAnswer': command({
    // When and how the requester was told the decision (JON 20: with the date and time to come and
    // view the footage or collect the copy).
    request: z.strictObject({ requestId: id, answeredAtMs: epochMs, channel: text(100), appointmentAtMs: epochMs.optional(), note: longText(1000).optional() }),
    response: subjectRequestView,
    access: { kind: 'permission', permission: 'subjects.manage' },
    audit: { when: 'before' },
    target: (r) => `subject-request#${r.requestId}`,
    example: { requestId: 999, answeredAtMs: 1_000, channel: 'letter' },
  }),
  'subjects.link': command({
    // A hold or an export request the request caused. An export must be a data subject's: its package
    // is produced only with everybody else redacted (JON 19).
    request: z.union([z.strictObject({ requestId: id, holdId: id }), z.strictObject({ requestId: id, exportId: id })]),
    response: subjectRequestView,
    access: { kind: 'permission', permission: 'subjects.manage' },
    audit: { when: 'before' },
    scope: { refs: (r) => ('holdId' in r ? [holdRef(r.holdId)] : [exportRef(r.exportId)]) },
    target: (r) => `subject-request#${r.requestId}`,
    example: { requestId: 999, holdId: 999 },
  }),
  'subjects.recordViewing': command({
    // Who showed what to the person on site, and when (JON 20: the viewing is recorded on the request's file).
    request: z.strictObject({
      requestId: id,
      cameraIds: z.array(id).min(1).max(16),
      fromMs: epochMs,
      toMs: epochMs,
      shownBy: text(100),
      shownAtMs: epochMs,
      note: longText(1000).optional(),
    }),
    response: subjectRequestView,
    access: { kind: 'permission', permission: 'subjects.manage' },
    audit: { when: 'before' },
    scope: { siteWide: 'the register names the cameras shown, whatever the keeper’s groups (they read every record); it shows no footage' },
    target: (r) => `subject-request#${r.requestId}`,
    example: { requestId: 999, cameraIds: [999], fromMs: 1_000, toMs: 2_000, shownBy: 'Jan Kowalski', shownAtMs: 3_000 },
  }),
  // The register printed (PDF) or for a spreadsheet (CSV), with every request's history.
  'subjects.export': command({
    request: registerExportRequest,
    response: registerExportResponse,
    access: { kind: 'permission', permission: 'subjects.read' },
    audit: { when: 'before' },
    target: (r) => `subject-requests:${r.format}`,
    example: { format: 'csv', language: 'en' },
  }),
} as const;
