// `npm run bench:scale -- [--json] [--cameras-store postgres|sqlite] [--step 8] [--budget-seconds 300]
// [--skip cameras,rtt,...] ...` (every option: docs/benchmarks.md "Scale"): the figures of
// docs/design/scale.md "Measured here", in about 8-10 minutes. Progress goes to stderr with --json;
// the last line of stdout is one JSON object.
//
//   - camerasPerNode: one real engine in this process ingests and records simulated cameras, 8 more
//     at a time, until a step fails (a gap, the event loop held > 50 ms, a stream not live, the
//     simulator falling behind) or the time budget runs out (bench/scale-cameras.ts). On PostgreSQL
//     by default, as a node (a throwaway durable cluster on this machine, whose CPU is reported
//     apart), so the same steps give the database load per camera; --cameras-store sqlite
//     runs them on the embedded store (the recording path is the same code).
//   - commandRttMsP95Sqlite / commandRttMsP95Postgres: 8 supervisor seats at once, a mix of ordinary
//     commands through the engine's dispatcher, the same workload on each store (bench/scale-commands.ts).
//   - recordingIndexCeiling: the recorder's index flushes per second each store commits with 64
//     cameras flushing at once; on PostgreSQL a ceiling for the whole site (bench/scale-index.ts).
//   - leaseRounds: how long one node's lease round (a write transaction every second on every
//     node) takes with 100, 1,000 and 10,000 cameras in the site (bench/scale-leases.ts).
//   - auditAppendPerSecPostgres: bench/audit-postgres.ts's measureAuditAppendPostgres (one engine;
//     three engines at once reported beside it).
//   - failoverGapSecondsMax: bench/failover.ts's measureFailoverGap() (needs root: network namespaces).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startPgCluster, type PgCluster } from '../electron/core/testing/pg-cluster';
import { Cleanup, REPO, round, sayer } from './browser';
import { machine } from './proc-cpu';
import { footageKept, measureCameraSteps, type CameraStep, type CameraStepsResult } from './scale-cameras';
import { measureCommandRtt, type CommandRttResult } from './scale-commands';
import { measureIndexCeiling, type IndexCeilingResult } from './scale-index';
import { measureLeaseRounds, type LeaseRoundFigure } from './scale-leases';
import { PgWatch } from './scale-measure';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'cameras-store': { type: 'string', default: 'postgres' },
    first: { type: 'string', default: '8' },
    step: { type: 'string', default: '8' },
    max: { type: 'string', default: '128' },
    'window-seconds': { type: 'string', default: '20' },
    'budget-seconds': { type: 'string', default: '300' },
    codec: { type: 'string', default: 'h264' },
    size: { type: 'string', default: '1280x720' },
    seats: { type: 'string', default: '8' },
    'period-ms': { type: 'string', default: '250' },
    'rtt-seconds': { type: 'string', default: '20' },
    'heavy-seats': { type: 'string', default: '50' },
    'heavy-seconds': { type: 'string', default: '15' },
    'index-cameras': { type: 'string', default: '64' },
    'index-seconds': { type: 'string', default: '10' },
    skip: { type: 'string', default: '' },
    'keep-going': { type: 'boolean', default: false },
  },
});
const say = sayer(values.json);
const num = (name: keyof typeof values, min: number): number => {
  const v = Number(values[name]);
  if (!Number.isFinite(v) || v < min) throw new Error(`--${name} must be a number >= ${min} (got ${String(values[name])})`);
  return v;
};
const SECTIONS = ['cameras', 'rtt', 'index', 'leases', 'audit', 'failover'] as const;
const skip = new Set(String(values.skip).split(',').filter(Boolean));
for (const s of skip) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--skip: one or more of ${SECTIONS.join(', ')} (got ${s})`);
const camerasStore = values['cameras-store'];
if (camerasStore !== 'postgres' && camerasStore !== 'sqlite') throw new Error('--cameras-store: postgres or sqlite');
if (values.codec !== 'h264' && values.codec !== 'h265') throw new Error('--codec: h264 or h265');
const opts = {
  first: num('first', 1),
  step: num('step', 1),
  max: num('max', 1),
  windowSeconds: num('window-seconds', 5),
  budgetMs: num('budget-seconds', 10) * 1000,
  seats: num('seats', 1),
  periodMs: num('period-ms', 20),
  rttSeconds: num('rtt-seconds', 2),
  heavySeats: num('heavy-seats', 1),
  heavySeconds: num('heavy-seconds', 2),
  indexCameras: num('index-cameras', 1),
  indexSeconds: num('index-seconds', 2),
};
// Each connection must stay under the engine's budget of calls (connection-budget.ts: 600 per 10 s).
if ((10_000 / ((opts.periodMs * opts.seats) / opts.heavySeats)) > 500) throw new Error('--heavy-seats: more than 500 calls per 10 s on one connection would be cut off by the engine; use more --seats');

const loadBefore = os.loadavg().map((x) => Number(x.toFixed(2)));
const t0 = Date.now();
say(`load average before: ${loadBefore.join(' ')} (2 cores; others may be using them)`);
const cleanup = new Cleanup();
let cluster: PgCluster | null = null;
const needPg = (!skip.has('cameras') && camerasStore === 'postgres') || !skip.has('rtt') || !skip.has('index') || !skip.has('leases');
try {
  if (needPg) {
    say('starting a throwaway PostgreSQL cluster (durable commits: fsync and synchronous_commit on)...');
    const c = await startPgCluster({ durable: true });
    cluster = c;
    cleanup.add('postgres cluster', () => c.stop());
  }
  const pgDatabase = async (name: string) => {
    const url = await cluster!.createDatabase(name);
    const watch = await PgWatch.open(cluster!.url, url, cluster!.dir);
    cleanup.add(`pg watch ${name}`, () => watch.close());
    return { url, watch };
  };

  let cameras: CameraStepsResult | null = null;
  if (!skip.has('cameras')) {
    cameras = await measureCameraSteps({
      store: camerasStore,
      ...(camerasStore === 'postgres' ? { pg: await pgDatabase('bench_cameras') } : {}),
      ...opts,
      codec: values.codec,
      size: String(values.size),
      keepGoing: values['keep-going'],
      say,
      cleanup,
    });
  }

  const rtt: Partial<Record<'sqlite' | 'postgres', CommandRttResult>> = {};
  if (!skip.has('rtt')) {
    const common = { seats: opts.seats, periodMs: opts.periodMs, seconds: opts.rttSeconds, heavySeats: opts.heavySeats, heavySeconds: opts.heavySeconds, say, cleanup };
    rtt.sqlite = await measureCommandRtt({ store: 'sqlite', ...common });
    rtt.postgres = await measureCommandRtt({ store: 'postgres', pg: await pgDatabase('bench_rtt'), ...common });
  }

  const index: Partial<Record<'sqlite' | 'postgres', IndexCeilingResult>> = {};
  if (!skip.has('index')) {
    const common = { cameras: opts.indexCameras, seconds: opts.indexSeconds, say, cleanup };
    index.sqlite = await measureIndexCeiling({ store: 'sqlite', ...common });
    index.postgres = await measureIndexCeiling({ store: 'postgres', pg: await pgDatabase('bench_index'), ...common });
  }

  const leaseRounds: LeaseRoundFigure[] | null = skip.has('leases') ? null : await measureLeaseRounds({ url: await cluster!.createDatabase('bench_leases'), counts: [100, 1000, 10_000], rounds: 10, say });

  const audit = skip.has('audit') ? null : await auditOnPostgres(cluster?.url ?? null);
  const failover = skip.has('failover') ? null : await failoverGap();

  const perCamera = cameras ? perCameraDbLoad(cameras, index.postgres?.bytesPerFile ?? null) : null;
  const result = {
    camerasPerNode: cameras?.camerasPerNode ?? null,
    commandRttMsP95Postgres: rtt.postgres?.rttMsP95 ?? null,
    commandRttMsP95Sqlite: rtt.sqlite?.rttMsP95 ?? null,
    auditAppendPerSecPostgres: audit?.appendPerSec ?? null,
    failoverGapSecondsMax: failover?.gapSecondsMax ?? null,
    machine: machine(),
    loadAverage: { before: loadBefore, after: os.loadavg().map((x) => Number(x.toFixed(2))) },
    elapsedSeconds: Math.round((Date.now() - t0) / 1000),
    cameras,
    dbLoadPerCamera: perCamera,
    commands: rtt,
    recordingIndexCeiling: index,
    leaseRounds,
    audit,
    failover,
  };
  say(summary(result));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await cleanup.run();
}

/**
 * The database traffic a camera adds (PostgreSQL steps): the slope between the smallest and the
 * largest steps that recorded every camera throughout, which leaves out what a node costs whatever its cameras (its lease round's
 * fixed statements); from one step alone, that step's figures divided by its cameras.
 */
function perCameraDbLoad(c: CameraStepsResult, bytesPerFile: number | null) {
  const steps = c.steps.filter((s) => s.db && footageKept(s));
  if (steps.length === 0) return null;
  const lo = steps[0]!;
  const hi = steps[steps.length - 1]!;
  const two = hi.cameras > lo.cameras;
  const figure = (f: (s: CameraStep) => number, digits: number) => {
    const v = two ? (f(hi) - f(lo)) / (hi.cameras - lo.cameras) : f(hi) / hi.cameras;
    return Number(v.toFixed(digits));
  };
  const db = (s: CameraStep) => s.db!;
  return {
    method: two ? `slope between the steps of ${lo.cameras} and ${hi.cameras} cameras` : `the step of ${hi.cameras} cameras divided by its cameras (the node's own lease round included)`,
    statementsPerSec: figure((s) => db(s).statementsPerSec, 2),
    commitsPerSec: figure((s) => db(s).commitsPerSec, 3),
    insertsPerSec: figure((s) => db(s).insertsPerSec, 3),
    updatesPerSec: figure((s) => db(s).updatesPerSec, 2),
    walBytesPerSec: figure((s) => db(s).walBytesPerSec, 0),
    leaseRowsRenewedPerSec: figure((s) => db(s).tables.camera_leases?.rowsUpdatedPerSec ?? 0, 2),
    auditRowsPerSec: figure((s) => db(s).tables.audit_log?.rowsInsertedPerSec ?? 0, 4),
    /** One file a minute (docs/design/recording.md "Files"), at the measured bytes per closed file. */
    indexBytesPerDay: bytesPerFile === null ? null : bytesPerFile * 1440,
  };
}

/** The audit benchmark's PostgreSQL appends (bench/audit-postgres.ts, behind `bench:audit --postgres`):
 *  one engine, and three appending to one chain at once, on this run's cluster. */
async function auditOnPostgres(adminUrl: string | null): Promise<{ appendPerSec: number | null; [k: string]: unknown } | null> {
  const file = ['bench/audit-postgres.ts', 'bench/audit.ts'].map((f) => path.join(REPO, f)).find((f) => fs.existsSync(f) && /export\s+async\s+function\s+measureAuditAppendPostgres\b/.test(fs.readFileSync(f, 'utf8')));
  if (!file) {
    say('audit on PostgreSQL: no measureAuditAppendPostgres() in bench/audit-postgres.ts or bench/audit.ts; auditAppendPerSecPostgres is null');
    return null;
  }
  type Measure = (o: { adminUrl?: string; writers?: number }) => Promise<{ perSec: number; [k: string]: unknown }>;
  const { measureAuditAppendPostgres } = (await import(file)) as { measureAuditAppendPostgres: Measure };
  say('audit appends on PostgreSQL: one engine, then three at once (bench/audit-postgres.ts)...');
  const one = await measureAuditAppendPostgres({ ...(adminUrl ? { adminUrl } : {}), writers: 1 });
  const three = await measureAuditAppendPostgres({ ...(adminUrl ? { adminUrl } : {}), writers: 3 });
  say(`  ${one.perSec}/s from one engine, ${three.perSec}/s from three`);
  return { appendPerSec: one.perSec, oneWriter: one, threeWriters: three };
}

/** bench/failover.ts's measureFailoverGap() (the nodes' work), when that file exists. */
async function failoverGap(): Promise<{ gapSecondsMax: number | null; [k: string]: unknown } | null> {
  const file = path.join(REPO, 'bench/failover.ts');
  if (!fs.existsSync(file)) {
    say('failover: bench/failover.ts does not exist yet; failoverGapSecondsMax is null');
    return null;
  }
  const mod = (await import(file)) as { measureFailoverGap?: (o?: { say?: (line: string) => void }) => Promise<Record<string, unknown>> };
  if (typeof mod.measureFailoverGap !== 'function') {
    say('failover: bench/failover.ts exports no measureFailoverGap(); failoverGapSecondsMax is null');
    return null;
  }
  say('failover: measureFailoverGap() (three nodes in network namespaces, one killed and brought back)...');
  let r: Record<string, unknown>;
  try {
    r = await mod.measureFailoverGap({ say: (line) => say(`  ${line}`) });
  } catch (err) {
    // Its own preconditions (root, network namespaces) must not cost the figures measured before it.
    const error = err instanceof Error ? err.message : String(err);
    say(`failover: not measured: ${error}`);
    return { gapSecondsMax: null, error };
  }
  const gap = typeof r.failoverGapSecondsMax === 'number' ? r.failoverGapSecondsMax : typeof r.gapSecondsMax === 'number' ? r.gapSecondsMax : null;
  return { ...r, gapSecondsMax: gap };
}

function summary(r: {
  camerasPerNode: number | null;
  commandRttMsP95Postgres: number | null;
  commandRttMsP95Sqlite: number | null;
  auditAppendPerSecPostgres: number | null;
  failoverGapSecondsMax: number | null;
  cameras: CameraStepsResult | null;
  loadAverage: { before: number[]; after: number[] };
  elapsedSeconds: number;
}): string {
  const c = r.cameras;
  return [
    `cameras per node: ${r.camerasPerNode ?? 'n/a'}${c ? ` (${c.store}, ${c.codec} ${c.size}, stopped by ${c.stoppedBy}, ${c.steps.length} steps)` : ''}`,
    `command round trip p95: SQLite ${r.commandRttMsP95Sqlite ?? 'n/a'} ms, PostgreSQL ${r.commandRttMsP95Postgres ?? 'n/a'} ms`,
    `audit appends on PostgreSQL: ${r.auditAppendPerSecPostgres ?? 'n/a'}/s; failover gap: ${r.failoverGapSecondsMax ?? 'n/a'} s`,
    `load average ${r.loadAverage.before.join(' ')} -> ${r.loadAverage.after.join(' ')}; ${round(r.elapsedSeconds / 60, 1)} min`,
  ].join('\n');
}
