// Camera groups: visibility of cameras is granted per group (docs/design/overview.md §6). Cameras join them later.
import type { Kysely } from 'kysely';
import type { GroupView } from '../../../shared/contract';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';

export class GroupsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<GroupView[]> {
    const rows = await this.db
      .selectFrom('camera_groups as g')
      .leftJoin('user_groups as ug', 'ug.group_id', 'g.id')
      .select((eb) => ['g.id', 'g.name', 'g.description', 'g.created_at_ms', eb.fn.count<number>('ug.user_id').as('members')])
      .groupBy('g.id')
      .orderBy('g.name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      createdAtMs: Number(r.created_at_ms),
      memberCount: Number(r.members),
    }));
  }

  /** Group names by id, for lists of cameras. */
  async names(): Promise<Map<number, string>> {
    const rows = await this.db.selectFrom('camera_groups').select(['id', 'name']).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async get(id: number): Promise<GroupView | undefined> {
    return (await this.list()).find((g) => g.id === id);
  }

  async nameTaken(name: string, exceptId?: number): Promise<boolean> {
    let q = this.db.selectFrom('camera_groups').select('id').where((eb) => eb.fn('lower', ['name']), '=', name.toLowerCase());
    if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async create(name: string, description: string): Promise<number> {
    const row = await this.db
      .insertInto('camera_groups')
      .values({ name, description, created_at_ms: this.clock.nowMs() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async update(id: number, name: string, description: string): Promise<boolean> {
    const r = await this.db.updateTable('camera_groups').set({ name, description }).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('camera_groups').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async existingIds(ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('camera_groups').select('id').where('id', 'in', [...ids]).execute();
    return new Set(rows.map((r) => r.id));
  }
}
