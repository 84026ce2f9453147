// Administration: users, camera groups and security settings (docs/design/sign-in-and-sessions.md;
// JON 15.3 least privilege, JON 15.6 passwords, KRK §5.4.1 authorised persons).
import { z } from 'zod';
import { LANGUAGES } from '../i18n-languages';
import { ACCESS_APPROVERS, ROLES } from '../roles';
import { ACCESS_STATES, grantTerms } from './access';
import { command } from './define';
import { done, empty, id, language, longText, newUsername, password, role, text } from './fields';

export const userView = z.strictObject({
  id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  language: z.enum(LANGUAGES),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  commitmentAcceptedAtMs: z.number().nullable(),
  createdAtMs: z.number(),
  deactivatedAtMs: z.number().nullable(),
  groupIds: z.array(id),
  /** Whether the role and groups above are in force (docs/design/authorised-persons.md): a grant
   *  waiting for a second person, refused or run out leaves the account with no rights at all. */
  accessState: z.enum(ACCESS_STATES),
  /** Until when the grant in force (or waiting) is good; null: open-ended. */
  accessValidUntilMs: z.number().nullable(),
});
export type UserView = z.infer<typeof userView>;

export const groupView = z.strictObject({
  id,
  name: z.string(),
  description: z.string(),
  createdAtMs: z.number(),
  memberCount: z.number().int(),
});
export type GroupView = z.infer<typeof groupView>;

export const securitySettings = z.strictObject({
  /** BRN 33.3: lock the console after this many minutes without input. */
  idleLockMinutes: z.number().int().min(1).max(240),
  /** JON 15.6: wrong passwords before the account is locked. */
  lockoutThreshold: z.number().int().min(3).max(20),
  lockoutMinutes: z.number().int().min(1).max(1440),
  /** R7: how long a lift of liftable privacy masks lasts at most (settings saved before: 5). */
  maskLiftMinutes: z.number().int().min(1).max(60).default(5),
  /** R7: a lift needs a second person's password at the same seat. */
  maskLiftSecondPerson: z.boolean().default(false),
  /** JON 15.6 ("passwords ... are changed"): days a password is good for before the next sign-in
   *  must choose a new one; 0: never expires. The clause sets no figure; 90 days is the usual
   *  figure of public bodies' security policies (settings saved before: 90). */
  passwordMaxAgeDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .refine((days) => days === 0 || days >= 30, 'Either 0 (never expires) or 30 to 365 days.')
    .default(90),
  /** JON 15.6 ("passwords ... must be unique"): how many earlier passwords of the same person may
   *  not be chosen again, besides the current one; 0: only the current one (settings saved before: 5). */
  passwordHistory: z.number().int().min(0).max(24).default(5),
  /** KRK §5.4.5: who approves, as the second person, a grant that reaches footage or makes an
   *  approver (settings saved before: supervisors or the auditor). */
  accessApprovers: z.enum(ACCESS_APPROVERS).default('supervisor_or_auditor'),
  /** BRN art. 34(1)(ii), JON 15.3: months between periodic access reviews (settings saved before: 6;
   *  docs/design/access-review.md). */
  accessReviewMonths: z.number().int().min(1).max(24).default(6),
});
export type SecuritySettings = z.infer<typeof securitySettings>;

const userTarget = (r: { userId: number }) => `user#${r.userId}`;
const manageUsers = { kind: 'permission', permission: 'users.manage' } as const;

export const ADMIN_COMMANDS = {
  'users.list': command({
    request: z.strictObject({ includeInactive: z.boolean() }),
    response: z.strictObject({ users: z.array(userView) }),
    access: manageUsers,
    audit: { when: 'before' },
    example: { includeInactive: true },
  }),
  'users.create': command({
    request: z.strictObject({
      username: newUsername,
      displayName: text(100),
      role,
      language,
      initialPassword: password,
      groupIds: z.array(id).max(500),
      ...grantTerms,
    }),
    response: userView,
    access: manageUsers,
    audit: { when: 'before' },
    target: (r) => `user:${r.username}`,
    example: { username: 'new.user', displayName: 'New User', role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [] },
  }),
  'users.update': command({
    request: z.strictObject({ userId: id, displayName: text(100), role, language, ...grantTerms }),
    response: userView,
    access: manageUsers,
    audit: { when: 'before' },
    target: userTarget,
    example: { userId: 999, displayName: 'X', role: 'guard', language: 'en' },
  }),
  'users.setGroups': command({
    request: z.strictObject({ userId: id, groupIds: z.array(id).max(500), ...grantTerms }),
    response: userView,
    access: manageUsers,
    audit: { when: 'before' },
    target: userTarget,
    example: { userId: 999, groupIds: [] },
  }),
  'users.deactivate': command({
    request: z.strictObject({ userId: id, reason: longText(500, 5) }),
    response: userView,
    access: manageUsers,
    audit: { when: 'before' },
    target: userTarget,
    example: { userId: 999, reason: 'left the job' },
  }),
  // Coming back is a new grant: it waits for a second person as any other (KRK §5.4.5).
  'users.reactivate': command({
    request: z.strictObject({ userId: id, reason: longText(500, 5), ...grantTerms }),
    response: userView,
    access: manageUsers,
    audit: { when: 'before' },
    target: userTarget,
    example: { userId: 999, reason: 'came back', basis: 'order 12/2026' },
  }),
  'users.resetPassword': command({
    request: z.strictObject({ userId: id, temporaryPassword: password }),
    response: userView,
    access: manageUsers,
    audit: { when: 'before' },
    target: userTarget,
    example: { userId: 999, temporaryPassword: 'Temporary-Pass-2027' },
  }),
  'groups.list': command({
    request: empty,
    response: z.strictObject({ groups: z.array(groupView) }),
    access: { kind: 'permission', permission: 'groups.manage' },
    audit: { when: 'never', why: 'group names and counts carry no personal data' },
    example: {},
  }),
  'groups.create': command({
    request: z.strictObject({ name: text(80), description: longText(500, 0) }),
    response: groupView,
    access: { kind: 'permission', permission: 'groups.manage' },
    audit: { when: 'before' },
    target: (r) => `group:${r.name}`,
    example: { name: 'Matrix group', description: '' },
  }),
  'groups.update': command({
    request: z.strictObject({ groupId: id, name: text(80), description: longText(500, 0) }),
    response: groupView,
    access: { kind: 'permission', permission: 'groups.manage' },
    audit: { when: 'before' },
    target: (r) => `group#${r.groupId}`,
    example: { groupId: 999, name: 'Renamed', description: '' },
  }),
  'groups.delete': command({
    request: z.strictObject({ groupId: id }),
    response: done,
    access: { kind: 'permission', permission: 'groups.manage' },
    audit: { when: 'before' },
    target: (r) => `group#${r.groupId}`,
    example: { groupId: 999 },
  }),
  'settings.getSecurity': command({
    request: empty,
    response: securitySettings,
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: { when: 'never', why: 'reads configuration, no personal data' },
    example: {},
  }),
  'settings.updateSecurity': command({
    request: securitySettings,
    response: securitySettings,
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: { when: 'before' },
    target: () => 'settings:security',
    example: { idleLockMinutes: 10, lockoutThreshold: 5, lockoutMinutes: 15 },
  }),
} as const;
