// The one command path (docs/design/overview.md §2): parse -> authorise (permission, then camera
// visibility of everything the command names) -> audit -> handle -> Result. Every call from every
// transport comes through `dispatch`; nothing throws out of it.
import type { z } from 'zod';
import { COMMANDS, isCommandName, type CommandName, type Commands, type ParsedRequestOf, type ResponseOf, type Scope, type ScopeKind, type ScopeRef, type SessionGate } from '../../shared/contract';
import { fail, type ErrorKind, type Result } from '../../shared/result';
import type { AuditInput, AuditLog } from './audit/audit-log';
import type { IdleLock } from './auth/idle-lock';
import { sessionMay, type Session, type SessionRegistry } from './auth/sessions';
import { ConnectionBudget } from './connection-budget';
import type { Logger } from './logger';
import { redact } from './logger';
import type { Visibility } from './visibility';

export type { Visibility } from './visibility';

/** Who is calling: one Electron window or one host WebSocket. */
export interface Connection {
  id: string;
  transport: 'ipc' | 'ws';
  /** For the audit trail: the seat (window id, remote address). */
  peer: string;
  /** Where this connection reaches the engine's media (the origin a site engine's seat connected to,
   *  docs/design/site-engine.md); absent: the engine's own media server on 127.0.0.1. */
  mediaOrigin?: string;
  /** The enrolled seat this connection comes from (site engine): its connections share a budget. */
  seatId?: number;
  /** Ends the connection (the transport's own way); called when it overruns its call budget. */
  close?(reason: string): void;
}


/** Decides whether a camera, or an object tied to cameras, exists and is visible. One per scope kind. */
export type ScopeCheck = (id: number, v: Visibility) => Promise<boolean>;
export type ScopeChecks = Readonly<Record<ScopeKind, ScopeCheck>>;

export interface HandlerContext {
  connection: Connection;
  session: Session | null;
  /** The caller's visibility (computed once per call); for handlers that filter lists. */
  visibility(): Promise<Visibility>;
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
/** Exactly the handlers of some commands (a feature's): a missing or extra one is a type error. */
export type HandlersOf<C> = { [N in keyof C & CommandName]: Handler<N> };

export interface DispatcherDeps {
  handlers: Handlers;
  audit: AuditLog;
  sessions: SessionRegistry;
  scope: ScopeChecks;
  /** The cameras of the user's groups. */
  visibleCameraIds: (userId: number) => Promise<ReadonlySet<number>>;
  idleLock: IdleLock;
  logger: Logger;
  /** Calls per connection (monotonic time: a clock set back must not lift the limit). */
  budget?: ConnectionBudget;
  /** Refuses a command the engine may not run now (an audit anchor break not yet acknowledged,
   *  docs/design/audit-chain.md); checked after authorisation. */
  gate?: (name: CommandName) => Promise<{ kind: ErrorKind; message: string } | null>;
}

const MAX_TARGET = 200;
/** A seat's connections together may make this many times one connection's calls (a reload overlaps). */
const SEAT_BUDGET_FACTOR = 3;
const TOO_MANY_CALLS = 'Too many requests from this connection; it is closed. Reload the console to connect again.';
const MAX_ISSUES = 10;
const MAX_ISSUE_CHARS = 200;

/** What a caller who cannot see an object is told: exactly what a missing object answers. */
const NOT_FOUND: Readonly<Record<ScopeKind, (id: number) => string>> = {
  camera: (id) => `No such camera: ${id}.`,
  hold: () => 'No such hold.',
  incident: () => 'No such incident.',
  export: () => 'No such export request.',
};

export class Dispatcher {
  private readonly budget: ConnectionBudget;
  /** Connections closed for overrunning their budget: answered without an audit entry each. */
  private readonly overrun = new Set<string>();

  constructor(private readonly deps: DispatcherDeps) {
    this.budget = deps.budget ?? new ConnectionBudget(() => performance.now());
  }

  /** A transport calls this when a connection goes away. */
  forget(connectionId: string): void {
    this.budget.forget(connectionId);
    this.overrun.delete(connectionId);
  }

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

    // 0. Budget: a connection that overruns it is told once, audited once, and closed.
    if (this.overrun.has(connection.id)) return fail('TooManyAttempts', TOO_MANY_CALLS);
    // A seat's connections share one more budget: reconnecting does not buy a seat a fresh one.
    const withinSeat = connection.seatId === undefined || this.budget.take(`seat:${connection.seatId}`, session !== null, SEAT_BUDGET_FACTOR);
    if (!this.budget.take(connection.id, session !== null) || !withinSeat) {
      this.overrun.add(connection.id);
      await audit.append({ actor, action: 'connection.closed', target: connection.peer.slice(0, MAX_TARGET), outcome: 'denied', details: { reason: 'too many calls', signedIn: session !== null } });
      connection.close?.('too many calls');
      return fail('TooManyAttempts', TOO_MANY_CALLS);
    }

    if (!isCommandName(name)) {
      const shown = typeof name === 'string' ? name.slice(0, 64) : `(${typeof name})`;
      await audit.append({ actor, action: 'command.unknown', target: shown, outcome: 'denied', details: { peer: connection.peer } });
      return fail('UnknownCommand', `Unknown command ${JSON.stringify(shown)}.`);
    }
    const def: Commands[CommandName] = COMMANDS[name];
    const audited = def.audit.when !== 'never';

    // 1. Parse. Issues are bounded: a message may repeat what the caller sent (an unknown key).
    const parsed = (def.request as z.ZodType).safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, MAX_ISSUES)
        .map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`.slice(0, MAX_ISSUE_CHARS));
      if (audited) {
        await audit.append({ actor, action: name, target: '', outcome: 'failed', details: { error: 'InvalidArgument', issues, peer: connection.peer } });
      }
      return fail('InvalidArgument', `Invalid request for ${name}: ${issues.join('; ')}`, issues);
    }
    const request = parsed.data as ParsedRequestOf<typeof name>;
    const target = (def.target as ((r: unknown) => string) | undefined)?.(request).slice(0, MAX_TARGET) ?? '';
    const reason = (def.reason as ((r: unknown) => string) | undefined)?.(request) ?? null;

    // The idle lock is decided on every call, in core (BRN 33.3, R5). Calls are not the operator's
    // input: only session.activity reports it (a wall's polls must never keep a console unlocked).
    if (session) await this.deps.idleLock.check(session, connection.peer);

    // 2. Authorise: the permission, then the visibility of every camera or camera-tied object named.
    let visibility: Promise<Visibility> | null = null;
    const visibilityOf = (): Promise<Visibility> => {
      const s = session;
      if (!s) return Promise.resolve({ username: 'anonymous', cameraIds: new Set(), allRecords: false });
      visibility ??= this.deps.visibleCameraIds(s.userId).then((cameraIds) => ({ username: s.username, cameraIds, allRecords: sessionMay(s, 'records.readAll') }));
      return visibility;
    };
    const refused = this.authorise(name, session) ?? (await this.checkScope(def.scope as Scope<unknown> | undefined, request, visibilityOf));
    // A held engine: refusals of unaudited polls are not audited either (as for a locked session).
    const held = refused ? null : ((await this.deps.gate?.(name)) ?? null);
    const denial = refused ?? held;
    if (denial) {
      if ((denial.kind !== 'SessionLocked' && !held) || audited) {
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
      visibility: visibilityOf,
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
    if (access.kind === 'permission' && !sessionMay(session, access.permission)) {
      if (session.parked) return { kind: 'PermissionDenied', message: 'Your rights wait for a second person’s approval (or were refused or ran out): ask your administrator.' };
      return { kind: 'PermissionDenied', message: `Your role (${session.role}) may not do this.` };
    }
    return null;
  }

  /** Every object the request names must exist and be visible to the caller; else NotFound, as if missing. */
  private async checkScope(scope: Scope<unknown> | undefined, request: unknown, visibility: () => Promise<Visibility>): Promise<{ kind: ErrorKind; message: string } | null> {
    if (!scope || !('refs' in scope)) return null;
    const refs: readonly ScopeRef[] = scope.refs(request);
    if (refs.length === 0) return null;
    const v = await visibility();
    for (const ref of refs) {
      if (!(await this.deps.scope[ref.kind](ref.id, v))) return { kind: 'NotFound', message: NOT_FOUND[ref.kind](ref.id) };
    }
    return null;
  }
}

const DENIAL_KINDS: ReadonlySet<ErrorKind> = new Set(['Unauthenticated', 'PermissionDenied', 'TooManyAttempts', 'SessionLocked']);
