// Results are values, not exceptions (docs/design/overview.md §2 "One command path"): nothing throws across a transport.
import { z } from 'zod';

export const ERROR_KINDS = [
  'InvalidArgument',
  'UnknownCommand',
  'Unauthenticated',
  'PermissionDenied',
  'NotFound',
  'AlreadyExists',
  'FailedPrecondition',
  'SessionLocked',
  'PasswordChangeRequired',
  'CommitmentRequired',
  'TooManyAttempts',
  'Unavailable',
  'Internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const errorSchema = z.strictObject({
  kind: z.enum(ERROR_KINDS),
  message: z.string(),
  /** For InvalidArgument: the failing paths, e.g. `password: Too small`. */
  issues: z.array(z.string()).optional(),
});
export type CommandError = z.infer<typeof errorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: CommandError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(kind: ErrorKind, message: string, issues?: string[]): { ok: false; error: CommandError } {
  return { ok: false, error: issues ? { kind, message, issues } : { kind, message } };
}
