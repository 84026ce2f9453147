// `npm run audit:checkpoint -- --data-dir DIR`: prints the latest signed audit checkpoint of a data
// directory (docs/design/audit-chain.md "Checkpoints") as JSON on stdout, to be kept off the machine
// (`> checkpoint.json`); a summary goes to stderr. Later, `npm run audit:verify -- --data-dir DIR
// --checkpoint checkpoint.json` proves the log still holds what it signed.
// Exit 0: printed. Exit 1: no checkpoint yet. Exit 2: usage error.
import { parseArgs } from 'node:util';
import { checkCheckpointSignature, latestCheckpoint } from './checkpoint-file';

function main(): number {
  let dataDir: string | undefined;
  try {
    dataDir = parseArgs({ options: { 'data-dir': { type: 'string' } }, strict: true }).values['data-dir'];
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    dataDir = undefined;
  }
  if (!dataDir) {
    process.stderr.write('usage: npm run audit:checkpoint -- --data-dir DIR\n');
    return 2;
  }
  const latest = latestCheckpoint(dataDir);
  if (!latest) {
    process.stderr.write(`no audit checkpoint in ${dataDir} yet (the engine takes one hourly, at every export production and audit report)\n`);
    return 1;
  }
  const { record, file } = latest;
  const problem = checkCheckpointSignature(record);
  process.stdout.write(JSON.stringify(record, null, 2) + '\n');
  process.stderr.write(
    `${file}: seq ${record.seq}, hash ${record.hash}, ${record.time}, key ${record.fingerprint}: ${problem ?? 'signature valid'}\n`,
  );
  return problem ? 1 : 0;
}

process.exitCode = main();
