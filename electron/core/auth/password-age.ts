// Password age and reuse (JON 15.6: passwords are unique and are changed; the site sets how often
// and how many earlier ones may not come back, securitySettings; docs/design/sign-in-and-sessions.md
// "Password age and reuse"). Only hashes of earlier passwords are kept, and only as many as asked for.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema';
import { verifyPassword } from './passwords';

const DAY_MS = 86_400_000;

/** Whether a password set at `changedAtMs` is too old to sign in with, without choosing another. */
export function passwordExpired(changedAtMs: number | null, maxAgeDays: number, nowMs: number): boolean {
  // 0: passwords never expire. null: set before the age was recorded; sign-in starts counting.
  if (maxAgeDays === 0 || changedAtMs === null) return false;
  return nowMs - Number(changedAtMs) >= maxAgeDays * DAY_MS;
}

/** The hashes of the `keep` passwords the user had most recently before the current one. */
export async function earlierHashes(db: Kysely<Database>, userId: number, keep: number): Promise<string[]> {
  if (keep <= 0) return [];
  const rows = await db.selectFrom('password_history').select('password_hash').where('user_id', '=', userId).orderBy('id', 'desc').limit(keep).execute();
  return rows.map((r) => r.password_hash);
}

/** Whether `password` is one of these hashes. Each is checked (scrypt, in parallel on the thread
 *  pool), so the answer takes as long whichever one matches. */
export async function matchesAny(password: string, hashes: readonly string[]): Promise<boolean> {
  const results = await Promise.all(hashes.map((h) => verifyPassword(password, h)));
  return results.includes(true);
}

/** Keeps the hash of a password the user stops using, then drops all but their newest `keep`. */
export async function retirePassword(trx: Transaction<Database>, userId: number, hash: string, nowMs: number, keep: number): Promise<void> {
  if (keep > 0) await trx.insertInto('password_history').values({ user_id: userId, password_hash: hash, retired_at_ms: nowMs }).execute();
  await trimHistory(trx, keep, userId);
}

/** Drops the hashes beyond the newest `keep` of each user (of one user when `userId` is given):
 *  when the site lowers securitySettings.passwordHistory, what it no longer needs is not kept. */
export async function trimHistory(db: Kysely<Database>, keep: number, userId?: number): Promise<number> {
  let q = db.selectFrom('password_history').select(['id', 'user_id']).orderBy('user_id').orderBy('id', 'desc');
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  const rows = await q.execute();
  const seen = new Map<number, number>();
  const drop: number[] = [];
  for (const r of rows) {
    const n = (seen.get(r.user_id) ?? 0) + 1;
    seen.set(r.user_id, n);
    if (n > keep) drop.push(r.id);
  }
  for (let i = 0; i < drop.length; i += 500) await db.deleteFrom('password_history').where('id', 'in', drop.slice(i, i + 500)).execute();
  return drop.length;
}
