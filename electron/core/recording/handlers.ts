// Recording status, storage settings, deletion by hand and the deletion log (docs/design/recording.md).
import type { RECORDING_COMMANDS } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import type { AlarmsService } from '../alarms/alarms-service';
import type { CamerasService } from '../cameras/cameras-service';
import { requireSession, type HandlerContext, type HandlersOf } from '../dispatcher';
import type { RecordingService } from './recording-service';

/** The alarms the storage page shows. */
const STORAGE_ALARMS = ['storage.full', 'storage.pressure', 'recording.write_failed'] as const;

export function createRecordingHandlers(d: { recording: RecordingService; cameras: CamerasService; alarms: AlarmsService }): HandlersOf<typeof RECORDING_COMMANDS> {
  const { recording, cameras } = d;
  const storageView = async (ctx: HandlerContext) => ok({ ...recording.storageView(), alarms: await d.alarms.list(requireSession(ctx), false, STORAGE_ALARMS) });
  return {
    'recordings.status': async () => ok({ cameras: await recording.cameraStatus(await cameras.all()) }),

    'storage.status': async (_r, ctx) => storageView(ctx),

    'storage.update': async (r, ctx) => {
      await recording.updateSettings(r);
      return storageView(ctx);
    },

    'recordings.delete': async (r, ctx) => {
      if (!(await cameras.byId(r.cameraId))) return fail('NotFound', 'No such camera.');
      return ok(await recording.deleteRange(r.cameraId, r.fromMs, r.toMs, requireSession(ctx).username));
    },

    'recordings.deletionLog': async (r) => ok(await recording.deletionLog(r)),
  };
}
