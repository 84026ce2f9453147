// The breach register (docs/design/breaches.md; JON 21-23; BRN 24.3(vii), 36-38): anyone signed in
// reports a suspected personal data breach in one step; the data protection officer (auditor role)
// assesses it (category 1 record only, 2 notify the supervisory authority within 72 hours of
// discovery, 3 also notify the data subjects or record why not) and records the notifications.
// Supervisors and auditors read the register and print it; the engine proposes records itself (what
// it finds: BREACH_PROPOSALS) and reminds the readers a day before the 72-hour deadline.
import { z } from 'zod';
import { cameraRefs, command } from './define';
import { epochMs, historyEntry, id, longText, text } from './fields';
import { registerExportRequest, registerExportResponse } from './registers';

export const BREACH_CATEGORIES = [1, 2, 3] as const;
export type BreachCategory = (typeof BREACH_CATEGORIES)[number];
export const BREACH_STATUSES = ['open', 'closed'] as const;
/** Who reported it: a person, or the engine from what it found itself. */
export const BREACH_SOURCES = ['person', 'engine'] as const;
/**
 * What the engine found when it proposed the record (docs/design/breaches.md "Proposed by the
 * engine"; words in renderer/i18n/locales/breaches): the audit trail failed verification or its
 * start-up check; recording files missing without a deletion, or changed, at their re-check; a burst
 * of refused access by one user; a burst of sign-in lockouts.
 */
export const BREACH_PROPOSALS = ['audit_chain', 'audit_anchor', 'recording_missing', 'recording_changed', 'access_refusals', 'sign_in_lockouts'] as const;
export type BreachProposal = (typeof BREACH_PROPOSALS)[number];
export const SUBJECTS_NOTICE = ['notify', 'not_notify'] as const;
export const NOTIFICATION_RECIPIENTS = ['authority', 'data_subjects'] as const;

/** The supervisory authority is notified within 72 hours of discovery (BRN 37; JON 22). */
export const BREACH_NOTIFY_WITHIN_MS = 72 * 3_600_000;
/** From 48 hours after discovery the clock warns: a day is left. */
export const BREACH_WARN_AFTER_MS = 48 * 3_600_000;
/** A notification's time may be at most this far ahead of the engine's clock (a seat's clock skew). */
export const BREACH_NOTICE_MAX_SKEW_MS = 5 * 60_000;

/**
 * The 72-hour clock (BRN 37): not_required for category 1; notified once the authority has been told
 * (late when after the deadline); otherwise running, warning from 48 h, missed from 72 h. A breach not
 * yet assessed runs its clock: it may be category 2.
 */
export const BREACH_CLOCK_STATES = ['running', 'warning', 'missed', 'notified', 'not_required'] as const;
export type BreachClockState = (typeof BREACH_CLOCK_STATES)[number];

export const breachClock = z.strictObject({
  state: z.enum(BREACH_CLOCK_STATES),
  deadlineMs: z.number(),
  /** Until the deadline (negative once missed); 0 when notified or not required. */
  remainingMs: z.number(),
  /** The authority was notified after the deadline. */
  notifiedLate: z.boolean(),
});
export type BreachClock = z.infer<typeof breachClock>;

/** The clock at `nowMs`: the engine sends it and the screens recompute it each second. */
export function breachClockAt(b: { discoveredAtMs: number; category: BreachCategory | null; authorityNotifiedAtMs: number | null }, nowMs: number): BreachClock {
  const deadlineMs = b.discoveredAtMs + BREACH_NOTIFY_WITHIN_MS;
  if (b.authorityNotifiedAtMs !== null) return { state: 'notified', deadlineMs, remainingMs: 0, notifiedLate: b.authorityNotifiedAtMs > deadlineMs };
  if (b.category === 1) return { state: 'not_required', deadlineMs, remainingMs: 0, notifiedLate: false };
  const remainingMs = deadlineMs - nowMs;
  const state = remainingMs <= 0 ? 'missed' : nowMs - b.discoveredAtMs >= BREACH_WARN_AFTER_MS ? 'warning' : 'running';
  return { state, deadlineMs, remainingMs, notifiedLate: false };
}

const notification = z.strictObject({ atMs: z.number(), channel: z.string(), reference: z.string(), recordedBy: z.string() });

export const breachView = z.strictObject({
  id,
  /** BR-<id>: what a reporter is told and quotes. */
  reference: z.string(),
  status: z.enum(BREACH_STATUSES),
  source: z.enum(BREACH_SOURCES),
  proposal: z.enum(BREACH_PROPOSALS).nullable(),
  what: z.string(),
  records: z.string(),
  discoveredAtMs: z.number(),
  reportedAtMs: z.number(),
  reportedBy: z.string(),
  cameras: z.array(z.strictObject({ cameraId: id, cameraName: z.string() })),
  category: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
  assessedBy: z.string().nullable(),
  assessedAtMs: z.number().nullable(),
  reasoning: z.string().nullable(),
  subjectsNotice: z.enum(SUBJECTS_NOTICE).nullable(),
  subjectsNotNotifiedReason: z.string().nullable(),
  authorityNotification: notification.nullable(),
  subjectsNotification: notification.nullable(),
  clock: breachClock,
  history: z.array(historyEntry),
});
export type BreachView = z.infer<typeof breachView>;

const breachId = z.strictObject({ breachId: id });

export const BREACH_COMMANDS = {
  'breaches.report': command({
    // One step, for everyone signed in (JON 21): what happened, when it was discovered, and what it
    // touches. Cameras named must be cameras the reporter sees.
    request: z.strictObject({
      what: longText(2000, 10),
      discoveredAtMs: epochMs,
      cameraIds: z.array(id).max(64).optional(),
      records: longText(1000).optional(),
    }),
    response: z.strictObject({ id, reference: z.string() }),
    access: { kind: 'session' },
    audit: { when: 'before' },
    scope: { refs: (r) => cameraRefs(r.cameraIds ?? []) },
    target: () => 'breaches',
    example: { what: 'A laptop with exported footage was left on a train', discoveredAtMs: 1_000, cameraIds: [999] },
  }),
  'breaches.list': command({
    request: z.strictObject({ status: z.enum(BREACH_STATUSES).optional() }),
    response: z.strictObject({ breaches: z.array(breachView) }),
    access: { kind: 'permission', permission: 'breaches.read' },
    audit: { when: 'before' },
    target: () => 'breaches',
    example: {},
  }),
  'breaches.get': command({
    request: breachId,
    response: breachView,
    access: { kind: 'permission', permission: 'breaches.read' },
    audit: { when: 'before' },
    target: (r) => `breach#${r.breachId}`,
    example: { breachId: 999 },
  }),
  'breaches.assess': command({
    // Category 3 needs the decision on the data subjects: notify them, or the reason not to (BRN 38).
    request: z.strictObject({
      breachId: id,
      category: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      reasoning: longText(2000, 10),
      subjectsNotice: z.enum(SUBJECTS_NOTICE).optional(),
      subjectsNotNotifiedReason: longText(2000, 10).optional(),
    }),
    response: breachView,
    access: { kind: 'permission', permission: 'breaches.assess' },
    audit: { when: 'before' },
    target: (r) => `breach#${r.breachId}`,
    example: { breachId: 999, category: 2, reasoning: 'footage of identifiable travellers left the site' },
  }),
  'breaches.recordNotification': command({
    request: z.strictObject({
      breachId: id,
      to: z.enum(NOTIFICATION_RECIPIENTS),
      atMs: epochMs,
      channel: text(100),
      reference: text(100),
    }),
    response: breachView,
    access: { kind: 'permission', permission: 'breaches.assess' },
    audit: { when: 'before' },
    target: (r) => `breach#${r.breachId}`,
    example: { breachId: 999, to: 'authority', atMs: 1_000, channel: 'UODO e-form', reference: 'DKN.5130.1.2026' },
  }),
  'breaches.close': command({
    request: z.strictObject({ breachId: id, reason: longText(1000, 10) }),
    response: breachView,
    access: { kind: 'permission', permission: 'breaches.assess' },
    audit: { when: 'before' },
    reason: (r) => r.reason,
    target: (r) => `breach#${r.breachId}`,
    example: { breachId: 999, reason: 'notifications made, measures taken' },
  }),
  'breaches.export': command({
    // The printable register (JON 21-23; BRN 36-38): every record with its category, discovery, the
    // 72-hour clock, the notifications and its history, as a PDF to sign and file or a CSV, in the
    // requested language; for those who read the register.
    request: registerExportRequest,
    response: registerExportResponse,
    access: { kind: 'permission', permission: 'breaches.read' },
    audit: { when: 'before' },
    target: () => 'breaches',
    example: { format: 'pdf', language: 'pl' },
  }),
} as const;
