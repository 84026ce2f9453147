// Sign-in, sessions, the idle lock and the confidentiality commitment
// (docs/design/sign-in-and-sessions.md; JON 15.2, JON 15.6, BRN 33.3).
import { z } from 'zod';
import { ACCESS_STATES } from './access';
import { PERMISSIONS, ROLES } from '../roles';
import { LANGUAGES } from '../i18n-languages';
import { command } from './define';
import { done, empty, id, language, newUsername, password, text, username } from './fields';

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
  /** Why mustChangePassword is set: true when the password is older than the site allows (JON 15.6,
   *  securitySettings.passwordMaxAgeDays); false when an administrator set it. */
  passwordExpired: z.boolean(),
  commitmentPending: z.boolean(),
  /** Whether the account's rights are in force (docs/design/authorised-persons.md); when not, permissions is empty. */
  accessState: z.enum(ACCESS_STATES),
  idleLockMinutes: z.number(),
  signedInAtMs: z.number(),
});
export type SessionView = z.infer<typeof sessionView>;

export const AUTH_COMMANDS = {
  'setup.status': command({
    request: empty,
    response: z.strictObject({ needsSetup: z.boolean() }),
    access: { kind: 'public' },
    audit: { when: 'never', why: 'tells only whether an administrator exists yet' },
    example: {},
  }),
  'setup.createAdmin': command({
    request: z.strictObject({ username: newUsername, displayName: text(100), password }),
    response: done,
    access: { kind: 'public' },
    audit: { when: 'after' },
    target: (r) => `user:${r.username}`,
    example: { username: 'second.admin', displayName: 'Second', password: 'Another-Long-Secret-9' },
  }),
  'auth.signIn': command({
    request: z.strictObject({ username, password }),
    response: sessionView,
    access: { kind: 'public' },
    audit: { when: 'after' },
    target: (r) => `user:${r.username}`,
    example: { username: 'nobody.at.all', password: 'Wrong-Password-000' },
  }),
  'auth.signOut': command({
    request: empty,
    response: done,
    access: { kind: 'session', alsoWhen: ['locked', 'mustChangePassword', 'commitmentPending'] },
    audit: { when: 'before' },
    example: {},
  }),
  'auth.changePassword': command({
    request: z.strictObject({ currentPassword: password, newPassword: password }),
    response: sessionView,
    access: { kind: 'session', alsoWhen: ['mustChangePassword', 'commitmentPending'] },
    audit: { when: 'before' },
    example: { currentPassword: 'wrong-current-pw', newPassword: 'Orchard-Violet-Moon-3' },
  }),
  'session.status': command({
    request: empty,
    response: z.discriminatedUnion('signedIn', [
      z.strictObject({ signedIn: z.literal(false) }),
      z.strictObject({ signedIn: z.literal(true), session: sessionView }),
    ]),
    access: { kind: 'public' },
    audit: { when: 'never', why: 'polled by the console; returns only the caller’s own session' },
    example: {},
  }),
  'session.activity': command({
    /** input: whether the operator touched mouse or keyboard since the last report. Only this
     *  (and signing in or unlocking) counts as the operator's input for the idle lock (BRN 33.3). */
    request: z.strictObject({ input: z.boolean() }),
    response: z.strictObject({ locked: z.boolean() }),
    access: { kind: 'session', alsoWhen: ['locked', 'mustChangePassword', 'commitmentPending'] },
    audit: { when: 'never', why: 'heartbeat for the idle lock; the lock itself is audited' },
    example: { input: false },
  }),
  'session.lock': command({
    request: empty,
    response: done,
    access: { kind: 'session', alsoWhen: ['mustChangePassword', 'commitmentPending'] },
    audit: { when: 'before' },
    example: {},
  }),
  'session.unlock': command({
    request: z.strictObject({ password }),
    response: sessionView,
    access: { kind: 'session', alsoWhen: ['locked', 'mustChangePassword', 'commitmentPending'] },
    audit: { when: 'after' },
    example: { password: 'wrong-password-here' },
  }),
  'commitment.get': command({
    request: z.strictObject({ language }),
    response: z.strictObject({ version: z.string(), title: z.string(), body: z.string() }),
    access: { kind: 'session', alsoWhen: ['commitmentPending'] },
    audit: { when: 'never', why: 'reads the fixed text of the commitment' },
    example: { language: 'en' },
  }),
  'commitment.accept': command({
    request: z.strictObject({ version: text(32) }),
    response: sessionView,
    access: { kind: 'session', alsoWhen: ['commitmentPending'] },
    audit: { when: 'before' },
    example: { version: 'old-version' },
  }),
  'me.setLanguage': command({
    request: z.strictObject({ language }),
    response: sessionView,
    access: { kind: 'session', alsoWhen: ['mustChangePassword', 'commitmentPending'] },
    audit: { when: 'before' },
    example: { language: 'en' },
  }),
} as const;
