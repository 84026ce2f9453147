// Secrets of the site engine run as a service (docs/design/site-engine.md "Secrets"): a service has
// no desktop session, so no OS keychain (Secret Service) to open. Camera passwords and the site's
// signing key are kept in the data directory instead, each sealed with AES-256-GCM under a 256-bit
// key that systemd hands the service as an encrypted credential (LoadCredentialEncrypted=: bound to
// the machine's credential key and, where there is one, its TPM). Copying the data directory to
// another machine gives ciphertext only; nothing here ever holds the key on disk in the clear.
// Invariant: no method here logs, and no error message built here contains a secret.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretStore } from './secret-store';

/** The credential's name in the unit (LoadCredentialEncrypted=secrets-key:...). */
export const SECRETS_KEY_CREDENTIAL = 'secrets-key';
export const SECRETS_DIR = 'secrets';
const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

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
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', o.key, iv);
      cipher.setAAD(Buffer.from(account, 'utf8'));
      const sealed = Buffer.concat([Buffer.from([FORMAT]), iv, cipher.update(secret, 'utf8'), cipher.final()]);
      const file = fileOf(account);
      const tmp = `${file}.tmp`;
      // Written whole, then renamed: a crash leaves the old secret or the new one, never half of one.
      fs.writeFileSync(tmp, Buffer.concat([sealed, cipher.getAuthTag()]), { mode: 0o600 });
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
      if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT) throw new Error(`stored secret of ${account} is damaged`);
      const iv = bytes.subarray(1, 1 + IV_BYTES);
      const tag = bytes.subarray(bytes.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', o.key, iv);
      decipher.setAAD(Buffer.from(account, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error(`stored secret of ${account} does not open with this machine's key (altered, or from another machine)`);
      }
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
