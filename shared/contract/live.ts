// Live view and the guard's walls (docs/design/live-pipeline.md; ELB 1.6: who watched which camera,
// from when to when).
import { z } from 'zod';
import { maskLift, maskShape } from './masks';
import { STREAM_KINDS, WALL_LAYOUTS } from '../cameras';
import { streamStatusView } from './cameras';
import { cameraRef, command } from './define';
import { empty, id, text } from './fields';

const wallTiles = z.array(id.nullable()).max(16);
const wallLayout = z.union(WALL_LAYOUTS.map((n) => z.literal(n)) as unknown as [z.ZodLiteral<1>, z.ZodLiteral<4>, z.ZodLiteral<9>, z.ZodLiteral<16>]);
/**
 * Each layout's own arrangement (camera id per tile), kept when the guard switches layouts: a 3x3
 * wall shown as 2x2 for a while comes back with its nine cameras where they were.
 */
export const wallArrangements = z.strictObject({ '1': wallTiles.optional(), '4': wallTiles.optional(), '9': wallTiles.optional(), '16': wallTiles.optional() });
export type WallArrangements = z.infer<typeof wallArrangements>;
export const WALL_NAME_MAX = 60;

/** `tiles` as a wall of `layout` tiles: padded with empty tiles or cut to the layout's size. */
export function fitTiles(tiles: readonly (number | null)[], layout: (typeof WALL_LAYOUTS)[number]): (number | null)[] {
  return Array.from({ length: layout }, (_, i) => tiles[i] ?? null);
}

/** The tiles `layout` shows: its arrangement, fitted to the layout (empty when it has none). */
export function wallTilesOf(arrangements: WallArrangements, layout: (typeof WALL_LAYOUTS)[number]): (number | null)[] {
  return fitTiles(arrangements[String(layout) as keyof WallArrangements] ?? [], layout);
}

export const wallView = z.strictObject({
  name: z.string(),
  layout: wallLayout,
  /** Camera id per tile of the layout shown, null for an empty tile; length = layout. */
  tiles: wallTiles,
  arrangements: wallArrangements,
  updatedAtMs: z.number(),
});
export type WallView = z.infer<typeof wallView>;

/**
 * A wall a supervisor published for a room: every user at a seat of that room finds it among their
 * walls (a desk with no enrolled seat, such as the embedded console, finds every room's), with the
 * cameras that user may not see left empty.
 */
export const roomWallView = wallView.extend({ room: z.string(), publishedBy: z.string() });
export type RoomWallView = z.infer<typeof roomWallView>;

const watch = { kind: 'permission', permission: 'live.view' } as const;

export const LIVE_COMMANDS = {
  'live.open': command({
    request: z.strictObject({ cameraId: id, stream: z.enum(STREAM_KINDS) }),
    response: z.strictObject({
      viewId: z.string(),
      url: z.string(),
      stream: z.enum(STREAM_KINDS),
      /** The camera's privacy masks in force now, drawn over the picture (R7). */
      masks: z.array(maskShape),
      /** This session's lift of the liftable ones, while it lasts. */
      lift: maskLift.nullable(),
    }),
    access: watch,
    // ELB 1.6: who watched which camera; the end of the view is audited with its duration.
    audit: { when: 'before' },
    scope: { refs: (r) => [cameraRef(r.cameraId)] },
    target: (r) => `camera#${r.cameraId}`,
    example: { cameraId: 999, stream: 'sub' },
  }),
  'live.close': command({
    request: z.strictObject({ viewId: text(64) }),
    response: z.strictObject({ done: z.literal(true) }),
    access: watch,
    audit: { when: 'never', why: 'the view’s end is audited as live.view.ended with its duration' },
    example: { viewId: 'no-such-view' },
  }),
  'live.status': command({
    request: z.strictObject({ viewIds: z.array(text(64)).max(32) }),
    response: z.strictObject({
      cameras: z.array(z.strictObject({ cameraId: id, main: streamStatusView, sub: streamStatusView.nullable() })),
      /** Views that still exist (a view ends when its token expires or the camera becomes invisible). */
      openViewIds: z.array(z.string()),
    }),
    access: watch,
    audit: { when: 'never', why: 'polled by the wall for tile states; carries no footage' },
    scope: { filtered: 'states of the caller’s visible cameras only' },
    example: { viewIds: [] },
  }),
  'walls.list': command({
    request: empty,
    response: z.strictObject({
      walls: z.array(wallView),
      roomWalls: z.array(roomWallView),
      /** The rooms a wall can be published for: those of the enrolled seats and of published walls. */
      rooms: z.array(z.string()),
    }),
    access: watch,
    audit: { when: 'never', why: 'the caller’s own tile arrangement' },
    example: {},
  }),
  'walls.save': command({
    request: z.strictObject({ name: text(WALL_NAME_MAX, 1), layout: wallLayout, tiles: wallTiles, arrangements: wallArrangements.optional() }),
    response: wallView,
    access: watch,
    audit: { when: 'never', why: 'the caller’s own tile arrangement; opening a camera is audited' },
    // A saved wall may name a camera the user no longer sees: it is dropped, not refused.
    scope: { filtered: 'a camera the caller cannot see is dropped from the wall, not stored' },
    example: { name: 'Main wall', layout: 4, tiles: [null, null, null, null], arrangements: { '9': [null, null, null, null, null, null, null, null, null] } },
  }),
  'walls.publish': command({
    request: z.strictObject({ room: text(64), name: text(WALL_NAME_MAX, 1), layout: wallLayout, tiles: wallTiles, arrangements: wallArrangements.optional() }),
    response: roomWallView,
    access: { kind: 'permission', permission: 'walls.publish' },
    // What a whole room is shown is the supervisor's decision: who published what for which room.
    audit: { when: 'before' },
    scope: { filtered: 'a camera the publisher cannot see is dropped from the wall, not published' },
    target: (r) => `room:${r.room} wall:${r.name}`,
    example: { room: 'Control room', name: 'Night shift', layout: 4, tiles: [null, null, null, null] },
  }),
  'walls.unpublish': command({
    request: z.strictObject({ room: text(64), name: text(WALL_NAME_MAX, 1) }),
    response: z.strictObject({ deleted: z.boolean() }),
    access: { kind: 'permission', permission: 'walls.publish' },
    audit: { when: 'before' },
    target: (r) => `room:${r.room} wall:${r.name}`,
    example: { room: 'Control room', name: 'Night shift' },
  }),
  'walls.delete': command({
    request: z.strictObject({ name: text(WALL_NAME_MAX, 1) }),
    response: z.strictObject({ deleted: z.boolean() }),
    access: watch,
    audit: { when: 'never', why: 'the caller’s own tile arrangement' },
    example: { name: 'Night shift' },
  }),
} as const;
