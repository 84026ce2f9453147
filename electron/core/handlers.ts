// Command handlers: the behaviour behind each command of the contract. The dispatcher has already
// parsed, authorised and (for `before` policies) audited the call when a handler runs.
import type { CommandName, SessionView } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditLog } from './audit/audit-log';
import { buildAuditCsv } from './audit/csv';
import { COMMITMENT_TEXT, COMMITMENT_VERSION } from './auth/commitment';
import { checkPasswordPolicy, describePasswordProblems, dummyPasswordHash, hashPassword, verifyPassword } from './auth/passwords';
import type { Session, SessionRegistry } from './auth/sessions';
import type { SignInThrottle } from './auth/throttle';
import { userLanguage, userRole, type UserRow, type UsersService } from './auth/users-service';
import type { GroupsService } from './admin/groups-service';
import type { SettingsService } from './admin/settings-service';
import type { Clock } from './clock';
import { requireSession, type HandlerContext, type Handlers } from './dispatcher';
import type { Store } from './store/db';
import type { AuditVerifyReport } from '../../shared/contract';
import type { CamerasService } from './cameras/cameras-service';

export interface HandlerDeps {
  users: UsersService;
  groups: GroupsService;
  settings: SettingsService;
  sessions: SessionRegistry;
  throttle: SignInThrottle;
  audit: AuditLog;
  clock: Clock;
  store: Store;
  verifyAudit: () => AuditVerifyReport;
  cameras: CamerasService;
}

type CameraCommand =
  | `cameras.${string}`
  | `live.${string}`
  | `walls.${string}`
  | `recordings.${string}`
  | `storage.${string}`
  | `holds.${string}`
  | `playback.${string}`
  | `incidents.${string}`
  | 'audit.unlinkedViewing'
  | `exports.${string}`
  | `site.${string}`;
export type CoreHandlers = Omit<Handlers, Extract<CommandName, CameraCommand>>;

const WRONG_CREDENTIALS = 'Wrong user name or password.';

export function createHandlers(d: HandlerDeps): CoreHandlers {
  const { users, groups, settings, sessions, throttle, clock } = d;

  const viewOf = (s: Session): SessionView => sessions.view(s, settings.security.idleLockMinutes);
  const passwordProblem = (field: string, password: string, username: string, displayName?: string) => {
    const problems = checkPasswordPolicy(password, username, displayName);
    return problems.length ? fail('InvalidArgument', describePasswordProblems(problems), problems.map((p) => `${field}: ${p}`)) : null;
  };
  const userViewOr404 = async (row: UserRow | undefined) => (row ? ok(await users.view(row)) : fail('NotFound', 'No such user.'));
  const groupsExist = async (ids: readonly number[]) => {
    const found = await groups.existingIds(ids);
    const missing = ids.filter((g) => !found.has(g));
    return missing.length ? fail('NotFound', `No camera group with id ${missing.join(', ')}.`) : null;
  };
  const endSession = async (s: Session, reason: string) => {
    sessions.end(s.connectionId);
    await d.audit.append({ actor: s.username, action: 'session.ended', target: `session:${s.id}`, outcome: 'allowed', details: { reason } });
  };

  /** Verifies a password for sign-in or unlock, with throttling (JON 15.6). */
  async function checkCredentials(username: string, password: string, ctx: HandlerContext): Promise<Result<UserRow>> {
    const { lockoutThreshold, lockoutMinutes } = settings.security;
    if ((await throttle.lockedForMs(username)) > 0) {
      return fail('TooManyAttempts', 'Too many failed attempts. Try again later.');
    }
    const row = await users.byUsername(username);
    // Same work whether or not the user exists, so timing does not tell either.
    const good = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
    if (!row || !good || row.active !== 1) {
      const locked = await throttle.recordFailure(username, lockoutThreshold, lockoutMinutes);
      if (locked) {
        await ctx.audit({ actor: 'system', action: 'auth.lockout', target: `user:${username}`, outcome: 'allowed', details: { lockoutMinutes, threshold: lockoutThreshold } });
        return fail('TooManyAttempts', 'Too many failed attempts. Try again later.');
      }
      return fail('Unauthenticated', WRONG_CREDENTIALS);
    }
    await throttle.reset(username);
    return ok(row);
  }

  const handlers: CoreHandlers = {
    'setup.status': async () => ok({ needsSetup: (await users.count()) === 0 }),

    'setup.createAdmin': async (r, ctx) => {
      // First run only: no default accounts exist anywhere; once any user exists this is closed.
      if ((await users.count()) > 0) return fail('FailedPrecondition', 'The console is already set up.');
      const bad = passwordProblem('password', r.password, r.username, r.displayName);
      if (bad) return bad;
      await users.create({
        username: r.username,
        displayName: r.displayName,
        role: 'administrator',
        language: 'en',
        passwordHash: await hashPassword(r.password),
        mustChangePassword: false,
        groupIds: [],
      });
      ctx.setActor(r.username);
      return ok({ done: true as const });
    },

    'auth.signIn': async (r, ctx) => {
      const checked = await checkCredentials(r.username, r.password, ctx);
      if (!checked.ok) return checked;
      const row = checked.value;
      // Another user signing in at a locked console ends the first session (BRN 33.3).
      const previous = sessions.get(ctx.connection.id);
      if (previous) await endSession(previous, `replaced by sign-in of ${row.username}`);
      const s = sessions.start(ctx.connection.id, {
        userId: row.id,
        username: row.username,
        displayName: row.display_name,
        role: userRole(row),
        language: userLanguage(row),
        mustChangePassword: row.must_change_password === 1,
        commitmentPending: row.commitment_version !== COMMITMENT_VERSION,
      });
      ctx.setActor(row.username);
      return ok(viewOf(s));
    },

    'auth.signOut': async (_r, ctx) => {
      sessions.end(ctx.connection.id);
      return ok({ done: true as const });
    },

    'auth.changePassword': async (r, ctx) => {
      const s = requireSession(ctx);
      const row = await users.byId(s.userId);
      if (!row || !(await verifyPassword(r.currentPassword, row.password_hash))) {
        return fail('InvalidArgument', 'The current password is wrong.', ['currentPassword: wrong']);
      }
      if (r.newPassword === r.currentPassword) {
        return fail('InvalidArgument', 'The new password must differ from the current one.', ['newPassword: sameAsCurrent']);
      }
      const bad = passwordProblem('newPassword', r.newPassword, row.username, row.display_name);
      if (bad) return bad;
      await users.update(row.id, { password_hash: await hashPassword(r.newPassword), must_change_password: 0 });
      s.mustChangePassword = false;
      return ok(viewOf(s));
    },

    'session.status': async (_r, ctx) => (ctx.session ? ok({ signedIn: true as const, session: viewOf(ctx.session) }) : ok({ signedIn: false as const })),

    'session.activity': async (r, ctx) => {
      const s = requireSession(ctx);
      if (r.input) sessions.recordInput(s);
      return ok({ locked: s.locked });
    },

    'session.lock': async (_r, ctx) => {
      requireSession(ctx).locked = true;
      return ok({ done: true as const });
    },

    'session.unlock': async (r, ctx) => {
      const s = requireSession(ctx);
      const checked = await checkCredentials(s.username, r.password, ctx);
      if (!checked.ok) {
        if (checked.error.kind === 'TooManyAttempts') {
          await endSession(s, 'too many wrong passwords at the lock screen');
          return checked;
        }
        return fail('InvalidArgument', 'Wrong password.', ['password: wrong']);
      }
      sessions.unlock(s);
      return ok(viewOf(s));
    },

    'commitment.get': async (r) => ok({ version: COMMITMENT_VERSION, ...COMMITMENT_TEXT[r.language] }),

    'commitment.accept': async (r, ctx) => {
      const s = requireSession(ctx);
      if (r.version !== COMMITMENT_VERSION) return fail('FailedPrecondition', 'The commitment text has changed. Please read it again.');
      // JON 15.2: the time of acceptance is stored and (by the dispatcher) audited.
      await users.update(s.userId, { commitment_accepted_at_ms: clock.nowMs(), commitment_version: COMMITMENT_VERSION });
      s.commitmentPending = false;
      return ok(viewOf(s));
    },

    'me.setLanguage': async (r, ctx) => {
      const s = requireSession(ctx);
      await users.update(s.userId, { language: r.language });
      s.language = r.language;
      return ok(viewOf(s));
    },

    'users.list': async (r) => ok({ users: await users.list(r.includeInactive) }),

    'users.create': async (r) => {
      if (await users.byUsername(r.username)) return fail('AlreadyExists', `The user name ${r.username} is taken.`);
      const bad = passwordProblem('initialPassword', r.initialPassword, r.username, r.displayName);
      if (bad) return bad;
      const missing = await groupsExist(r.groupIds);
      if (missing) return missing;
      const row = await users.create({
        username: r.username,
        displayName: r.displayName,
        role: r.role,
        language: r.language,
        passwordHash: await hashPassword(r.initialPassword),
        // The administrator knows this password; the user must replace it (JON 15.6).
        mustChangePassword: true,
        groupIds: r.groupIds,
      });
      return ok(await users.view(row));
    },

    'users.update': async (r, ctx) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      if (row.role === 'administrator' && r.role !== 'administrator' && row.active === 1 && (await users.countActiveAdmins(row.id)) === 0) {
        return fail('FailedPrecondition', 'The last active administrator cannot lose that role.');
      }
      const updated = await users.update(row.id, { display_name: r.displayName, role: r.role, language: r.language });
      // A role change takes effect at once: open sessions of that user end (JON 15.3).
      if (row.role !== r.role) for (const s of sessions.forUser(row.id)) await endSession(s, `role changed by ${ctx.session?.username}`);
      return userViewOr404(updated);
    },

    'users.setGroups': async (r) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      const missing = await groupsExist(r.groupIds);
      if (missing) return missing;
      await users.setGroups(row.id, r.groupIds);
      d.cameras.version += 1; // visibility changed: media requests re-check at once
      return ok(await users.view(row));
    },

    'users.deactivate': async (r, ctx) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      if (row.active !== 1) return fail('FailedPrecondition', 'The user is already deactivated.');
      if (row.role === 'administrator' && (await users.countActiveAdmins(row.id)) === 0) {
        return fail('FailedPrecondition', 'The last active administrator cannot be deactivated.');
      }
      const updated = await users.update(row.id, { active: 0, deactivated_at_ms: clock.nowMs() });
      for (const s of sessions.forUser(row.id)) await endSession(s, `user deactivated by ${ctx.session?.username}`);
      return userViewOr404(updated);
    },

    'users.reactivate': async (r) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      if (row.active === 1) return fail('FailedPrecondition', 'The user is already active.');
      return userViewOr404(await users.update(row.id, { active: 1, deactivated_at_ms: null }));
    },

    'users.resetPassword': async (r, ctx) => {
      const row = await users.byId(r.userId);
      if (!row) return fail('NotFound', 'No such user.');
      const bad = passwordProblem('temporaryPassword', r.temporaryPassword, row.username, row.display_name);
      if (bad) return bad;
      const updated = await users.update(row.id, { password_hash: await hashPassword(r.temporaryPassword), must_change_password: 1 });
      await throttle.reset(row.username);
      for (const s of sessions.forUser(row.id)) {
        if (s.connectionId !== ctx.connection.id) await endSession(s, `password reset by ${ctx.session?.username}`);
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

    'settings.updateSecurity': async (r) => ok(await settings.updateSecurity(r)),

    'audit.query': async (r) => ok(await d.audit.query(r.filter, r.beforeSeq, r.limit)),

    'audit.exportCsv': async (r) => {
      const { csv, rows, truncated } = await buildAuditCsv(d.audit, r.filter);
      const stamp = new Date(clock.nowMs()).toISOString().replace(/[:.]/g, '-');
      return ok({ fileName: `audit-log-${stamp}.csv`, csv, rows, truncated });
    },

    'audit.verify': async () => ok(d.verifyAudit()),
  };
  return handlers;
}
