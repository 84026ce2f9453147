// The shape of a command in the contract (DESIGN §2 "One command path").
import type { z } from 'zod';
import type { Permission } from '../roles';

/** Session states in which a command may still run. By default a command needs a session that is
 *  unlocked, has a current password and an accepted confidentiality commitment (JON 15.2). */
export type SessionGate = 'locked' | 'mustChangePassword' | 'commitmentPending';

export type Access =
  | { kind: 'public' }
  | { kind: 'session'; alsoWhen?: readonly SessionGate[] }
  | { kind: 'permission'; permission: Permission };

/**
 * When the audit entry is written (DESIGN R4, KRK §5.3.4):
 * - before: an `allowed` entry is committed before the handler runs; a failing handler adds a `failed` entry.
 * - after: one entry with the final outcome, for attempts that touch no personal data before they
 *   succeed (sign-in, first-run setup).
 * - never: with the reason why the call is not worth an entry (polls that read nothing personal).
 * Denied calls (authorisation failures) are always audited.
 */
export type AuditPolicy = { when: 'before' } | { when: 'after' } | { when: 'never'; why: string };

export interface CommandDef<Name extends string, Req extends z.ZodType, Res extends z.ZodType> {
  readonly name: Name;
  readonly request: Req;
  readonly response: Res;
  readonly access: Access;
  readonly audit: AuditPolicy;
  /** What the command acts on, for the audit entry's target column. */
  readonly target?: (request: z.output<Req>) => string;
  /** The stated reason, for the audit entry's reason column (R3: playback names its reason). */
  readonly reason?: (request: z.output<Req>) => string;
}

export function command<Name extends string, Req extends z.ZodType, Res extends z.ZodType>(
  def: CommandDef<Name, Req, Res>,
): CommandDef<Name, Req, Res> {
  return def;
}
