// The periodic access review (docs/design/access-review.md; BRN art. 34(1)(ii), JON 15.3). The one
// owner of the access_review_* tables. A campaign's lines are a snapshot taken when it opens: every
// active account's role, and each camera group it belongs to, with its last uses from the audit log
// (last-uses.ts). Each line gets one decision, written once; the campaign closes when the last line
// is decided. The database keeps lines and decisions append-only and a closed campaign unchanged.
import type { Kysely, Selectable } from 'kysely';
import { accessReviewReference, addMonthsMs, REVIEW_EFFECTS, type CampaignSummaryView, type CampaignView, type ReviewEffect, type ReviewLineView, type UserView } from '../../../shared/contract';
import { ROLES, type Role } from '../../../shared/roles';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { AccessReviewCampaignsTable, AccessReviewDecisionsTable, AccessReviewLinesTable, Database } from '../store/schema';
import { lastUses, latestOn } from './last-uses';

/** The actor of what the engine does itself (a reserved user name, RESERVED_USERNAMES). */
export const ENGINE_ACTOR = 'system';

export type CampaignRow = Selectable<AccessReviewCampaignsTable>;
export type LineRow = Selectable<AccessReviewLinesTable>;
type DecisionRow = Selectable<AccessReviewDecisionsTable>;

/** What the review reads of the site: the active accounts, the groups' names, the cameras' groups. */
export interface ReviewSources {
  activeUsers(): Promise<readonly Pick<UserView, 'id' | 'username' | 'displayName' | 'role' | 'createdAtMs' | 'groupIds'>[]>;
  groupNames(): Promise<ReadonlyMap<number, string>>;
  cameraGroups(): Promise<readonly { id: number; group_id: number }[]>;
}

export interface Decision {
  lineId: number;
  decision: 'confirmed' | 'revoked';
  effect: ReviewEffect;
}

const num = (v: number | bigint | null): number | null => (v === null ? null : Number(v));
const roleOf = (r: string): Role => ROLES.find((x) => x === r) ?? 'guard';

export class AccessReviewService {
  /** Opening and deciding run one at a time: a line is decided once, one campaign is open at most. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly sources: ReviewSources,
    /** securitySettings.accessReviewMonths, read when a campaign opens. */
    private readonly months: () => number,
  ) {}

  /** Runs `work` after every earlier opening or decision has finished. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  openCampaign(): Promise<CampaignRow | undefined> {
    return this.db.selectFrom('access_review_campaigns').selectAll().where('status', '=', 'open').executeTakeFirst();
  }

  campaign(campaignId: number): Promise<CampaignRow | undefined> {
    return this.db.selectFrom('access_review_campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst();
  }

  /** When the last campaign closed (null: none has). */
  async lastClosedAtMs(): Promise<number | null> {
    const r = await this.db.selectFrom('access_review_campaigns').select((eb) => eb.fn.max('closed_at_ms').as('at')).where('status', '=', 'closed').executeTakeFirst();
    return r?.at == null ? null : Number(r.at);
  }

  /**
   * Opens a campaign with a line for every active account's role and for each of its camera groups,
   * and the last uses up to now. Answers null when one is open already. Call inside `serial`.
   */
  async open(actor: string, trigger: 'due' | 'manual'): Promise<number | null> {
    if (await this.openCampaign()) return null;
    const now = this.clock.nowMs();
    const months = this.months();
    const periodFromMs = addMonthsMs(now, -months);
    const [users, names, cameras, uses] = await Promise.all([this.sources.activeUsers(), this.sources.groupNames(), this.sources.cameraGroups(), lastUses(this.db, now)]);
    const camerasOf = new Map<number, Set<number>>();
    for (const c of cameras) camerasOf.set(c.group_id, (camerasOf.get(c.group_id) ?? new Set()).add(c.id));
    const used = (at: number | null) => at !== null && at >= periodFromMs;
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('access_review_campaigns')
        .values({ trigger, opened_at_ms: now, opened_by: actor, months, period_from_ms: periodFromMs, period_to_ms: now, status: 'open', closed_at_ms: null, closed_by: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const lines: Omit<LineRow, 'id'>[] = [];
      for (const u of users) {
        const who = { campaign_id: row.id, user_id: u.id, username: u.username, display_name: u.displayName, role: u.role, account_created_at_ms: u.createdAtMs };
        // The role line: every camera counts, and the role is in use when the account signs in.
        const signIn = uses.signIn.get(u.username) ?? null;
        const all = { live: latestOn(uses.live, u.username, null), playback: latestOn(uses.playback, u.username, null), export: latestOn(uses.export, u.username, null) };
        lines.push({ ...who, kind: 'role', group_id: null, group_name: null, last_sign_in_ms: signIn, last_live_ms: all.live, last_playback_ms: all.playback, last_export_ms: all.export, unused: used(signIn) ? 0 : 1 });
        for (const groupId of [...u.groupIds].sort((a, b) => a - b)) {
          const cams = camerasOf.get(groupId) ?? new Set<number>();
          const g = { live: latestOn(uses.live, u.username, cams), playback: latestOn(uses.playback, u.username, cams), export: latestOn(uses.export, u.username, cams) };
          const inUse = used(g.live) || used(g.playback) || used(g.export);
          lines.push({ ...who, kind: 'group', group_id: groupId, group_name: names.get(groupId) ?? `#${groupId}`, last_sign_in_ms: null, last_live_ms: g.live, last_playback_ms: g.playback, last_export_ms: g.export, unused: inUse ? 0 : 1 });
        }
      }
      // SQLite's limit on bound values: a few hundred lines per statement.
      for (let i = 0; i < lines.length; i += 200) await trx.insertInto('access_review_lines').values(lines.slice(i, i + 200)).execute();
      return row.id;
    });
    if (trigger === 'due') {
      await this.audit.append({ actor, action: 'access.reviewOpened', target: `access-review#${id}`, outcome: 'allowed', details: { reference: accessReviewReference(id), months, periodFromMs, periodToMs: now } });
    }
    return id;
  }

  line(lineId: number): Promise<LineRow | undefined> {
    return this.db.selectFrom('access_review_lines').selectAll().where('id', '=', lineId).executeTakeFirst();
  }

  linesOf(campaignId: number, userId?: number): Promise<LineRow[]> {
    let q = this.db.selectFrom('access_review_lines').selectAll().where('campaign_id', '=', campaignId);
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    return q.orderBy('id').execute();
  }

  async decidedLineIds(campaignId: number): Promise<Set<number>> {
    const rows = await this.db.selectFrom('access_review_decisions').select('line_id').where('campaign_id', '=', campaignId).execute();
    return new Set(rows.map((r) => r.line_id));
  }

  /**
   * Writes decisions (one per line, never changed) and closes the campaign when no line is left
   * undecided. Answers whether it closed. Call inside `serial`.
   */
  async decide(campaignId: number, actor: string, reason: string, decisions: readonly Decision[]): Promise<boolean> {
    const now = this.clock.nowMs();
    const closed = await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('access_review_decisions')
        .values(decisions.map((d) => ({ line_id: d.lineId, campaign_id: campaignId, decision: d.decision, effect: d.effect, actor, at_ms: now, reason })))
        .execute();
      const left = await trx
        .selectFrom('access_review_lines as l')
        .leftJoin('access_review_decisions as d', 'd.line_id', 'l.id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('l.campaign_id', '=', campaignId)
        .where('d.id', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(left.n) > 0) return false;
      await trx.updateTable('access_review_campaigns').set({ status: 'closed', closed_at_ms: now, closed_by: actor }).where('id', '=', campaignId).where('status', '=', 'open').execute();
      return true;
    });
    if (closed) await this.audit.append({ actor, action: 'access.reviewClosed', target: `access-review#${campaignId}`, outcome: 'allowed', details: { reference: accessReviewReference(campaignId) } });
    return closed;
  }

  async list(): Promise<CampaignSummaryView[]> {
    const rows = await this.db.selectFrom('access_review_campaigns').selectAll().orderBy('id', 'desc').limit(200).execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const lineCounts = await this.db
      .selectFrom('access_review_lines')
      .select(['campaign_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('unused').as('unused')])
      .where('campaign_id', 'in', ids)
      .groupBy('campaign_id')
      .execute();
    const decisionCounts = await this.db
      .selectFrom('access_review_decisions')
      .select(['campaign_id', 'decision', (eb) => eb.fn.countAll<number>().as('n')])
      .where('campaign_id', 'in', ids)
      .groupBy(['campaign_id', 'decision'])
      .execute();
    return rows.map((r) => {
      const lines = lineCounts.find((c) => c.campaign_id === r.id);
      const decided = decisionCounts.filter((c) => c.campaign_id === r.id);
      return summaryOf(r, {
        lines: Number(lines?.n ?? 0),
        unused: Number(lines?.unused ?? 0),
        decided: decided.reduce((n, c) => n + Number(c.n), 0),
        revoked: Number(decided.find((c) => c.decision === 'revoked')?.n ?? 0),
      });
    });
  }

  /** The campaign with its lines, as `viewerUserId` may act on them. */
  async view(campaignId: number, viewerUserId: number): Promise<CampaignView | undefined> {
    const c = await this.campaign(campaignId);
    if (!c) return undefined;
    const lines = await this.linesOf(campaignId);
    const decisions = await this.db.selectFrom('access_review_decisions').selectAll().where('campaign_id', '=', campaignId).execute();
    const byLine = new Map<number, DecisionRow>(decisions.map((d) => [d.line_id, d]));
    const lineViews = lines.map((l) => lineView(l, byLine.get(l.id) ?? null, c.status === 'open' && l.user_id !== viewerUserId));
    return {
      ...summaryOf(c, {
        lines: lines.length,
        unused: lines.filter((l) => l.unused === 1).length,
        decided: decisions.length,
        revoked: decisions.filter((d) => d.decision === 'revoked').length,
      }),
      lineViews,
    };
  }
}

function summaryOf(r: CampaignRow, counts: { lines: number; decided: number; unused: number; revoked: number }): CampaignSummaryView {
  return {
    id: r.id,
    reference: accessReviewReference(r.id),
    status: r.status,
    trigger: r.trigger,
    openedAtMs: Number(r.opened_at_ms),
    openedBy: r.opened_by,
    periodFromMs: Number(r.period_from_ms),
    periodToMs: Number(r.period_to_ms),
    months: Number(r.months),
    closedAtMs: num(r.closed_at_ms),
    closedBy: r.closed_by,
    ...counts,
  };
}

function lineView(l: LineRow, d: DecisionRow | null, mayDecide: boolean): ReviewLineView {
  return {
    id: l.id,
    userId: l.user_id,
    username: l.username,
    displayName: l.display_name,
    role: roleOf(l.role),
    kind: l.kind,
    groupId: l.group_id,
    groupName: l.group_name,
    accountCreatedAtMs: Number(l.account_created_at_ms),
    lastSignInMs: num(l.last_sign_in_ms),
    lastLiveMs: num(l.last_live_ms),
    lastPlaybackMs: num(l.last_playback_ms),
    lastExportMs: num(l.last_export_ms),
    unused: l.unused === 1,
    decision: d ? { decision: d.decision, effect: effectOf(d.effect), by: d.actor, atMs: Number(d.at_ms), reason: d.reason } : null,
    canDecide: d === null && mayDecide,
  };
}

const effectOf = (e: string): ReviewEffect => REVIEW_EFFECTS.find((x) => x === e) ?? 'none';
