// The register of authorised persons (docs/design/authorised-persons.md; KRK §5.4.1, §5.4.4,
// §5.4.5; JON 15.2-15.3; BRN art. 34; ELB 1.7). Every grant of rights (a role and camera groups)
// is a record: its basis (an authorisation number or a document), who asked for it, who approved
// it, and how long it is good for. A grant that reaches footage, or that makes an approver, waits
// for a second person who is not the administrator who asked; until then the account holds no
// rights at all (it is "parked").
import { z } from 'zod';
import { ROLES } from '../roles';
import { CSV_SEPARATORS } from './audit';
import { command } from './define';
import { epochMs, id, language, longText, text } from './fields';

/** What the account holds now: its grant is in force, waits for approval, was refused, or ran out. */
export const ACCESS_STATES = ['granted', 'pending', 'refused', 'expired'] as const;
export type AccessState = (typeof ACCESS_STATES)[number];

/** pending -> approved | refused | withdrawn; approved -> ended. */
export const GRANT_STATES = ['pending', 'approved', 'refused', 'withdrawn', 'ended'] as const;
export type GrantState = (typeof GRANT_STATES)[number];

/** Why the grant was asked for (words in renderer/i18n/locales/access). */
export const GRANT_CHANGES = ['created', 'role_changed', 'groups_changed', 'reactivated', 'fewer_rights', 'terms_changed', 'recorded_before'] as const;
export type GrantChange = (typeof GRANT_CHANGES)[number];

/** How a grant took effect without a second person (null: a person approved it). */
export const GRANT_AUTO = ['no_footage', 'fewer_rights', 'first_approver', 'recorded_before'] as const;
export type GrantAuto = (typeof GRANT_AUTO)[number];

/** Why an approved grant stopped (words in renderer/i18n/locales/access). */
export const GRANT_ENDS = ['superseded', 'deactivated', 'expired', 'revoked'] as const;
export type GrantEnd = (typeof GRANT_ENDS)[number];

/** The basis of a grant: an authorisation number or a document reference (KRK §5.4.4). */
export const grantBasis = text(200, 3);

/**
 * What an administrator adds to a change of rights: its basis, and until when it is good (null or
 * absent: open-ended). Required when the grant waits for a second person; a grant of fewer rights
 * keeps the basis of the one it replaces when none is given.
 */
export const grantTerms = {
  basis: grantBasis.optional(),
  validUntilMs: epochMs.nullable().optional(),
};

export const grantView = z.strictObject({
  id,
  userId: id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  groupIds: z.array(id),
  /** The names of the groups as they were when the grant was asked for. */
  groupNames: z.array(z.string()),
  basis: z.string(),
  validUntilMs: z.number().nullable(),
  change: z.enum(GRANT_CHANGES),
  requestedBy: z.string(),
  requestedAtMs: z.number(),
  state: z.enum(GRANT_STATES),
  auto: z.enum(GRANT_AUTO).nullable(),
  decidedBy: z.string().nullable(),
  decidedAtMs: z.number().nullable(),
  decisionNote: z.string().nullable(),
  endedAtMs: z.number().nullable(),
  endReason: z.enum(GRANT_ENDS).nullable(),
  /** Whether the caller may approve or refuse it (the engine's rules; the screen only shows them). */
  canDecide: z.boolean(),
});
export type GrantView = z.infer<typeof grantView>;

const fileAnswer = z.strictObject({ fileName: z.string(), downloadUrl: z.string(), expiresAtMs: z.number(), rows: z.number().int() });

export const ACCESS_COMMANDS = {
  // The register: every grant, newest first; pending ones are the approvers' queue.
  'access.grants': command({
    request: z.strictObject({ userId: id.optional(), state: z.enum(GRANT_STATES).optional() }),
    response: z.strictObject({ grants: z.array(grantView) }),
    access: { kind: 'permission', permission: 'access.read' },
    audit: { when: 'before' },
    scope: { siteWide: 'the register of who may see footage is read whole by those who answer for it (administrators keep it, supervisors and the auditor approve)' },
    example: {},
  }),
  'access.approve': command({
    request: z.strictObject({ grantId: id, note: longText(500, 0).optional() }),
    response: grantView,
    access: { kind: 'permission', permission: 'access.approve' },
    audit: { when: 'before' },
    scope: { siteWide: 'approving a grant is a decision on an account, not on a camera' },
    target: (r) => `grant#${r.grantId}`,
    example: { grantId: 999 },
  }),
  'access.refuse': command({
    request: z.strictObject({ grantId: id, note: longText(500, 5) }),
    response: grantView,
    access: { kind: 'permission', permission: 'access.approve' },
    audit: { when: 'before' },
    scope: { siteWide: 'refusing a grant is a decision on an account, not on a camera' },
    target: (r) => `grant#${r.grantId}`,
    example: { grantId: 999, note: 'no authorisation on file' },
  }),
  // The register printed (PDF) or for a spreadsheet (CSV), with its whole history: who could see what, when.
  'access.export': command({
    request: z.strictObject({ format: z.enum(['pdf', 'csv']), language, separator: z.enum(CSV_SEPARATORS).optional() }),
    response: fileAnswer,
    access: { kind: 'permission', permission: 'access.read' },
    audit: { when: 'before' },
    scope: { siteWide: 'the whole register, for an inspector' },
    target: (r) => `access-register:${r.format}`,
    example: { format: 'csv', language: 'en' },
  }),
} as const;
