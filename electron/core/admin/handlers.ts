// Administration: users, camera groups and security settings (docs/design/sign-in-and-sessions.md).
// Every change of a user's role or groups goes through the register of authorised persons
// (access/grants-service.ts; docs/design/authorised-persons.md): a grant that reaches footage waits
// for a second person and parks the account until then. Such a grant also raises an alarm that
// supervisors and the auditor see, naming who asked for it (alarms-service.ts).
import type { ADMIN_COMMANDS } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import { approverRoles, roleReachesFootage, type Role } from '../../../shared/roles';
import type { AccessGrantsService, ChangeOutcome, RightsChange } from '../access/grants-service';
import type { AlarmsService } from '../alarms/alarms-service';
import { endSession, passwordProblem } from '../auth/handlers';
import { hashPassword } from '../auth/passwords';
import type { SessionRegistry } from '../auth/sessions';
import type { SignInThrottle } from '../auth/throttle';
import { userRole, type UserRow, type UsersService } from '../auth/users-service';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { requireSession, type HandlerContext, type HandlersOf } from '../dispatcher';
import type { GroupsService } from './groups-service';
import type { SettingsService } from './settings-service';

export interface AdminDeps {
  users: UsersService;
  groups: GroupsService;
  settings: SettingsService;
  sessions: SessionRegistry;
  throttle: SignInThrottle;
  cameras: CamerasService;
  alarms: AlarmsService;
  clock: Clock;
  grants: AccessGrantsService;
}

type GrantChange = 'created' | 'role_changed' | 'groups_changed' | 'reactivated';

export function createAdminHandlers(d: AdminDeps): HandlersOf<typeof ADMIN_COMMANDS> {
  const { users, groups, settings, sessions, throttle, clock, grants } = d;

  const userViewOr404 = async (row: UserRow | undefined) => (row ? ok(await users.view(row)) : fail('NotFound', 'No such user.'));
  const groupsExist = async (ids: readonly number[]) => {
    const found = await groups.existingIds(ids);
    const missing = ids.filter((g) => !found.has(g));
    return missing.length ? fail('NotFound', `No camera group with id ${missing.join(', ')}.`) : null;
  };
  /** An account that now reaches footage: supervisors and the auditor must see who gave it. */
  const footageGranted = async (ctx: HandlerContext, change: GrantChange, user: { username: string; role: Role }, groupCount: number) => {
    if (!roleReachesFootage(user.role)) return;
    const actor = requireSession(ctx).username;
    await d.alarms.raiseEvent(
      'access.footage_granted',
      'warning',
      `${actor} asked for access to footage for the account ${user.username} as ${user.role} (${change}, ${groupCount} camera group(s)); it takes effect once a second person approves it.`,
      { actor, username: user.username, role: user.role, change, groups: groupCount },
    );
  };

  /**
   * Applies a change of rights through the register. When the account is parked by it (a change
   * of job waits for approval), its open sessions end: they held the old rights (KRK §5.4.5).
   */
  const changeRights = async (ctx: HandlerContext, c: Omit<RightsChange, 'by'>, why: string): Promise<Extract<ChangeOutcome, { ok: true }> | ReturnType<typeof fail>> => {
    const outcome = await grants.change({ ...c, by: requireSession(ctx).username });
    if (!outcome.ok) return fail(outcome.kind, outcome.message);
    if (outcome.changed) {
      d.cameras.visibilityChanged();
      if (outcome.parked) for (const s of sessions.forUser(c.userId)) await endSession(sessions, ctx, s, `${why} by ${ctx.session?.username}: waits for approval`);
    }
    return outcome;
  };
  /** A grant waiting for a second person needs its basis: refused before anything is written. */
  const basisMissing = (role: Role, basis: string | undefined) =>
    grants.needsApproval(role) && basis === undefined ? fail('InvalidArgument', 'A grant that reaches footage needs its basis: an authorisation number or a document reference.', ['basis: required']) : null;
  /** The site keeps at least one account that may approve grants (otherwise no one could be given footage again). */
  const lastApprover = async (row: UserRow, nextRole: Role | null) => {
    const approvers = approverRoles(settings.security.accessApprovers);
    if (!approvers.includes(userRole(row)) || row.active !== 1 || row.access_state !== 'granted') return null;
    if (nextRole !== null && approvers.includes(nextRole)) return null;
    return (await grants.activeApprovers(row.id)) === 0 ? fail('FailedPrecondition', 'This is the last active account that may approve grants of access: appoint another approver first.') : null;
  };
  const isFail = <T,>(x: T | ReturnType<typeof fail>): x is ReturnType<typeof fail> => typeof x === 'object' && x !== null && 'ok' in x && x.ok === false;

  return {
    'users.list': async (r) => ok({ users: await users.list(r.includeInactive) }),

    'users.create': async (r, ctx) => {
      if (await users.byUsername(r.username)) return fail('AlreadyExists', `The user name ${r.username} is taken.`);
      const bad = passwordProblem('initialPassword', r.initialPassword, r.username, r.displayName);
      if (bad) return bad;
      const missing = await groupsExist(r.groupIds);
      if (missing) return missing;
      const noBasis = basisMissing(r.role, r.basis);
      if (noBasis) return noBasis;
      if (r.validUntilMs != null && r.validUntilMs <= clock.nowMs()) return fail('InvalidArgument', 'A grant must be good until a time in the future.', ['validUntilMs: past']);
      const created = await users.create({
        username: r.username,
        displayName: r.displayName,
        role: r.role,
        language: r.language,
        passwordHash: await hashPassword(r.initialPassword),
        // The administrator knows this password; the user must replace it (JON 15.6).
        mustChangePassword: true,
        groupIds: [],
      });
      const outcome = await changeRights(ctx, { userId: created.id, role: r.role, groupIds: r.groupIds, change: 'created', basis: r.basis, validUntilMs: r.validUntilMs }, 'account created');
      if (isFail(outcome)) return outcome;
      await footageGranted(ctx, 'created', { username: created.username, role: r.role }, r.groupIds.length);
      return userViewOr404(await users.byId(created.id));
    },

    'users.update': async (r, ctx) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      if (row.role === 'administrator' && r.role !== 'administrator' && row.active === 1 && (await users.countActiveAdmins(row.id)) === 0) {
        return fail('FailedPrecondition', 'The last active administrator cannot lose that role.');
      }
      const lonely = row.role !== r.role ? await lastApprover(row, r.role) : null;
      if (lonely) return lonely;
      const roleChanged = row.role !== r.role;
      if (roleChanged) {
        const noBasis = basisMissing(r.role, r.basis);
        if (noBasis) return noBasis;
      }
      // The rights first: a refused change writes nothing, the name neither.
      if (roleChanged || r.basis !== undefined || r.validUntilMs !== undefined) {
        const outcome = await changeRights(ctx, { userId: row.id, role: r.role, groupIds: await users.groupIds(row.id), change: roleChanged ? 'role_changed' : 'terms_changed', basis: r.basis, validUntilMs: r.validUntilMs }, 'role changed');
        if (isFail(outcome)) return outcome;
        if (roleChanged) {
          // A role change takes effect at once: open sessions of that user end (JON 15.3).
          for (const s of sessions.forUser(row.id)) await endSession(sessions, ctx, s, `role changed by ${ctx.session?.username}`);
          await footageGranted(ctx, 'role_changed', { username: row.username, role: r.role }, (await users.groupIds(row.id)).length);
        }
      }
      await users.update(row.id, { display_name: r.displayName, language: r.language });
      return userViewOr404(await users.byId(row.id));
    },

    'users.setGroups': async (r, ctx) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      const missing = await groupsExist(r.groupIds);
      if (missing) return missing;
      const before = new Set(await users.groupIds(row.id));
      const added = r.groupIds.some((g) => !before.has(g));
      if (added) {
        const noBasis = basisMissing(userRole(row), r.basis);
        if (noBasis) return noBasis;
      }
      const outcome = await changeRights(ctx, { userId: row.id, role: userRole(row), groupIds: r.groupIds, change: added ? 'groups_changed' : 'fewer_rights', basis: r.basis, validUntilMs: r.validUntilMs }, 'camera groups changed');
      if (isFail(outcome)) return outcome;
      if (added) await footageGranted(ctx, 'groups_changed', { username: row.username, role: userRole(row) }, r.groupIds.length);
      return userViewOr404(await users.byId(row.id));
    },

    'users.deactivate': async (r, ctx) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      if (row.active !== 1) return fail('FailedPrecondition', 'The user is already deactivated.');
      if (row.role === 'administrator' && (await users.countActiveAdmins(row.id)) === 0) {
        return fail('FailedPrecondition', 'The last active administrator cannot be deactivated.');
      }
      const lonely = await lastApprover(row, null);
      if (lonely) return lonely;
      const updated = await users.update(row.id, { active: 0, deactivated_at_ms: clock.nowMs() });
      await grants.endFor(row.id, 'deactivated', requireSession(ctx).username);
      for (const s of sessions.forUser(row.id)) await endSession(sessions, ctx, s, `user deactivated by ${ctx.session?.username}`);
      return userViewOr404(updated);
    },

    'users.reactivate': async (r, ctx) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      if (row.active === 1) return fail('FailedPrecondition', 'The user is already active.');
      const noBasis = basisMissing(userRole(row), r.basis);
      if (noBasis) return noBasis;
      await users.update(row.id, { active: 1, deactivated_at_ms: null });
      const outcome = await changeRights(ctx, { userId: row.id, role: userRole(row), groupIds: await users.groupIds(row.id), change: 'reactivated', basis: r.basis, validUntilMs: r.validUntilMs }, 'account reactivated');
      if (isFail(outcome)) return outcome;
      await footageGranted(ctx, 'reactivated', { username: row.username, role: userRole(row) }, (await users.groupIds(row.id)).length);
      return userViewOr404(await users.byId(row.id));
    },

    'users.resetPassword': async (r, ctx) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      const bad = passwordProblem('temporaryPassword', r.temporaryPassword, row.username, row.display_name);
      if (bad) return bad;
      // The password it replaces joins the earlier ones the user may not choose again (JON 15.6).
      // The temporary one is not checked against them: a refusal would tell the administrator
      // one of the user's earlier passwords. The user must choose a new one at sign-in anyway.
      const updated = await users.setPassword(row.id, await hashPassword(r.temporaryPassword), true, settings.security.passwordHistory);
      await throttle.reset(row.username);
      for (const s of sessions.forUser(row.id)) {
        if (s.connectionId !== ctx.connection.id) await endSession(sessions, ctx, s, `password reset by ${ctx.session?.username}`);
      }
      return userViewOr404(updated);
    },

    'groups.list': async () => ok({ groups: await groups.list() }),

    'groups.create': async (r) => {
      if (await groups.nameTaken(r.name)) return fail('AlreadyExists', `A camera group named ${r.name} exists.`);
      const id = await groups.create(r.name, r.description);
      const g = await groups.get(id);
      return g ? ok(g) : fail('Internal', 'The group vanished after it was created.');
    },

    'groups.update': async (r) => {
      if (await groups.nameTaken(r.name, r.groupId)) return fail('AlreadyExists', `A camera group named ${r.name} exists.`);
      if (!(await groups.update(r.groupId, r.name, r.description))) return fail('NotFound', 'No such camera group.');
      const g = await groups.get(r.groupId);
      return g ? ok(g) : fail('NotFound', 'No such camera group.');
    },

    'groups.delete': async (r) => {
      const inUse = await d.cameras.countInGroup(r.groupId);
      if (inUse > 0) return fail('FailedPrecondition', `The group still has ${inUse} camera(s); move them to another group first.`);
      return (await groups.delete(r.groupId)) ? ok({ done: true as const }) : fail('NotFound', 'No such camera group.');
    },

    'settings.getSecurity': async () => ok(settings.security),

    'settings.updateSecurity': async (r) => {
      // Narrowing who approves grants must leave someone who can (docs/design/authorised-persons.md).
      if (r.accessApprovers !== settings.security.accessApprovers && (await grants.activeApprovers(undefined, r.accessApprovers)) === 0) {
        return fail('FailedPrecondition', 'No active account of that role may approve grants yet: appoint one first.', ['accessApprovers: none']);
      }
      return ok(await settings.updateSecurity(r));
    },
  };
}
