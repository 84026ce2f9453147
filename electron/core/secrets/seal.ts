// Sealing one secret under a 256-bit key (AES-256-GCM, the account as authenticated data, so a
// sealed secret moved to another account's name does not open): the service's secrets in its data
// directory (credential-secret-store.ts) and the site's camera passwords in its database
// (site-secret-store.ts). Invariant: no error message built here contains a secret.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealSecret(key: Buffer, account: string, secret: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(account, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, body, cipher.getAuthTag()]);
}

/** The secret, or an error naming the account and `whose` key it did not open with. */
export function openSecret(key: Buffer, account: string, bytes: Buffer, whose: string): string {
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT) throw new Error(`stored secret of ${account} is damaged`);
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(account, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`stored secret of ${account} does not open with ${whose} (altered, or from elsewhere)`);
  }
}
