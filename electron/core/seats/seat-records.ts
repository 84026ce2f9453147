// Every SQL statement on the `seats` table (one owner per table, docs/design/overview.md §9).
// Enrolment and revocation are single conditional UPDATEs, so two requests with the same code,
// or a revocation racing an enrolment, cannot both win.
import type { Kysely, Selectable } from 'kysely';
import type { Database, SeatsTable } from '../store/schema';

export type SeatRow = Selectable<SeatsTable>;

export class SeatRecords {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(r: { name: string; room: string; createdBy: string; createdAtMs: number; codeSha256: string; codeExpiresAtMs: number }): Promise<SeatRow> {
    return this.db
      .insertInto('seats')
      .values({ name: r.name, room: r.room, created_by: r.createdBy, created_at_ms: r.createdAtMs, code_sha256: r.codeSha256, code_expires_at_ms: r.codeExpiresAtMs })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  byId(id: number): Promise<SeatRow | undefined> {
    return this.db.selectFrom('seats').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byCode(codeSha256: string): Promise<SeatRow | undefined> {
    return this.db.selectFrom('seats').selectAll().where('code_sha256', '=', codeSha256).executeTakeFirst();
  }

  activeByName(name: string): Promise<SeatRow | undefined> {
    return this.db.selectFrom('seats').selectAll().where('name', '=', name).where('revoked_at_ms', 'is', null).executeTakeFirst();
  }

  all(): Promise<SeatRow[]> {
    return this.db.selectFrom('seats').selectAll().orderBy('id').execute();
  }

  /** Uses the code: true when this call enrolled the seat (not enrolled, not revoked, code unexpired). */
  async enrol(id: number, u: { credentialSha256: string; version: string; nowMs: number; address: string }): Promise<boolean> {
    const r = await this.db
      .updateTable('seats')
      .set({ enrolled_at_ms: u.nowMs, credential_sha256: u.credentialSha256, version: u.version, last_seen_at_ms: u.nowMs, last_address: u.address })
      .where('id', '=', id)
      .where('enrolled_at_ms', 'is', null)
      .where('revoked_at_ms', 'is', null)
      .where('code_expires_at_ms', '>=', u.nowMs)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async seen(id: number, u: { nowMs: number; address: string; version?: string }): Promise<void> {
    await this.db
      .updateTable('seats')
      .set({ last_seen_at_ms: u.nowMs, last_address: u.address, ...(u.version ? { version: u.version } : {}) })
      .where('id', '=', id)
      .execute();
  }

  /** True when this call revoked the seat (it was not revoked before). */
  async revoke(id: number, u: { by: string; reason: string; nowMs: number }): Promise<boolean> {
    const r = await this.db
      .updateTable('seats')
      .set({ revoked_at_ms: u.nowMs, revoked_by: u.by, revoke_reason: u.reason })
      .where('id', '=', id)
      .where('revoked_at_ms', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
