// The site's export signing key (docs/design/overview.md §7, docs/design/exports.md "The package"): one Ed25519 key pair per site, created
// once; the private key lives only in the OS keychain (PKCS#8 PEM), never on disk or in the
// database. The public key travels in every evidence package; its fingerprint is printed on the
// paper handover record, which is what binds a package to this site.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { SecretStore } from '../../secrets/secret-store';
import type { Signer } from '../production-types';

export const SIGNING_KEY_ACCOUNT = 'site:export-signing-key';

/** SHA-256 of the public key's SPKI DER, hex: the same as
 *  `openssl pkey -pubin -in public-key.pem -outform DER | sha256sum`. */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** A signer around an Ed25519 private key object. */
export function signerFromPrivateKey(privateKey: KeyObject): Signer {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the export signing key must be Ed25519, not ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  const publicKey = createPublicKey(privateKey);
  return {
    // Ed25519 signs the message itself (no digest step): algorithm null.
    sign: (data) => Promise.resolve(sign(null, data, privateKey)),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
  };
}

/** A key that lives only in memory (benchmarks, tests that do not exercise the keychain). */
export function ephemeralSigner(): Signer {
  return signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey);
}

/**
 * The site's signer: reads the key from the keychain, or creates it there on first use. A stored
 * entry that is not an Ed25519 PKCS#8 key is an error, never silently replaced (a new key would
 * orphan every fingerprint already on paper).
 */
export async function loadOrCreateSigner(secrets: SecretStore): Promise<Signer> {
  const stored = await secrets.get(SIGNING_KEY_ACCOUNT);
  if (stored !== null) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: stored, format: 'pem' });
    } catch {
      throw new Error(`the keychain entry ${SIGNING_KEY_ACCOUNT} is not a readable private key; it was left untouched`);
    }
    return signerFromPrivateKey(key);
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  await secrets.set(SIGNING_KEY_ACCOUNT, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  // Read back what the keychain holds, so two engines racing on first use agree on one key.
  const kept = await secrets.get(SIGNING_KEY_ACCOUNT);
  if (kept === null) throw new Error(`the keychain did not keep ${SIGNING_KEY_ACCOUNT}`);
  return signerFromPrivateKey(createPrivateKey({ key: kept, format: 'pem' }));
}
