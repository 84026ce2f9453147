// The periodic access review (docs/design/access-review.md; BRN art. 34(1)(ii); JON 15.3): every N
// months (securitySettings.accessReviewMonths) a campaign lists each active account's role and each
// camera group it belongs to, with the last time the account used them, taken from the audit log.
// The reviewer (auditor as data protection officer, or a supervisor) confirms or revokes each line
// with a reason; a revoke takes effect at once; the campaign closes when every line is decided.
import { z } from 'zod';
import { ROLES } from '../roles';
import { CSV_SEPARATORS } from './audit';
import { command } from './define';
import { id, language, longText } from './fields';

export const ACCESS_REVIEW_STATUSES = ['open', 'closed'] as const;
/** A campaign opened by the engine because the period ran out, or by a reviewer's hand. */
export const ACCESS_REVIEW_TRIGGERS = ['due', 'manual'] as const;
/** A line is the account's role, or one camera group it belongs to. */
export const REVIEW_LINE_KINDS = ['role', 'group'] as const;
export const REVIEW_DECISIONS = ['confirmed', 'revoked'] as const;
/**
 * What a revoke did (revokeLine in electron/core/access-review/revoke.ts): the group was taken from
 * the account; it had been taken already; the account was deactivated (the role line); it was
 * inactive already; or the group line went with its account's role line.
 */
export const REVIEW_EFFECTS = ['none', 'group_removed', 'group_already_removed', 'account_deactivated', 'account_already_inactive', 'with_account'] as const;
export type ReviewEffect = (typeof REVIEW_EFFECTS)[number];
/** Why the review is overdue: the period ran out and no campaign is open, or one is open too long. */
export const REVIEW_OVERDUE = ['not_opened', 'open_too_long'] as const;

/** A campaign open this long is overdue: the alarm goes to supervisors and the auditor. */
export const ACCESS_REVIEW_OPEN_MAX_DAYS = 30;

/** AR-<id>: how a campaign is named on screen, in print and in the audit log's words. */
export const accessReviewReference = (campaignId: number): string => `AR-${campaignId}`;

/**
 * `ms` moved by `months` calendar months (UTC), the day clamped to the month's last: 31 August
 * plus six months is 28 (or 29) February, never 3 March.
 */
export function addMonthsMs(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

const decisionView = z.strictObject({
  decision: z.enum(REVIEW_DECISIONS),
  effect: z.enum(REVIEW_EFFECTS),
  by: z.string(),
  atMs: z.number(),
  reason: z.string(),
});

export const reviewLineView = z.strictObject({
  id,
  userId: id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  kind: z.enum(REVIEW_LINE_KINDS),
  /** The camera group of a group line (null for the role line); its name as it was at opening. */
  groupId: id.nullable(),
  groupName: z.string().nullable(),
  accountCreatedAtMs: z.number(),
  /** Last uses as the audit log has them up to the campaign's opening (null: never). The role line
   *  counts every camera; a group line only the cameras of its group. */
  lastSignInMs: z.number().nullable(),
  lastLiveMs: z.number().nullable(),
  lastPlaybackMs: z.number().nullable(),
  lastExportMs: z.number().nullable(),
  /** Not used during the whole period reviewed (for the role line: no sign-in in it). */
  unused: z.boolean(),
  decision: decisionView.nullable(),
  /** The caller may decide this line: it is undecided, the campaign is open and it is not the caller's own. */
  canDecide: z.boolean(),
});
export type ReviewLineView = z.infer<typeof reviewLineView>;

export const campaignSummaryView = z.strictObject({
  id,
  reference: z.string(),
  status: z.enum(ACCESS_REVIEW_STATUSES),
  trigger: z.enum(ACCESS_REVIEW_TRIGGERS),
  openedAtMs: z.number(),
  openedBy: z.string(),
  /** The period whose use is shown: the `months` before the opening. */
  periodFromMs: z.number(),
  periodToMs: z.number(),
  months: z.number().int(),
  closedAtMs: z.number().nullable(),
  closedBy: z.string().nullable(),
  lines: z.number().int(),
  decided: z.number().int(),
  unused: z.number().int(),
  revoked: z.number().int(),
});
export type CampaignSummaryView = z.infer<typeof campaignSummaryView>;

export const campaignView = campaignSummaryView.extend({ lineViews: z.array(reviewLineView) });
export type CampaignView = z.infer<typeof campaignView>;

export const reviewScheduleView = z.strictObject({
  months: z.number().int(),
  /** When the next campaign is due (the engine opens it then); null while one is open. */
  dueAtMs: z.number().nullable(),
  openCampaignId: id.nullable(),
  overdue: z.enum(REVIEW_OVERDUE).nullable(),
});
export type ReviewScheduleView = z.infer<typeof reviewScheduleView>;

const review = { kind: 'permission', permission: 'access.review' } as const;
const siteWide = { siteWide: 'a review covers every account of the site; it names accounts and camera groups, never footage' } as const;
const campaignTarget = (r: { campaignId: number }) => `access-review#${r.campaignId}`;
/** Why a line is confirmed or revoked: kept with the decision and in the audit entry. */
const reviewReason = longText(1000, 5);

export const ACCESS_REVIEW_COMMANDS = {
  'access.reviewList': command({
    request: z.strictObject({}),
    response: z.strictObject({ schedule: reviewScheduleView, campaigns: z.array(campaignSummaryView) }),
    access: review,
    audit: { when: 'before' },
    scope: siteWide,
    target: () => 'access-reviews',
    example: {},
  }),
  'access.reviewGet': command({
    request: z.strictObject({ campaignId: id }),
    response: campaignView,
    access: review,
    audit: { when: 'before' },
    scope: siteWide,
    target: campaignTarget,
    example: { campaignId: 999 },
  }),
  // By hand, before the period runs out (a reorganisation, a leaver): refused while one is open.
  'access.reviewOpen': command({
    request: z.strictObject({}),
    response: campaignView,
    access: review,
    audit: { when: 'before' },
    scope: siteWide,
    target: () => 'access-reviews',
    example: {},
  }),
  // One reason for several lines: a reviewer confirms the used ones together.
  'access.reviewConfirm': command({
    request: z.strictObject({ campaignId: id, lineIds: z.array(id).min(1).max(500), reason: reviewReason }),
    response: campaignView,
    access: review,
    audit: { when: 'before' },
    scope: siteWide,
    target: campaignTarget,
    reason: (r) => r.reason,
    example: { campaignId: 999, lineIds: [999], reason: 'still on duty in the control room' },
  }),
  // One line at a time: each revoke takes effect at once (BRN art. 34(1)(ii)).
  'access.reviewRevoke': command({
    request: z.strictObject({ campaignId: id, lineId: id, reason: reviewReason }),
    response: campaignView,
    access: review,
    audit: { when: 'before' },
    scope: siteWide,
    target: campaignTarget,
    reason: (r) => r.reason,
    example: { campaignId: 999, lineId: 999, reason: 'moved to the finance department' },
  }),
  // The campaign printed (PDF, to sign and file) or for a spreadsheet (CSV).
  'access.reviewExport': command({
    request: z.strictObject({ campaignId: id, format: z.enum(['pdf', 'csv']), language, separator: z.enum(CSV_SEPARATORS).optional() }),
    response: z.strictObject({ fileName: z.string(), downloadUrl: z.string(), expiresAtMs: z.number(), rows: z.number().int() }),
    access: review,
    audit: { when: 'before' },
    scope: siteWide,
    target: campaignTarget,
    example: { campaignId: 999, format: 'csv', language: 'en' },
  }),
} as const;
