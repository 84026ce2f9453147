// The one command path (DESIGN §2): parse -> authorise -> audit -> handle -> Result.
// Every call from every transport comes through `dispatch`; nothing throws out of it.
import type { z } from 'zod';
import { COMMANDS, isCommandName, type CommandName, type ParsedRequestOf, type ResponseOf } from '../../shared/contract';
import type { SessionGate } from '../../shared/contract/define';
import { fail, type ErrorKind, type Result } from '../../shared/result';
import { roleHas } from '../../shared/roles';
import type { AuditInput, AuditLog } from './audit/audit-log';
import type { Session, SessionRegistry } from './auth/sessions';
import type { Logger } from './logger';
import { redact } from './logger';

/** Who is calling: one Electron window or one host WebSocket. */
export interface Connection {
  id: string;
  transport: 'ipc' | 'ws';
  /** For the audit trail: the seat (window id, remote address). */
  peer: string;
}

export interface HandlerContext {
  connection: Connection;
  session: Session | null;
  /** Appends an extra audit entry (events a handler causes: lockout, session replaced...). */
  audit(input: Omit<AuditInput, 'actor'> & { actor?: string }): Promise<number>;
  /** Actor name for audit entries written after the handler, when the handler learns it (sign-in). */
  setActor(actor: string): void;
}

/** The caller's session in a handler whose command needs one (the dispatcher has checked access). */
export function requireSession(ctx: Pick<HandlerContext, 'session'>): Session {
  if (!ctx.session) throw new Error('handler reached without a session; the dispatcher must have checked access');
  return ctx.session;
}

export type Handler<N extends CommandName> = (request: ParsedRequestOf<N>, ctx: HandlerContext) => Promise<Result<ResponseOf<N>>>;
export type Handlers = { [N in CommandName]: Handler<N> };

export interface DispatcherDeps {
  handlers: Handlers;
  audit: AuditLog;
  sessions: SessionRegistry;
  idleLockMinutes: () => number;
  logger: Logger;
}

const MAX_TARGET = 200;

export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async dispatch(connection: Connection, name: unknown, payload: unknown): Promise<Result<unknown>> {
    try {
      return await this.run(connection, name, payload);
    } catch (err) {
      this.deps.logger.error('command failed unexpectedly', { command: typeof name === 'string' ? name.slice(0, 64) : typeof name, error: err });
      return fail('Internal', 'The console could not complete this action. It has been logged.');
    }
  }

  private async run(connection: Connection, name: unknown, payload: unknown): Promise<Result<unknown>> {
    const { sessions, audit } = this.deps;
    const session = sessions.get(connection.id);
    const actor = session?.username ?? 'anonymous';

    if (!isCommandName(name)) {
      const shown = typeof name === 'string' ? name.slice(0, 64) : `(${typeof name})`;
      await audit.append({ actor, action: 'command.unknown', target: shown, outcome: 'denied', details: { peer: connection.peer } });
      return fail('UnknownCommand', `Unknown command ${JSON.stringify(shown)}.`);
    }
    const def = COMMANDS[name];
    const audited = def.audit.when !== 'never';

    // 1. Parse.
    const parsed = (def.request as z.ZodType).safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 20).map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`);
      if (audited) {
        await audit.append({ actor, action: name, target: '', outcome: 'failed', details: { error: 'InvalidArgument', issues, peer: connection.peer } });
      }
      return fail('InvalidArgument', `Invalid request for ${name}: ${issues.join('; ')}`, issues);
    }
    const request = parsed.data as ParsedRequestOf<typeof name>;
    const target = (def.target as ((r: unknown) => string) | undefined)?.(request).slice(0, MAX_TARGET) ?? '';
    const reason = (def.reason as ((r: unknown) => string) | undefined)?.(request) ?? null;

    // The idle lock is decided on every call, in core (BRN 33.3, R5); polls are not user input.
    if (session) {
      const idleLockMinutes = this.deps.idleLockMinutes();
      if (sessions.lockIfIdle(session, idleLockMinutes)) {
        await audit.append({ actor, action: 'session.locked', target: `session:${session.id}`, outcome: 'allowed', details: { reason: 'idle', idleLockMinutes, peer: connection.peer } });
      }
      if (!PASSIVE_COMMANDS.has(name)) sessions.recordInput(session);
    }

    // 2. Authorise.
    const denial = this.authorise(name, session);
    if (denial) {
      if (denial.kind !== 'SessionLocked' || audited) {
        await audit.append({ actor, action: name, target, outcome: 'denied', details: { error: denial.kind, peer: connection.peer } });
      }
      return fail(denial.kind, denial.message);
    }

    // 3. Audit before acting (R3, R4). If the entry cannot be written, nothing happens.
    const details = { request: redact(request), peer: connection.peer };
    if (def.audit.when === 'before') {
      await audit.append({ actor, action: name, target, outcome: 'allowed', details, reason });
    }

    // 4. Handle.
    let afterActor = actor;
    const ctx: HandlerContext = {
      connection,
      session,
      audit: (input) => audit.append({ actor: input.actor ?? session?.username ?? afterActor, ...input }),
      setActor: (a) => {
        afterActor = a;
      },
    };
    const handler = this.deps.handlers[name] as Handler<typeof name>;
    const result = await handler(request as never, ctx);

    if (result.ok) {
      const checked = (def.response as z.ZodType).safeParse(result.value);
      if (!checked.success) {
        this.deps.logger.error('handler returned a response outside its schema', { command: name, issues: checked.error.issues.slice(0, 5) });
        if (audited) await audit.append({ actor: afterActor, action: name, target, outcome: 'failed', details: { error: 'Internal' } });
        return fail('Internal', 'The console produced an invalid answer. It has been logged.');
      }
      if (def.audit.when === 'after') await audit.append({ actor: afterActor, action: name, target, outcome: 'allowed', details });
      return { ok: true, value: checked.data as ResponseOf<typeof name> };
    }
    if (audited) {
      const outcome = DENIAL_KINDS.has(result.error.kind) ? 'denied' : 'failed';
      await audit.append({ actor: afterActor, action: name, target, outcome, details: { ...details, error: result.error.kind, message: result.error.message } });
    }
    return result;
  }

  private authorise(name: CommandName, session: Session | null): { kind: ErrorKind; message: string } | null {
    const access = COMMANDS[name].access;
    if (access.kind === 'public') return null;
    if (!session) return { kind: 'Unauthenticated', message: 'Please sign in.' };

    const alsoWhen: readonly SessionGate[] = access.kind === 'session' ? (access.alsoWhen ?? []) : [];
    if (session.locked && !alsoWhen.includes('locked')) {
      return { kind: 'SessionLocked', message: 'The console is locked. Enter your password to continue.' };
    }
    if (session.mustChangePassword && !alsoWhen.includes('mustChangePassword')) {
      return { kind: 'PasswordChangeRequired', message: 'You must choose a new password before continuing.' };
    }
    if (session.commitmentPending && !alsoWhen.includes('commitmentPending')) {
      return { kind: 'CommitmentRequired', message: 'You must accept the confidentiality commitment before continuing.' };
    }
    if (access.kind === 'permission' && !roleHas(session.role, access.permission)) {
      return { kind: 'PermissionDenied', message: `Your role (${session.role}) may not do this.` };
    }
    return null;
  }
}

const DENIAL_KINDS: ReadonlySet<ErrorKind> = new Set(['Unauthenticated', 'PermissionDenied', 'TooManyAttempts', 'SessionLocked']);

/** Calls the console makes by itself (polls), which do not count as the operator's input. */
const PASSIVE_COMMANDS: ReadonlySet<CommandName> = new Set(['session.status', 'session.activity']);
