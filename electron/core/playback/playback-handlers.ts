// Handlers of playback commands (issue 5 §1; R3). The dispatcher has committed the audit entry
// with user, reason, cameras and range before these run.
import { fail, ok } from '../../../shared/result';
import type { CamerasService } from '../cameras/cameras-service';
import { requireSession, type Handlers } from '../dispatcher';
import type { PlaybackService } from './playback-service';

export function createPlaybackHandlers(d: { playback: PlaybackService; cameras: CamerasService }): Pick<Handlers, 'playback.open' | 'playback.close'> {
  return {
    'playback.open': async (r, ctx) => {
      const s = requireSession(ctx);
      for (const id of r.cameraIds) {
        // An invisible camera is answered exactly like a missing one.
        if (!(await d.cameras.isVisibleTo(s.userId, id))) return fail('NotFound', `No such camera: ${id}.`);
      }
      const g = d.playback.open(s, r.cameraIds, r.fromMs, r.toMs);
      return ok({ playbackId: g.id, expiresAtMs: g.expiresAtMs, streams: r.cameraIds.map((cameraId) => ({ cameraId, url: d.playback.urlFor(g, cameraId) })) });
    },
    'playback.close': async (r, ctx) => {
      const g = d.playback.grant(r.playbackId);
      if (g && g.connectionId === ctx.connection.id) d.playback.close(g.id);
      return ok({ done: true as const });
    },
  };
}
