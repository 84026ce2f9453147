// README.txt of every evidence package: the layout and how to verify it without our software.
import type { ProducedFile } from '../production-types';

export function packageReadme(opts: { number: string; fingerprint: string; files: readonly ProducedFile[]; timeZone: string; mode: 'copy' | 'burn_in' }): string {
  const lines = [
    `Evidence package ${opts.number}`,
    '',
    'Contents',
    '  video/NN-<camera>-<start, UTC>.mp4  the footage, one H.264 MP4 per camera and time range',
    '  manifest.json   what was requested and approved, by whom, when, why, and the SHA-256 and size',
    '                  of every video (canonical JSON: sorted keys, UTF-8, LF)',
    '  manifest.sig    Ed25519 signature of the exact bytes of manifest.json (64 bytes, raw)',
    '  public-key.pem  the site\'s public key (SPKI PEM) that made the signature',
    '  handover.pdf    the handover record: files, hashes, the manifest\'s SHA-256 and the key',
    '                  fingerprint, with lines for who handed the package over and who received it',
    '  README.txt      this file',
    '',
    'manifest.json is signed; handover.pdf and README.txt are not listed in it (the record is made',
    'after the manifest and carries its hash).',
    '',
    opts.mode === 'burn_in'
      ? `The burned-in clock is the local time of the site (${opts.timeZone}) with the zone's abbreviation.`
      : 'The videos are copied from the recordings without re-encoding; they start and end at keyframes, so they may begin up to one keyframe interval before and end up to one after the requested range.',
    'A gap in the recording shows as a jump in time, not as a still picture.',
    '',
    'Verify without the console software (Linux, OpenSSL 3):',
    '  1. Hashes: each line below must match (sha256sum prints the hash, then the name):',
    '       sha256sum video/*.mp4',
    ...opts.files.map((f) => `       ${f.sha256}  ${f.name}`),
    '  2. Signature of the manifest:',
    '       openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig',
    '     prints "Signature Verified Successfully" (exit code 0) when manifest.json is unchanged.',
    '  3. The key: the fingerprint must equal the one on the paper handover record:',
    '       openssl pkey -pubin -in public-key.pem -outform DER | sha256sum',
    `     expected: ${opts.fingerprint}`,
    '     (A package whose key and signature were both replaced verifies by itself: this',
    '     fingerprint, on paper, is what ties the package to the site.)',
    '  4. The hashes in manifest.json ("files") must be those of step 1.',
    '',
    'With the console: npm run export:verify -- <this folder>',
    '',
  ];
  return lines.join('\n');
}
