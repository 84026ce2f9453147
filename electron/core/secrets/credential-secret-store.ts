// Secrets of the site engine run as a service (docs/design/site-engine.md "Secrets"): a service has
// no desktop session, so no OS keychain (Secret Service) to open. Camera passwords and the site's
// signing key are kept in the data directory instead, each sealed with AES-256-GCM under a 256-bit
// key that systemd hands the service as an encrypted credential (LoadCredentialEncrypted=: bound to
// the machine's credential key and, where there is one, its TPM). Copying the data directory to
// another machine gives ciphertext only; nothing here ever holds the key on disk in the clear.
// Invariant: no method here logs, and no error message built here contains a secret.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openSecret, sealSecret } from './seal';
import type { SecretStore } from './secret-store';

/** The credential's name in the unit (LoadCredentialEncrypted=secrets-key:...). */
export const SECRETS_KEY_CREDENTIAL = 'secrets-key';
export const SECRETS_DIR = 'secrets';

/** Reads the 32-byte key systemd decrypted into $CREDENTIALS_DIRECTORY, or says why it cannot. */
export function credentialKey(credentialsDirectory = process.env.CREDENTIALS_DIRECTORY): Buffer {
  if (!credentialsDirectory) {
    throw new Error(`no systemd credentials (CREDENTIALS_DIRECTORY is not set): run the engine from its unit, which loads the '${SECRETS_KEY_CREDENTIAL}' credential, or use --secrets keychain`);
  }
  let key: Buffer;
  try {
    key = fs.readFileSync(path.join(credentialsDirectory, SECRETS_KEY_CREDENTIAL));
  } catch {
    throw new Error(`the '${SECRETS_KEY_CREDENTIAL}' credential is missing from ${credentialsDirectory}: scripts/install-engine.sh creates it`);
  }
  if (key.length !== 32) throw new Error(`the '${SECRETS_KEY_CREDENTIAL}' credential must hold 32 bytes, not ${key.length}`);
  return key;
}

/**
 * A SecretStore in `<dataDir>/secrets/` (0700; files 0600), one file per account named by the
 * SHA-256 of the account, sealed with `key`; the account is authenticated data, so a file moved to
 * another account's name does not open.
 */
export function createCredentialSecretStore(o: { dataDir: string; key: Buffer }): SecretStore {
  const dir = path.join(o.dataDir, SECRETS_DIR);
  const fileOf = (account: string) => path.join(dir, `${createHash('sha256').update(account).digest('hex')}.secret`);
  const check = (account: string) => {
    if (account.length === 0 || account.length > 200) throw new RangeError('secret account name must be 1-200 characters');
  };

  return {
    async set(account, secret) {
      check(account);
      if (secret.length === 0) throw new RangeError('an empty secret cannot be stored; delete the account instead');
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = fileOf(account);
      const tmp = `${file}.tmp`;
      // Written whole, then renamed: a crash leaves the old secret or the new one, never half of one.
      fs.writeFileSync(tmp, sealSecret(o.key, account, secret), { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    async get(account) {
      check(account);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(fileOf(account));
      } catch {
        return null;
      }
      return openSecret(o.key, account, bytes, "this machine's key");
    },
    async delete(account) {
      check(account);
      try {
        fs.rmSync(fileOf(account));
        return true;
      } catch {
        return false;
      }
    },
  };
}
