// `npm run audit:verify -- --data-dir DIR [--checkpoint FILE [--expect-fingerprint FP]]`: verifies
// the audit chain offline (R4, docs/design/audit-chain.md), in worker threads on every core.
// With a checkpoint file copied off the machine earlier, it also proves that the log still holds
// what that checkpoint signed (a rewrite of database and anchor together is found).
// Exit 0: intact. Exit 1: tampering found (the first bad entry is named), or the checkpoint is not
// valid or not in the log. Exit 2: usage or I/O error. Exit 3: the chain is intact but the log
// records acknowledged anchor breaks (listed): entries were lost before them, an administrator
// acknowledged it, and an auditor should know.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DATABASE_FILE } from '../store/db';
import { checkCheckpointSignature, parseCheckpoint, type AuditCheckpointRecord } from './checkpoint-file';
import { verifyAuditChainInWorkers } from './verify-parallel';

const USAGE = 'usage: npm run audit:verify -- --data-dir DIR [--checkpoint FILE [--expect-fingerprint FP]]\n';

async function main(): Promise<number> {
  let values: { 'data-dir'?: string; checkpoint?: string; 'expect-fingerprint'?: string };
  try {
    values = parseArgs({ options: { 'data-dir': { type: 'string' }, checkpoint: { type: 'string' }, 'expect-fingerprint': { type: 'string' } }, strict: true }).values;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const dataDir = values['data-dir'];
  if (!dataDir || (values['expect-fingerprint'] !== undefined && values.checkpoint === undefined)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) {
    process.stderr.write(`no console database at ${file}\n`);
    return 2;
  }
  let checkpoint: AuditCheckpointRecord | undefined;
  if (values.checkpoint !== undefined) {
    try {
      checkpoint = parseCheckpoint(fs.readFileSync(values.checkpoint, 'utf8'));
    } catch (err) {
      process.stderr.write(`cannot use the checkpoint ${values.checkpoint}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const problem = checkCheckpointSignature(checkpoint, values['expect-fingerprint']);
    if (problem) {
      process.stdout.write(`CHECKPOINT NOT VALID: ${problem}\n`);
      return 1;
    }
  }
  const r = await verifyAuditChainInWorkers(file, { dataDir, nowMs: () => performance.now(), checkpoint });
  const rate = r.elapsedMs > 0 ? Math.round((r.entries / r.elapsedMs) * 1000) : r.entries;
  if (!r.ok) {
    process.stdout.write(
      `AUDIT LOG TAMPERED: ${r.firstBadSeq === null ? '' : `first bad entry seq ${r.firstBadSeq}: `}${r.problem}\n` +
        `${r.entries} entries verified before it (last good seq ${r.headSeq})\n`,
    );
    return 1;
  }
  process.stdout.write(
    `audit log intact: ${r.entries} entries, head seq ${r.headSeq}, head hash ${r.headHash}\n` +
      `verified in ${r.elapsedMs.toFixed(0)} ms (${rate} entries/s)\n`,
  );
  if (checkpoint) {
    process.stdout.write(`checkpoint seq ${checkpoint.seq} of ${checkpoint.time} (key ${checkpoint.fingerprint}): signature valid, the log still holds it\n`);
  }
  if (r.acknowledgedBreaks.length > 0) {
    process.stdout.write(`ACKNOWLEDGED BREAKS: the log records ${r.acknowledgedBreaks.length} break(s) of its anchor that an administrator acknowledged:\n`);
    for (const b of r.acknowledgedBreaks) {
      process.stdout.write(`  seq ${b.seq}, ${isoOrRaw(b.atMs)}, acknowledged by ${b.acknowledgedBy}: ${b.found}\n`);
    }
    return 3;
  }
  return 0;
}

function isoOrRaw(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : String(ms);
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`audit:verify failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
