// Each user's saved walls (layouts of tiles). Owns the walls table.
import type { Kysely } from 'kysely';
import type { WallView } from '../../../shared/contract';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';

export class WallsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(userId: number): Promise<WallView[]> {
    const rows = await this.db.selectFrom('walls').selectAll().where('user_id', '=', userId).orderBy('name').execute();
    return rows.map((w) => ({ name: w.name, layout: w.layout as WallView['layout'], tiles: parseTiles(w.tiles_json, w.layout), updatedAtMs: Number(w.updated_at_ms) }));
  }

  async save(userId: number, name: string, layout: WallView['layout'], tiles: (number | null)[]): Promise<WallView> {
    const values = { user_id: userId, name, layout, tiles_json: JSON.stringify(tiles), updated_at_ms: this.clock.nowMs() };
    await this.db
      .insertInto('walls')
      .values(values)
      .onConflict((oc) => oc.columns(['user_id', 'name']).doUpdateSet({ layout: values.layout, tiles_json: values.tiles_json, updated_at_ms: values.updated_at_ms }))
      .execute();
    return { name, layout, tiles, updatedAtMs: values.updated_at_ms };
  }
}

function parseTiles(json: string, layout: number): (number | null)[] {
  try {
    const v: unknown = JSON.parse(json);
    if (Array.isArray(v)) return Array.from({ length: layout }, (_, i) => (typeof v[i] === 'number' ? (v[i] as number) : null));
  } catch {
    // fall through: a damaged wall shows empty tiles
  }
  return Array(layout).fill(null);
}
