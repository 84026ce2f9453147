// Command round trips from a room of seats (bench/scale.ts), the same workload on SQLite and on
// PostgreSQL. Each seat is a supervisor signed in on a connection of its own and calls the engine's
// dispatcher in this process, as the seat's socket would after decoding a frame: what is measured is
// the engine and its database, not TLS or WebSocket framing (bench/seats.ts measures those across
// a real link). The site: 32 cameras in 4 groups (disabled, so no ingest competes), 200 incidents,
// 40 holds and the audit entries all that left. Three of the five commands of the mix are audited
// (incidents.list, audit.query, holds.list), so the mix writes as a room does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { systemClock } from '../electron/core/clock';
import { silentLogger } from '../electron/core/logger';
import { NO_PASSWORDS } from '../electron/core/secrets/secret-store';
import { approveWaiting, ensureSetupApprover, SETUP_APPROVER, SETUP_BASIS } from '../electron/core/testing/grant-approval';
import { createEngineForTests, type TestableEngine } from '../electron/core/testing/harness';
import { percentile, round, sleep, type Cleanup, type Say } from './browser';
import { dispatchCaller } from './engine-setup';
import { once } from './scale-cameras';
import { pgRates, watchEventLoop, type PgRates, type PgWatch } from './scale-measure';

/** The mix, in the order each seat cycles through it (each seat starts at its own place). */
export const COMMAND_MIX: readonly { name: string; payload: unknown }[] = [
  { name: 'cameras.list', payload: {} },
  { name: 'alarms.list', payload: { openOnly: true } },
  { name: 'incidents.list', payload: { limit: 50 } },
  { name: 'audit.query', payload: { filter: {}, limit: 50 } },
  { name: 'holds.list', payload: {} },
];

export interface CommandRttOptions {
  store: 'sqlite' | 'postgres';
  pg?: { url: string; watch: PgWatch };
  seats: number;
  /** Each seat sends one command per period (a console's screens polling and an operator clicking). */
  periodMs: number;
  seconds: number;
  /** Then the commands of this many seats from the same connections (each sending proportionally
   *  faster): a larger room's load without more sign-ins. Each connection stays under the engine's
   *  budget of calls (connection-budget.ts: 600 per 10 s). */
  heavySeats: number;
  heavySeconds: number;
  say: Say;
  cleanup: Cleanup;
}

export interface CommandRttResult {
  store: 'sqlite' | 'postgres';
  seats: number;
  rttMsP50: number | null;
  rttMsP95: number | null;
  rttMsMax: number | null;
  commands: number;
  commandsPerSec: number;
  perCommand: Record<string, { p50: number | null; p95: number | null; n: number }>;
  maxEventLoopBlockMs: number;
  engineCpuPercent: number;
  auditRowsPerSec: number;
  db: PgRates | null;
  heavy: { seatsEquivalent: number; commandsPerSec: number; rttMsP50: number | null; rttMsP95: number | null; maxEventLoopBlockMs: number; engineCpuPercent: number; auditRowsPerSec: number; db: PgRates | null };
}

const PASSWORD = 'Silent-Copper-Bridge-73';
const TEMP = 'Amber-Signal-Tower-19';

type Call = <T = Record<string, unknown>>(name: string, payload: unknown) => Promise<T>;

async function seedSite(engine: TestableEngine, seats: number, say: Say): Promise<Call[]> {
  const admin = dispatchCaller(engine, 'bench-rtt-admin');
  const signInAdmin = () => admin('auth.signIn', { username: 'bench.admin', password: 'Quiet-Harbour-Lantern-42' });
  await admin('setup.createAdmin', { username: 'bench.admin', displayName: 'Bench', password: 'Quiet-Harbour-Lantern-42' });
  await signInAdmin();
  const version = (await admin<{ version: string }>('commitment.get', { language: 'en' })).version;
  await admin('commitment.accept', { version });
  const groupIds: number[] = [];
  for (let g = 0; g < 4; g++) groupIds.push((await admin<{ id: number }>('groups.create', { name: `Zone ${g + 1}`, description: '' })).id);
  const cameraIds: number[] = [];
  for (let i = 0; i < 32; i++) {
    const c = await admin<{ id: number }>('cameras.add', {
      settings: { name: `Camera ${i + 1}`, site: 'Bench', groupId: groupIds[i % 4]!, purpose: 'benchmark camera', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
      source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/none', subUrl: null },
      username: null,
      password: null,
    });
    await admin('cameras.setEnabled', { cameraId: c.id, enabled: false, reason: 'benchmark: no ingest' });
    cameraIds.push(c.id);
  }
  const names = Array.from({ length: seats }, (_, i) => `bench.super${i + 1}`);
  // Supervisors may approve grants: the set-up's DPO must exist first to be the site's first approver.
  // Its first sign-in (new password, commitment) done here, so approveWaiting signs it in as it expects.
  if (await ensureSetupApprover(admin)) {
    const dpo = dispatchCaller(engine, 'bench-rtt-dpo');
    await dpo('auth.signIn', { username: SETUP_APPROVER.username, password: SETUP_APPROVER.temp });
    await dpo('auth.changePassword', { currentPassword: SETUP_APPROVER.temp, newPassword: SETUP_APPROVER.password });
    await dpo('commitment.accept', { version });
    await dpo('auth.signOut', {});
  }
  for (const username of names) {
    await admin('users.create', { username, displayName: `Bench Supervisor ${username.slice(-1)}`, role: 'supervisor', groupIds, language: 'en', initialPassword: TEMP, basis: SETUP_BASIS });
  }
  await approveWaiting(admin, names, signInAdmin);
  const callers: Call[] = [];
  for (const [i, username] of names.entries()) {
    const c = dispatchCaller(engine, `bench-seat-${i + 1}`, `ws:seat${i + 1}@127.0.0.1`);
    await c('auth.signIn', { username, password: TEMP });
    await c('auth.changePassword', { currentPassword: TEMP, newPassword: PASSWORD });
    await c('commitment.accept', { version });
    callers.push(c);
  }
  say(`  seeding 200 incidents and 40 holds...`);
  const now = Date.now();
  for (let i = 0; i < 200; i++) {
    const cam = cameraIds[i % cameraIds.length]!;
    const fromMs = now - (i + 2) * 3_600_000;
    await callers[i % callers.length]!('incidents.create', { cameraIds: [cam], fromMs, toMs: fromMs + 600_000, category: 'other', title: `Bench incident ${i + 1}`, note: 'seeded by bench:scale' });
  }
  for (let i = 0; i < 40; i++) {
    const cam = cameraIds[i % cameraIds.length]!;
    const fromMs = now - (i + 2) * 7_200_000;
    await callers[i % callers.length]!('holds.place', {
      kind: 'legal',
      caseReference: `BENCH-${i + 1}/26`,
      legalBasis: 'Art. 217 KPK',
      requestingBody: 'Police',
      reason: 'benchmark hold on possible evidence',
      reviewDateMs: now + 30 * 86_400_000,
      items: [{ cameraId: cam, fromMs, toMs: fromMs + 1_800_000 }],
    });
  }
  return callers;
}

interface Sample {
  name: string;
  ms: number;
}

/** Every seat cycles through the mix, one command per `periodMs`. */
async function runSeats(callers: readonly Call[], periodMs: number, seconds: number): Promise<{ samples: Sample[]; wallMs: number }> {
  const samples: Sample[] = [];
  const t0 = performance.now();
  const endAt = t0 + seconds * 1000;
  await Promise.all(
    callers.map(async (call, seat) => {
      // Seats start spread over one period, as a room's screens do not poll in step.
      await sleep((periodMs * seat) / callers.length);
      for (let k = seat; performance.now() < endAt; k++) {
        const cmd = COMMAND_MIX[k % COMMAND_MIX.length]!;
        const sent = performance.now();
        await call(cmd.name, cmd.payload);
        const ms = performance.now() - sent;
        samples.push({ name: cmd.name, ms });
        await sleep(Math.max(0, periodMs - ms));
      }
    }),
  );
  return { samples, wallMs: performance.now() - t0 };
}

export async function measureCommandRtt(o: CommandRttOptions): Promise<CommandRttResult> {
  const { say } = o;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-rtt-'));
  o.cleanup.add(`rtt data dir (${o.store})`, () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const engine = await createEngineForTests({ clock: systemClock, dataDir, logger: silentLogger, secrets: NO_PASSWORDS, ...(o.store === 'postgres' ? { database: o.pg!.url } : {}) });
  const close = once(() => engine.close());
  o.cleanup.add(`rtt engine (${o.store})`, close);
  try {
    say(`command round trips on ${o.store}: seeding a site with ${o.seats} supervisors...`);
    const callers = await seedSite(engine, o.seats, say);
    const auditRows = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM audit_log`.execute(engine.store.db)).rows[0]!.n);
    // Warm-up: every command of the mix once per seat (statements prepared, caches filled).
    for (const call of callers) for (const c of COMMAND_MIX) await call(c.name, c.payload);

    const phase = async (periodMs: number, seconds: number) => {
      const audit0 = await auditRows();
      const pgA = o.pg ? await o.pg.watch.read() : null;
      const cpu0 = process.cpuUsage();
      const loop = watchEventLoop();
      const run = await runSeats(callers, periodMs, seconds);
      const held = loop.stop();
      const cpu = process.cpuUsage(cpu0);
      const pgB = o.pg ? await o.pg.watch.read() : null;
      const audit1 = await auditRows();
      const ms = run.samples.map((s) => s.ms);
      const figures = {
        rttMsP50: round(percentile(ms, 50), 2),
        rttMsP95: round(percentile(ms, 95), 2),
        commandsPerSec: round((ms.length / run.wallMs) * 1000, 1)!,
        maxEventLoopBlockMs: held.maxBlockMs,
        engineCpuPercent: round(((cpu.user + cpu.system) / 1000 / run.wallMs) * 100, 1)!,
        auditRowsPerSec: round(((audit1 - audit0) / run.wallMs) * 1000, 1)!,
        db: pgA && pgB ? pgRates(pgA, pgB) : null,
      };
      return { samples: run.samples, figures };
    };
    say(`  ${o.seats} seats, one command every ${o.periodMs} ms each, ${o.seconds} s...`);
    const paced = await phase(o.periodMs, o.seconds);
    const heavyPeriodMs = (o.periodMs * o.seats) / o.heavySeats;
    say(`  ${o.heavySeats} seats' commands from the same ${o.seats} connections (one every ${heavyPeriodMs.toFixed(0)} ms each), ${o.heavySeconds} s...`);
    const heavy = await phase(heavyPeriodMs, o.heavySeconds);

    const perCommand: CommandRttResult['perCommand'] = {};
    for (const c of COMMAND_MIX) {
      const m = paced.samples.filter((s) => s.name === c.name).map((s) => s.ms);
      perCommand[c.name] = { p50: round(percentile(m, 50), 2), p95: round(percentile(m, 95), 2), n: m.length };
    }
    const result: CommandRttResult = {
      store: o.store,
      seats: o.seats,
      ...paced.figures,
      rttMsMax: round(percentile(paced.samples.map((s) => s.ms), 100), 1),
      commands: paced.samples.length,
      perCommand,
      heavy: { seatsEquivalent: o.heavySeats, ...heavy.figures },
    };
    say(
      `  ${o.store}: p50 ${result.rttMsP50} ms, p95 ${result.rttMsP95} ms over ${result.commands} commands (${result.commandsPerSec}/s); ` +
        `loop held ${result.maxEventLoopBlockMs} ms; as ${o.heavySeats} seats ${result.heavy.commandsPerSec}/s, p95 ${result.heavy.rttMsP95} ms`,
    );
    return result;
  } finally {
    await close();
  }
}
