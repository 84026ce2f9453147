// The OS keychain is shared by every engine a user runs on one machine; each data directory keeps
// to its own entries (scoped-secret-store.ts). Against the real keychain (scripts/with-keyring.sh).
import { openTestStore } from '../testing/harness';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Store } from '../store/db';
import { scopedSecretStore, secretScope } from './scoped-secret-store';
import { createKeytarSecretStore } from './secret-store';

const keychain = createKeytarSecretStore({ service: `operator-console-test-${randomBytes(4).toString('hex')}` });
const stores: Store[] = [];
const used = new Set<string>();
const remember = (account: string) => (used.add(account), account);

afterAll(async () => {
  for (const s of stores) await s.close();
  for (const account of used) await keychain.delete(account);
});

async function dataDirectory(withUsers: boolean): Promise<Store> {
  const store = await openTestStore(fs.mkdtempSync(path.join(os.tmpdir(), 'scoped-secrets-')));
  stores.push(store);
  if (withUsers) {
    await store.db
      .insertInto('users')
      .values({ username: 'adam.admin', display_name: 'Adam', role: 'administrator', language: 'en', password_hash: 'x', must_change_password: 0, active: 1, commitment_accepted_at_ms: null, commitment_version: null, created_at_ms: 0, deactivated_at_ms: null })
      .execute();
  }
  return store;
}

async function secretsOf(store: Store) {
  const scope = await secretScope(store.db);
  remember(`${scope.scope}/camera:1`);
  remember(`${scope.scope}/site:export-signing-key`);
  return scopedSecretStore(keychain, scope);
}

describe('keychain entries per data directory', () => {
  it('two engines on one machine each keep their own camera 1 password and signing key', async () => {
    const a = await secretsOf(await dataDirectory(false));
    const b = await secretsOf(await dataDirectory(false));
    await a.set('camera:1', 'password-of-site-a');
    await b.set('camera:1', 'password-of-site-b');
    await a.set('site:export-signing-key', 'key-a');
    expect(await a.get('camera:1')).toBe('password-of-site-a');
    expect(await b.get('camera:1')).toBe('password-of-site-b');
    expect(await b.get('site:export-signing-key')).toBeNull();
    expect(await b.delete('camera:1')).toBe(true);
    expect(await a.get('camera:1')).toBe('password-of-site-a');
  });

  it('a data directory keeps its scope across restarts', async () => {
    const store = await dataDirectory(false);
    const first = await secretScope(store.db);
    expect(await secretScope(store.db)).toEqual(first);
    expect(first.scope).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a new data directory never reads an unscoped entry (a demo cannot take the console’s signing key)', async () => {
    await keychain.set(remember('site:export-signing-key'), 'the-consoles-key');
    const demo = await secretsOf(await dataDirectory(false));
    expect(await demo.get('site:export-signing-key')).toBeNull();
    expect(await keychain.get('site:export-signing-key')).toBe('the-consoles-key');
  });

  it('a data directory older than the scopes adopts its unscoped entries once, and leaves none behind', async () => {
    await keychain.set(remember('camera:1'), 'stored-before-scopes');
    const store = await dataDirectory(true);
    const older = await secretsOf(store);
    expect(await older.get('camera:1')).toBe('stored-before-scopes');
    expect(await keychain.get('camera:1')).toBeNull();
    expect(await keychain.get(`${(await secretScope(store.db)).scope}/camera:1`)).toBe('stored-before-scopes');
    expect(await older.get('camera:1')).toBe('stored-before-scopes');
    // Deleting a password removes an entry never adopted too.
    await keychain.set('camera:1', 'left-over');
    expect(await older.delete('camera:1')).toBe(true);
    expect(await keychain.get('camera:1')).toBeNull();
    expect(await older.get('camera:1')).toBeNull();
  });
});
