// Users: created by administrators, deactivated but never deleted (the audit trail must still name
// them), each with one role (docs/design/overview.md §6) and camera groups.
import type { Kysely, Selectable } from 'kysely';
import { ACCESS_STATES, type AccessState, type UserView } from '../../../shared/contract';
import { LANGUAGES, type Language } from '../../../shared/i18n-languages';
import { ROLES, type Role } from '../../../shared/roles';
import type { Clock } from '../clock';
import type { Database, UsersTable } from '../store/schema';
import { grantInForce, grantsValidUntil } from '../access/grants-service';
import { earlierHashes, matchesAny, retirePassword } from './password-age';

export type UserRow = Selectable<UsersTable>;

export function userRole(row: UserRow): Role {
  const role = ROLES.find((r) => r === row.role);
  if (!role) throw new Error(`user ${row.id} has an unknown role in the database`);
  return role;
}

/** An unknown value parks the account: rights are in force only when the register says so. */
export function accessStateOf(row: Pick<UserRow, 'access_state'>): AccessState {
  return ACCESS_STATES.find((s) => s === row.access_state) ?? 'pending';
}

export function userLanguage(row: UserRow): Language {
  return LANGUAGES.find((l) => l === row.language) ?? 'en';
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  language: Language;
  passwordHash: string;
  mustChangePassword: boolean;
  groupIds: readonly number[];
}

export class UsersService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async count(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async countActiveAdmins(exceptUserId?: number): Promise<number> {
    let q = this.db.selectFrom('users').where('role', '=', 'administrator').where('active', '=', 1);
    if (exceptUserId !== undefined) q = q.where('id', '!=', exceptUserId);
    const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  byUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  byId(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async groupIds(userId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('user_groups').select('group_id').where('user_id', '=', userId).orderBy('group_id').execute();
    return rows.map((r) => r.group_id);
  }

  /** A user's view; `known` gives what a list has read for every user at once. */
  async view(row: UserRow, known?: { groupIds: number[]; validUntilMs: number | null }): Promise<UserView> {
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: userRole(row),
      language: userLanguage(row),
      active: row.active === 1,
      mustChangePassword: row.must_change_password === 1,
      commitmentAcceptedAtMs: row.commitment_accepted_at_ms === null ? null : Number(row.commitment_accepted_at_ms),
      createdAtMs: Number(row.created_at_ms),
      deactivatedAtMs: row.deactivated_at_ms === null ? null : Number(row.deactivated_at_ms),
      groupIds: known ? known.groupIds : await this.groupIds(row.id),
      accessState: accessStateOf(row),
      accessValidUntilMs: known ? known.validUntilMs : await this.validUntil(row.id),
    };
  }

  /** Until when the grant in force or waiting is good (null: open-ended or none). */
  private async validUntil(userId: number): Promise<number | null> {
    const g = await grantInForce(this.db, userId);
    return g?.valid_until_ms == null ? null : Number(g.valid_until_ms);
  }

  /** Every account's display name by id (the register names people as they are known). */
  async displayNames(): Promise<Map<number, string>> {
    const rows = await this.db.selectFrom('users').select(['id', 'display_name']).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  async list(includeInactive: boolean): Promise<UserView[]> {
    let q = this.db.selectFrom('users').selectAll().orderBy('username');
    if (!includeInactive) q = q.where('active', '=', 1);
    const rows = await q.execute();
    const memberships = await this.db.selectFrom('user_groups').selectAll().execute();
    const byUser = new Map<number, number[]>();
    for (const m of memberships) byUser.set(m.user_id, [...(byUser.get(m.user_id) ?? []), m.group_id]);
    const until = await grantsValidUntil(this.db);
    return Promise.all(rows.map((r) => this.view(r, { groupIds: (byUser.get(r.id) ?? []).sort((a, b) => a - b), validUntilMs: until.get(r.id) ?? null })));
  }

  async create(u: NewUser): Promise<UserRow> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('users')
        .values({
          username: u.username,
          display_name: u.displayName,
          role: u.role,
          language: u.language,
          password_hash: u.passwordHash,
          must_change_password: u.mustChangePassword ? 1 : 0,
          active: 1,
          commitment_accepted_at_ms: null,
          commitment_version: null,
          created_at_ms: this.clock.nowMs(),
          deactivated_at_ms: null,
          password_changed_at_ms: this.clock.nowMs(),
          // Parked until its grant is recorded (access/grants-service.ts): a failure between the two
          // leaves an account with no rights, never one with rights and no grant.
          access_state: 'pending',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (u.groupIds.length > 0) {
        await trx.insertInto('user_groups').values(u.groupIds.map((g) => ({ user_id: row.id, group_id: g }))).execute();
      }
      return row;
    });
  }

  async update(id: number, fields: Partial<Pick<UsersTable, 'display_name' | 'role' | 'language' | 'password_hash' | 'must_change_password' | 'active' | 'deactivated_at_ms' | 'commitment_accepted_at_ms' | 'commitment_version' | 'password_changed_at_ms'>>): Promise<UserRow | undefined> {
    return this.db.updateTable('users').set(fields).where('id', '=', id).returningAll().executeTakeFirst();
  }

  /**
   * Sets a new password (already hashed) and starts its age (JON 15.6). The hash it replaces is
   * kept among the user's earlier ones, at most `keepEarlier` of them (securitySettings.passwordHistory).
   * One transaction: the password and its history never disagree.
   */
  async setPassword(id: number, passwordHash: string, mustChangePassword: boolean, keepEarlier: number): Promise<UserRow | undefined> {
    const now = this.clock.nowMs();
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
      if (!before) return undefined;
      await retirePassword(trx, id, before.password_hash, now, keepEarlier);
      return trx
        .updateTable('users')
        .set({ password_hash: passwordHash, must_change_password: mustChangePassword ? 1 : 0, password_changed_at_ms: now })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    });
  }

  /** Whether `password` is the user's current password or one of their `earlier` ones before it
   *  (JON 15.6: passwords are unique). Which one it matched is not told. */
  async usedBefore(row: UserRow, password: string, earlier: number): Promise<boolean> {
    return matchesAny(password, [row.password_hash, ...(await earlierHashes(this.db, row.id, earlier))]);
  }

  async setGroups(userId: number, groupIds: readonly number[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('user_groups').where('user_id', '=', userId).execute();
      if (groupIds.length > 0) {
        await trx.insertInto('user_groups').values([...new Set(groupIds)].map((g) => ({ user_id: userId, group_id: g }))).execute();
      }
    });
  }
}
