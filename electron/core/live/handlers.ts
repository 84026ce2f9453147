// Live view and walls (docs/design/live-pipeline.md). The dispatcher has checked that the camera a
// view opens is visible; the media server checks it again on every request (R5).
import { WALL_LAYOUTS, type WallLayout } from '../../../shared/cameras';
import { fitTiles, type LIVE_COMMANDS, type WallArrangements } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { CamerasService } from '../cameras/cameras-service';
import { requireSession, type HandlerContext, type HandlersOf } from '../dispatcher';
import type { MasksService } from '../masks/masks-service';
import type { SiteMedia } from '../nodes/site-media';
import type { SeatsService } from '../seats/seats-service';
import type { LiveService } from './live-service';
import { onlyVisible, type WallsService } from './walls-service';

/** Several nodes (docs/design/scale.md "Seats on any node"): this node's name and the site's media grants. */
export interface SiteLive {
  node: string;
  media: Pick<SiteMedia, 'holderOf' | 'grant' | 'endGrant' | 'openGrants'>;
}

export function createLiveHandlers(d: {
  cameras: CamerasService;
  live: LiveService;
  masks: Pick<MasksService, 'liveMasks' | 'liftOf'>;
  walls: WallsService;
  seats: Pick<SeatsService, 'roomOf' | 'rooms'>;
  site?: SiteLive | null;
}): HandlersOf<typeof LIVE_COMMANDS> {
  const { cameras, live, walls, seats } = d;
  const site = d.site ?? null;
  /** Whether another node ingests the camera: its view is granted there (one RTSP connection per camera). */
  const elsewhere = (cameraId: number) => site !== null && live.ingestedElsewhere(cameraId);
  return {
    'live.open': async (r, ctx) => {
      const s = requireSession(ctx);
      const camera = await cameras.byId(r.cameraId);
      if (!camera) return fail('NotFound', 'No such camera.');
      if (camera.enabled !== 1) return fail('FailedPrecondition', 'The camera is disabled.');
      const stream = r.stream === 'sub' && !camera.sub_url ? 'main' : r.stream;
      const shown = { stream, masks: await d.masks.liveMasks(camera.id), lift: d.masks.liftOf(s.id, camera.id) };
      if (site && elsewhere(camera.id)) {
        const holder = await site.media.holderOf(camera.id);
        if (!holder) return fail('Unavailable', 'No recording node holds this camera at the moment (one is taking it over); the tile tries again by itself.');
        if (holder.node !== site.node) {
          const g = await site.media.grant({ node: holder.node, connectionId: s.connectionId, sessionId: s.id, userId: s.userId, username: s.username, cameraId: camera.id, stream });
          return ok({ viewId: g.viewId, url: `${holder.url}/live/${camera.id}/${stream}/${g.token}/index.m3u8`, ...shown });
        }
      }
      const view = await live.open({ id: s.id, connectionId: s.connectionId, userId: s.userId, username: s.username }, camera, stream);
      return ok({ viewId: view.id, url: live.urlFor(view), ...shown });
    },

    'live.close': async (r, ctx) => {
      const v = live.view(r.viewId);
      if (v && v.connectionId === ctx.connection.id) await live.close(v.id, 'closed by the viewer');
      else if (!v && site) await site.media.endGrant(ctx.connection.id, r.viewId, 'closed by the viewer');
      return ok({ done: true as const });
    },

    'live.status': async (_r, ctx) => {
      const rows = await cameras.visibleTo(requireSession(ctx).userId);
      const statuses = await live.statusesOf(rows);
      return ok({
        cameras: rows.map((c) => ({ cameraId: c.id, ...statuses.get(c.id)! })),
        openViewIds: [...live.openViewIds(ctx.connection.id), ...(site ? await site.media.openGrants(ctx.connection.id) : [])],
      });
    },

    'walls.list': async (_r, ctx) => {
      const visible = (await ctx.visibility()).cameraIds;
      // At an enrolled seat, the walls of its room; at a desk with no seat (the embedded console,
      // the engine's own machine), every room's.
      const { seatId } = ctx.connection;
      const seatRoom = seatId === undefined ? null : await seats.roomOf(seatId);
      const shownRooms = seatId === undefined ? null : seatRoom === null ? [] : [seatRoom];
      return ok({
        walls: await walls.list(requireSession(ctx).userId),
        roomWalls: await walls.roomWalls(shownRooms, visible),
        rooms: [...new Set([...(await seats.rooms()), ...(await walls.publishedRooms())])].sort(),
      });
    },

    'walls.save': async (r, ctx) => {
      const s = requireSession(ctx);
      const arrangements = await checkedArrangements(r, ctx);
      return 'refused' in arrangements ? arrangements.refused : ok(await walls.save(s.userId, r.name, r.layout, arrangements.value));
    },

    'walls.publish': async (r, ctx) => {
      const s = requireSession(ctx);
      const arrangements = await checkedArrangements(r, ctx);
      return 'refused' in arrangements ? arrangements.refused : ok(await walls.publish(s.username, r.room, r.name, r.layout, arrangements.value));
    },

    'walls.unpublish': async (r) => ok({ deleted: await walls.unpublish(r.room, r.name) }),

    'walls.delete': async (r, ctx) => ok({ deleted: await walls.delete(requireSession(ctx).userId, r.name) }),
  };
}

/**
 * A wall's arrangements as sent, checked (no layout with more tiles than it has) and with the cameras
 * the caller cannot see dropped, not stored: a wall never names a camera its author does not see.
 */
async function checkedArrangements(
  r: { layout: WallLayout; tiles: readonly (number | null)[]; arrangements?: WallArrangements },
  ctx: HandlerContext,
): Promise<{ value: WallArrangements } | { refused: Result<never> }> {
  if (r.tiles.length > r.layout) return { refused: fail('InvalidArgument', `A ${r.layout}-tile wall has at most ${r.layout} tiles.`, ['tiles: too many']) };
  for (const l of WALL_LAYOUTS) {
    const tiles = r.arrangements?.[String(l) as keyof WallArrangements];
    if (tiles && tiles.length > l) return { refused: fail('InvalidArgument', `A ${l}-tile arrangement has at most ${l} tiles.`, [`arrangements.${l}: too many`]) };
  }
  const arrangements: WallArrangements = {};
  for (const l of WALL_LAYOUTS) {
    const tiles = l === r.layout ? r.tiles : r.arrangements?.[String(l) as keyof WallArrangements];
    if (tiles) arrangements[String(l) as keyof WallArrangements] = fitTiles(tiles, l);
  }
  return { value: onlyVisible(arrangements, (await ctx.visibility()).cameraIds) };
}
