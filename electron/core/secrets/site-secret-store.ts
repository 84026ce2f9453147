// Camera passwords of a site of several nodes (docs/design/scale.md "Camera passwords on every
// node"): a node taking a camera over must open its password, and each machine's keychain is its
// own. So on a site of nodes the passwords are in the site's database, each sealed (seal.ts) under
// the site's secrets key, which every node derives from the site CA's private key it was given at
// install (host/tls-identity.ts): the database alone, or a node's data directory alone, opens none.
// A password this node kept in its own store before the site had nodes is moved into the database
// the first time it is read. Owns site_secrets. Invariant: no method here logs a secret.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import { openSecret, sealSecret } from './seal';
import type { SecretStore } from './secret-store';

export function createSiteSecretStore(o: { db: Kysely<Database>; key: Buffer; local: SecretStore; nowMs: () => number }): SecretStore {
  const check = (account: string) => {
    if (account.length === 0 || account.length > 200) throw new RangeError('secret account name must be 1-200 characters');
  };
  const put = async (account: string, secret: string) => {
    const row = { sealed: sealSecret(o.key, account, secret), updated_at_ms: o.nowMs() };
    await o.db
      .insertInto('site_secrets')
      .values({ account, ...row })
      .onConflict((oc) => oc.column('account').doUpdateSet(row))
      .execute();
  };
  return {
    async set(account, secret) {
      check(account);
      if (secret.length === 0) throw new RangeError('an empty secret cannot be stored; delete the account instead');
      await put(account, secret);
      // One place only: what this machine kept before is not left behind to go stale.
      await o.local.delete(account).catch(() => false);
    },
    async get(account) {
      check(account);
      const row = await o.db.selectFrom('site_secrets').select('sealed').where('account', '=', account).executeTakeFirst();
      if (row) return openSecret(o.key, account, Buffer.from(row.sealed), "the site's secrets key");
      const kept = await o.local.get(account);
      if (kept === null) return null;
      await put(account, kept);
      await o.local.delete(account).catch(() => false);
      return kept;
    },
    async delete(account) {
      check(account);
      const r = await o.db.deleteFrom('site_secrets').where('account', '=', account).executeTakeFirst();
      const local = await o.local.delete(account).catch(() => false);
      return Number(r.numDeletedRows) > 0 || local;
    },
  };
}
