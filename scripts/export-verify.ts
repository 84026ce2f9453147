// `npm run export:verify -- PATH [--expect-fingerprint FP]`: checks an evidence package offline
// (docs/design/exports.md "Verification"; electron/core/exports/production/verify.ts).
// FP is the signing key's fingerprint from the paper handover record (any case; colons, spaces or
// dashes between the digits are ignored): without it, the package is checked to be intact but not
// to come from the site, since anyone can re-sign a package with their own key.
// Exit codes: 0 all is well, 1 something is wrong with the package, 2 usage error.
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { normaliseFingerprint, verifyPackage } from '../electron/core/exports/production/verify';

const USAGE = 'usage: npm run export:verify -- PACKAGE_FOLDER [--expect-fingerprint FINGERPRINT_FROM_THE_HANDOVER_RECORD]\n';

async function main(): Promise<number> {
  let dir: string;
  let expected: string | null = null;
  try {
    const { values, positionals } = parseArgs({ allowPositionals: true, strict: true, options: { 'expect-fingerprint': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help || positionals.length !== 1) {
      process.stderr.write(USAGE);
      return 2;
    }
    dir = positionals[0]!;
    const fp = values['expect-fingerprint'];
    if (fp !== undefined) {
      expected = normaliseFingerprint(fp);
      if (expected === null) {
        process.stderr.write(`export:verify: --expect-fingerprint ${JSON.stringify(fp)} is not a SHA-256 fingerprint (64 hexadecimal digits)\n`);
        return 2;
      }
    }
  } catch (err) {
    process.stderr.write(`export:verify: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch {
    process.stderr.write(`export:verify: ${dir} is not a folder\n`);
    return 2;
  }
  const r = await verifyPackage(dir, { expectFingerprint: expected });
  const out = process.stdout;
  out.write(`Evidence package ${r.exportNumber ?? '(unknown number)'} in ${dir}\n`);
  for (const name of r.verified) out.write(`  ok       ${name}\n`);
  for (const p of r.problems) out.write(`  PROBLEM  ${p}\n`);
  if (r.manifestSha256) out.write(`manifest.json SHA-256: ${r.manifestSha256}\n`);
  if (r.addendumSha256) out.write(`addendum.json SHA-256: ${r.addendumSha256}\n`);
  out.write('\n');
  out.write('  SIGNING KEY FINGERPRINT (compare with the paper handover record):\n');
  out.write(`  ${r.fingerprint ?? '(no readable public key)'}\n`);
  if (r.fingerprintMatches === true) out.write('  = the expected fingerprint given with --expect-fingerprint.\n\n');
  else if (r.fingerprintMatches === false) out.write(`  is NOT the expected ${expected ?? ''}\n\n`);
  else {
    out.write('  Not compared: a package re-signed with another key verifies by itself. Run again with\n');
    out.write('  --expect-fingerprint <the fingerprint printed on the paper handover record>.\n\n');
  }
  if (!r.ok) out.write(`RESULT: NOT VERIFIED (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}).\n`);
  else if (r.fingerprintMatches) out.write('RESULT: the package is intact and signed by the expected key.\n');
  else out.write('RESULT: the package is intact and its manifest is signed by the key above (provenance not checked).\n');
  return r.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`export:verify: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
