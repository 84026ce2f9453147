// Sign-in, sessions, the idle lock and the confidentiality commitment (docs/design/sign-in-and-sessions.md).
// The dispatcher has parsed, authorised and (for `before` policies) audited the call already.
import type { AUTH_COMMANDS, SessionView } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { SettingsService } from '../admin/settings-service';
import type { AccessGrantsService } from '../access/grants-service';
import type { Clock } from '../clock';
import { requireSession, type HandlerContext, type HandlersOf } from '../dispatcher';
import { COMMITMENT_TEXT, COMMITMENT_VERSION } from './commitment';
import { passwordExpired } from './password-age';
import { checkPasswordPolicy, describePasswordProblems, dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import type { Session, SessionRegistry } from './sessions';
import type { SignInThrottle } from './throttle';
import { accessStateOf, userLanguage, userRole, type UserRow, type UsersService } from './users-service';

export interface AuthDeps {
  users: UsersService;
  settings: SettingsService;
  sessions: SessionRegistry;
  throttle: SignInThrottle;
  clock: Clock;
  grants: AccessGrantsService;
}

const WRONG_CREDENTIALS = 'Wrong user name or password.';
const TOO_MANY = 'Too many failed attempts. Try again later.';
const REUSED = (earlier: number) =>
  earlier > 0 ? `The new password was used before: it must differ from the current one and the ${earlier} before it.` : 'The new password must differ from the current one.';

/** An InvalidArgument naming the password rules a new password breaks (JON 15.6), or null. */
export function passwordProblem(field: string, password: string, username: string, displayName?: string) {
  const problems = checkPasswordPolicy(password, username, displayName);
  return problems.length ? fail('InvalidArgument', describePasswordProblems(problems), problems.map((p) => `${field}: ${p}`)) : null;
}

/** Ends a session and says why in the audit log; its seat is told whether it was its own doing. */
export async function endSession(sessions: SessionRegistry, ctx: Pick<HandlerContext, 'audit' | 'connection'>, s: Session, reason: string): Promise<void> {
  sessions.end(s.connectionId, s.connectionId !== ctx.connection.id);
  await ctx.audit({ actor: s.username, action: 'session.ended', target: `session:${s.id}`, outcome: 'allowed', details: { reason } });
}

/** Verifies a password for sign-in, unlock or a second person's authorisation, with throttling
 *  (JON 15.6). The attempt is counted before the slow verification, so guesses sent in parallel
 *  cannot outrun the lockout. */
export async function checkCredentials(d: Pick<AuthDeps, 'users' | 'settings' | 'throttle'>, username: string, password: string, ctx: Pick<HandlerContext, 'audit'>): Promise<Result<UserRow>> {
  const { users, settings, throttle } = d;
  const { lockoutThreshold, lockoutMinutes } = settings.security;
  if ((await throttle.beginAttempt(username, lockoutThreshold)) === 'locked') return fail('TooManyAttempts', TOO_MANY);
  const row = await users.byUsername(username);
  // Same work whether or not the user exists, so timing does not tell either.
  const good = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
  if (!row || !good || row.active !== 1) {
    if (await throttle.recordFailure(username, lockoutThreshold, lockoutMinutes)) {
      await ctx.audit({ actor: 'system', action: 'auth.lockout', target: `user:${username}`, outcome: 'allowed', details: { lockoutMinutes, threshold: lockoutThreshold } });
      return fail('TooManyAttempts', TOO_MANY);
    }
    return fail('Unauthenticated', WRONG_CREDENTIALS);
  }
  await throttle.reset(username);
  return ok(row);
}

export function createAuthHandlers(d: AuthDeps): HandlersOf<typeof AUTH_COMMANDS> {
  const { users, settings, sessions, clock } = d;
  const viewOf = (s: Session): SessionView => sessions.view(s, settings.security.idleLockMinutes);

  return {
    'setup.status': async () => ok({ needsSetup: (await users.count()) === 0 }),

    'setup.createAdmin': async (r, ctx) => {
      // First run only: no default accounts exist anywhere; once any user exists this is closed.
      if ((await users.count()) > 0) return fail('FailedPrecondition', 'The console is already set up.');
      const bad = passwordProblem('password', r.password, r.username, r.displayName);
      if (bad) return bad;
      const admin = await users.create({
        username: r.username,
        displayName: r.displayName,
        role: 'administrator',
        language: 'en',
        passwordHash: await hashPassword(r.password),
        mustChangePassword: false,
        groupIds: [],
      });
      // The register of authorised persons starts with the console's own set-up (no footage: no second person).
      await d.grants.change({ userId: admin.id, role: 'administrator', groupIds: [], change: 'created', basis: 'set-up of the console', validUntilMs: null, by: r.username });
      ctx.setActor(r.username);
      return ok({ done: true as const });
    },

    'auth.signIn': async (r, ctx) => {
      const checked = await checkCredentials(d, r.username, r.password, ctx);
      if (!checked.ok) return checked;
      // A grant past its end parks its account before anyone signs in with it.
      if ((await d.grants.expireDue()).includes(checked.value.id)) checked.value.access_state = 'expired';
      const row = checked.value;
      // Another user signing in at a locked console ends the first session (BRN 33.3).
      const previous = sessions.get(ctx.connection.id);
      if (previous) await endSession(sessions, ctx, previous, `replaced by sign-in of ${row.username}`);
      // JON 15.6: a password older than the site allows must be changed now, in the same forced
      // step as a password an administrator set. A password from before its age was recorded
      // starts its age at this sign-in.
      if (row.password_changed_at_ms === null) await users.update(row.id, { password_changed_at_ms: clock.nowMs() });
      const setByAdmin = row.must_change_password === 1;
      const expired = !setByAdmin && passwordExpired(row.password_changed_at_ms, settings.security.passwordMaxAgeDays, clock.nowMs());
      const s = sessions.start(ctx.connection.id, {
        userId: row.id,
        username: row.username,
        displayName: row.display_name,
        role: userRole(row),
        language: userLanguage(row),
        mustChangePassword: setByAdmin || expired,
        passwordExpired: expired,
        commitmentPending: row.commitment_version !== COMMITMENT_VERSION,
        parked: row.access_state !== 'granted',
        accessState: accessStateOf(row),
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
      // JON 15.6 (unique): not the current password (also when typed in another Unicode form) nor
      // one of the site's number of earlier ones. Which one it was is not told.
      const { passwordHistory } = settings.security;
      if (await users.usedBefore(row, r.newPassword, passwordHistory)) {
        return fail('InvalidArgument', REUSED(passwordHistory), [passwordHistory > 0 ? 'newPassword: reused' : 'newPassword: sameAsCurrent']);
      }
      await users.setPassword(row.id, await hashPassword(r.newPassword), false, passwordHistory);
      s.mustChangePassword = false;
      s.passwordExpired = false;
      return ok(viewOf(s));
    },

    'session.status': async (_r, ctx) => (ctx.session ? ok({ signedIn: true as const, session: viewOf(ctx.session) }) : ok({ signedIn: false as const })),

    'session.activity': async (r, ctx) => {
      const s = requireSession(ctx);
      if (r.input) sessions.recordInput(s);
      return ok({ locked: s.locked });
    },

    'session.lock': async (_r, ctx) => {
      sessions.lock(requireSession(ctx));
      return ok({ done: true as const });
    },

    'session.unlock': async (r, ctx) => {
      const s = requireSession(ctx);
      const checked = await checkCredentials(d, s.username, r.password, ctx);
      if (!checked.ok) {
        if (checked.error.kind === 'TooManyAttempts') {
          await endSession(sessions, ctx, s, 'too many wrong passwords at the lock screen');
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
  };
}
