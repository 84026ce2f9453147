// The timeline's coverage (issue 5 §3): when recordings exist for visible cameras; no footage.
import { fail, ok } from '../../../shared/result';
import type { CamerasService } from '../cameras/cameras-service';
import { requireSession, type Handlers } from '../dispatcher';
import type { PlaybackService } from './playback-service';

export function createCoverageHandlers(d: { playback: PlaybackService; cameras: CamerasService }): Pick<Handlers, 'playback.coverage'> {
  return {
    'playback.coverage': async (r, ctx) => {
      const s = requireSession(ctx);
      for (const id of r.cameraIds) {
        if (!(await d.cameras.isVisibleTo(s.userId, id))) return fail('NotFound', `No such camera: ${id}.`);
      }
      return ok({ cameras: await d.playback.coverage(r.cameraIds, r.fromMs, r.toMs, r.mergeGapMs) });
    },
  };
}
