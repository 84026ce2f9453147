// Each user's saved walls: named, each with the layout shown and every layout's own arrangement of
// cameras (a wall switched from 3x3 to 2x2 and back keeps its nine cameras), and the walls a
// supervisor published for a room's seats. Owns the walls and room_walls tables.
import type { Kysely } from 'kysely';
import { WALL_LAYOUTS, type WallLayout } from '../../../shared/cameras';
import { fitTiles, wallTilesOf, type RoomWallView, type WallArrangements, type WallView } from '../../../shared/contract';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';

export class WallsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(userId: number): Promise<WallView[]> {
    const rows = await this.db.selectFrom('walls').selectAll().where('user_id', '=', userId).orderBy('name').execute();
    return rows.map((w) => {
      const { layout, arrangements } = storedWall(w.layout, w.tiles_json);
      return { name: w.name, layout, tiles: wallTilesOf(arrangements, layout), arrangements, updatedAtMs: Number(w.updated_at_ms) };
    });
  }

  async save(userId: number, name: string, layout: WallLayout, arrangements: WallArrangements): Promise<WallView> {
    const values = { user_id: userId, name, layout, tiles_json: JSON.stringify({ arrangements }), updated_at_ms: this.clock.nowMs() };
    await this.db
      .insertInto('walls')
      .values(values)
      .onConflict((oc) => oc.columns(['user_id', 'name']).doUpdateSet({ layout: values.layout, tiles_json: values.tiles_json, updated_at_ms: values.updated_at_ms }))
      .execute();
    return { name, layout, tiles: wallTilesOf(arrangements, layout), arrangements, updatedAtMs: values.updated_at_ms };
  }

  /**
   * Walls published for `rooms` (null: every room), with the cameras outside `visible` left empty:
   * a wall published for a room does not show a user more than their own groups.
   */
  async roomWalls(rooms: readonly string[] | null, visible: ReadonlySet<number>): Promise<RoomWallView[]> {
    if (rooms !== null && rooms.length === 0) return [];
    let q = this.db.selectFrom('room_walls').selectAll().orderBy('room').orderBy('name');
    if (rooms !== null) q = q.where('room', 'in', rooms);
    return (await q.execute()).map((w) => {
      const { layout, arrangements: published } = storedWall(w.layout, w.tiles_json);
      const arrangements = onlyVisible(published, visible);
      return { room: w.room, name: w.name, layout, tiles: wallTilesOf(arrangements, layout), arrangements, updatedAtMs: Number(w.published_at_ms), publishedBy: w.published_by };
    });
  }

  /** Rooms that have published walls. */
  async publishedRooms(): Promise<string[]> {
    return (await this.db.selectFrom('room_walls').select('room').distinct().orderBy('room').execute()).map((r) => r.room);
  }

  async publish(actor: string, room: string, name: string, layout: WallLayout, arrangements: WallArrangements): Promise<RoomWallView> {
    const values = { room, name, layout, tiles_json: JSON.stringify({ arrangements }), published_by: actor, published_at_ms: this.clock.nowMs() };
    await this.db
      .insertInto('room_walls')
      .values(values)
      .onConflict((oc) => oc.columns(['room', 'name']).doUpdateSet({ layout, tiles_json: values.tiles_json, published_by: actor, published_at_ms: values.published_at_ms }))
      .execute();
    return { room, name, layout, tiles: wallTilesOf(arrangements, layout), arrangements, updatedAtMs: values.published_at_ms, publishedBy: actor };
  }

  async unpublish(room: string, name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('room_walls').where('room', '=', room).where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async delete(userId: number, name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('walls').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

/** A stored wall's layout (a layout no longer offered reads as 2x2) and arrangements. */
function storedWall(layoutColumn: number, json: string): { layout: WallLayout; arrangements: WallArrangements } {
  const layout = (WALL_LAYOUTS as readonly number[]).includes(layoutColumn) ? (layoutColumn as WallLayout) : 4;
  return { layout, arrangements: parseArrangements(json, layout) };
}

/**
 * Stored as `{"arrangements": {"4": [...], "9": [...]}}`; a wall saved before arrangements existed
 * is a plain array of the tiles of its layout. Anything damaged reads as empty tiles.
 */
function parseArrangements(json: string, layout: WallLayout): WallArrangements {
  const clean = (v: unknown, n: WallLayout) => (Array.isArray(v) ? fitTiles(v.map((id: unknown) => (Number.isInteger(id) && (id as number) > 0 ? (id as number) : null)), n) : undefined);
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return {};
  }
  if (Array.isArray(v)) return { [String(layout)]: clean(v, layout) };
  const stored = (v as { arrangements?: Record<string, unknown> } | null)?.arrangements;
  const out: WallArrangements = {};
  if (stored && typeof stored === 'object') {
    for (const l of WALL_LAYOUTS) {
      const tiles = clean(stored[String(l)], l);
      if (tiles) out[String(l) as keyof WallArrangements] = tiles;
    }
  }
  return out;
}

/** The arrangements with every camera outside `visible` left as an empty tile. */
export function onlyVisible(arrangements: WallArrangements, visible: ReadonlySet<number>): WallArrangements {
  const out: WallArrangements = {};
  for (const [layout, tiles] of Object.entries(arrangements)) {
    if (tiles) out[layout as keyof WallArrangements] = tiles.map((id) => (id !== null && visible.has(id) ? id : null));
  }
  return out;
}
