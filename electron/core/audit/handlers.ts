// Reading, exporting and verifying the audit log (docs/design/audit-chain.md; R4). The dispatcher
// audits every read before it happens. Export and verification run in worker threads (audit-trail.ts).
import type { AUDIT_COMMANDS } from '../../../shared/contract';
import { ok } from '../../../shared/result';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { PlaybackSessionsLog } from '../playback/playback-sessions';
import type { AuditLog } from './audit-log';
import type { AuditTrail } from './audit-trail';

export interface AuditDeps {
  audit: AuditLog;
  trail: Pick<AuditTrail, 'verify' | 'exportCsv'>;
  playbackSessions: PlaybackSessionsLog;
}

export function createAuditHandlers(d: AuditDeps): HandlersOf<typeof AUDIT_COMMANDS> {
  return {
    'audit.query': async (r) => ok(await d.audit.query(r.filter, r.beforeSeq, r.limit)),

    'audit.exportCsv': async (r, ctx) => {
      const s = requireSession(ctx);
      return ok(await d.trail.exportCsv(r.filter, { connectionId: ctx.connection.id, sessionId: s.id }, { separator: r.separator ?? ',' }));
    },

    'audit.verify': async () => ok(await d.trail.verify()),

    'audit.unlinkedViewing': async (r) => ok({ users: await d.playbackSessions.unlinkedViewing(r.fromMs, r.toMs) }),
  };
}
