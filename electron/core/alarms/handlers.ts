// Handlers of alarms.list and alarms.acknowledge (shared/contract/alarms.ts).
import type { ALARM_COMMANDS } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { AlarmsService } from './alarms-service';

export function createAlarmHandlers(d: { alarms: AlarmsService }): HandlersOf<typeof ALARM_COMMANDS> {
  return {
    'alarms.list': async (r, ctx) => ok({ alarms: await d.alarms.list(requireSession(ctx), r.openOnly) }),

    'alarms.acknowledge': async (r, ctx) => {
      const s = requireSession(ctx);
      const a = await d.alarms.get(r.alarmId, s);
      if (!a) return fail('NotFound', 'No such alarm.');
      if (a.clearedAtMs !== null) return fail('FailedPrecondition', 'The alarm is closed already.');
      if (!a.canAcknowledge) return fail('PermissionDenied', 'Your role may not acknowledge this alarm, or you caused it yourself: another person must.');
      if (!(await d.alarms.acknowledge(a.id, s.username))) return fail('FailedPrecondition', 'The alarm was closed meanwhile.');
      return ok((await d.alarms.get(a.id, s))!);
    },
  };
}
