// Privacy masks (R7; docs/design/privacy-masks.md). The dispatcher has checked the permission and
// that the camera is visible to the caller.
import type { MASK_COMMANDS } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import type { CamerasService } from '../cameras/cameras-service';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { LiveService } from '../live/live-service';
import type { MasksService } from './masks-service';
import { maskedStill, nextKeyframe } from './still';

export function createMaskHandlers(d: { masks: MasksService; cameras: CamerasService; live: LiveService; ffmpegPath: string | null }): HandlersOf<typeof MASK_COMMANDS> {
  const { masks } = d;
  return {
    'masks.get': async (r) => {
      if (!(await d.cameras.byId(r.cameraId))) return fail('NotFound', 'No such camera.');
      const history = await masks.history(r.cameraId);
      return ok({ cameraId: r.cameraId, current: history.at(-1) ?? null, history });
    },

    'masks.save': async (r, ctx) => {
      if (!(await d.cameras.byId(r.cameraId))) return fail('NotFound', 'No such camera.');
      return ok(await masks.save(requireSession(ctx).username, r.cameraId, r.masks, r.reason));
    },

    'masks.still': async (r) => {
      const camera = await d.cameras.byId(r.cameraId);
      if (!camera) return fail('NotFound', 'No such camera.');
      if (camera.enabled !== 1) return fail('FailedPrecondition', 'The camera is disabled: enable it to take a still.');
      if (!d.ffmpegPath) return fail('Unavailable', 'ffmpeg is missing on the engine machine: no still can be made.');
      let key;
      try {
        key = await nextKeyframe((l) => d.live.subscribe(r.cameraId, l), 6000);
      } catch (err) {
        return fail('Unavailable', `No still of this camera: ${(err as Error).message}.`);
      }
      const still = await maskedStill(d.ffmpegPath, key.init, key.fragment, await masks.liveMasks(r.cameraId));
      return ok({ jpegBase64: still.jpeg.toString('base64'), width: still.width, height: still.height, capturedAtMs: key.atMs });
    },
  };
}
