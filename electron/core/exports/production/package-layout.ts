// The files of an evidence package and the two signed lists that cover them (docs/design/exports.md,
// JON 20, KRK §5.3.5). Every file of a package is listed with its SHA-256 in one of them:
// - manifest.json (+ manifest.sig): what was approved and produced, and the videos;
// - addendum.json (+ addendum.sig): README.txt, public-key.pem and handover.pdf. The handover record
//   carries the manifest's hash, so it can only be made after the manifest is signed; the addendum
//   is made last, names the manifest's hash and is signed with the same key.
// Nothing else may be in the folder: a file slipped in (a second copy of a video, a note, an edited
// record) makes verification fail, naming it.
import { createHash } from 'node:crypto';
import type { ProducedFile } from '../production-types';
import { canonicalJson } from './canonical-json';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_SIG_FILE = 'manifest.sig';
export const ADDENDUM_FILE = 'addendum.json';
export const ADDENDUM_SIG_FILE = 'addendum.sig';
export const PUBLIC_KEY_FILE = 'public-key.pem';
export const README_FILE = 'README.txt';
export const HANDOVER_PDF_FILE = 'handover.pdf';

/** The only files no list can hold: each signed list and its detached signature. */
export const SIGNED_LIST_FILES: readonly string[] = [MANIFEST_FILE, MANIFEST_SIG_FILE, ADDENDUM_FILE, ADDENDUM_SIG_FILE];

export function producedFile(name: string, data: Buffer | string): ProducedFile {
  const bytes = Buffer.from(data);
  return { name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** The signature block both lists carry: which key, and its fingerprint as on the paper record. */
export function signatureBlock(sigFile: string, fingerprint: string) {
  return { algorithm: 'Ed25519', file: sigFile, publicKey: PUBLIC_KEY_FILE, publicKeyFingerprintSha256: fingerprint };
}

/** addendum.json's exact bytes (canonical JSON), for the package of `number`. */
export function addendumBytes(o: { number: string; manifestSha256: string; files: readonly ProducedFile[]; fingerprint: string }): Buffer {
  return canonicalJson({
    export: o.number,
    about: `Signed addendum to ${MANIFEST_FILE}: the package's files that ${MANIFEST_FILE} does not list, with their SHA-256.`,
    manifest: { file: MANIFEST_FILE, sha256: o.manifestSha256 },
    files: o.files,
    signature: signatureBlock(ADDENDUM_SIG_FILE, o.fingerprint),
  });
}
