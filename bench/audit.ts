// `npm run bench:audit -- [--entries N] [--json] [--postgres]`: audit log append rate with durable commits
// (synchronous=FULL, group commit), verification rate over the whole chain in worker threads, and
// the longest the event loop is held while a CSV report of every entry is written (a worker too).
// Targets: append >= 5,000/s, verify >= 500,000/s over 1,000,000 entries, CSV export holds the
// event loop <= 50 ms (docs/benchmarks.md, docs/design/audit-chain.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../electron/core/clock';
import { AuditLog } from '../electron/core/audit/audit-log';
import { writeAuditCsv } from '../electron/core/audit/csv';
import { verifyAuditChain } from '../electron/core/audit/verify';
import { verifyAuditChainInWorkers } from '../electron/core/audit/verify-parallel';
import { silentLogger } from '../electron/core/logger';
import { openStore } from '../electron/core/store/db';
import { heldWhile, runPostgresBench } from './audit-postgres';

const { values } = parseArgs({
  options: {
    entries: { type: 'string' },
    concurrency: { type: 'string', default: '256' },
    json: { type: 'boolean', default: false },
    postgres: { type: 'boolean', default: false },
  },
});
// `--postgres`: the same figures on a throwaway durable PostgreSQL cluster (bench/audit-postgres.ts).
const entries = Number(values.entries ?? (values.postgres ? 50_000 : 1_000_000));
const concurrency = Number(values.concurrency);
const log = (s: string) => {
  if (!values.json) process.stdout.write(s + '\n');
  else process.stderr.write(s + '\n');
};

if (values.postgres) {
  process.stdout.write(JSON.stringify(await runPostgresBench(entries, log)) + '\n');
  process.exit(0);
}

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

  const dbFile = path.join(dir, 'console.sqlite');
  // The engine's verification: worker threads on every core, the event loop free meanwhile.
  log('verifying in worker threads...');
  const verified = await heldWhile(() => verifyAuditChainInWorkers(dbFile, { dataDir: dir, nowMs: () => performance.now() }));
  const report = verified.value;
  if (!report.ok) throw new Error(`verification failed: ${report.problem}`);
  // The reference, on this thread: what the parallel one is measured against.
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const db = new BetterSqlite3(dbFile, { readonly: true });
  t0 = performance.now();
  const single = verifyAuditChain(db, dir, () => performance.now());
  const singleMs = performance.now() - t0;
  db.close();
  if (!single.ok) throw new Error(`verification failed: ${single.problem}`);

  log('exporting every entry to CSV in a worker...');
  const csvFile = path.join(dir, 'report.csv');
  const exported = await heldWhile(() => writeAuditCsv(dbFile, {}, csvFile, null));

  const result = {
    entries: report.entries,
    appendPerSec: Math.round((entries / appendMs) * 1000),
    serialAppendPerSec: Math.round((serialN / serialMs) * 1000),
    serialAppendMsMean: Number((serialMs / serialN).toFixed(3)),
    verifyPerSec: Math.round((report.entries / verified.ms) * 1000),
    verifyMaxBlockMs: verified.maxBlockMs,
    verifySingleThreadPerSec: Math.round((single.entries / singleMs) * 1000),
    csvExportRows: exported.value.rows,
    csvExportMs: Math.round(exported.ms),
    csvExportMaxBlockMs: exported.maxBlockMs,
    concurrency,
    dbBytes: fs.statSync(path.join(dir, 'console.sqlite')).size,
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  };
  log(
    `append ${result.appendPerSec}/s (serial ${result.serialAppendPerSec}/s), verify ${result.verifyPerSec}/s over ${result.entries} entries ` +
      `(one thread ${result.verifySingleThreadPerSec}/s), event loop held at most ${result.verifyMaxBlockMs} ms; ` +
      `CSV of ${result.csvExportRows} rows in ${result.csvExportMs} ms, event loop held at most ${result.csvExportMaxBlockMs} ms`,
  );
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
