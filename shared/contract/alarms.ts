// Alarms: conditions someone must see (storage full, recording failed) and events a second person
// must notice (an account given access to footage, an audit trail that fails its check). Each kind
// says who sees it and who may acknowledge it; conditions clear themselves, events are acknowledged
// by a person, never by the one who caused them.
import { z } from 'zod';
import type { Permission } from '../roles';
import { command } from './define';
import { id, longText } from './fields';

export const ALARM_KINDS = {
  'storage.full': { seenWith: 'storage.view', acknowledgedWith: null },
  'storage.pressure': { seenWith: 'storage.view', acknowledgedWith: null },
  'recording.write_failed': { seenWith: 'storage.view', acknowledgedWith: null },
  /** An administrator created or promoted an account with access to footage, or gave it camera
   *  groups: until grants need a second person's approval, supervisors and the auditor see it. */
  'access.footage_granted': { seenWith: 'records.readAll', acknowledgedWith: 'records.readAll' },
  /** The audit trail's anchor is missing or behind the log at start-up (docs/design/audit-chain.md). */
  'audit.anchor': { seenWith: 'audit.read', acknowledgedWith: 'settings.manage' },
  /** The periodic access review is overdue (BRN art. 34(1)(ii); docs/design/access-review.md): the
   *  period ran out with no campaign open, or a campaign has been open too long. Cleared by the
   *  engine once a campaign is open in time or closed. */
  'access.review_overdue': { seenWith: 'access.review', acknowledgedWith: 'access.review' },
  /** A breach record 48 hours after its discovery without the supervisory authority's notification
   *  (BRN 37; docs/design/breaches.md "The 72-hour clock"): a day is left. Raised once per record for
   *  those who read the register; the data protection officer acknowledges it. */
  'breaches.deadline': { seenWith: 'breaches.read', acknowledgedWith: 'breaches.assess' },
} as const satisfies Record<string, { seenWith: Permission; acknowledgedWith: Permission | null }>;
export type AlarmKind = keyof typeof ALARM_KINDS;
export const ALARM_KIND_NAMES = Object.keys(ALARM_KINDS) as AlarmKind[];

export const alarmView = z.strictObject({
  id,
  kind: z.string(),
  severity: z.enum(['warning', 'critical']),
  /** English words of the engine, for logs and unknown kinds; screens word the kind and its params. */
  message: z.string(),
  /** What the message says, as values (user names, roles, counts) for the screens to word. */
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  cameraId: id.nullable(),
  raisedAtMs: z.number(),
  clearedAtMs: z.number().nullable(),
  /** Who acknowledged an event alarm (null for conditions that cleared themselves, or open ones). */
  acknowledgedBy: z.string().nullable(),
  /** An open event alarm the caller may acknowledge. */
  canAcknowledge: z.boolean(),
});
export type AlarmView = z.infer<typeof alarmView>;

export const ALARM_COMMANDS = {
  'alarms.list': command({
    request: z.strictObject({ openOnly: z.boolean() }),
    response: z.strictObject({ alarms: z.array(alarmView) }),
    // Which kinds a caller sees depends on their permissions (ALARM_KINDS.seenWith), checked in core.
    access: { kind: 'session' },
    audit: { when: 'never', why: 'polled by the console; alarms name system events, their acknowledgement is audited' },
    example: { openOnly: true },
  }),
  'alarms.acknowledge': command({
    request: z.strictObject({ alarmId: id, note: longText(1000, 10) }),
    response: alarmView,
    // The kind's acknowledgedWith permission is checked in core, and never by the one who caused it.
    access: { kind: 'session' },
    audit: { when: 'before' },
    target: (r) => `alarm#${r.alarmId}`,
    reason: (r) => r.note,
    example: { alarmId: 999, note: 'checked with the administrator' },
  }),
} as const;
