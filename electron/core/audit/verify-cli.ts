// `npm run audit:verify -- --data-dir DIR`: verifies the audit chain offline (DESIGN R4).
// Exit 0: intact. Exit 1: tampering found (the first bad entry is named). Exit 2: usage or I/O error.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { DATABASE_FILE } from '../store/db';
import { verifyAuditChain } from './verify';

function main(): number {
  let dataDir: string | undefined;
  try {
    dataDir = parseArgs({ options: { 'data-dir': { type: 'string' } }, strict: true }).values['data-dir'];
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\nusage: npm run audit:verify -- --data-dir DIR\n`);
    return 2;
  }
  if (!dataDir) {
    process.stderr.write('usage: npm run audit:verify -- --data-dir DIR\n');
    return 2;
  }
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) {
    process.stderr.write(`no console database at ${file}\n`);
    return 2;
  }
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const r = verifyAuditChain(sqlite, dataDir, () => performance.now());
    const rate = r.elapsedMs > 0 ? Math.round((r.entries / r.elapsedMs) * 1000) : r.entries;
    if (r.ok) {
      process.stdout.write(
        `audit log intact: ${r.entries} entries, head seq ${r.headSeq}, head hash ${r.headHash}\n` +
          `verified in ${r.elapsedMs.toFixed(0)} ms (${rate} entries/s)\n`,
      );
      return 0;
    }
    process.stdout.write(
      `AUDIT LOG TAMPERED: first bad entry seq ${r.firstBadSeq}: ${r.problem}\n` +
        `${r.entries} entries verified before it (last good seq ${r.headSeq})\n`,
    );
    return 1;
  } finally {
    sqlite.close();
  }
}

process.exitCode = main();
