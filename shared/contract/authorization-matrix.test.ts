// The authorisation matrix (docs/design/overview.md §6, R5): every command x every role, against the
// matrix in shared/roles.ts, through the real dispatcher, with each command's own example request.
// A command added without a declared access rule fails this test; without an example, the type check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, COMMAND_NAMES, type CommandName } from './index';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, roleHas, type Permission, type Role } from '../roles';
import { approveGrant, setUpAdmin, signInReady, startTestEngine, TEST_BASIS, type Caller, type TestEngine } from '../../electron/core/testing/harness';

/** overview §6 written out independently of shared/roles.ts, so a change to either is noticed.
 *  (cameras.location, storage.view and records.readAll are not columns of the roles table: ELB 1.9
 *  confidential locations; storage alarms for the roles that manage or supervise; every camera-tied
 *  record for the roles that decide on records or check them; walls.publish, walls for a room's
 *  seats, for supervisors; masks.lift, lifting liftable privacy masks, for supervisors; ptz.control,
 *  steering PTZ cameras one sees, for guards, reviewers and supervisors, and ptz.presets, saving their
 *  presets, for supervisors: docs/design/ptz.md.) */
const DESIGN_TABLE: Record<Role, Permission[]> = {
  guard: ['live.view', 'incidents.create', 'ptz.control'],
  reviewer: ['live.view', 'playback.view', 'incidents.read', 'incidents.create', 'incidents.edit', 'holds.read', 'holds.place', 'exports.read', 'exports.request', 'ptz.control'],
  supervisor: ['live.view', 'playback.view', 'incidents.read', 'incidents.create', 'incidents.edit', 'incidents.manage', 'holds.read', 'holds.place', 'holds.release', 'exports.read', 'exports.request', 'exports.approve', 'cameras.location', 'storage.view', 'audit.read', 'records.readAll', 'walls.publish', 'masks.lift', 'breaches.read', 'access.read', 'access.approve', 'access.review', 'subjects.read', 'subjects.manage', 'ptz.control', 'ptz.presets'],
  administrator: ['users.manage', 'groups.manage', 'cameras.manage', 'cameras.location', 'retention.manage', 'storage.view', 'settings.manage', 'audit.read', 'access.read'],
  auditor: ['incidents.read', 'holds.read', 'exports.read', 'storage.view', 'audit.read', 'audit.verify', 'audit.export', 'records.readAll', 'breaches.read', 'breaches.assess', 'access.read', 'access.approve', 'access.review', 'subjects.read', 'subjects.manage'],
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
  // Alarms: which kinds a caller sees and may acknowledge follows each kind's own permission
  // (shared/contract/alarms.ts ALARM_KINDS), checked in core; alarms-service tests cover it.
  'alarms.list',
  'alarms.acknowledge',
  // Anyone signed in reports a suspected personal data breach in one step (JON 21); reading the
  // register needs breaches.read.
  'breaches.report',
];

describe('R5 authorisation matrix (every check in core)', () => {
  it('matches docs/design/overview.md §6', () => {
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
  });

  let t: TestEngine;
  const callers = new Map<Role, Caller>();
  beforeAll(async () => {
    t = await startTestEngine();
    const admin = await setUpAdmin(t);
    callers.set('administrator', admin);
    for (const role of ROLES.filter((r) => r !== 'administrator')) {
      await admin.must('users.create', { username: `${role}.one`, displayName: `${role} one`, role, language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [], basis: TEST_BASIS });
      await approveGrant(t, admin, `${role}.one`);
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
        const r = await c.call(name, COMMANDS[name].example as never);
        // (auth.signIn answers Unauthenticated for the sample's wrong password: that is not a denial of access.)
        const denied = !r.ok && (r.error.kind === 'PermissionDenied' || (r.error.kind === 'Unauthenticated' && name !== 'auth.signIn'));
        const expectAllowed = access.kind !== 'permission' || roleHas(role, access.permission);
        expect(denied, `${name} as ${role}: ${r.ok ? 'ok' : r.error.kind + ' ' + r.error.message}`).toBe(!expectAllowed);
      }
      // Without a session, only public commands run.
      const anon = await t.connect().call(name, COMMANDS[name].example as never);
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
