// The service's secrets without a desktop keychain (docs/design/site-engine.md "Secrets"): sealed
// with AES-256-GCM under the systemd credential's key, private files, nothing readable without
// the key, a file moved to another account's name or altered does not open, and an engine built on
// it keeps camera passwords the same way.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setUpAdmin, startTestEngine } from '../testing/harness';
import { TempDirs } from '../testing/temp-dirs';
import { createCredentialSecretStore, credentialKey, SECRETS_DIR, SECRETS_KEY_CREDENTIAL } from './credential-secret-store';

const dirs = new TempDirs('cred-secrets-');
const tmp = dirs.make;
afterEach(dirs.removeAll);

const SECRET = 'Zażółć-gęślą:ja/źń#%@ x';

describe('secrets sealed under a systemd credential', () => {
  it('round trip; private files; no secret in clear; delete', async () => {
    const dataDir = tmp();
    const store = createCredentialSecretStore({ dataDir, key: randomBytes(32) });
    expect(await store.get('camera:1')).toBeNull();
    await store.set('camera:1', SECRET);
    expect(await store.get('camera:1')).toBe(SECRET);
    const dir = path.join(dataDir, SECRETS_DIR);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const [file] = fs.readdirSync(dir);
    expect(fs.statSync(path.join(dir, file!)).mode & 0o777).toBe(0o600);
    const bytes = fs.readFileSync(path.join(dir, file!));
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(file).not.toContain('camera');
    expect(await store.delete('camera:1')).toBe(true);
    expect(await store.get('camera:1')).toBeNull();
    expect(await store.delete('camera:1')).toBe(false);
  });

  it('an altered file, a file moved to another account, or another key does not open', async () => {
    const dataDir = tmp();
    const key = randomBytes(32);
    const store = createCredentialSecretStore({ dataDir, key });
    await store.set('camera:1', SECRET);
    await store.set('camera:2', 'other-password');
    const dir = path.join(dataDir, SECRETS_DIR);
    const named = (account: string) => `${createHash('sha256').update(account).digest('hex')}.secret`;
    const one = path.join(dir, named('camera:1'));
    const two = path.join(dir, named('camera:2'));
    fs.copyFileSync(two, one);
    await expect(store.get('camera:1')).rejects.toThrow(/does not open/);
    await store.set('camera:1', SECRET);
    const b = fs.readFileSync(one);
    b[b.length - 20] = b[b.length - 20]! ^ 1;
    fs.writeFileSync(one, b);
    await expect(store.get('camera:1')).rejects.toThrow(/does not open/);
    await expect(createCredentialSecretStore({ dataDir, key: randomBytes(32) }).get('camera:2')).rejects.toThrow(/does not open/);
    // The messages never carry the secret.
    await createCredentialSecretStore({ dataDir, key: randomBytes(32) }).get('camera:2').catch((e: Error) => expect(e.message).not.toContain('other-password'));
  });

  it('the key comes from $CREDENTIALS_DIRECTORY, with a clear word when it is missing or wrong', () => {
    expect(() => credentialKey(undefined)).toThrow(/CREDENTIALS_DIRECTORY is not set/);
    const creds = tmp();
    expect(() => credentialKey(creds)).toThrow(/missing/);
    fs.writeFileSync(path.join(creds, SECRETS_KEY_CREDENTIAL), randomBytes(16));
    expect(() => credentialKey(creds)).toThrow(/32 bytes/);
    fs.writeFileSync(path.join(creds, SECRETS_KEY_CREDENTIAL), randomBytes(32));
    expect(credentialKey(creds)).toHaveLength(32);
  });

  it('an engine built on it keeps a camera password there and nowhere else', async () => {
    const dataDir = tmp();
    const t = await startTestEngine(dataDir, { secrets: createCredentialSecretStore({ dataDir, key: randomBytes(32) }) });
    try {
      const admin = await setUpAdmin(t);
      const g = await admin.must('groups.create', { name: 'Gate', description: '' });
      const cam = await admin.must('cameras.add', {
        settings: { name: 'Gate 1', site: 'Depot', groupId: g.id, purpose: 'entrance safety', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
        source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/gate', subUrl: null },
        username: 'cam.user',
        password: SECRET,
      });
      expect(cam.hasPassword).toBe(true);
      expect(fs.readdirSync(path.join(dataDir, SECRETS_DIR))).toHaveLength(1);
    } finally {
      await t.dispose();
    }
  });
});
