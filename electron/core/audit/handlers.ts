// Reading, exporting and verifying the audit log (docs/design/audit-chain.md; R4). The dispatcher
// audits every read before it happens.
import type { AUDIT_COMMANDS, AuditVerifyReport } from '../../../shared/contract';
import { ok } from '../../../shared/result';
import type { Clock } from '../clock';
import type { HandlersOf } from '../dispatcher';
import type { PlaybackSessionsLog } from '../playback/playback-sessions';
import type { AuditLog } from './audit-log';
import { buildAuditCsv } from './csv';

export interface AuditDeps {
  audit: AuditLog;
  clock: Clock;
  verifyAudit: () => AuditVerifyReport;
  playbackSessions: PlaybackSessionsLog;
}

export function createAuditHandlers(d: AuditDeps): HandlersOf<typeof AUDIT_COMMANDS> {
  return {
    'audit.query': async (r) => ok(await d.audit.query(r.filter, r.beforeSeq, r.limit)),

    'audit.exportCsv': async (r) => {
      const { csv, rows, truncated } = await buildAuditCsv(d.audit, r.filter);
      const stamp = new Date(d.clock.nowMs()).toISOString().replace(/[:.]/g, '-');
      return ok({ fileName: `audit-log-${stamp}.csv`, csv, rows, truncated });
    },

    'audit.verify': async () => ok(d.verifyAudit()),

    'audit.unlinkedViewing': async (r) => ok({ users: await d.playbackSessions.unlinkedViewing(r.fromMs, r.toMs) }),
  };
}
