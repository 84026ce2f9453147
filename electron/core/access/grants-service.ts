// The register of authorised persons (docs/design/authorised-persons.md; KRK §5.4.1, §5.4.4-5.4.5;
// JON 15.2-15.3; BRN art. 34). The one owner of access_grants and of users.access_state, and the
// one writer of a user's role and camera groups: a change of rights and its grant are one
// transaction, so the account's rights and the register never disagree.
//
// The rule: a grant that reaches footage or makes an approver (shared/roles.ts grantNeedsApproval)
// waits for a second person; until then the account is parked (no permissions, no cameras). A
// change of job (another role, or groups it did not hold) ends the grant in force and parks the
// account until the new one is approved. Fewer rights take effect at once.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AccessState, GrantAuto, GrantChange, GrantEnd, GrantState, GrantView } from '../../../shared/contract';
import { approverRoles, grantNeedsApproval, ROLES, type AccessApprovers, type Role } from '../../../shared/roles';
import type { Clock } from '../clock';
import type { AccessGrantsTable, Database } from '../store/schema';

export type GrantRow = Selectable<AccessGrantsTable>;

export interface RightsChange {
  userId: number;
  role: Role;
  groupIds: readonly number[];
  change: GrantChange;
  /** Required when the grant waits for a second person; fewer rights keep the earlier basis. */
  basis: string | undefined;
  validUntilMs: number | null | undefined;
  by: string;
  /** Why, when the change takes effect without a second person (e.g. the access review that revoked a right). */
  note?: string;
}

export type ChangeOutcome =
  | { ok: true; grant: GrantRow | null; accessState: AccessState; parked: boolean; changed: boolean }
  | { ok: false; kind: 'InvalidArgument' | 'FailedPrecondition' | 'NotFound'; message: string };

export interface Decider {
  username: string;
  role: Role;
  parked: boolean;
}

const IN_FORCE: readonly GrantState[] = ['approved', 'pending'];
const ids = (json: string): number[] => JSON.parse(json) as number[];

/** The grant in force or waiting for the user (at most one). */
export function grantInForce(db: Kysely<Database>, userId: number): Promise<GrantRow | undefined> {
  return db.selectFrom('access_grants').selectAll().where('user_id', '=', userId).where('state', 'in', [...IN_FORCE]).orderBy('id', 'desc').executeTakeFirst();
}

/** Until when each user's grant in force or waiting is good (absent: open-ended or none), in one query. */
export async function grantsValidUntil(db: Kysely<Database>): Promise<Map<number, number>> {
  const rows = await db.selectFrom('access_grants').select(['user_id', 'valid_until_ms']).where('state', 'in', [...IN_FORCE]).where('valid_until_ms', 'is not', null).orderBy('id').execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.valid_until_ms)]));
}

export class AccessGrantsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly approvers: () => AccessApprovers,
    /** The camera groups' names (admin/groups-service.ts): a grant keeps them as they were. */
    private readonly groupNames: () => Promise<ReadonlyMap<number, string>>,
  ) {}

  needsApproval(role: Role): boolean {
    return grantNeedsApproval(role, this.approvers());
  }

  current(userId: number, db: Kysely<Database> = this.db): Promise<GrantRow | undefined> {
    return grantInForce(db, userId);
  }

  byId(id: number): Promise<GrantRow | undefined> {
    return this.db.selectFrom('access_grants').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(f: { userId?: number; state?: GrantState }): Promise<GrantRow[]> {
    let q = this.db.selectFrom('access_grants').selectAll().orderBy('id', 'desc');
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.state !== undefined) q = q.where('state', '=', f.state);
    return q.execute();
  }

  /** Active accounts that may approve now: an approver role, their own grant in force. */
  async activeApprovers(exceptUserId?: number, approvers: AccessApprovers = this.approvers()): Promise<number> {
    let q = this.db
      .selectFrom('users')
      .where('active', '=', 1)
      .where('access_state', '=', 'granted')
      .where('role', 'in', [...approverRoles(approvers)]);
    if (exceptUserId !== undefined) q = q.where('id', '!=', exceptUserId);
    const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * The first approver of a site has no one to approve them: their grant takes effect as the
   * site's set-up, once only (while no approver grant was ever in force), and is marked so in the
   * register. After that, making an approver needs an approver (docs/design/authorised-persons.md).
   */
  private async firstApprover(trx: Transaction<Database>, role: Role): Promise<boolean> {
    if (!approverRoles(this.approvers()).includes(role)) return false;
    const ever = await trx
      .selectFrom('access_grants')
      .select('id')
      .where('role', 'in', [...approverRoles(this.approvers())])
      .where((eb) => eb.or([eb('state', '=', 'approved'), eb('state', '=', 'ended')]))
      .executeTakeFirst();
    return ever === undefined;
  }

  /**
   * Applies a change of a user's rights with its grant (one transaction). Returns whether the
   * account is parked now, and whether its rights changed at all (nothing is recorded otherwise).
   */
  async change(c: RightsChange): Promise<ChangeOutcome> {
    const now = this.clock.nowMs();
    const groupIds = [...new Set(c.groupIds)].sort((a, b) => a - b);
    if (c.validUntilMs != null && c.validUntilMs <= now) return { ok: false, kind: 'InvalidArgument', message: 'A grant must be good until a time in the future.' };
    const nameOf = await this.groupNames();
    return this.db.transaction().execute(async (trx): Promise<ChangeOutcome> => {
      const user = await trx.selectFrom('users').selectAll().where('id', '=', c.userId).executeTakeFirst();
      if (!user) return { ok: false, kind: 'NotFound', message: 'No such user.' };
      const before = await this.current(c.userId, trx);
      const sameRights = before !== undefined && before.role === c.role && ids(before.group_ids_json).join(',') === groupIds.join(',');
      const validUntilMs = c.validUntilMs === undefined ? (before?.valid_until_ms ?? null) : c.validUntilMs;
      if (sameRights && c.change !== 'reactivated' && validUntilMs === before.valid_until_ms && (c.basis === undefined || c.basis === before.basis)) {
        return { ok: true, grant: before, accessState: user.access_state as AccessState, parked: user.access_state !== 'granted', changed: false };
      }
      if (sameRights && c.change !== 'reactivated' && validUntilMs === before.valid_until_ms) {
        // The basis is the record of what a second person approved: it is not rewritten on its own.
        return { ok: false, kind: 'InvalidArgument', message: 'The basis of a grant is the record of what was approved: it changes only with a change of rights (role, camera groups or validity).' };
      }
      const fewer =
        before?.state === 'approved' &&
        user.access_state === 'granted' &&
        c.change !== 'reactivated' &&
        before.role === c.role &&
        groupIds.every((g) => ids(before.group_ids_json).includes(g)) &&
        (validUntilMs ?? Infinity) <= (before.valid_until_ms ?? Infinity);
      const needs = this.needsApproval(c.role);
      const auto: GrantAuto | null = !needs ? 'no_footage' : fewer ? 'fewer_rights' : (await this.firstApprover(trx, c.role)) ? 'first_approver' : null;
      // Without a new basis the grant keeps the one it replaces (the handlers ask for a basis with
      // every grant of more rights); no footage, no second person: the basis is recorded when given.
      const basis = c.basis ?? before?.basis ?? (auto === 'no_footage' ? '' : undefined);
      if (basis === undefined) return { ok: false, kind: 'InvalidArgument', message: 'A grant that reaches footage needs its basis: an authorisation number or a document reference.' };

      // The grant in force or waiting gives way to the new one (a change of job suspends it).
      if (before?.state === 'approved') await this.endGrant(trx, before.id, 'superseded', now);
      if (before?.state === 'pending') await trx.updateTable('access_grants').set({ state: 'withdrawn', decided_by: c.by, decided_at_ms: now, decision_note: 'replaced by a later request' }).where('id', '=', before.id).execute();

      const grant = await trx
        .insertInto('access_grants')
        .values({
          user_id: user.id,
          username: user.username,
          role: c.role,
          group_ids_json: JSON.stringify(groupIds),
          group_names_json: JSON.stringify(groupIds.map((g) => nameOf.get(g) ?? `#${g}`)),
          basis,
          valid_until_ms: validUntilMs,
          change: c.change,
          requested_by: c.by,
          requested_at_ms: now,
          state: auto !== null ? 'approved' : 'pending',
          auto,
          decided_by: auto !== null ? 'system' : null,
          decided_at_ms: auto !== null ? now : null,
          decision_note: auto !== null ? (c.note ?? null) : null,
          ended_at_ms: null,
          end_reason: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const accessState: AccessState = auto !== null ? 'granted' : 'pending';
      await trx.updateTable('users').set({ role: c.role, access_state: accessState }).where('id', '=', user.id).execute();
      await trx.deleteFrom('user_groups').where('user_id', '=', user.id).execute();
      if (groupIds.length) await trx.insertInto('user_groups').values(groupIds.map((g) => ({ user_id: user.id, group_id: g }))).execute();
      return { ok: true, grant, accessState, parked: accessState !== 'granted', changed: true };
    });
  }

  /** The second person's decision (KRK §5.4.5). Refused with the reason when they may not decide it. */
  async decide(grantId: number, who: Decider, approve: boolean, note: string): Promise<{ ok: true; grant: GrantRow } | { ok: false; kind: 'NotFound' | 'FailedPrecondition' | 'PermissionDenied'; message: string }> {
    const now = this.clock.nowMs();
    return this.db.transaction().execute(async (trx) => {
      const g = await trx.selectFrom('access_grants').selectAll().where('id', '=', grantId).executeTakeFirst();
      if (!g) return { ok: false as const, kind: 'NotFound' as const, message: 'No such grant.' };
      const refusal = this.whyNot(g, who);
      if (refusal) return { ok: false as const, ...refusal };
      await trx
        .updateTable('access_grants')
        .set({ state: approve ? 'approved' : 'refused', decided_by: who.username, decided_at_ms: now, decision_note: note || null })
        .where('id', '=', g.id)
        .execute();
      await trx.updateTable('users').set({ access_state: approve ? 'granted' : 'refused' }).where('id', '=', g.user_id).execute();
      return { ok: true as const, grant: { ...g, state: approve ? 'approved' : 'refused', decided_by: who.username, decided_at_ms: now, decision_note: note || null } };
    });
  }

  /** Why `who` may not decide grant `g` (null: they may). The screens show canDecide from this. */
  whyNot(g: GrantRow, who: Decider): { kind: 'FailedPrecondition' | 'PermissionDenied'; message: string } | null {
    if (g.state !== 'pending') return { kind: 'FailedPrecondition', message: `The grant is ${g.state}, not waiting for a decision.` };
    if (who.parked) return { kind: 'PermissionDenied', message: 'Your own rights wait for approval: you cannot approve others.' };
    if (!approverRoles(this.approvers()).includes(who.role)) return { kind: 'PermissionDenied', message: `The site has grants approved by: ${approverRoles(this.approvers()).join(' or ')}.` };
    if (g.requested_by === who.username) return { kind: 'PermissionDenied', message: 'You asked for this grant: a second person must approve it.' };
    if (g.username === who.username) return { kind: 'PermissionDenied', message: 'A grant to yourself needs another person’s approval.' };
    return null;
  }

  /** Deactivating an account ends its grant (or withdraws the one waiting). */
  async endFor(userId: number, reason: GrantEnd, by: string): Promise<void> {
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      const g = await this.current(userId, trx);
      if (g?.state === 'approved') await this.endGrant(trx, g.id, reason, now);
      if (g?.state === 'pending') await trx.updateTable('access_grants').set({ state: 'withdrawn', decided_by: by, decided_at_ms: now, decision_note: `account ${reason}` }).where('id', '=', g.id).execute();
    });
  }

  /**
   * Grants past their end: the account is parked ('expired') and a waiting grant is withdrawn.
   * Returns the users whose rights ended now (their sessions end; docs/design/authorised-persons.md).
   */
  async expireDue(): Promise<number[]> {
    const now = this.clock.nowMs();
    return this.db.transaction().execute(async (trx) => {
      const due = await trx.selectFrom('access_grants').selectAll().where('state', 'in', [...IN_FORCE]).where('valid_until_ms', 'is not', null).where('valid_until_ms', '<=', now).execute();
      for (const g of due) {
        if (g.state === 'approved') await this.endGrant(trx, g.id, 'expired', now);
        else await trx.updateTable('access_grants').set({ state: 'withdrawn', decided_by: 'system', decided_at_ms: now, decision_note: 'its validity ended before a decision' }).where('id', '=', g.id).execute();
        await trx.updateTable('users').set({ access_state: 'expired' }).where('id', '=', g.user_id).execute();
      }
      return [...new Set(due.map((g) => g.user_id))];
    });
  }

  private async endGrant(trx: Transaction<Database>, id: number, reason: GrantEnd, now: number): Promise<void> {
    await trx.updateTable('access_grants').set({ state: 'ended', ended_at_ms: now, end_reason: reason }).where('id', '=', id).execute();
  }

  async view(g: GrantRow, viewer: Decider | null, displayNames: ReadonlyMap<number, string>): Promise<GrantView> {
    const role = ROLES.find((r) => r === g.role);
    if (!role) throw new Error(`grant ${g.id} has an unknown role`);
    return {
      id: g.id,
      userId: g.user_id,
      username: g.username,
      displayName: displayNames.get(g.user_id) ?? g.username,
      role,
      groupIds: ids(g.group_ids_json),
      groupNames: JSON.parse(g.group_names_json) as string[],
      basis: g.basis,
      validUntilMs: g.valid_until_ms === null ? null : Number(g.valid_until_ms),
      change: g.change as GrantView['change'],
      requestedBy: g.requested_by,
      requestedAtMs: Number(g.requested_at_ms),
      state: g.state as GrantState,
      auto: g.auto as GrantAuto | null,
      decidedBy: g.decided_by,
      decidedAtMs: g.decided_at_ms === null ? null : Number(g.decided_at_ms),
      decisionNote: g.decision_note,
      endedAtMs: g.ended_at_ms === null ? null : Number(g.ended_at_ms),
      endReason: g.end_reason as GrantEnd | null,
      canDecide: viewer !== null && this.whyNot(g, viewer) === null,
    };
  }
}
