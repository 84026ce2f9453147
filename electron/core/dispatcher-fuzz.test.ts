// Malformed input always gets a clear error and the engine stays up (issue: "Each command rejects
// malformed input ... a property test throwing random payloads at the dispatcher").
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../shared/contract';
import { ERROR_KINDS } from '../../shared/result';
import { ADMIN, setUpAdmin, signInReady, startTestEngine, type Caller, type TestEngine } from './testing/harness';

let t: TestEngine;
let admin: Caller;
beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
});
afterAll(async () => {
  await t.dispose();
});

const oddStrings = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '\u202Eevil\u202C', 'a\u0000b', '\uD800', 'x'.repeat(200_000), '\u200Badmin', 'ｆｕｌｌｗｉｄｔｈ', 'e\u0301', '👮‍♀️'.repeat(50),
    '<script>alert(1)</script>', "'; DROP TABLE users; --", '../../etc/passwd', '__proto__', 'constructor',
  ),
);
const payloads = fc.oneof(
  fc.anything(),
  fc.dictionary(fc.constantFrom('username', 'password', 'displayName', 'role', 'filter', 'limit', 'userId', 'groupIds', 'name', 'description', 'extra', '__proto__'), fc.oneof(fc.anything(), oddStrings)),
);

function assertResultShape(r: unknown) {
  expect(r).toBeTypeOf('object');
  const res = r as { ok: unknown; error?: { kind: unknown; message: unknown } };
  expect(typeof res.ok).toBe('boolean');
  if (!res.ok) {
    expect(ERROR_KINDS).toContain(res.error?.kind);
    expect(typeof res.error?.message).toBe('string');
  }
}

describe('dispatcher under random input', () => {
  it('answers every random payload with a Result, never a throw, and keeps running', async () => {
    await fc.assert(
      // Commands that end or lock the session are fuzzed from a throwaway connection, so the
      // administrator's session keeps the authenticated paths under test.
      fc.asyncProperty(fc.constantFrom(...COMMAND_NAMES, 'nope', '', '__proto__'), payloads, async (name, payload) => {
        const ending = name === 'auth.signOut' || name === 'session.lock' || name === 'auth.signIn';
        const r = await t.engine.dispatch(ending ? t.connect().connection : admin.connection, name, payload);
        assertResultShape(r);
      }),
      { numRuns: 400 },
    );
    const status = await admin.must('session.status', {});
    expect(status.signedIn && status.session.user.username).toBe('admin.anna');
  });

  it('rejects wrong types, extra fields, huge strings and invisible characters as InvalidArgument', async () => {
    admin = await signInReady(t, ADMIN.username, ADMIN.password);
    const cases: [string, unknown][] = [
      ['users.create', { username: 42 }],
      ['users.create', { username: 'ok.name', displayName: 'Ok', role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [], isAdmin: true }],
      ['users.create', { username: 'ok.name', displayName: 'x'.repeat(100_000), role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [] }],
      ['users.create', { username: 'ok.name', displayName: 'Adm\u202Ein', role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [] }],
      ['users.create', { username: 'ok.name', displayName: 'Lone \uD800 surrogate', role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [] }],
      ['users.create', { username: 'ok.name', displayName: 'Ok', role: 'root', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [] }],
      ['groups.create', { name: '', description: '' }],
      ['audit.query', { filter: {}, limit: 1e9 }],
      ['audit.query', { filter: { fromMs: -1 }, limit: 10 }],
      ['settings.updateSecurity', { idleLockMinutes: 0, lockoutThreshold: 5, lockoutMinutes: 15 }],
      ['auth.signIn', null],
      ['auth.signIn', 'username=admin'],
    ];
    for (const [name, payload] of cases) {
      const r = await t.engine.dispatch(admin.connection, name, payload);
      expect(r.ok === false && r.error.kind, `${name} ${JSON.stringify(payload).slice(0, 80)}`).toBe('InvalidArgument');
    }
    const unknown = await t.engine.dispatch(admin.connection, 'users.drop', {});
    expect(unknown.ok === false && unknown.error.kind).toBe('UnknownCommand');
    // Nothing half-written: the only users are the administrator.
    expect((await admin.must('users.list', { includeInactive: true })).users.map((u) => u.username)).toEqual(['admin.anna']);
  });
});
