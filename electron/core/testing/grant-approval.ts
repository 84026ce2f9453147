// The second person of test and benchmark sites (docs/design/authorised-persons.md; KRK §5.4.5): a
// grant that reaches footage waits for an approver who is not the administrator who asked. Set-ups
// that speak to the engine over one connection (child processes, host sockets, benchmarks, the demo)
// let a DPO account step in on that connection, approve, and sign the administrator in again.

/** A command on the connection: resolves with its value, throws when the engine refuses it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- set-ups call the engine untyped
export type SetupCall = (name: string, request: unknown) => Promise<any>;

/** The basis set-ups give grants of access. */
export const SETUP_BASIS = 'authorisation 1/2026 (set-up)';

/** The set-up's DPO: made before any other approver, it is the site's first approver. */
export const SETUP_APPROVER = { username: 'dpo.setup', displayName: 'Set-up DPO', temp: 'Amber-Quarry-Falcon-31', password: 'Cedar-Harbour-Signal-64' };

/** Makes the set-up's DPO (an auditor account) when it does not exist yet; call it before making
 *  any other account that may approve, so it is the site's first approver. True when made now. */
export async function ensureSetupApprover(call: SetupCall): Promise<boolean> {
  const { username, displayName, temp } = SETUP_APPROVER;
  try {
    await call('users.create', { username, displayName, role: 'auditor', language: 'en', initialPassword: temp, groupIds: [], basis: SETUP_BASIS });
    return true;
  } catch (err) {
    if (!/AlreadyExists|taken/.test(String(err))) throw err;
    return false;
  }
}

/**
 * Approves every grant waiting for `usernames` as the set-up's DPO, signed in on this connection;
 * then `signBackIn` signs the administrator in again. Nothing happens when none waits.
 */
export async function approveWaiting(call: SetupCall, usernames: readonly string[], signBackIn: () => Promise<unknown>): Promise<void> {
  const waiting = ((await call('access.grants', { state: 'pending' })) as { grants: { id: number; username: string }[] }).grants.filter((g) => usernames.includes(g.username));
  if (waiting.length === 0) return;
  const made = await ensureSetupApprover(call);
  const { username, temp, password } = SETUP_APPROVER;
  // Made now: its first sign-in replaces the temporary password (it is never signed in otherwise).
  const s = (await call('auth.signIn', { username, password: made ? temp : password })) as { mustChangePassword: boolean; commitmentPending: boolean };
  if (s.mustChangePassword) await call('auth.changePassword', { currentPassword: temp, newPassword: password });
  if (s.commitmentPending) await call('commitment.accept', { version: ((await call('commitment.get', { language: 'en' })) as { version: string }).version });
  try {
    for (const g of waiting) await call('access.approve', { grantId: g.id });
  } finally {
    await signBackIn();
  }
}
