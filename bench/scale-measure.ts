// Readings bench/scale.ts takes around a measurement window: how long the event loop was held, the
// I/O of a process tree, and what the engine asked of a PostgreSQL database (statements counted at
// the client, rows, commits and WAL bytes from the server's statistics views). Nothing here changes
// what the engine does: the statement counter wraps pg's Client.query in this process only.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { descendants } from './browser';
import { processCpuMs } from './proc-cpu';

/**
 * Watches this process's event loop until `stop()`: the longest gap seen by a 10 ms interval probe
 * and by perf_hooks' delay histogram, the larger of the two (as bench/audit.ts measures it).
 */
export function watchEventLoop(): { stop(): { maxBlockMs: number; p99DelayMs: number } } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const PERIOD_MS = 10;
  let last = performance.now();
  let maxGap = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last - PERIOD_MS);
    last = now;
  }, PERIOD_MS);
  histogram.enable();
  return {
    stop() {
      // The gap still open: work that never yields to timers (synchronous SQLite statements chained
      // in microtasks) would otherwise show no block at all.
      maxGap = Math.max(maxGap, performance.now() - last - PERIOD_MS);
      histogram.disable();
      clearInterval(probe);
      return { maxBlockMs: Number(Math.max(maxGap, histogram.max / 1e6).toFixed(1)), p99DelayMs: Number((histogram.percentile(99) / 1e6).toFixed(1)) };
    },
  };
}

/** rchar, wchar and write_bytes (to the disk) of one process from /proc/PID/io, or null when gone. */
export function processIo(pid: number | 'self'): { readChars: number; writeChars: number; diskWriteBytes: number } | null {
  try {
    const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? 0);
    return { readChars: field('rchar'), writeChars: field('wchar'), diskWriteBytes: field('write_bytes') };
  } catch {
    return null;
  }
}

export interface TreeReading {
  cpuMs: Map<number, number>;
  io: Map<number, { readChars: number; writeChars: number; diskWriteBytes: number }>;
}

/** CPU and I/O per process of a tree (the root included, or only `pids` when given). */
export function readTree(root: number | null, pids?: readonly number[]): TreeReading {
  const out: TreeReading = { cpuMs: new Map(), io: new Map() };
  const all = pids ?? (root === null ? [] : [root, ...descendants(root)]);
  for (const pid of all) {
    const ms = processCpuMs(pid);
    const io = processIo(pid);
    if (ms !== null) out.cpuMs.set(pid, ms);
    if (io) out.io.set(pid, io);
  }
  return out;
}

/** Per second between two readings of a tree (processes that ended in between are lost; new ones count from 0). */
export function treeRates(a: TreeReading, b: TreeReading, wallMs: number): { cpuPercent: number; diskWriteBytesPerSec: number; readCharsPerSec: number; writeCharsPerSec: number; processes: number } {
  let cpu = 0;
  for (const [pid, v] of b.cpuMs) cpu += v - (a.cpuMs.get(pid) ?? 0);
  let disk = 0;
  let rd = 0;
  let wr = 0;
  for (const [pid, v] of b.io) {
    const p = a.io.get(pid) ?? { readChars: 0, writeChars: 0, diskWriteBytes: 0 };
    disk += v.diskWriteBytes - p.diskWriteBytes;
    rd += v.readChars - p.readChars;
    wr += v.writeChars - p.writeChars;
  }
  const perSec = (x: number) => Math.round((x / wallMs) * 1000);
  return { cpuPercent: Number(((cpu / wallMs) * 100).toFixed(1)), diskWriteBytesPerSec: perSec(disk), readCharsPerSec: perSec(rd), writeCharsPerSec: perSec(wr), processes: b.cpuMs.size };
}

// --- PostgreSQL ------------------------------------------------------------------------------------

/** The engine's pool names its connections so (store/postgres.ts); only those are counted. */
const ENGINE_APPLICATION = 'cctv-console-engine';
const STATEMENT_KINDS = ['begin', 'commit', 'rollback', 'lock', 'select', 'insert', 'update', 'delete', 'other'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];
const engineStatements: Record<StatementKind, number> = Object.fromEntries(STATEMENT_KINDS.map((k) => [k, 0])) as Record<StatementKind, number>;
let counting = false;

function kindOf(text: string): StatementKind {
  const head = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '';
  if (head === 'select' && text.includes('pg_advisory_xact_lock')) return 'lock';
  if (head === 'start') return 'begin';
  return (STATEMENT_KINDS as readonly string[]).includes(head) ? (head as StatementKind) : 'other';
}

/**
 * Counts every statement the engine's connections send from now on, by kind (BEGIN, the write
 * lock and COMMIT included): exact and immediate, where the server's statistics views lag by up to
 * ten seconds for a connection that went idle.
 */
export function countEngineStatements(): () => Record<StatementKind, number> {
  if (!counting) {
    counting = true;
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; connectionParameters?: { application_name?: string } };
    const original = proto.query;
    proto.query = function (this: typeof proto, ...args: unknown[]) {
      if (this.connectionParameters?.application_name === ENGINE_APPLICATION) {
        const q = args[0];
        const text = typeof q === 'string' ? q : typeof (q as { text?: unknown })?.text === 'string' ? (q as { text: string }).text : '';
        engineStatements[kindOf(text)]++;
      }
      return original.apply(this, args);
    };
  }
  return () => ({ ...engineStatements });
}

/** Tables whose rows and bytes the sizing note follows (docs/design/scale.md "Sizing"). */
export const WATCHED_TABLES = ['recordings', 'recording_gops', 'recording_gaps', 'audit_log', 'incidents', 'holds', 'alarms', 'camera_leases'] as const;

export interface PgReading {
  atMs: number;
  statements: Record<StatementKind, number>;
  /** Bytes of WAL written so far (pg_current_wal_lsn: exact, cluster-wide). */
  walBytes: number;
  tables: Record<string, { rows: number; totalBytes: number; updated: number }>;
}

export class PgWatch {
  private constructor(
    private readonly admin: pg.Client,
    private readonly dbClient: pg.Client,
    private readonly statements: () => Record<StatementKind, number>,
    readonly postmasterPid: number | null,
  ) {}

  /** `clusterDir`: the throwaway cluster's directory (pg-cluster.ts), for the server's process id. */
  static async open(adminUrl: string, dbUrl: string, clusterDir: string | null): Promise<PgWatch> {
    const statements = countEngineStatements();
    const admin = new pg.Client({ connectionString: adminUrl, application_name: 'bench-scale' });
    const dbClient = new pg.Client({ connectionString: dbUrl, application_name: 'bench-scale' });
    await admin.connect();
    await dbClient.connect();
    let pid: number | null = null;
    if (clusterDir) {
      const first = fs.readFileSync(path.join(clusterDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0];
      pid = Number(first) || null;
    }
    return new PgWatch(admin, dbClient, statements, pid);
  }

  async read(): Promise<PgReading> {
    const w = (await this.admin.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS wal_bytes`)).rows[0] as { wal_bytes: string };
    // Rows counted (inserts are exact; nothing here deletes during a run); updates from the
    // statistics view, which lags by about a second on a busy connection: fine for steady windows.
    const counts = WATCHED_TABLES.map((t) => `SELECT '${t}' AS relname, count(*) AS n FROM ${t}`).join(' UNION ALL ');
    const rows = new Map((await this.dbClient.query(counts)).rows.map((r: { relname: string; n: string }) => [r.relname, Number(r.n)]));
    const t = await this.dbClient.query(`SELECT relname, n_tup_upd, pg_total_relation_size(relid) AS total_bytes FROM pg_stat_user_tables WHERE relname = ANY($1)`, [WATCHED_TABLES as unknown as string[]]);
    const tables: PgReading['tables'] = {};
    for (const r of t.rows as Record<string, string>[]) tables[r.relname!] = { rows: rows.get(r.relname!) ?? 0, totalBytes: Number(r.total_bytes), updated: Number(r.n_tup_upd) };
    return { atMs: performance.now(), statements: this.statements(), walBytes: Number(w.wal_bytes), tables };
  }

  /** The server's processes now (postmaster and its children), for CPU and disk writes. */
  serverPids(): number[] {
    return this.postmasterPid === null ? [] : [this.postmasterPid, ...descendants(this.postmasterPid)];
  }

  async close(): Promise<void> {
    await this.admin.end().catch(() => undefined);
    await this.dbClient.end().catch(() => undefined);
  }
}

export interface PgRates {
  statementsPerSec: number;
  /** Of those: transactions (COMMIT), and selects, inserts and updates. */
  commitsPerSec: number;
  selectsPerSec: number;
  insertsPerSec: number;
  updatesPerSec: number;
  /** Cluster-wide WAL written per second (this bench's database is the only busy one). */
  walBytesPerSec: number;
  tables: Record<string, { rowsInsertedPerSec: number; rowsUpdatedPerSec: number; growthBytesPerSec: number }>;
}

export function pgRates(a: PgReading, b: PgReading): PgRates {
  const s = (b.atMs - a.atMs) / 1000;
  const r = (x: number, digits = 1) => Number((x / s).toFixed(digits));
  const st = (k: StatementKind) => b.statements[k] - a.statements[k];
  const total = Object.values(b.statements).reduce((x, y) => x + y, 0) - Object.values(a.statements).reduce((x, y) => x + y, 0);
  const tables: PgRates['tables'] = {};
  for (const [name, tb] of Object.entries(b.tables)) {
    const ta = a.tables[name] ?? { rows: 0, totalBytes: 0, updated: 0 };
    if (tb.rows === ta.rows && tb.updated === ta.updated && tb.totalBytes === ta.totalBytes) continue;
    tables[name] = { rowsInsertedPerSec: r(tb.rows - ta.rows, 3), rowsUpdatedPerSec: r(tb.updated - ta.updated, 2), growthBytesPerSec: r(tb.totalBytes - ta.totalBytes, 0) };
  }
  return {
    statementsPerSec: r(total),
    commitsPerSec: r(st('commit')),
    selectsPerSec: r(st('select')),
    insertsPerSec: r(st('insert')),
    updatesPerSec: r(st('update')),
    walBytesPerSec: r(b.walBytes - a.walBytes, 0),
    tables,
  };
}
