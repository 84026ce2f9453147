// The engine's breach watch assembled from its parts (breach-watch.ts): the recording files'
// re-check proposing through recording-proposals.ts, the audit log's bursts of refusals, the
// reminders and the daily verification. engine.ts builds it once and starts it with the engine.
import type { Kysely } from 'kysely';
import type { AuditVerifyReport } from '../../../shared/contract';
import type { AlarmsService } from '../alarms/alarms-service';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { RecordingIntegrityCheck } from '../recording/integrity-check';
import type { RecordingIndex } from '../recording/recording-index';
import type { SiteService } from '../site/site-service';
import type { Database } from '../store/schema';
import { BreachWatch } from './breach-watch';
import type { BreachesService } from './breaches-service';
import { proposeForRecordings } from './recording-proposals';
import { RefusalBursts } from './refusal-bursts';

export function createBreachWatch(d: {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  breaches: BreachesService;
  alarms: AlarmsService;
  verify: () => Promise<AuditVerifyReport>;
  recording: { index: RecordingIndex; root: string };
  site: Pick<SiteService, 'timeZone'>;
}): BreachWatch {
  const timeZone = () => d.site.timeZone();
  const integrity = new RecordingIntegrityCheck({
    index: d.recording.index,
    root: d.recording.root,
    clock: d.clock,
    logger: d.logger,
    report: async (findings) => {
      await proposeForRecordings(d.breaches, findings, await timeZone());
    },
  });
  const bursts = new RefusalBursts({ db: d.db, clock: d.clock, logger: d.logger, breaches: d.breaches, timeZone });
  return new BreachWatch({ db: d.db, clock: d.clock, logger: d.logger, audit: d.audit, breaches: d.breaches, alarms: d.alarms, verify: d.verify, bursts, integrity, timeZone });
}
