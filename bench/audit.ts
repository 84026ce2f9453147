// `npm run bench:audit -- [--entries N] [--json]`: audit log append rate with durable commits
// (synchronous=FULL, group commit) and verification rate over the whole chain.
// Targets (issue 2): append >= 5,000/s, verify >= 500,000/s over 1,000,000 entries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../electron/core/clock';
import { AuditLog } from '../electron/core/audit/audit-log';
import { verifyAuditChain } from '../electron/core/audit/verify';
import { silentLogger } from '../electron/core/logger';
import { openStore } from '../electron/core/store/db';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '256' },
    json: { type: 'boolean', default: false },
  },
});
const entries = Number(values.entries);
const concurrency = Number(values.concurrency);
const log = (s: string) => {
  if (!values.json) process.stdout.write(s + '\n');
  else process.stderr.write(s + '\n');
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-audit-'));
try {
  const store = await openStore(dir);
  const audit = await AuditLog.open(store.db, systemClock, silentLogger, dir);

  // One writer waiting for each commit: the latency a single operator's command sees.
  const serialN = 500;
  let t0 = performance.now();
  for (let i = 0; i < serialN; i++) {
    await audit.append({ actor: 'bench.serial', action: 'bench.append', target: `item#${i}`, outcome: 'allowed', details: { i } });
  }
  const serialMs = performance.now() - t0;

  // Many sessions at once: `concurrency` appends in flight, grouped into shared commits.
  log(`appending ${entries} entries with ${concurrency} in flight (durable commits)...`);
  let issued = 0;
  t0 = performance.now();
  const worker = async (w: number) => {
    while (issued < entries) {
      const i = issued++;
      await audit.append({
        actor: `operator.${w % 40}`,
        action: i % 7 === 0 ? 'audit.query' : 'users.update',
        target: `user#${i % 1000}`,
        outcome: i % 13 === 0 ? 'denied' : 'allowed',
        details: { request: { userId: i % 1000, displayName: 'Jan Kowalski', role: 'guard' }, peer: `ws:${w}@127.0.0.1` },
        reason: i % 11 === 0 ? 'incident investigation: case 2026/1234' : null,
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const appendMs = performance.now() - t0;
  await store.close();

  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const db = new BetterSqlite3(path.join(dir, 'console.sqlite'), { readonly: true });
  t0 = performance.now();
  const report = verifyAuditChain(db, dir, () => performance.now());
  const verifyMs = performance.now() - t0;
  db.close();
  if (!report.ok) throw new Error(`verification failed: ${report.problem}`);

  const result = {
    entries: report.entries,
    appendPerSec: Math.round((entries / appendMs) * 1000),
    serialAppendPerSec: Math.round((serialN / serialMs) * 1000),
    serialAppendMsMean: Number((serialMs / serialN).toFixed(3)),
    verifyPerSec: Math.round((report.entries / verifyMs) * 1000),
    concurrency,
    dbBytes: fs.statSync(path.join(dir, 'console.sqlite')).size,
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  };
  log(`append ${result.appendPerSec}/s (serial ${result.serialAppendPerSec}/s), verify ${result.verifyPerSec}/s over ${result.entries} entries`);
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
