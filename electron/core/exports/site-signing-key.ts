// The site's signing key as the requests side uses it: site.get shows the fingerprint of a key that
// exists without creating one (reading the site must not mint a key whose fingerprint nobody put on
// paper); the first production creates it (production/signing-key.ts, OS keychain).
import { createPrivateKey } from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store';
import type { SigningKeySource } from './exports-service';
import { loadOrCreateSigner, SIGNING_KEY_ACCOUNT, signerFromPrivateKey } from './production/signing-key';

export function siteSigningKey(secrets: SecretStore): SigningKeySource {
  return {
    async existing() {
      const stored = await secrets.get(SIGNING_KEY_ACCOUNT);
      if (stored === null) return null;
      try {
        return signerFromPrivateKey(createPrivateKey({ key: stored, format: 'pem' }));
      } catch {
        // An unreadable entry is reported by the first production (loadOrCreateSigner), never replaced.
        return null;
      }
    },
    loadOrCreate: () => loadOrCreateSigner(secrets),
  };
}
