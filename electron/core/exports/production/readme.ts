// README.txt of every evidence package: the layout and how to verify it without our software
// (docs/design/exports.md). It is listed, with its hash, in the signed addendum.json.
import type { ProducedFile } from '../production-types';

/** A fingerprint in groups of four, easier to read aloud and compare on paper. */
export function groupedFingerprint(fingerprint: string): string {
  return fingerprint.replace(/(.{4})(?=.)/g, '$1 ');
}

export function packageReadme(opts: { number: string; fingerprint: string; files: readonly ProducedFile[]; timeZone: string; mode: 'copy' | 'burn_in' }): string {
  const lines = [
    `Evidence package ${opts.number}`,
    '',
    'Signing key fingerprint (SHA-256 of the public key, DER); the same is printed on the paper',
    'handover record:',
    `  ${opts.fingerprint}`,
    `  (${groupedFingerprint(opts.fingerprint)})`,
    '',
    'Contents',
    '  video/NN-<camera>-<start, UTC>.mp4  the footage, one H.264 MP4 per camera and time range',
    '  manifest.json   what was requested and approved, by whom, when, why, and the SHA-256 and size',
    '                  of every video (canonical JSON, RFC 8785, UTF-8)',
    '  manifest.sig    Ed25519 signature of the exact bytes of manifest.json (64 bytes, raw)',
    '  README.txt      this file',
    '  public-key.pem  the site\'s public key (SPKI PEM) that made both signatures',
    '  handover.pdf    the handover record: files, hashes, the manifest\'s SHA-256 and the key',
    '                  fingerprint, with lines for who handed the package over and who received it',
    '  addendum.json   the SHA-256 and size of README.txt, public-key.pem and handover.pdf, and the',
    '                  SHA-256 of manifest.json (the handover record is made after the manifest is',
    '                  signed, so a second signed list covers it)',
    '  addendum.sig    Ed25519 signature of the exact bytes of addendum.json',
    '',
    'Nothing else belongs in this folder: any other file (hidden ones included) or a symbolic link',
    'was added after production, and the package does not verify.',
    '',
    ...(opts.mode === 'burn_in'
      ? [
          `The burned-in clock is the local time of the site (${opts.timeZone}) with the zone's abbreviation.`,
          'Areas a camera\'s privacy masks cover are filled solid (black: permanent masks, grey: liftable',
          'ones); "privacyMasks" of each item of manifest.json lists them.',
        ]
      : ['The videos are copied from the recordings without re-encoding; they start and end at keyframes, so they may begin up to one keyframe interval before and end up to one after the requested range.']),
    'A gap in the recording shows as a jump in time, not as a still picture.',
    '',
    'Verify without the console software (Linux, OpenSSL 3), in this folder:',
    '  1. The key: its fingerprint must equal the one on the PAPER handover record (the copy above',
    '     and the one in handover.pdf travel with the package, so a forger could change them too):',
    '       openssl pkey -pubin -in public-key.pem -outform DER | sha256sum',
    '     A package re-signed with another key verifies by itself; only this comparison with the',
    '     paper record ties it to the site.',
    '  2. The signatures: each prints "Signature Verified Successfully" (exit code 0):',
    '       openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig',
    '       openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in addendum.json -sigfile addendum.sig',
    '  3. The videos: each line below must match, and equal the "files" of manifest.json:',
    '       sha256sum video/*.mp4',
    ...opts.files.map((f) => `       ${f.sha256}  ${f.name}`),
    '  4. The other files: must equal the "files" of addendum.json; its "manifest" hash must be',
    '     that of manifest.json:',
    '       sha256sum README.txt public-key.pem handover.pdf manifest.json',
    '  5. Nothing else: find . -type f -o -type l   lists only the files named above.',
    '',
    'With the console software (checks all of the above; exit code 0 only if all is well):',
    '  npm run export:verify -- <this folder> --expect-fingerprint <fingerprint from the paper record>',
    '',
  ];
  return lines.join('\n');
}
