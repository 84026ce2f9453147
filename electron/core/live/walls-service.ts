// Each user's saved walls: named, each with the layout shown and every layout's own arrangement of
// cameras (a wall switched from 3x3 to 2x2 and back keeps its nine cameras). Owns the walls table.
import type { Kysely } from 'kysely';
import { WALL_LAYOUTS, type WallLayout } from '../../../shared/cameras';
import { fitTiles, wallTilesOf, type WallArrangements, type WallView } from '../../../shared/contract';
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
      const layout = (WALL_LAYOUTS as readonly number[]).includes(w.layout) ? (w.layout as WallLayout) : 4;
      const arrangements = parseArrangements(w.tiles_json, layout);
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

  async delete(userId: number, name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('walls').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
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
