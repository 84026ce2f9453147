// The authorisation matrix (DESIGN §6, R5): every command x every role, against the matrix in
// shared/roles.ts, through the real dispatcher. A command added without a declared access rule, or
// without a sample here, fails this test (and the type check).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, COMMAND_NAMES, type CommandName, type RequestOf } from './index';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, roleHas, type Permission, type Role } from '../roles';
import { setUpAdmin, signInReady, startTestEngine, type Caller, type TestEngine } from '../../electron/core/test/harness';
import { DEFAULT_INCIDENT_CATEGORIES } from '../../electron/core/store/migrations';

/** DESIGN §6 written out independently of shared/roles.ts, so a change to either is noticed.
 *  (cameras.location and storage.view are not columns of DESIGN §6: ELB 1.9 confidential locations,
 *  and storage alarms, for the roles that manage or supervise.) */
const DESIGN_TABLE: Record<Role, Permission[]> = {
  guard: ['live.view', 'incidents.create'],
  reviewer: ['live.view', 'playback.view', 'incidents.read', 'incidents.create', 'incidents.edit', 'holds.read', 'holds.place', 'exports.read', 'exports.request'],
  supervisor: ['live.view', 'playback.view', 'incidents.read', 'incidents.create', 'incidents.edit', 'incidents.manage', 'holds.read', 'holds.place', 'holds.release', 'exports.read', 'exports.request', 'exports.approve', 'cameras.location', 'storage.view', 'audit.read'],
  administrator: ['users.manage', 'groups.manage', 'cameras.manage', 'cameras.location', 'retention.manage', 'storage.view', 'settings.manage', 'audit.read'],
  auditor: ['incidents.read', 'holds.read', 'exports.read', 'storage.view', 'audit.read', 'audit.verify', 'audit.export'],
};

/** Commands that need no permission, each reviewed: public ones run before sign-in. */
const PUBLIC: CommandName[] = ['setup.status', 'setup.createAdmin', 'auth.signIn', 'session.status'];
const ANY_SIGNED_IN: CommandName[] = [
  'auth.signOut', 'auth.changePassword', 'session.activity', 'session.lock', 'session.unlock', 'commitment.get', 'commitment.accept', 'me.setLanguage',
  // The configured names of incident categories (no personal data): every role's forms show them.
  'incidents.categories',
  // Ending one's own playback session needs no permission, and works at the lock screen (an idle
  // lock closes the playback screen): it only ever closes a grant of the caller's connection.
  'playback.close',
  // The site's country (whose calendar sets export deadlines) and the public key's fingerprint.
  'site.get',
];

/** A valid request for every command (typed: a missing command is a compile error). */
const SAMPLES: { [N in CommandName]: RequestOf<N> } = {
  'setup.status': {},
  'setup.createAdmin': { username: 'second.admin', displayName: 'Second', password: 'Another-Long-Secret-9' },
  'auth.signIn': { username: 'nobody.at.all', password: 'Wrong-Password-000' },
  'auth.signOut': {},
  'auth.changePassword': { currentPassword: 'wrong-current-pw', newPassword: 'Orchard-Violet-Moon-3' },
  'session.status': {},
  'session.activity': { input: false },
  'session.lock': {},
  'session.unlock': { password: 'wrong-password-here' },
  'commitment.get': { language: 'en' },
  'commitment.accept': { version: 'old-version' },
  'me.setLanguage': { language: 'en' },
  'users.list': { includeInactive: true },
  'users.create': { username: 'new.user', displayName: 'New User', role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [] },
  'users.update': { userId: 999, displayName: 'X', role: 'guard', language: 'en' },
  'users.setGroups': { userId: 999, groupIds: [] },
  'users.deactivate': { userId: 999, reason: 'left the job' },
  'users.reactivate': { userId: 999, reason: 'came back' },
  'users.resetPassword': { userId: 999, temporaryPassword: 'Temporary-Pass-2027' },
  'groups.list': {},
  'groups.create': { name: 'Matrix group', description: '' },
  'groups.update': { groupId: 999, name: 'Renamed', description: '' },
  'groups.delete': { groupId: 999 },
  'settings.getSecurity': {},
  'settings.updateSecurity': { idleLockMinutes: 10, lockoutThreshold: 5, lockoutMinutes: 15 },
  'audit.query': { filter: {}, limit: 5 },
  'audit.exportCsv': { filter: { action: 'users.' } },
  'audit.verify': {},
  'cameras.list': {},
  'cameras.adminList': {},
  'cameras.discover': {},
  'cameras.probe': { xaddr: 'http://127.0.0.1:9/onvif/device_service', username: 'admin', password: 'x' },
  'cameras.add': {
    settings: { name: 'Matrix cam', site: 'Nowhere', groupId: 999, purpose: 'matrix test', areaType: 'office', retentionDays: 3, retentionReason: null, location: '', locationConfidential: false },
    source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/none', subUrl: null },
    username: null,
    password: null,
  },
  'cameras.update': {
    cameraId: 999,
    settings: { name: 'Matrix cam', site: 'Nowhere', groupId: 999, purpose: 'matrix test', areaType: 'office', retentionDays: 3, retentionReason: null, location: '', locationConfidential: false },
    source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/none', subUrl: null },
    username: null,
    password: null,
  },
  'cameras.setEnabled': { cameraId: 999, enabled: false, reason: 'maintenance' },
  'live.open': { cameraId: 999, stream: 'sub' },
  'live.close': { viewId: 'no-such-view' },
  'live.status': { viewIds: [] },
  'walls.list': {},
  'walls.save': { name: 'Main wall', layout: 4, tiles: [null, null, null, null] },
  'recordings.status': {},
  'storage.status': {},
  'storage.update': { quotaBytes: 10 * 1024 ** 3, freeSpaceFloorBytes: 1024 ** 3, sweepIntervalMinutes: 5 },
  'recordings.delete': { cameraId: 999, fromMs: 1_000, toMs: 2_000, reason: 'clean-up of a test camera' },
  'recordings.deletionLog': { limit: 10 },
  'holds.list': {},
  'holds.place': { kind: 'legal', caseReference: 'RSD-1/26', legalBasis: 'Art. 217 KPK', requestingBody: 'Police', reason: 'possible evidence of theft', reviewDateMs: Date.UTC(2027, 0, 1), items: [{ cameraId: 999, fromMs: 1_000, toMs: 2_000 }] },
  'holds.extend': { holdId: 999, reviewDateMs: null, addItems: [], reason: 'proceedings continue' },
  'holds.release': { holdId: 999, reason: 'proceedings concluded' },
  'playback.open': { cameraIds: [999], fromMs: 1_000, toMs: 2_000, reason: { category: 'system_check', text: 'matrix test of access' } },
  'playback.coverage': { cameraIds: [999], fromMs: 1_000, toMs: 2_000, mergeGapMs: 0 },
  'playback.close': { playbackId: 'no-such-playback' },
  'incidents.categories': {},
  // The whole default list again, so the administrator's allowed call changes nothing.
  'incidents.saveCategories': { categories: DEFAULT_INCIDENT_CATEGORIES.map((c) => ({ ...c, active: true })) },
  'incidents.mark': { cameraId: 999, atMs: Date.UTC(2026, 10, 2, 8, 0, 0), category: 'theft', note: '' },
  'incidents.create': { cameraIds: [999], fromMs: 1_000, toMs: 2_000, category: 'theft', title: 'Matrix incident', note: '' },
  'incidents.list': { limit: 10 },
  'incidents.get': { incidentId: 999 },
  'incidents.addNote': { incidentId: 999, text: 'a note' },
  'incidents.close': { incidentId: 999, reason: 'resolved on site' },
  'incidents.reopen': { incidentId: 999, reason: 'new information came in' },
  'incidents.linkHold': { incidentId: 999, holdId: 999 },
  'audit.unlinkedViewing': { fromMs: 1_000, toMs: 2_000 },
  'exports.create': {
    bodyType: 'police',
    bodyName: 'Police',
    bodyReference: 'RSD-1/26',
    receivedAtMs: 1_000,
    purpose: 'footage of a theft at the entrance',
    legalBasis: 'Art. 217 KPK',
    urgent: false,
    recipient: 'Officer on duty',
    incidentId: null,
    items: [{ cameraId: 999, fromMs: 1_000, toMs: 2_000 }],
  },
  'exports.list': { limit: 10 },
  'exports.get': { exportId: 999 },
  'exports.decide': { exportId: 999, approve: true, reason: 'legal basis checked' },
  'exports.extendDeadline': { exportId: 999, months: 1, reason: 'many recordings to review' },
  'exports.produce': { exportId: 999, mode: 'copy', redactions: [] },
  'exports.cancel': { exportId: 999 },
  'exports.handover': { exportId: 999, receivedBy: 'Officer on duty', receivedAtMs: 1_000, medium: 'USB stick', note: '' },
  'site.get': {},
  // The default country again, so the administrator's allowed call changes nothing.
  'site.setCountry': { country: 'PL' },
};

describe('R5 authorisation matrix (every check in core)', () => {
  it('matches DESIGN §6', () => {
    for (const role of ROLES) expect([...ROLE_PERMISSIONS[role]].sort()).toEqual([...DESIGN_TABLE[role]].sort());
  });

  it('every command declares its access, and public/session access is reviewed', () => {
    for (const name of COMMAND_NAMES) {
      const access = COMMANDS[name].access;
      if (access.kind === 'permission') expect(PERMISSIONS).toContain(access.permission);
      else if (access.kind === 'public') expect(PUBLIC, `${name} is public`).toContain(name);
      else expect(ANY_SIGNED_IN, `${name} is open to every signed-in user`).toContain(name);
      expect(['before', 'after', 'never']).toContain(COMMANDS[name].audit.when);
    }
    expect(Object.keys(SAMPLES).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  let t: TestEngine;
  const callers = new Map<Role, Caller>();
  beforeAll(async () => {
    t = await startTestEngine();
    const admin = await setUpAdmin(t);
    callers.set('administrator', admin);
    for (const role of ROLES.filter((r) => r !== 'administrator')) {
      await admin.must('users.create', { username: `${role}.one`, displayName: `${role} one`, role, language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [] });
      callers.set(role, await signInReady(t, `${role}.one`, 'Temporary-Pass-2026'));
    }
  });
  afterAll(async () => {
    await t.dispose();
  });

  for (const name of COMMAND_NAMES) {
    it(`${name}: allowed exactly for the roles the matrix names`, async () => {
      const access = COMMANDS[name].access;
      for (const role of ROLES) {
        const caller = callers.get(role)!;
        // Commands that would end or lock the caller's session run on a fresh session of that role.
        const c = name === 'auth.signOut' || name === 'session.lock' ? await signInReady(t, `${role === 'administrator' ? 'admin.anna' : role + '.one'}`, role === 'administrator' ? 'Vistula-Lantern-48' : 'Temporary-Pass-2026-Renewed') : caller;
        const r = await c.call(name, SAMPLES[name] as never);
        // (auth.signIn answers Unauthenticated for the sample's wrong password: that is not a denial of access.)
        const denied = !r.ok && (r.error.kind === 'PermissionDenied' || (r.error.kind === 'Unauthenticated' && name !== 'auth.signIn'));
        const expectAllowed = access.kind !== 'permission' || roleHas(role, access.permission);
        expect(denied, `${name} as ${role}: ${r.ok ? 'ok' : r.error.kind + ' ' + r.error.message}`).toBe(!expectAllowed);
      }
      // Without a session, only public commands run.
      const anon = await t.connect().call(name, SAMPLES[name] as never);
      const anonDenied = !anon.ok && anon.error.kind === 'Unauthenticated' && name !== 'auth.signIn';
      expect(anonDenied, `${name} without a session`).toBe(access.kind !== 'public' && name !== 'session.status');
    });
  }

  it('denials are audited', async () => {
    const guard = callers.get('guard')!;
    await guard.call('audit.query', { filter: {}, limit: 1 });
    const admin = callers.get('administrator')!;
    const page = await admin.must('audit.query', { filter: { actor: 'guard.one', action: 'audit.query', outcome: 'denied' }, limit: 5 });
    expect(page.entries.length).toBeGreaterThan(0);
  });
});
