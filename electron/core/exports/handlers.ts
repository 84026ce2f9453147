// Export requests (docs/design/exports.md; R6). The dispatcher has checked the permission, that the
// request (and every camera and incident a new one names) is visible to the caller, and committed
// the audit entry; the four-eyes rule (the requester never decides their own request) is here.
import { exportNumber, LIVE_MARK_MAX_SKEW_MS, type EXPORT_COMMANDS, type ExportView } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../clock';
import { requireSession, type HandlerContext, type HandlersOf } from '../dispatcher';
import type { ExportsService, Refusal } from './exports-service';

const NO_EXPORT = 'No such export request.';

export function createExportHandlers(d: { exports: ExportsService; clock: Clock }): HandlersOf<typeof EXPORT_COMMANDS> {
  const { clock } = d;
  const { requests, production } = d.exports;
  const get = async (ctx: HandlerContext, exportId: number) => requests.get(exportId, await ctx.visibility());
  const view = async (ctx: HandlerContext, exportId: number): Promise<Result<ExportView>> => {
    const v = await get(ctx, exportId);
    return v ? ok(v) : fail('NotFound', NO_EXPORT);
  };
  const refused = (r: Refusal) => fail(r.refused, r.message);

  return {
    'exports.create': async (r, ctx) => {
      const now = clock.nowMs();
      if (r.receivedAtMs > now + LIVE_MARK_MAX_SKEW_MS) return fail('InvalidArgument', 'The request cannot have been received in the future.', ['receivedAtMs: future']);
      if (r.items.some((i) => i.toMs > now + LIVE_MARK_MAX_SKEW_MS)) return fail('InvalidArgument', 'A range ends in the future: only recorded footage can be exported.', ['items: future']);
      const id = await requests.create(requireSession(ctx).username, r);
      return view(ctx, id);
    },

    'exports.list': async (r, ctx) => ok(await requests.list(r, await ctx.visibility())),

    'exports.get': async (r, ctx) => view(ctx, r.exportId),

    'exports.decide': async (r, ctx) => {
      const s = requireSession(ctx);
      const e = await get(ctx, r.exportId);
      if (!e) return fail('NotFound', NO_EXPORT);
      // R6: four eyes. The requester never decides their own request, whatever their role.
      if (e.requestedBy === s.username) {
        return fail('PermissionDenied', `You requested ${exportNumber(e.id)} yourself: a supervisor other than the requester must approve or reject it.`);
      }
      if (e.status !== 'pending') return fail('FailedPrecondition', `${exportNumber(e.id)} is already decided (${e.status}).`);
      if (!(await requests.decide(s.username, r.exportId, r.approve, r.reason))) return fail('FailedPrecondition', `${exportNumber(e.id)} was decided meanwhile; reload it.`);
      return view(ctx, r.exportId);
    },

    'exports.extendDeadline': async (r, ctx) => {
      const refusal = await requests.extendDeadline(requireSession(ctx).username, r.exportId, r.months, r.reason);
      return refusal ? refused(refusal) : view(ctx, r.exportId);
    },

    'exports.produce': async (r, ctx) => {
      const refusal = await production.start(requireSession(ctx).username, r.exportId, r.mode, r.redactions, { redactionsCoverOthers: r.redactionsCoverOthers, attestation: r.attestation });
      return refusal ? refused(refusal) : view(ctx, r.exportId);
    },

    'exports.trackBox': async (r, ctx) => {
      const tracked = await d.exports.tracking.track(r, requireSession(ctx).username);
      return 'refused' in tracked ? refused(tracked) : ok(tracked);
    },

    'exports.cancel': async (r, ctx) => {
      if (!(await production.cancel(requireSession(ctx).username, r.exportId))) return fail('FailedPrecondition', `${exportNumber(r.exportId)} is not being produced.`);
      return view(ctx, r.exportId);
    },

    'exports.handover': async (r, ctx) => {
      const e = await get(ctx, r.exportId);
      if (!e) return fail('NotFound', NO_EXPORT);
      if (r.receivedAtMs > clock.nowMs() + LIVE_MARK_MAX_SKEW_MS) return fail('InvalidArgument', 'The handover cannot be in the future.', ['receivedAtMs: future']);
      if (e.production && r.receivedAtMs < (e.production.finishedAtMs ?? e.production.startedAtMs)) {
        return fail('InvalidArgument', 'The handover cannot be before the package was produced.', ['receivedAtMs: beforeProduction']);
      }
      if (!(await requests.handover(requireSession(ctx).username, r.exportId, r))) {
        return fail('FailedPrecondition', e.status === 'handed_over' ? `${exportNumber(e.id)} was handed over already.` : `${exportNumber(e.id)} has no produced package to hand over.`);
      }
      return view(ctx, r.exportId);
    },
  };
}
