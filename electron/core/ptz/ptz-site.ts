// Who steers each PTZ camera, for every node of a site (docs/design/ptz.md "On a site of several
// nodes"). Each node steers a camera over its own ONVIF connection, for the seats signed in at it;
// the rule "one holder per camera" is kept in the database (`ptz_holders`, migration 0027): a take
// is written only if the row is still what the taking node decided on, and the holder's node renews
// its rows every second on the database's clock. A row not renewed for PTZ_HOLDER_STALE_MS (its node
// died or lost the database) is free. A node that finds its row taken by another ends its holder
// there (taken over). Checks it cannot make refuse: a take with the database away is refused.
import type { Kysely } from 'kysely';
import type { Role } from '../../../shared/roles';
import { databaseNowMs } from '../store/dialect';
import type { Database } from '../store/schema';
import type { PtzHolder } from './ptz-control';

/** A holder's row is free when its node has not renewed it for this long (it renews every second). */
export const PTZ_HOLDER_STALE_MS = 3000;

export class PtzSiteHolders {
  constructor(private readonly o: { db: Kysely<Database>; node: string; nowMs: () => number }) {}

  private now(): Promise<number> {
    return databaseNowMs(this.o.db, this.o.nowMs);
  }

  /** The camera's live holder at another node, as the rules need it, or null (free, stale, or held here). */
  async elsewhere(cameraId: number): Promise<PtzHolder | null> {
    const now = await this.now();
    const r = await this.o.db
      .selectFrom('ptz_holders')
      .selectAll()
      .where('camera_id', '=', cameraId)
      .where('node', '<>', this.o.node)
      .where('seen_at_ms', '>', now - PTZ_HOLDER_STALE_MS)
      .executeTakeFirst();
    if (!r) return null;
    return { sessionId: r.session_id, connectionId: '', userId: r.user_id, username: r.username, displayName: r.display_name, role: r.role as Role, sinceMs: r.since_ms, lastCommandAtMs: r.last_command_at_ms };
  }

  /**
   * Writes `holder` as the camera's holder, if the camera's live holder is still `expected` (its
   * session id; null: nobody). False: another seat took it meanwhile, at this node or another.
   */
  async claim(cameraId: number, holder: PtzHolder, expected: string | null): Promise<boolean> {
    return this.o.db.transaction().execute(async (trx) => {
      const now = await databaseNowMs(trx, this.o.nowMs);
      const row = await trx.selectFrom('ptz_holders').select(['session_id', 'seen_at_ms']).where('camera_id', '=', cameraId).executeTakeFirst();
      const live = row && row.seen_at_ms > now - PTZ_HOLDER_STALE_MS ? row.session_id : null;
      if (live !== null && live !== expected && live !== holder.sessionId) return false;
      const values = {
        node: this.o.node,
        session_id: holder.sessionId,
        user_id: holder.userId,
        username: holder.username,
        display_name: holder.displayName,
        role: holder.role,
        since_ms: holder.sinceMs,
        last_command_at_ms: holder.lastCommandAtMs,
        seen_at_ms: now,
      };
      await trx
        .insertInto('ptz_holders')
        .values({ camera_id: cameraId, ...values })
        .onConflict((oc) => oc.column('camera_id').doUpdateSet(values))
        .execute();
      return true;
    });
  }

  /**
   * Renews this node's holders (with their last command, which the other nodes' seats are shown);
   * answers, for each camera whose row is no longer theirs, who has it now (null: nobody; the row
   * went stale and was taken, or was removed).
   */
  async renew(holders: readonly { cameraId: number; holder: PtzHolder }[]): Promise<Map<number, string | null>> {
    const lost = new Map<number, string | null>();
    if (holders.length === 0) return lost;
    const now = await this.now();
    for (const { cameraId, holder } of holders) {
      const r = await this.o.db
        .updateTable('ptz_holders')
        .set({ seen_at_ms: now, last_command_at_ms: holder.lastCommandAtMs })
        .where('camera_id', '=', cameraId)
        .where('session_id', '=', holder.sessionId)
        .where('node', '=', this.o.node)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) continue;
      const taker = await this.o.db.selectFrom('ptz_holders').select('username').where('camera_id', '=', cameraId).executeTakeFirst();
      lost.set(cameraId, taker?.username ?? null);
    }
    return lost;
  }

  /** The holder's PTZ session ended here: its row goes (if it is still its). */
  async release(cameraId: number, sessionId: string): Promise<void> {
    await this.o.db.deleteFrom('ptz_holders').where('camera_id', '=', cameraId).where('session_id', '=', sessionId).where('node', '=', this.o.node).execute();
  }
}
