// Live view and walls (docs/design/live-pipeline.md). The dispatcher has checked that the camera a
// view opens is visible; the media server checks it again on every request (R5).
import { WALL_LAYOUTS } from '../../../shared/cameras';
import { fitTiles, type LIVE_COMMANDS, type WallArrangements } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import type { CamerasService } from '../cameras/cameras-service';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { LiveService } from './live-service';
import type { WallsService } from './walls-service';

export function createLiveHandlers(d: { cameras: CamerasService; live: LiveService; walls: WallsService }): HandlersOf<typeof LIVE_COMMANDS> {
  const { cameras, live, walls } = d;
  return {
    'live.open': async (r, ctx) => {
      const s = requireSession(ctx);
      const camera = await cameras.byId(r.cameraId);
      if (!camera) return fail('NotFound', 'No such camera.');
      if (camera.enabled !== 1) return fail('FailedPrecondition', 'The camera is disabled.');
      const stream = r.stream === 'sub' && !camera.sub_url ? 'main' : r.stream;
      const view = await live.open({ id: s.id, connectionId: s.connectionId, userId: s.userId, username: s.username }, camera, stream);
      return ok({ viewId: view.id, url: live.urlFor(view), stream });
    },

    'live.close': async (r, ctx) => {
      const v = live.view(r.viewId);
      if (v && v.connectionId === ctx.connection.id) await live.close(v.id, 'closed by the viewer');
      return ok({ done: true as const });
    },

    'live.status': async (_r, ctx) => {
      const rows = await cameras.visibleTo(requireSession(ctx).userId);
      return ok({
        cameras: rows.map((c) => ({ cameraId: c.id, main: live.status(c, 'main')!, sub: live.status(c, 'sub') })),
        openViewIds: live.openViewIds(ctx.connection.id),
      });
    },

    'walls.list': async (_r, ctx) => ok({ walls: await walls.list(requireSession(ctx).userId) }),

    'walls.save': async (r, ctx) => {
      const s = requireSession(ctx);
      if (r.tiles.length > r.layout) return fail('InvalidArgument', `A ${r.layout}-tile wall has at most ${r.layout} tiles.`, ['tiles: too many']);
      for (const l of WALL_LAYOUTS) {
        const tiles = r.arrangements?.[String(l) as keyof WallArrangements];
        if (tiles && tiles.length > l) return fail('InvalidArgument', `A ${l}-tile arrangement has at most ${l} tiles.`, [`arrangements.${l}: too many`]);
      }
      // Only visible cameras may be placed (an invisible id is dropped, not stored).
      const visible = (await ctx.visibility()).cameraIds;
      const arrangements: WallArrangements = {};
      for (const l of WALL_LAYOUTS) {
        const tiles = l === r.layout ? r.tiles : r.arrangements?.[String(l) as keyof WallArrangements];
        if (tiles) arrangements[String(l) as keyof WallArrangements] = fitTiles(tiles, l).map((id) => (id !== null && visible.has(id) ? id : null));
      }
      return ok(await walls.save(s.userId, r.name, r.layout, arrangements));
    },

    'walls.delete': async (r, ctx) => ok({ deleted: await walls.delete(requireSession(ctx).userId, r.name) }),
  };
}
