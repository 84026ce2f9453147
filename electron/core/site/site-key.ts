// The site's signing key (Ed25519, OS keychain; docs/design/exports.md): it signs evidence packages
// and the audit trail's checkpoints. site.get shows the fingerprint of a key that exists without
// creating one (reading the site must not mint a key whose fingerprint nobody put on paper); the
// first signature creates it (exports/production/signing-key.ts).
import { createPrivateKey } from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store';
import type { Signer } from '../exports/production-types';
import { loadOrCreateSigner, SIGNING_KEY_ACCOUNT, signerFromPrivateKey } from '../exports/production/signing-key';

/** The site's signing key: `existing` never creates one (site.get only reads); `loadOrCreate` does on first use. */
export interface SigningKeySource {
  existing(): Promise<Signer | null>;
  loadOrCreate(): Promise<Signer>;
}

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
