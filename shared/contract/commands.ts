// Every command of the console. Types come from these schemas (z.infer); nothing is mirrored by hand.
import { z } from 'zod';
import { ERROR_KINDS } from '../result';
import { PERMISSIONS, ROLES } from '../roles';
import { LANGUAGES } from '../i18n-languages';
import { command } from './define';
import { RECORDING_COMMANDS } from './recording-commands';
import { PLAYBACK_COMMANDS } from './playback-commands';
import { INCIDENT_COMMANDS } from './incident-commands';
import { EXPORT_COMMANDS } from './export-commands';
import { AREA_TYPE_IDS, STREAM_KINDS, TILE_STATES, WALL_LAYOUTS } from '../cameras';
import { epochMs, id, language, longText, password, role, text, username } from './fields';

const empty = z.strictObject({});
const done = z.strictObject({ done: z.literal(true) });

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
});
export type UserView = z.infer<typeof userView>;

export const sessionView = z.strictObject({
  user: z.strictObject({
    id,
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    language: z.enum(LANGUAGES),
  }),
  permissions: z.array(z.enum(PERMISSIONS)),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  commitmentPending: z.boolean(),
  idleLockMinutes: z.number(),
  signedInAtMs: z.number(),
});
export type SessionView = z.infer<typeof sessionView>;

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
});
export type SecuritySettings = z.infer<typeof securitySettings>;

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
});
export type AuditVerifyReport = z.infer<typeof auditVerifyReport>;

const cameraUrl = z
  .string()
  .max(2048)
  .transform((s) => s.trim())
  .pipe(z.string().regex(/^rtsps?:\/\/\S+$/i, 'must be an rtsp:// or rtsps:// URL'));
const onvifXaddr = z
  .string()
  .max(2048)
  .transform((s) => s.trim())
  .pipe(z.string().regex(/^https?:\/\/\S+$/i, 'must be an http:// or https:// ONVIF device address'));
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const cameraUsername = z.string().max(128).refine((s) => !/[\u0000-\u001f]/.test(s), 'contains control characters');
const cameraPassword = z.string().max(256);

export const streamStatusView = z.strictObject({
  state: z.enum(TILE_STATES),
  detail: z.string().nullable(),
  transcoding: z.boolean(),
  sinceMs: z.number(),
});
export type StreamStatusView = z.infer<typeof streamStatusView>;

export const cameraView = z.strictObject({
  id,
  name: z.string(),
  site: z.string(),
  groupId: id,
  groupName: z.string(),
  purpose: z.string(),
  /** Null when the location is confidential and the role may not see it (ELB 1.9). */
  location: z.string().nullable(),
  hasSubStream: z.boolean(),
  enabled: z.boolean(),
  main: streamStatusView,
  sub: streamStatusView.nullable(),
});
export type CameraView = z.infer<typeof cameraView>;

export const cameraSettings = z.strictObject({
  name: text(100),
  site: text(100),
  groupId: id,
  /** KRK §6.1: every camera has a defined purpose. */
  purpose: longText(500, 5),
  areaType: z.enum(AREA_TYPE_IDS as [string, ...string[]]),
  retentionDays: z.number().int().min(1).max(3650),
  /** Required when retention is longer than the area type's preset. */
  retentionReason: longText(500, 5).nullable(),
  location: longText(300, 0),
  locationConfidential: z.boolean(),
});
export type CameraSettings = z.infer<typeof cameraSettings>;

export const cameraSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('onvif'), xaddr: onvifXaddr, mainProfile: text(64), subProfile: text(64).nullable() }),
  z.strictObject({ kind: z.literal('rtsp'), mainUrl: cameraUrl, subUrl: cameraUrl.nullable() }),
]);

export const cameraAdminView = z.strictObject({
  ...cameraView.shape,
  location: z.string(),
  locationConfidential: z.boolean(),
  areaType: z.string(),
  retentionDays: z.number().int(),
  retentionReason: z.string().nullable(),
  audioEnabled: z.boolean(),
  source: z.strictObject({
    kind: z.enum(['onvif', 'rtsp']),
    xaddr: z.string().nullable(),
    mainProfile: z.string().nullable(),
    subProfile: z.string().nullable(),
    /** Without credentials, always. */
    mainUrl: z.string(),
    subUrl: z.string().nullable(),
  }),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  createdAtMs: z.number(),
});
export type CameraAdminView = z.infer<typeof cameraAdminView>;

export const onvifProfileView = z.strictObject({
  token: z.string(),
  name: z.string(),
  encoding: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** Without credentials. */
  rtspUrl: z.string().nullable(),
});

export const wallView = z.strictObject({
  name: z.string(),
  layout: z.union(WALL_LAYOUTS.map((n) => z.literal(n)) as unknown as [z.ZodLiteral<1>, z.ZodLiteral<4>, z.ZodLiteral<9>, z.ZodLiteral<16>]),
  /** Camera id per tile, null for an empty tile; length = layout. */
  tiles: z.array(id.nullable()).max(16),
  updatedAtMs: z.number(),
});
export type WallView = z.infer<typeof wallView>;

export const COMMANDS = {
  'setup.status': command({
    name: 'setup.status',
    request: empty,
    response: z.strictObject({ needsSetup: z.boolean() }),
    access: { kind: 'public' },
    audit: { when: 'never', why: 'tells only whether an administrator exists yet' },
  }),
  'setup.createAdmin': command({
    name: 'setup.createAdmin',
    request: z.strictObject({ username, displayName: text(100), password }),
    response: done,
    access: { kind: 'public' },
    audit: { when: 'after' },
    target: (r) => `user:${r.username}`,
  }),
  'auth.signIn': command({
    name: 'auth.signIn',
    request: z.strictObject({ username, password }),
    response: sessionView,
    access: { kind: 'public' },
    audit: { when: 'after' },
    target: (r) => `user:${r.username}`,
  }),
  'auth.signOut': command({
    name: 'auth.signOut',
    request: empty,
    response: done,
    access: { kind: 'session', alsoWhen: ['locked', 'mustChangePassword', 'commitmentPending'] },
    audit: { when: 'before' },
  }),
  'auth.changePassword': command({
    name: 'auth.changePassword',
    request: z.strictObject({ currentPassword: password, newPassword: password }),
    response: sessionView,
    access: { kind: 'session', alsoWhen: ['mustChangePassword', 'commitmentPending'] },
    audit: { when: 'before' },
  }),
  'session.status': command({
    name: 'session.status',
    request: empty,
    response: z.discriminatedUnion('signedIn', [
      z.strictObject({ signedIn: z.literal(false) }),
      z.strictObject({ signedIn: z.literal(true), session: sessionView }),
    ]),
    access: { kind: 'public' },
    audit: { when: 'never', why: 'polled by the console; returns only the caller’s own session' },
  }),
  'session.activity': command({
    name: 'session.activity',
    request: z.strictObject({ input: z.boolean() }),
    response: z.strictObject({ locked: z.boolean() }),
    access: { kind: 'session', alsoWhen: ['locked', 'mustChangePassword', 'commitmentPending'] },
    audit: { when: 'never', why: 'heartbeat for the idle lock; the lock itself is audited' },
  }),
  'session.lock': command({
    name: 'session.lock',
    request: empty,
    response: done,
    access: { kind: 'session', alsoWhen: ['mustChangePassword', 'commitmentPending'] },
    audit: { when: 'before' },
  }),
  'session.unlock': command({
    name: 'session.unlock',
    request: z.strictObject({ password }),
    response: sessionView,
    access: { kind: 'session', alsoWhen: ['locked', 'mustChangePassword', 'commitmentPending'] },
    audit: { when: 'after' },
  }),
  'commitment.get': command({
    name: 'commitment.get',
    request: z.strictObject({ language }),
    response: z.strictObject({ version: z.string(), title: z.string(), body: z.string() }),
    access: { kind: 'session', alsoWhen: ['commitmentPending'] },
    audit: { when: 'never', why: 'reads the fixed text of the commitment' },
  }),
  'commitment.accept': command({
    name: 'commitment.accept',
    request: z.strictObject({ version: text(32) }),
    response: sessionView,
    access: { kind: 'session', alsoWhen: ['commitmentPending'] },
    audit: { when: 'before' },
  }),
  'me.setLanguage': command({
    name: 'me.setLanguage',
    request: z.strictObject({ language }),
    response: sessionView,
    access: { kind: 'session', alsoWhen: ['mustChangePassword', 'commitmentPending'] },
    audit: { when: 'before' },
  }),
  'users.list': command({
    name: 'users.list',
    request: z.strictObject({ includeInactive: z.boolean() }),
    response: z.strictObject({ users: z.array(userView) }),
    access: { kind: 'permission', permission: 'users.manage' },
    audit: { when: 'before' },
  }),
  'users.create': command({
    name: 'users.create',
    request: z.strictObject({
      username,
      displayName: text(100),
      role,
      language,
      initialPassword: password,
      groupIds: z.array(id).max(500),
    }),
    response: userView,
    access: { kind: 'permission', permission: 'users.manage' },
    audit: { when: 'before' },
    target: (r) => `user:${r.username}`,
  }),
  'users.update': command({
    name: 'users.update',
    request: z.strictObject({ userId: id, displayName: text(100), role, language }),
    response: userView,
    access: { kind: 'permission', permission: 'users.manage' },
    audit: { when: 'before' },
    target: (r) => `user#${r.userId}`,
  }),
  'users.setGroups': command({
    name: 'users.setGroups',
    request: z.strictObject({ userId: id, groupIds: z.array(id).max(500) }),
    response: userView,
    access: { kind: 'permission', permission: 'users.manage' },
    audit: { when: 'before' },
    target: (r) => `user#${r.userId}`,
  }),
  'users.deactivate': command({
    name: 'users.deactivate',
    request: z.strictObject({ userId: id, reason: longText(500, 5) }),
    response: userView,
    access: { kind: 'permission', permission: 'users.manage' },
    audit: { when: 'before' },
    target: (r) => `user#${r.userId}`,
  }),
  'users.reactivate': command({
    name: 'users.reactivate',
    request: z.strictObject({ userId: id, reason: longText(500, 5) }),
    response: userView,
    access: { kind: 'permission', permission: 'users.manage' },
    audit: { when: 'before' },
    target: (r) => `user#${r.userId}`,
  }),
  'users.resetPassword': command({
    name: 'users.resetPassword',
    request: z.strictObject({ userId: id, temporaryPassword: password }),
    response: userView,
    access: { kind: 'permission', permission: 'users.manage' },
    audit: { when: 'before' },
    target: (r) => `user#${r.userId}`,
  }),
  'groups.list': command({
    name: 'groups.list',
    request: empty,
    response: z.strictObject({ groups: z.array(groupView) }),
    access: { kind: 'permission', permission: 'groups.manage' },
    audit: { when: 'never', why: 'group names and counts carry no personal data' },
  }),
  'groups.create': command({
    name: 'groups.create',
    request: z.strictObject({ name: text(80), description: longText(500, 0) }),
    response: groupView,
    access: { kind: 'permission', permission: 'groups.manage' },
    audit: { when: 'before' },
    target: (r) => `group:${r.name}`,
  }),
  'groups.update': command({
    name: 'groups.update',
    request: z.strictObject({ groupId: id, name: text(80), description: longText(500, 0) }),
    response: groupView,
    access: { kind: 'permission', permission: 'groups.manage' },
    audit: { when: 'before' },
    target: (r) => `group#${r.groupId}`,
  }),
  'groups.delete': command({
    name: 'groups.delete',
    request: z.strictObject({ groupId: id }),
    response: done,
    access: { kind: 'permission', permission: 'groups.manage' },
    audit: { when: 'before' },
    target: (r) => `group#${r.groupId}`,
  }),
  'settings.getSecurity': command({
    name: 'settings.getSecurity',
    request: empty,
    response: securitySettings,
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: { when: 'never', why: 'reads configuration, no personal data' },
  }),
  'settings.updateSecurity': command({
    name: 'settings.updateSecurity',
    request: securitySettings,
    response: securitySettings,
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: { when: 'before' },
    target: () => 'settings:security',
  }),
  'audit.query': command({
    name: 'audit.query',
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
    target: () => 'audit-log',
  }),
  'audit.exportCsv': command({
    name: 'audit.exportCsv',
    request: z.strictObject({ filter: auditFilter }),
    response: z.strictObject({ fileName: z.string(), csv: z.string(), rows: z.number().int(), truncated: z.boolean() }),
    access: { kind: 'permission', permission: 'audit.export' },
    audit: { when: 'before' },
    target: () => 'audit-log',
  }),
  'cameras.list': command({
    name: 'cameras.list',
    request: empty,
    response: z.strictObject({ cameras: z.array(cameraView) }),
    access: { kind: 'permission', permission: 'live.view' },
    audit: { when: 'never', why: 'lists the cameras the caller may watch; watching is audited' },
  }),
  'cameras.adminList': command({
    name: 'cameras.adminList',
    request: empty,
    response: z.strictObject({ cameras: z.array(cameraAdminView) }),
    access: { kind: 'permission', permission: 'cameras.manage' },
    audit: { when: 'never', why: 'configuration only; changes are audited' },
  }),
  'cameras.discover': command({
    name: 'cameras.discover',
    request: empty,
    response: z.strictObject({
      devices: z.array(z.strictObject({ xaddr: z.string(), name: z.string(), hardware: z.string(), alreadyAdded: z.boolean() })),
    }),
    access: { kind: 'permission', permission: 'cameras.manage' },
    audit: { when: 'before' },
    target: () => 'network',
  }),
  'cameras.probe': command({
    name: 'cameras.probe',
    request: z.strictObject({ xaddr: onvifXaddr, username: cameraUsername, password: cameraPassword }),
    response: z.strictObject({
      manufacturer: z.string(),
      model: z.string(),
      profiles: z.array(onvifProfileView),
    }),
    access: { kind: 'permission', permission: 'cameras.manage' },
    audit: { when: 'before' },
    target: (r) => `onvif:${r.xaddr}`,
  }),
  'cameras.add': command({
    name: 'cameras.add',
    request: z.strictObject({
      settings: cameraSettings,
      source: cameraSource,
      username: cameraUsername.nullable(),
      password: cameraPassword.nullable(),
    }),
    response: cameraAdminView,
    access: { kind: 'permission', permission: 'cameras.manage' },
    audit: { when: 'before' },
    target: (r) => `camera:${r.settings.name}`,
  }),
  'cameras.update': command({
    name: 'cameras.update',
    request: z.strictObject({
      cameraId: id,
      settings: cameraSettings,
      source: cameraSource,
      username: cameraUsername.nullable(),
      /** null keeps the stored password; a string replaces it ('' removes it). */
      password: cameraPassword.nullable(),
    }),
    response: cameraAdminView,
    access: { kind: 'permission', permission: 'cameras.manage' },
    audit: { when: 'before' },
    target: (r) => `camera#${r.cameraId}`,
  }),
  'cameras.setEnabled': command({
    name: 'cameras.setEnabled',
    request: z.strictObject({ cameraId: id, enabled: z.boolean(), reason: longText(500, 5) }),
    response: cameraAdminView,
    access: { kind: 'permission', permission: 'cameras.manage' },
    audit: { when: 'before' },
    target: (r) => `camera#${r.cameraId}`,
  }),
  'live.open': command({
    name: 'live.open',
    request: z.strictObject({ cameraId: id, stream: z.enum(STREAM_KINDS) }),
    response: z.strictObject({ viewId: z.string(), url: z.string(), stream: z.enum(STREAM_KINDS) }),
    access: { kind: 'permission', permission: 'live.view' },
    // ELB 1.6: who watched which camera; the end of the view is audited with its duration.
    audit: { when: 'before' },
    target: (r) => `camera#${r.cameraId}`,
  }),
  'live.close': command({
    name: 'live.close',
    request: z.strictObject({ viewId: text(64) }),
    response: done,
    access: { kind: 'permission', permission: 'live.view' },
    audit: { when: 'never', why: 'the view’s end is audited as live.view.ended with its duration' },
  }),
  'live.status': command({
    name: 'live.status',
    request: z.strictObject({ viewIds: z.array(text(64)).max(32) }),
    response: z.strictObject({
      cameras: z.array(z.strictObject({ cameraId: id, main: streamStatusView, sub: streamStatusView.nullable() })),
      /** Views that still exist (a view ends when its token expires or the camera becomes invisible). */
      openViewIds: z.array(z.string()),
    }),
    access: { kind: 'permission', permission: 'live.view' },
    audit: { when: 'never', why: 'polled by the wall for tile states; carries no footage' },
  }),
  'walls.list': command({
    name: 'walls.list',
    request: empty,
    response: z.strictObject({ walls: z.array(wallView) }),
    access: { kind: 'permission', permission: 'live.view' },
    audit: { when: 'never', why: 'the caller’s own tile arrangement' },
  }),
  'walls.save': command({
    name: 'walls.save',
    request: z.strictObject({ name: text(60), layout: wallView.shape.layout, tiles: z.array(id.nullable()).max(16) }),
    response: wallView,
    access: { kind: 'permission', permission: 'live.view' },
    audit: { when: 'never', why: 'the caller’s own tile arrangement; opening a camera is audited' },
  }),
  'audit.verify': command({
    name: 'audit.verify',
    request: empty,
    response: auditVerifyReport,
    access: { kind: 'permission', permission: 'audit.verify' },
    audit: { when: 'before' },
    target: () => 'audit-log',
  }),
  ...RECORDING_COMMANDS,
  ...PLAYBACK_COMMANDS,
  ...INCIDENT_COMMANDS,
  ...EXPORT_COMMANDS,
} as const;

export type Commands = typeof COMMANDS;
export type CommandName = keyof Commands;
export type RequestOf<N extends CommandName> = z.input<Commands[N]['request']>;
export type ParsedRequestOf<N extends CommandName> = z.output<Commands[N]['request']>;
export type ResponseOf<N extends CommandName> = z.output<Commands[N]['response']>;

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMANDS, name);
}

export { ERROR_KINDS };
