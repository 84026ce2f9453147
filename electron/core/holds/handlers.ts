// Legal holds (docs/design/recording.md; R2; ELB 1.13). The dispatcher has checked that the hold and
// every camera a request names are visible to the caller.
import { namesExport, type HOLDS_COMMANDS } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import type { Clock } from '../clock';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { HoldsService } from './holds-service';

export function createHoldsHandlers(d: { holds: HoldsService; clock: Clock }): HandlersOf<typeof HOLDS_COMMANDS> {
  const { holds } = d;
  return {
    'holds.list': async (r, ctx) => ok({ holds: await holds.list(r, await ctx.visibility()) }),

    'holds.place': async (r, ctx) => {
      if (r.reviewDateMs <= d.clock.nowMs()) return fail('InvalidArgument', 'The review date must be in the future.', ['reviewDateMs: past']);
      const id = await holds.place(requireSession(ctx).username, r);
      return ok((await holds.get(id))!);
    },

    'holds.extend': async (r, ctx) => {
      const h = (await holds.get(r.holdId))!;
      if (h.status !== 'active') return fail('FailedPrecondition', 'A released hold cannot be extended; place a new one.');
      if (r.reviewDateMs !== null && r.reviewDateMs <= h.reviewDateMs) return fail('InvalidArgument', 'A hold is extended to a later review date.', ['reviewDateMs: notLater']);
      if (r.reviewDateMs === null && r.addItems.length === 0) return fail('InvalidArgument', 'Nothing to extend.', ['addItems: empty']);
      await holds.extend(requireSession(ctx).username, r.holdId, r.reviewDateMs, r.addItems, r.reason);
      return ok((await holds.get(r.holdId))!);
    },

    'holds.release': async (r, ctx) => {
      const h = (await holds.get(r.holdId))!;
      if (h.status !== 'active') return fail('FailedPrecondition', 'The hold is already released.');
      // Before the handover the hold is what keeps the exported footage from retention: releasing
      // it then is refused unless the person names the export (a second, deliberate confirmation).
      const exp = h.protectsExport;
      if (exp && !namesExport(r.confirmExport, exp.number)) {
        return fail(
          'FailedPrecondition',
          `The hold protects export ${exp.number}, which has not been handed over yet: released now, its footage could be deleted before the handover. Record the handover first, or confirm by naming the export.`,
          ['confirmExport: required'],
        );
      }
      await holds.release(requireSession(ctx).username, r.holdId, r.reason);
      return ok((await holds.get(r.holdId))!);
    },
  };
}
