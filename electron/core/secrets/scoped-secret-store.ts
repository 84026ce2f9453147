// The keychain entries of one data directory. The OS keychain is one per user account and shared by
// every engine that user runs on the machine: the embedded console, `npm run demo`, a training copy,
// the journeys of a test run. Entries named only `camera:1` or `site:export-signing-key` let one
// engine read or overwrite another's camera passwords, and sign evidence packages with another
// site's key. So each data directory gets a random scope at its first start, kept in its database
// (settings row 'secrets'), and its entries are named `<scope>/<account>`.
//
// A data directory older than the scopes (it already has user accounts when its scope is made)
// adopts its unscoped entries: on the first read of an account its old entry is copied under the
// scope, then removed. A new data directory never reads unscoped entries, so a demo started after
// the console cannot take the console's signing key.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { readSetting, writeSetting } from '../admin/settings-service';
import type { Database } from '../store/schema';
import type { SecretStore } from './secret-store';

interface ScopeSetting {
  scope: string;
  /** True when the directory predates the scopes and may adopt unscoped entries. */
  adoptsUnscoped: boolean;
}

function isScopeSetting(v: unknown): v is ScopeSetting {
  return typeof v === 'object' && v !== null && typeof (v as ScopeSetting).scope === 'string' && /^[0-9a-f-]{36}$/.test((v as ScopeSetting).scope) && typeof (v as ScopeSetting).adoptsUnscoped === 'boolean';
}

/** This data directory's scope, made (and whether it adopts unscoped entries decided) at its first start. */
export async function secretScope(db: Kysely<Database>): Promise<ScopeSetting> {
  const stored = await readSetting(db, 'secrets');
  if (isScopeSetting(stored)) return stored;
  const hasUsers = (await db.selectFrom('users').select('id').limit(1).execute()).length > 0;
  const made: ScopeSetting = { scope: randomUUID(), adoptsUnscoped: hasUsers };
  await writeSetting(db, 'secrets', made);
  return made;
}

export function scopedSecretStore(inner: SecretStore, { scope, adoptsUnscoped }: ScopeSetting): SecretStore {
  const scoped = (account: string) => `${scope}/${account}`;
  return {
    set: (account, secret) => inner.set(scoped(account), secret),
    async get(account) {
      const value = await inner.get(scoped(account));
      if (value !== null || !adoptsUnscoped) return value;
      const old = await inner.get(account);
      if (old === null) return null;
      await inner.set(scoped(account), old);
      await inner.delete(account);
      return old;
    },
    async delete(account) {
      const removed = await inner.delete(scoped(account));
      // An entry never adopted is removed too: deleting a camera's password leaves none behind.
      const removedOld = adoptsUnscoped ? await inner.delete(account) : false;
      return removed || removedOld;
    },
  };
}
