// Sessions: one per connection (an Electron window, or a host WebSocket). Kept in memory: a restart
// of the engine signs everyone out. On a site of several nodes each change is also written for the
// other nodes (nodes/site-sessions.ts), which check their media grants against it. The idle lock (BRN 33.3) is decided here, in core (R5), from
// the operator's reported input only, and enforced by the engine's own timer (idle-lock.ts).
import { randomUUID } from 'node:crypto';
import type { AccessState, SessionView } from '../../../shared/contract';
import type { Language } from '../../../shared/i18n-languages';
import { roleHas, sessionPermissions, type Permission, type Role } from '../../../shared/roles';
import type { Clock } from '../clock';

export interface Session {
  id: string;
  connectionId: string;
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  language: Language;
  signedInAtMs: number;
  lastInputAtMs: number;
  locked: boolean;
  mustChangePassword: boolean;
  /** mustChangePassword because the password is older than the site allows (JON 15.6). */
  passwordExpired?: boolean;
  commitmentPending: boolean;
  /** The account's grant waits for approval, was refused or ran out (docs/design/authorised-persons.md):
   *  the session holds no permissions and sees no camera until it signs in again after approval. */
  parked: boolean;
  accessState: AccessState;
}

/** Whether the session may use a permission now: its role grants it and its account is not parked. */
export function sessionMay(s: { role: Role; parked?: boolean }, permission: Permission): boolean {
  return s.parked !== true && roleHas(s.role, permission);
}

/** Told when a session locks (idle or by hand) or ends: media grants of that seat stop at once (BRN 33.3).
 *  `elsewhere`: ended by something other than its own seat (an administrator, the engine stopping). */
export type SessionListener = (session: Session, event: 'locked' | 'ended', elsewhere: boolean) => void;

/** Every change of a session's standing, in order: what the site's other nodes learn of it (nodes/site-sessions.ts). */
export type SessionChange = 'started' | 'locked' | 'unlocked' | 'ended';

export class SessionRegistry {
  private readonly byConnection = new Map<string, Session>();
  private readonly listeners = new Set<SessionListener>();
  /** Several nodes: told of every change, synchronously, so it can keep them in order. */
  observer: ((session: Session, change: SessionChange) => void) | null = null;

  constructor(private readonly clock: Clock) {}

  get(connectionId: string): Session | null {
    return this.byConnection.get(connectionId) ?? null;
  }

  start(connectionId: string, fields: Omit<Session, 'id' | 'connectionId' | 'signedInAtMs' | 'lastInputAtMs' | 'locked'>): Session {
    const now = this.clock.nowMs();
    const session: Session = { ...fields, id: randomUUID(), connectionId, signedInAtMs: now, lastInputAtMs: now, locked: false };
    this.byConnection.set(connectionId, session);
    this.observer?.(session, 'started');
    return session;
  }

  end(connectionId: string, elsewhere = false): Session | null {
    const s = this.get(connectionId);
    this.byConnection.delete(connectionId);
    if (s) this.observer?.(s, 'ended');
    if (s) this.notify(s, 'ended', elsewhere);
    return s;
  }

  /** Subscribes to locks and ends of sessions; returns the unsubscribe function. */
  onChange(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(session: Session, event: 'locked' | 'ended', elsewhere = false): void {
    for (const l of this.listeners) l(session, event, elsewhere);
  }

  /** Locks the session (by hand, or idle): its media grants stop at once. */
  lock(session: Session): void {
    if (session.locked) return;
    session.locked = true;
    this.observer?.(session, 'locked');
    this.notify(session, 'locked');
  }

  /**
   * Whether a grant made to session `sessionId` on `connectionId` still stands: the same session
   * is signed in there and not locked. (Live and playback tokens die with their session.)
   */
  current(connectionId: string, sessionId: string): { ok: true; session: Session } | { ok: false; why: 'session ended' | 'console locked' } {
    const s = this.get(connectionId);
    if (!s || s.id !== sessionId) return { ok: false, why: 'session ended' };
    return s.locked ? { ok: false, why: 'console locked' } : { ok: true, session: s };
  }

  forUser(userId: number): Session[] {
    return [...this.byConnection.values()].filter((s) => s.userId === userId);
  }

  all(): Session[] {
    return [...this.byConnection.values()];
  }

  /** Locks the session if the operator gave no input for too long. Returns true if this call locked it. */
  lockIfIdle(session: Session, idleLockMinutes: number): boolean {
    if (session.locked) return false;
    if (this.clock.nowMs() - session.lastInputAtMs < idleLockMinutes * 60_000) return false;
    this.lock(session);
    return true;
  }

  /** The operator's own input (mouse, keyboard), as the seat reports it; never a poll (BRN 33.3). */
  recordInput(session: Session): void {
    if (!session.locked) session.lastInputAtMs = this.clock.nowMs();
  }

  unlock(session: Session): void {
    session.locked = false;
    session.lastInputAtMs = this.clock.nowMs();
    this.observer?.(session, 'unlocked');
  }

  view(session: Session, idleLockMinutes: number): SessionView {
    return {
      user: {
        id: session.userId,
        username: session.username,
        displayName: session.displayName,
        role: session.role,
        language: session.language,
      },
      permissions: [...sessionPermissions(session.role, session.parked)],
      accessState: session.accessState,
      locked: session.locked,
      mustChangePassword: session.mustChangePassword,
      passwordExpired: session.mustChangePassword && session.passwordExpired === true,
      commitmentPending: session.commitmentPending,
      idleLockMinutes,
      signedInAtMs: session.signedInAtMs,
    };
  }
}
