// The access review's commands (docs/design/access-review.md; BRN art. 34(1)(ii), JON 15.3). The
// dispatcher has checked access.review and committed the audit entry with the reason; the rules of
// the review are checked here: a line is decided once, in an open campaign, never by its own account.
import type { ACCESS_REVIEW_COMMANDS, CampaignView } from '../../../shared/contract';
import { accessReviewReference } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import { requireSession, type HandlerContext, type HandlersOf } from '../dispatcher';
import { writeRegisterFile } from '../registers/register-document';
import type { AccessReviewService, Decision, LineRow } from './access-review-service';
import { reviewDocument, type ReviewRegisterDeps } from './review-register';
import type { ReviewSchedule } from './review-schedule';
import { revokeLine, type RevokeDeps } from './revoke';

export interface AccessReviewDeps {
  reviews: AccessReviewService;
  schedule: ReviewSchedule;
  revoke: RevokeDeps;
  register: ReviewRegisterDeps;
}

const NO_CAMPAIGN = 'No such access review.';
const OWN_LINE = 'Nobody decides on their own access: another reviewer decides this line.';

type Checked = { ok: true; lines: LineRow[] } | { ok: false; error: ReturnType<typeof fail> };

export function createAccessReviewHandlers(d: AccessReviewDeps): HandlersOf<typeof ACCESS_REVIEW_COMMANDS> {
  const { reviews, schedule } = d;
  const view = async (campaignId: number, ctx: HandlerContext): Promise<Result<CampaignView>> => {
    const c = await reviews.view(campaignId, requireSession(ctx).userId);
    return c ? ok(c) : fail('NotFound', NO_CAMPAIGN);
  };

  /** The lines named, each of the open campaign, undecided and not the caller's own. */
  const decidable = async (campaignId: number, lineIds: readonly number[], userId: number): Promise<Checked> => {
    const c = await reviews.campaign(campaignId);
    if (!c) return { ok: false, error: fail('NotFound', NO_CAMPAIGN) };
    if (c.status !== 'open') return { ok: false, error: fail('FailedPrecondition', `The access review ${accessReviewReference(c.id)} is closed; its decisions are a record.`) };
    const all = new Map((await reviews.linesOf(c.id)).map((l) => [l.id, l]));
    const decided = await reviews.decidedLineIds(c.id);
    const lines: LineRow[] = [];
    for (const lineId of new Set(lineIds)) {
      const line = all.get(lineId);
      if (!line) return { ok: false, error: fail('NotFound', `No line ${lineId} in the access review ${accessReviewReference(c.id)}.`) };
      if (decided.has(lineId)) return { ok: false, error: fail('FailedPrecondition', `The line of ${line.username} is decided already; a decision is never changed.`) };
      if (line.user_id === userId) return { ok: false, error: fail('PermissionDenied', OWN_LINE) };
      lines.push(line);
    }
    return { ok: true, lines };
  };

  return {
    'access.reviewList': async () => ok({ schedule: await schedule.view(), campaigns: await reviews.list() }),

    'access.reviewGet': async (r, ctx) => view(r.campaignId, ctx),

    'access.reviewOpen': async (_r, ctx) => {
      const s = requireSession(ctx);
      const id = await reviews.serial(() => reviews.open(s.username, 'manual'));
      if (id === null) {
        const open = await reviews.openCampaign();
        return fail('FailedPrecondition', `The access review ${open ? accessReviewReference(open.id) : ''} is open: decide its lines first.`);
      }
      // An overdue alarm gives way once a review is open in time.
      await schedule.check();
      return view(id, ctx);
    },

    'access.reviewConfirm': async (r, ctx) => {
      const s = requireSession(ctx);
      const outcome = await reviews.serial(async () => {
        const checked = await decidable(r.campaignId, r.lineIds, s.userId);
        if (!checked.ok) return checked.error;
        return ok(await reviews.decide(r.campaignId, s.username, r.reason, checked.lines.map((l) => ({ lineId: l.id, decision: 'confirmed', effect: 'none' }))));
      });
      if (!outcome.ok) return outcome;
      if (outcome.value) await schedule.check();
      return view(r.campaignId, ctx);
    },

    'access.reviewRevoke': async (r, ctx) => {
      const s = requireSession(ctx);
      const outcome = await reviews.serial(async () => {
        const checked = await decidable(r.campaignId, [r.lineId], s.userId);
        if (!checked.ok) return checked.error;
        const line = checked.lines[0]!;
        const effect = await revokeLine(d.revoke, { kind: line.kind, userId: line.user_id, groupId: line.group_id, reference: accessReviewReference(r.campaignId) }, s.username, ctx);
        if (!effect.ok) return effect;
        const decisions: Decision[] = [{ lineId: line.id, decision: 'revoked', effect: effect.value }];
        if (line.kind === 'role') {
          // The account keeps no camera group: its undecided group lines go with its role line.
          const decided = await reviews.decidedLineIds(r.campaignId);
          for (const other of await reviews.linesOf(r.campaignId, line.user_id)) {
            if (other.id !== line.id && !decided.has(other.id)) decisions.push({ lineId: other.id, decision: 'revoked', effect: 'with_account' });
          }
        }
        return ok(await reviews.decide(r.campaignId, s.username, r.reason, decisions));
      });
      if (!outcome.ok) return outcome;
      if (outcome.value) await schedule.check();
      return view(r.campaignId, ctx);
    },

    'access.reviewExport': async (r, ctx) => {
      const s = requireSession(ctx);
      const c = await reviews.view(r.campaignId, s.userId);
      if (!c) return fail('NotFound', NO_CAMPAIGN);
      const doc = await reviewDocument(d.register, c, r.language, s.username);
      return writeRegisterFile(d.register, s, doc, r, `access-review-${c.id}-${r.language}`);
    },
  };
}
