// Sign-in throttling (JON 15.6): after N wrong passwords a user name is locked for M minutes.
// Kept per user name as typed, whether or not the user exists, so the answer never reveals
// which user names exist.
//
// Invariant: an attempt is counted BEFORE its password is verified (the slow scrypt). Counting
// after it let 40 guesses sent at once all be verified against a threshold of 5; now at most
// `threshold` attempts are ever in flight or failed between two locks.
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

  /**
   * Counts one attempt before its password is checked. 'locked' when the user name is locked, or
   * when earlier attempts (failed or still being checked) already used up the threshold.
   */
  async beginAttempt(username: string, threshold: number): Promise<'go' | 'locked'> {
    const now = this.clock.nowMs();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('sign_in_throttle').selectAll().where('username', '=', username).executeTakeFirst();
      const lockedUntil = Number(row?.locked_until_ms ?? 0);
      if (lockedUntil > now) return 'locked';
      // A lock that has run out starts a fresh count.
      const counted = lockedUntil > 0 ? 0 : (row?.failures ?? 0);
      if (counted >= threshold) return 'locked';
      const values = { username, failures: counted + 1, locked_until_ms: 0, last_failure_at_ms: now };
      await trx
        .insertInto('sign_in_throttle')
        .values(values)
        .onConflict((oc) => oc.column('username').doUpdateSet(values))
        .execute();
      return 'go';
    });
  }

  /** After a wrong password (already counted by beginAttempt): true when this failure locked the name. */
  async recordFailure(username: string, threshold: number, lockoutMinutes: number): Promise<boolean> {
    const now = this.clock.nowMs();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('sign_in_throttle').selectAll().where('username', '=', username).executeTakeFirst();
      if (!row || Number(row.locked_until_ms) > now || row.failures < threshold) return false;
      await trx
        .updateTable('sign_in_throttle')
        .set({ failures: 0, locked_until_ms: now + lockoutMinutes * 60_000, last_failure_at_ms: now })
        .where('username', '=', username)
        .execute();
      return true;
    });
  }

  async reset(username: string): Promise<void> {
    await this.db.deleteFrom('sign_in_throttle').where('username', '=', username).execute();
  }
}
