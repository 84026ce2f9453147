// The audit log on PostgreSQL (docs/design/audit-chain.md "Several writers"): appends per second
// with durable commits (fsync, synchronous_commit on), from one engine and from several engines
// sharing the database (each its own AuditLog and connections, as `--database` gives them), and how
// long verification and a CSV report of the whole log hold the event loop. Target:
// auditAppendPerSecPostgres >= 5,000; verification and report hold the event loop <= 50 ms.
// `npm run bench:audit -- --postgres [--entries N] [--json]` runs it on a throwaway durable cluster;
// `measureAuditAppendPostgres` / `measureAuditReadPostgres` are for other benchmarks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../electron/core/clock';
import { AuditLog } from '../electron/core/audit/audit-log';
import { writeAuditCsvPaged } from '../electron/core/audit/csv-paged';
import { verifyAuditChainPaged } from '../electron/core/audit/verify-paged';
import { silentLogger } from '../electron/core/logger';
import type { PostgresStore } from '../electron/core/store/db';
import { openPostgresStore } from '../electron/core/store/postgres';
import { createDatabaseAt, dropDatabaseAt, startPgCluster } from '../electron/core/testing/pg-cluster';

/**
 * Runs `work` while measuring how long the event loop was held: the longest gap seen by a 1 ms
 * interval probe and by perf_hooks' event-loop delay histogram (the larger of the two).
 */
export async function heldWhile<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; maxBlockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let last = performance.now();
  let maxGap = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last - 1);
    last = now;
  }, 1);
  histogram.enable();
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  histogram.disable();
  clearInterval(probe);
  return { value, ms, maxBlockMs: Number(Math.max(maxGap, histogram.max / 1e6).toFixed(1)) };
}

/** A superuser's connection string of a durable cluster, started here when none is given. */
async function withCluster<T>(adminUrl: string | undefined, fn: (adminUrl: string) => Promise<T>): Promise<T> {
  if (adminUrl) return fn(adminUrl);
  const cluster = await startPgCluster({ durable: true });
  try {
    return await fn(cluster.url);
  } finally {
    cluster.stop();
  }
}

export interface AuditAppendPostgresOptions {
  /** A superuser's connection string (a database is created and dropped in it); default: a durable throwaway cluster. */
  adminUrl?: string;
  /** Entries appended in all (default 50,000). */
  entries?: number;
  /** Engines appending at once, each with its own AuditLog and connections (default 1). */
  writers?: number;
  /** Appends in flight per writer: its sessions (default 256). */
  concurrency?: number;
  /** Keep the database (for measureAuditReadPostgres) instead of dropping it. */
  keepDatabase?: boolean;
}

export interface AuditAppendPostgresResult {
  perSec: number;
  writers: number;
  entries: number;
  concurrency: number;
  /** One append waited for at a time, by one writer: the latency one command sees. */
  serialAppendMsMean: number;
  /** The database, when kept. */
  databaseUrl: string | null;
}

export async function measureAuditAppendPostgres(o: AuditAppendPostgresOptions = {}): Promise<AuditAppendPostgresResult> {
  const entries = o.entries ?? 50_000;
  const writers = o.writers ?? 1;
  const concurrency = o.concurrency ?? 256;
  return withCluster(o.adminUrl, async (adminUrl) => {
    const url = await createDatabaseAt(adminUrl);
    const stores: PostgresStore[] = [];
    const dirs: string[] = [];
    try {
      const logs: AuditLog[] = [];
      for (let w = 0; w < writers; w++) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-audit-pg-'));
        dirs.push(dir);
        const store = await openPostgresStore(url, { logger: silentLogger });
        stores.push(store);
        logs.push(await AuditLog.open(store.db, systemClock, silentLogger, dir));
      }
      const serialN = 200;
      let t0 = performance.now();
      for (let i = 0; i < serialN; i++) await logs[0]!.append({ actor: 'bench.serial', action: 'bench.append', target: `item#${i}`, outcome: 'allowed', details: { i } });
      const serialMs = performance.now() - t0;

      let issued = 0;
      const session = async (log: AuditLog, w: number, s: number) => {
        while (issued < entries) {
          const i = issued++;
          await log.append({
            actor: `operator.${s % 40}`,
            action: i % 7 === 0 ? 'audit.query' : 'users.update',
            target: `user#${i % 1000}`,
            outcome: i % 13 === 0 ? 'denied' : 'allowed',
            details: { request: { userId: i % 1000, displayName: 'Jan Kowalski', role: 'guard' }, peer: `ws:${s}@node${w}` },
            reason: i % 11 === 0 ? 'incident investigation: case 2026/1234' : null,
          });
        }
      };
      t0 = performance.now();
      await Promise.all(logs.flatMap((log, w) => Array.from({ length: concurrency }, (_, s) => session(log, w, s))));
      const appendMs = performance.now() - t0;
      return {
        perSec: Math.round((entries / appendMs) * 1000),
        writers,
        entries,
        concurrency,
        serialAppendMsMean: Number((serialMs / serialN).toFixed(3)),
        databaseUrl: o.keepDatabase ? url : null,
      };
    } finally {
      for (const s of stores) await s.close();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      if (!o.keepDatabase) await dropDatabaseAt(adminUrl, url);
    }
  });
}

export interface AuditReadPostgresResult {
  entries: number;
  verifyPerSec: number;
  verifyMaxBlockMs: number;
  csvRows: number;
  csvMs: number;
  csvMaxBlockMs: number;
}

/** Verification and a CSV report of every entry of the database at `url`, on the engine's thread and pages. */
export async function measureAuditReadPostgres(url: string): Promise<AuditReadPostgresResult> {
  const store = await openPostgresStore(url, { logger: silentLogger });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-audit-pg-read-'));
  try {
    const verified = await heldWhile(() => verifyAuditChainPaged(store.db, { dataDir: null, nowMs: () => performance.now() }));
    if (!verified.value.ok) throw new Error(`verification failed: ${verified.value.problem}`);
    const csv = await heldWhile(() => writeAuditCsvPaged(store.db, {}, path.join(dir, 'report.csv'), null));
    return {
      entries: verified.value.entries,
      verifyPerSec: Math.round((verified.value.entries / verified.ms) * 1000),
      verifyMaxBlockMs: verified.maxBlockMs,
      csvRows: csv.value.rows,
      csvMs: Math.round(csv.ms),
      csvMaxBlockMs: csv.maxBlockMs,
    };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench:audit -- --postgres`: one writer, three writers, then reading the three writers' log. */
export async function runPostgresBench(entries: number, log: (s: string) => void): Promise<Record<string, unknown>> {
  return withCluster(undefined, async (adminUrl) => {
    log(`PostgreSQL (durable commits): appending ${entries} entries from one engine...`);
    const one = await measureAuditAppendPostgres({ adminUrl, entries, writers: 1 });
    log(`... and ${entries} from three engines at once...`);
    const three = await measureAuditAppendPostgres({ adminUrl, entries, writers: 3, keepDatabase: true });
    log('verifying and reporting the three engines\' log in pages...');
    const read = await measureAuditReadPostgres(three.databaseUrl!);
    await dropDatabaseAt(adminUrl, three.databaseUrl!);
    const result = {
      auditAppendPerSecPostgres: one.perSec,
      auditAppendPerSecPostgres3Writers: three.perSec,
      serialAppendMsMeanPostgres: one.serialAppendMsMean,
      concurrencyPerWriter: one.concurrency,
      ...Object.fromEntries(Object.entries(read).map(([k, v]) => [`${k}Postgres`, v])),
      loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
      machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    };
    log(
      `append ${one.perSec}/s from one engine, ${three.perSec}/s from three (serial ${one.serialAppendMsMean} ms each); ` +
        `verify ${read.verifyPerSec}/s over ${read.entries} entries, event loop held at most ${read.verifyMaxBlockMs} ms; ` +
        `CSV of ${read.csvRows} rows in ${read.csvMs} ms, event loop held at most ${read.csvMaxBlockMs} ms`,
    );
    return result;
  });
}
