// Live view and the guard's walls (docs/design/live-pipeline.md; ELB 1.6: who watched which camera,
// from when to when).
import { z } from 'zod';
import { STREAM_KINDS, WALL_LAYOUTS } from '../cameras';
import { streamStatusView } from './cameras';
import { cameraRef, command } from './define';
import { empty, id, text } from './fields';

export const wallView = z.strictObject({
  name: z.string(),
  layout: z.union(WALL_LAYOUTS.map((n) => z.literal(n)) as unknown as [z.ZodLiteral<1>, z.ZodLiteral<4>, z.ZodLiteral<9>, z.ZodLiteral<16>]),
  /** Camera id per tile, null for an empty tile; length = layout. */
  tiles: z.array(id.nullable()).max(16),
  updatedAtMs: z.number(),
});
export type WallView = z.infer<typeof wallView>;

const watch = { kind: 'permission', permission: 'live.view' } as const;

export const LIVE_COMMANDS = {
  'live.open': command({
    request: z.strictObject({ cameraId: id, stream: z.enum(STREAM_KINDS) }),
    response: z.strictObject({ viewId: z.string(), url: z.string(), stream: z.enum(STREAM_KINDS) }),
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
    response: z.strictObject({ walls: z.array(wallView) }),
    access: watch,
    audit: { when: 'never', why: 'the caller’s own tile arrangement' },
    example: {},
  }),
  'walls.save': command({
    request: z.strictObject({ name: text(60), layout: wallView.shape.layout, tiles: z.array(id.nullable()).max(16) }),
    response: wallView,
    access: watch,
    audit: { when: 'never', why: 'the caller’s own tile arrangement; opening a camera is audited' },
    // A saved wall may name a camera the user no longer sees: it is dropped, not refused.
    scope: { filtered: 'a camera the caller cannot see is dropped from the wall, not stored' },
    example: { name: 'Main wall', layout: 4, tiles: [null, null, null, null] },
  }),
} as const;
