// The shape of a command in the contract (docs/design/overview.md §2 "One command path").
// A command is one entry in its feature's contract file; its key there is its name.
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
 * When the audit entry is written (R4, KRK §5.3.4):
 * - before: an `allowed` entry is committed before the handler runs; a failing handler adds a `failed` entry.
 * - after: one entry with the final outcome, for attempts that touch no personal data before they
 *   succeed (sign-in, first-run setup).
 * - never: with the reason why the call is not worth an entry (polls that read nothing personal).
 * Denied calls (authorisation failures) are always audited.
 */
export type AuditPolicy = { when: 'before' } | { when: 'after' } | { when: 'never'; why: string };

/** Objects whose visibility follows the cameras they are tied to (docs/design/overview.md §6). */
export const SCOPE_KINDS = ['camera', 'hold', 'incident', 'export'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];
export interface ScopeRef {
  kind: ScopeKind;
  id: number;
}

/**
 * Which cameras, or objects tied to cameras, a command acts on. The dispatcher checks every ref
 * against the caller's camera visibility before the handler runs, once for every command: an
 * object the caller cannot see is answered exactly like a missing one (NotFound).
 * - refs: the objects the request names (checked);
 * - filtered: the command lists or stores only what the caller may see (the handler filters by
 *   the visibility the dispatcher hands it), with the reason;
 * - siteWide: a configuration command over every camera, for roles that manage the site, with the reason.
 * A command whose request names a camera or a camera-tied object must declare one of these (the
 * visibility matrix test checks it).
 */
export type Scope<Req> =
  | { refs: (request: Req) => readonly ScopeRef[] }
  | { filtered: string }
  | { siteWide: string };

export interface CommandDef<Req extends z.ZodType, Res extends z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  readonly access: Access;
  readonly audit: AuditPolicy;
  readonly scope?: Scope<z.output<Req>>;
  /** What the command acts on, for the audit entry's target column. */
  readonly target?: (request: z.output<Req>) => string;
  /** The stated reason, for the audit entry's reason column (R3: playback names its reason). */
  readonly reason?: (request: z.output<Req>) => string;
  /** A valid request: documentation, and what the authorisation and visibility matrices send. */
  readonly example: z.input<Req>;
}

export function command<Req extends z.ZodType, Res extends z.ZodType>(def: CommandDef<Req, Res>): CommandDef<Req, Res> {
  return def;
}

/** A feature's commands, keyed by name. */
export type CommandTable = Record<string, CommandDef<z.ZodType, z.ZodType>>;

/** Scope helpers: the refs of a request. */
export const cameraRef = (id: number): ScopeRef => ({ kind: 'camera', id });
export const cameraRefs = (ids: readonly number[]): ScopeRef[] => [...new Set(ids)].map(cameraRef);
export const holdRef = (id: number): ScopeRef => ({ kind: 'hold', id });
export const incidentRef = (id: number): ScopeRef => ({ kind: 'incident', id });
export const exportRef = (id: number): ScopeRef => ({ kind: 'export', id });
