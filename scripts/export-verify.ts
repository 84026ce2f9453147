// `npm run export:verify -- PATH`: checks an evidence package offline (issue 6 §4; verify.ts).
// Exit codes: 0 all is well, 1 something is wrong with the package, 2 usage error.
import { stat } from 'node:fs/promises';
import { verifyPackage } from '../electron/core/exports/production/verify';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    process.stderr.write('usage: npm run export:verify -- PACKAGE_FOLDER\n');
    return 2;
  }
  const dir = args[0]!;
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch {
    process.stderr.write(`export:verify: ${dir} is not a folder\n`);
    return 2;
  }
  const r = await verifyPackage(dir);
  const out = process.stdout;
  out.write(`Evidence package ${r.exportNumber ?? '(unknown number)'} in ${dir}\n`);
  for (const name of r.verified) out.write(`  ok       ${name}\n`);
  for (const p of r.problems) out.write(`  PROBLEM  ${p}\n`);
  if (r.manifestSha256) out.write(`manifest.json SHA-256: ${r.manifestSha256}\n`);
  out.write('\n');
  out.write('  SIGNING KEY FINGERPRINT (compare with the paper handover record):\n');
  out.write(`  ${r.fingerprint ?? '(no readable public key)'}\n`);
  out.write('  A package whose key and signature were both replaced verifies by itself: only this\n');
  out.write('  fingerprint, checked against the paper record, ties it to the site.\n\n');
  out.write(r.ok ? 'RESULT: the package is intact and its manifest is signed by the key above.\n' : `RESULT: NOT VERIFIED (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}).\n`);
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
