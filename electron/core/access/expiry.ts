// Grants good until a date end on that date (docs/design/authorised-persons.md; KRK §5.4.4): once a
// minute the engine parks the accounts whose grant ran out and ends their sessions, audited. A
// sign-in checks the same first, so an account is never let in on a grant past its end.
import type { AuditLog } from '../audit/audit-log';
import type { SessionRegistry } from '../auth/sessions';
import type { CamerasService } from '../cameras/cameras-service';
import type { Logger } from '../logger';
import type { AccessGrantsService } from './grants-service';

export const GRANT_EXPIRY_CHECK_MS = 60_000;

export interface GrantExpiryDeps {
  grants: Pick<AccessGrantsService, 'expireDue'>;
  sessions: SessionRegistry;
  audit: Pick<AuditLog, 'append'>;
  cameras: Pick<CamerasService, 'visibilityChanged'>;
  logger: Logger;
  /** Several nodes: whether this node runs the site's scheduled jobs now. */
  runsHere?: () => boolean;
}

export function startGrantExpiry(d: GrantExpiryDeps, everyMs = GRANT_EXPIRY_CHECK_MS): { runOnce(): Promise<void>; stop(): void } {
  let running: Promise<void> | null = null;
  const runOnce = (): Promise<void> =>
    (running ??= (async () => {
      try {
        const userIds = await d.grants.expireDue();
        if (userIds.length === 0) return;
        d.cameras.visibilityChanged();
        for (const userId of userIds) {
          await d.audit.append({ actor: 'system', action: 'access.expired', target: `user#${userId}`, outcome: 'allowed', details: { reason: 'the grant of access reached its end' } });
          for (const s of d.sessions.forUser(userId)) {
            d.sessions.end(s.connectionId, true);
            await d.audit.append({ actor: s.username, action: 'session.ended', target: `session:${s.id}`, outcome: 'allowed', details: { reason: 'grant of access ended' } });
          }
        }
      } catch (err) {
        d.logger.error('ending grants past their end failed', { error: err });
      } finally {
        running = null;
      }
    })());
  // Several nodes: one node ends grants (d.runsHere); the others end their sessions through their session watch.
  const timer = setInterval(() => {
    if (d.runsHere?.() ?? true) void runOnce();
  }, everyMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
