// A node's sessions follow what is decided about their accounts at any node (docs/design/scale.md
// "Seats on any node"): deactivating an account, changing its role or ending its grant of access
// ends its sessions at the node where it is done, at once; at the other nodes this watch ends them
// within its period, reading the accounts of the sessions it has (one query). Each end is audited
// as the local one is, with the reason.
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log';
import type { Session, SessionRegistry } from '../auth/sessions';
import type { Logger } from '../logger';
import type { Database } from '../store/schema';

/** How often the accounts of this node's sessions are read. */
export const SESSION_WATCH_MS = 2000;

/** Why a session may no longer stand, given its account as the database has it now; null: it stands. */
export function sessionEndReason(s: Pick<Session, 'role' | 'parked'>, account: { active: number; role: string; access_state: string } | undefined): string | null {
  if (!account || account.active !== 1) return 'account deactivated';
  if (account.role !== s.role) return 'role changed';
  // A session that signed in parked holds no rights already; one that held them loses them.
  if (account.access_state !== 'granted' && !s.parked) return 'grant of access ended';
  return null;
}

export function startSessionWatch(d: { db: Kysely<Database>; sessions: SessionRegistry; audit: Pick<AuditLog, 'append'>; logger: Logger }, everyMs = SESSION_WATCH_MS): { runOnce(): Promise<void>; stop(): void } {
  let running: Promise<void> | null = null;
  const runOnce = (): Promise<void> =>
    (running ??= (async () => {
      try {
        const sessions = d.sessions.all();
        if (sessions.length === 0) return;
        const ids = [...new Set(sessions.map((s) => s.userId))];
        const accounts = new Map((await d.db.selectFrom('users').select(['id', 'active', 'role', 'access_state']).where('id', 'in', ids).execute()).map((u) => [u.id, u]));
        for (const s of sessions) {
          const why = sessionEndReason(s, accounts.get(s.userId));
          if (!why || d.sessions.get(s.connectionId)?.id !== s.id) continue;
          d.sessions.end(s.connectionId, true);
          await d.audit.append({ actor: s.username, action: 'session.ended', target: `session:${s.id}`, outcome: 'allowed', details: { reason: why } });
        }
      } catch (err) {
        d.logger.warn('the accounts of this node’s sessions could not be read (checked again shortly)', { error: err instanceof Error ? err.message : String(err) });
      } finally {
        running = null;
      }
    })());
  const timer = setInterval(() => void runOnce(), everyMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
