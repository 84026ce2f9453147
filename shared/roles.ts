// Roles and the permission matrix (docs/design/overview.md §6). The core checks these (R5); the renderer only uses
// them to hide what a role may not use.
export const ROLES = ['guard', 'reviewer', 'supervisor', 'administrator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'live.view',
  'playback.view',
  'incidents.read',
  'incidents.create',
  'incidents.edit',
  'incidents.manage',
  'holds.read',
  'holds.place',
  'holds.release',
  'exports.read',
  'exports.request',
  'exports.approve',
  'users.manage',
  'groups.manage',
  'cameras.manage',
  /** See a camera's location when it is marked confidential (ELB 1.9). */
  'cameras.location',
  'retention.manage',
  /** Recording status, storage figures and storage alarms. */
  'storage.view',
  'settings.manage',
  'audit.read',
  'audit.verify',
  'audit.export',
  /** Read every record tied to cameras (holds, incidents, export requests), whatever the caller's
   *  camera groups: supervisors (who decide on them) and auditors (who check them). Footage itself
   *  still follows camera groups (docs/design/overview.md §6). */
  'records.readAll',
  /** Publish walls for a room's seats (supervisors). */
  'walls.publish',
  /** Lift a camera's liftable privacy masks for a while, with a reason (supervisors; R7). */
  'masks.lift',
  /** Read the breach register (JON 21-23): supervisors (the queue) and auditors (the data protection officer). */
  'breaches.read',
  /** Assess a breach, record its notifications and close it: the data protection officer (auditor role). */
  'breaches.assess',
  /** Run the periodic access review: confirm or revoke each account's role and camera groups
   *  (BRN art. 34(1)(ii), JON 15.3; docs/design/access-review.md): supervisors and the auditor. */
  'access.review',
  /** Read the register of authorised persons: every grant of rights, its basis and who approved it
   *  (KRK §5.4.1, §5.4.4; docs/design/authorised-persons.md). */
  'access.read',
  /** Approve or refuse a grant of rights as the second person (KRK §5.4.5): supervisors and the
   *  auditor, narrowed by securitySettings.accessApprovers. */
  'access.approve',
  /** Read the register of data-subject requests (BRN art. 15-17; JON 17-20): supervisors and auditors. */
  'subjects.read',
  /** Record data-subject requests, their identity check, extension, decision, answer, links and viewings:
   *  the data protection officer (auditor role) and supervisors. */
  'subjects.manage',
  /** Steer a pan-tilt-zoom camera one sees: move, stop, go to presets and home, one person at a time
   *  (docs/design/ptz.md): guards, reviewers, supervisors. */
  'ptz.control',
  /** Save and remove a PTZ camera's presets, set its home and where it returns when left alone: supervisors. */
  'ptz.presets',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** A reviewer's permissions (authorised staff): every supervisor has them too. */
const REVIEWER: readonly Permission[] = ['live.view', 'playback.view', 'incidents.read', 'incidents.create', 'incidents.edit', 'holds.read', 'holds.place', 'exports.read', 'exports.request', 'ptz.control'];

/**
 * Default grants. Administrators manage the system but see no footage (separation of duties);
 * auditors read everything that is a record, and no footage (docs/design/overview.md §6, JON 15.3 least privilege).
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  guard: ['live.view', 'incidents.create', 'ptz.control'],
  reviewer: REVIEWER,
  supervisor: [...REVIEWER, 'incidents.manage', 'holds.release', 'exports.approve', 'cameras.location', 'storage.view', 'audit.read', 'records.readAll', 'walls.publish', 'masks.lift', 'breaches.read', 'access.review', 'access.read', 'access.approve', 'subjects.read', 'subjects.manage', 'ptz.presets'],
  administrator: ['users.manage', 'groups.manage', 'cameras.manage', 'cameras.location', 'retention.manage', 'storage.view', 'settings.manage', 'audit.read', 'access.read'],
  // storage.view: the deletion log (proof of erasure on time) lives on the storage page.
  auditor: ['incidents.read', 'holds.read', 'exports.read', 'storage.view', 'audit.read', 'audit.verify', 'audit.export', 'records.readAll', 'breaches.read', 'breaches.assess', 'access.review', 'access.read', 'access.approve', 'subjects.read', 'subjects.manage'],
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Navigation sections and the permission that makes each visible. */
export const SECTIONS = [
  { id: 'live', permission: 'live.view' },
  { id: 'playback', permission: 'playback.view' },
  { id: 'incidents', permission: 'incidents.read' },
  { id: 'holds', permission: 'holds.read' },
  { id: 'exports', permission: 'exports.read' },
  { id: 'breaches', permission: 'breaches.read' },
  { id: 'access', permission: 'access.read' },
  { id: 'subjects', permission: 'subjects.read' },
  { id: 'audit', permission: 'audit.read' },
  { id: 'accessReview', permission: 'access.review' },
  { id: 'admin', permission: 'users.manage' },
] as const satisfies readonly { id: string; permission: Permission }[];
export type SectionId = (typeof SECTIONS)[number]['id'];

export function sectionsFor(role: Role): SectionId[] {
  return SECTIONS.filter((s) => roleHas(role, s.permission)).map((s) => s.id);
}

/**
 * Permissions that reach footage or decide who receives it. Giving an account a role with any of
 * them is a grant a second person must approve before it takes effect (docs/design/authorised-persons.md;
 * KRK §5.4.5: administrators cannot give anyone access to footage alone); the engine also raises an
 * `access.footage_granted` alarm naming who asked for it.
 */
export const FOOTAGE_PERMISSIONS = ['live.view', 'playback.view', 'exports.approve'] as const satisfies readonly Permission[];

export function roleReachesFootage(role: Role): boolean {
  return FOOTAGE_PERMISSIONS.some((p) => roleHas(role, p));
}

/** Who may approve grants of rights as the second person (securitySettings.accessApprovers). */
export const ACCESS_APPROVERS = ['supervisor_or_auditor', 'supervisor', 'auditor'] as const;
export type AccessApprovers = (typeof ACCESS_APPROVERS)[number];

export function approverRoles(approvers: AccessApprovers): readonly Role[] {
  return approvers === 'supervisor_or_auditor' ? ['supervisor', 'auditor'] : [approvers];
}

/**
 * Whether a grant of this role waits for a second person (docs/design/authorised-persons.md): a
 * role that reaches footage, and a role that may approve grants itself (otherwise an administrator
 * could make an approver of their own and approve through it). Administrators see no footage.
 */
export function grantNeedsApproval(role: Role, approvers: AccessApprovers): boolean {
  return roleReachesFootage(role) || approverRoles(approvers).includes(role);
}

/** The permissions a session holds: none while its account's grant waits for approval, has been
 *  refused or has expired (parked: it may sign in, change its password and report a breach). */
export function sessionPermissions(role: Role, parked: boolean): readonly Permission[] {
  return parked ? [] : ROLE_PERMISSIONS[role];
}
