// Sign-in throttling (JON 15.6): after N wrong passwords a user name is locked for M minutes.
// Kept per user name as typed, whether or not the user exists, so the answer never reveals
// which user names exist.
import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';

export class SignInThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Milliseconds the user name is still locked for, or 0. */
  async lockedForMs(username: string): Promise<number> {
    const row = await this.db.selectFrom('sign_in_throttle').select('locked_until_ms').where('username', '=', username).executeTakeFirst();
    return row ? Math.max(0, Number(row.locked_until_ms) - this.clock.nowMs()) : 0;
  }

  /** Records a wrong password; returns true when this failure locked the user name. */
  async recordFailure(username: string, threshold: number, lockoutMinutes: number): Promise<boolean> {
    const now = this.clock.nowMs();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('sign_in_throttle').selectAll().where('username', '=', username).executeTakeFirst();
      const failures = (row && Number(row.locked_until_ms) <= now && Number(row.locked_until_ms) > 0 ? 0 : (row?.failures ?? 0)) + 1;
      const locks = failures >= threshold;
      const values = {
        username,
        failures: locks ? 0 : failures,
        locked_until_ms: locks ? now + lockoutMinutes * 60_000 : 0,
        last_failure_at_ms: now,
      };
      await trx
        .insertInto('sign_in_throttle')
        .values(values)
        .onConflict((oc) => oc.column('username').doUpdateSet(values))
        .execute();
      return locks;
    });
  }

  async reset(username: string): Promise<void> {
    await this.db.deleteFrom('sign_in_throttle').where('username', '=', username).execute();
  }
}
