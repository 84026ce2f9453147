// When the access review is due and when it is overdue (docs/design/access-review.md "Schedule";
// BRN art. 34(1)(ii)). A review is due `accessReviewMonths` after the last campaign closed (after the
// engine first ran this schedule, before any has): the engine then opens one itself. It is overdue
// when a campaign has been open ACCESS_REVIEW_OPEN_MAX_DAYS days, or when it is due and none is open
// (the engine could not open it): supervisors and the auditor get an alarm, once per situation, and
// it clears itself once the review is back on time.
import type { Kysely } from 'kysely';
import { ACCESS_REVIEW_OPEN_MAX_DAYS, accessReviewReference, addMonthsMs, type ReviewScheduleView } from '../../../shared/contract';
import { readSetting, writeSetting } from '../admin/settings-service';
import type { AlarmParams, AlarmsService } from '../alarms/alarms-service';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Database } from '../store/schema';
import { ENGINE_ACTOR, type AccessReviewService } from './access-review-service';

const KIND = 'access.review_overdue';
/** The settings row that remembers when the schedule first ran: the first review is due N months later. */
const STARTED_KEY = 'accessReview.startedAtMs';
const DAY_MS = 86_400_000;
/** How often the engine checks; a review is due or overdue by days, so an hour late is nothing. */
export const SCHEDULE_CHECK_MS = 3_600_000;

interface State extends ReviewScheduleView {
  /** Names the overdue situation so that its alarm is raised once. */
  overdueKey: string | null;
  openedAtMs: number | null;
}

export class ReviewSchedule {
  private timer: NodeJS.Timeout | null = null;
  private startedAtMs: number | null = null;
  /** Checks run one after another: an alarm is raised once per situation. */
  private checking: Promise<void> = Promise.resolve();

  constructor(
    private readonly d: {
      db: Kysely<Database>;
      clock: Clock;
      logger: Logger;
      alarms: AlarmsService;
      reviews: AccessReviewService;
      months: () => number;
    },
  ) {}

  /** Several nodes: whether this node runs the site's scheduled jobs now (one node does). */
  runsHere: () => boolean = () => true;

  /** Checks now and every SCHEDULE_CHECK_MS until stopped. */
  start(): void {
    const run = () => {
      if (this.runsHere()) void this.check().catch((err: unknown) => this.d.logger.error('the access review schedule check failed', { error: err }));
    };
    run();
    this.timer = setInterval(run, SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async started(): Promise<number> {
    if (this.startedAtMs !== null) return this.startedAtMs;
    const stored = await readSetting(this.d.db, STARTED_KEY);
    if (typeof stored === 'number' && Number.isFinite(stored)) return (this.startedAtMs = stored);
    const now = this.d.clock.nowMs();
    await writeSetting(this.d.db, STARTED_KEY, now);
    return (this.startedAtMs = now);
  }

  async state(): Promise<State> {
    const now = this.d.clock.nowMs();
    const months = this.d.months();
    const open = await this.d.reviews.openCampaign();
    if (open) {
      const openedAtMs = Number(open.opened_at_ms);
      const late = now >= openedAtMs + ACCESS_REVIEW_OPEN_MAX_DAYS * DAY_MS;
      return { months, dueAtMs: null, openCampaignId: open.id, overdue: late ? 'open_too_long' : null, overdueKey: late ? `open:${open.id}` : null, openedAtMs };
    }
    const dueAtMs = addMonthsMs((await this.d.reviews.lastClosedAtMs()) ?? (await this.started()), months);
    const late = now >= dueAtMs;
    return { months, dueAtMs, openCampaignId: null, overdue: late ? 'not_opened' : null, overdueKey: late ? `due:${dueAtMs}` : null, openedAtMs: null };
  }

  async view(): Promise<ReviewScheduleView> {
    const { months, dueAtMs, openCampaignId, overdue } = await this.state();
    return { months, dueAtMs, openCampaignId, overdue };
  }

  /** Opens the campaign that is due, then raises or clears the overdue alarm. */
  check(): Promise<void> {
    const next = this.checking.then(() => this.checkNow());
    this.checking = next.catch(() => undefined);
    return next;
  }

  private async checkNow(): Promise<void> {
    let s = await this.state();
    if (s.overdue === 'not_opened') {
      try {
        await this.d.reviews.serial(() => this.d.reviews.open(ENGINE_ACTOR, 'due'));
      } catch (err) {
        this.d.logger.error('the access review that is due could not be opened', { error: err });
      }
      s = await this.state();
    }
    if (s.overdueKey === null) {
      if (await this.d.alarms.isOpen(KIND)) await this.d.alarms.clear(KIND);
      return;
    }
    const raised = await this.d.db.selectFrom('access_review_alarms').select('key').where('key', '=', s.overdueKey).executeTakeFirst();
    if (raised) return;
    // A new situation: the alarm of an earlier one (acknowledged or not) gives way to it.
    if (await this.d.alarms.isOpen(KIND)) await this.d.alarms.clear(KIND);
    // Values for the screens to word (renderer/alarms/alarm-model.ts); the message is the engine's English.
    const tooLong = s.overdue === 'open_too_long' && s.openCampaignId !== null && s.openedAtMs !== null;
    const reference = s.openCampaignId === null ? '' : accessReviewReference(s.openCampaignId);
    const params: AlarmParams = tooLong
      ? { reason: 'open_too_long', reference, openedAtMs: s.openedAtMs ?? 0, days: ACCESS_REVIEW_OPEN_MAX_DAYS }
      : { reason: 'not_opened', dueAtMs: s.dueAtMs ?? 0, months: s.months };
    const message = tooLong
      ? `The access review ${reference} has been open for more than ${ACCESS_REVIEW_OPEN_MAX_DAYS} days.`
      : `The periodic access review (every ${s.months} months) is overdue and no review is open.`;
    const alarmId = await this.d.alarms.raiseEvent(KIND, 'warning', message, params);
    await this.d.db.insertInto('access_review_alarms').values({ key: s.overdueKey, alarm_id: alarmId, raised_at_ms: this.d.clock.nowMs() }).execute();
  }
}
