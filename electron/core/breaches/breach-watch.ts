// What the engine watches on its own for the breach register (JON 23; BRN 37; docs/design/breaches.md
// "Proposed by the engine" and "The 72-hour clock"). Every minute (a tick on the engine's clock, so
// tests move a manual clock and call tick()):
// - the reminder a day before the 72-hour deadline: once per record, a line of its history and an
//   alarm to those who read the register (breaches.deadline), acknowledged by the data protection officer;
// - bursts of refused access or sign-in lockouts read from the audit log (refusal-bursts.ts);
// - every INTEGRITY_PASS_MS a pass of the recording files' re-check (recording/integrity-check.ts),
//   run beside the tick so a long pass never delays the reminders;
// - once a day at a quiet hour of the site's time, a verification of the whole audit trail, which
//   proposes a record when the chain is broken (as a verification by hand does); an engine that was
//   down at that hour runs it at its first tick after.
// Each step is on its own: one that fails is logged and the others run (a proposal never stops what
// found it).
import type { Kysely } from 'kysely';
import type { AuditVerifyReport } from '../../../shared/contract';
import type { AlarmsService } from '../alarms/alarms-service';
import type { AuditLog } from '../audit/audit-log';
import { localIsoTime } from '../audit/csv';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { INTEGRITY_PASS_MS } from '../recording/integrity-check';
import type { Database } from '../store/schema';
import { breachReference, type BreachesService } from './breaches-service';

export const WATCH_TICK_MS = 60_000;
/**
 * The daily audit verification's local time: half past three, the quietest hour of a monitoring
 * room (no shift change, fewest operators, least playback), so its worker threads take spare CPU.
 */
export const VERIFY_AT_LOCAL = { hour: 3, minute: 30 } as const;
const VERIFY_RUN = 'audit_verification';

export interface BreachWatchDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  audit: Pick<AuditLog, 'append'>;
  breaches: Pick<BreachesService, 'remindDue'>;
  alarms: Pick<AlarmsService, 'raiseEvent'>;
  /** The engine's verification: it proposes a record itself when the chain is broken. */
  verify: () => Promise<AuditVerifyReport>;
  bursts: { scan(): Promise<unknown> };
  integrity: { pass(): Promise<unknown> } | null;
  timeZone: () => Promise<string>;
}

export class BreachWatch {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private integrityRun: Promise<unknown> | null = null;
  private lastIntegrityAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly d: BreachWatchDeps) {}

  /** Ticks every `tickMs` of real time (the steps read the engine's clock). */
  start(tickMs = WATCH_TICK_MS): void {
    this.timer ??= setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    await this.integrityRun?.catch(() => undefined);
  }

  /** One tick (one at a time; a tick asked for while one runs gets that one). */
  tick(): Promise<void> {
    this.ticking ??= this.tickOnce().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  /** Several nodes: whether this node runs the site's scheduled jobs now (one node does); the
   *  re-check of recording files is each node's own (its disk). */
  runsSiteJobs: () => boolean = () => true;

  private async tickOnce(): Promise<void> {
    const site = this.runsSiteJobs();
    if (site) await this.step('reminding of breach deadlines', () => this.remind());
    if (site) await this.step('scanning the audit log for bursts of refusals', () => this.scanRefusals());
    if (!this.integrityRun && this.d.clock.nowMs() - this.lastIntegrityAtMs >= INTEGRITY_PASS_MS) void this.recheckRecordings();
    if (site) await this.step('the daily audit verification', () => this.verifyIfDue());
  }

  /** Bursts of refusals and lockouts appended to the audit log since the last scan. */
  scanRefusals(): Promise<unknown> {
    return this.d.bursts.scan();
  }

  /** A pass of the recording files' re-check (one at a time; never throws). */
  recheckRecordings(): Promise<unknown> {
    const integrity = this.d.integrity;
    if (!integrity) return Promise.resolve();
    this.lastIntegrityAtMs = this.d.clock.nowMs();
    this.integrityRun ??= this.step('re-checking recording files', () => integrity.pass()).finally(() => {
      this.integrityRun = null;
    });
    return this.integrityRun;
  }

  /** The records reminded now each raise their alarm (the history line is the service's). */
  async remind(): Promise<number[]> {
    const reminded = await this.d.breaches.remindDue();
    const zone = await this.d.timeZone();
    for (const r of reminded) {
      const deadlineAtMs = r.discoveredAtMs + 72 * 3_600_000;
      const reference = breachReference(r.id);
      await this.d.alarms.raiseEvent(
        'breaches.deadline',
        'warning',
        `Breach ${reference}: the supervisory authority must be notified by ${localIsoTime(deadlineAtMs, zone)} (72 hours from discovery, BRN 37) unless it is assessed as category 1.`,
        { breachId: r.id, reference, deadlineAtMs, category: r.category === null ? 'none' : String(r.category) },
      );
    }
    return reminded.map((r) => r.id);
  }

  /** Runs the verification when the last one was before the latest quiet hour; answers whether it ran. */
  async verifyIfDue(): Promise<boolean> {
    const now = this.d.clock.nowMs();
    const last = await this.d.db.selectFrom('breach_watch_runs').select('at_ms').where('name', '=', VERIFY_RUN).executeTakeFirst();
    if (!last) {
      // A new site: the first verification at the next quiet hour.
      await this.d.db.insertInto('breach_watch_runs').values({ name: VERIFY_RUN, at_ms: now }).execute();
      return false;
    }
    if (Number(last.at_ms) >= quietHourBefore(now, await this.d.timeZone())) return false;
    // Written first: a verification that fails or stops the engine is not retried every minute.
    await this.d.db.updateTable('breach_watch_runs').set({ at_ms: now }).where('name', '=', VERIFY_RUN).execute();
    const report = await this.d.verify();
    await this.d.audit.append({
      actor: 'system',
      action: 'audit.verifiedOnSchedule',
      target: 'audit-log',
      outcome: 'allowed',
      details: { ok: report.ok, entries: report.entries, firstBadSeq: report.firstBadSeq, elapsedMs: Math.round(report.elapsedMs) },
    });
    return true;
  }

  private async step(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.d.logger.error(`${what} failed`, { error: err });
    }
  }
}

/** The latest VERIFY_AT_LOCAL of `timeZone` at or before `nowMs`. */
export function quietHourBefore(nowMs: number, timeZone: string): number {
  const [y, m, d] = localIsoTime(nowMs, timeZone).slice(0, 10).split('-').map(Number) as [number, number, number];
  const today = localInstant(y, m, d, timeZone);
  return today <= nowMs ? today : localInstant(y, m, d - 1, timeZone);
}

/** The instant of VERIFY_AT_LOCAL on a local calendar day (`day` may be 0: the month before). */
function localInstant(y: number, m: number, day: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, day, VERIFY_AT_LOCAL.hour, VERIFY_AT_LOCAL.minute);
  // The zone's offset at that wall time, read twice: the second read is at the instant itself.
  const offsetAt = (ms: number) => {
    const m2 = /([+-])(\d\d):(\d\d)$/.exec(localIsoTime(ms, timeZone));
    return m2 ? (m2[1] === '-' ? -1 : 1) * (Number(m2[2]) * 60 + Number(m2[3])) * 60_000 : 0;
  };
  return wall - offsetAt(wall - offsetAt(wall));
}
