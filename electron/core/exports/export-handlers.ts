// Handlers of export requests and the site setting (issue 6 §1, §2, §5; DESIGN R6). The dispatcher
// has checked the permission and committed the audit entry before these run; the four-eyes rule
// (the requester never decides their own request) and visibility are checked here.
import type { Kysely } from 'kysely';
import { exportNumber, LIVE_MARK_MAX_SKEW_MS, type ExportView } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import { roleHas } from '../../../shared/roles';
import type { Session } from '../auth/sessions';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { requireSession, type Handlers } from '../dispatcher';
import type { Database } from '../store/schema';
import type { ExportsService, Refusal, Visibility } from './exports-service';

type Names =
  | 'exports.create'
  | 'exports.list'
  | 'exports.get'
  | 'exports.decide'
  | 'exports.extendDeadline'
  | 'exports.produce'
  | 'exports.cancel'
  | 'exports.handover'
  | 'site.get'
  | 'site.setCountry';

export interface ExportHandlerDeps {
  exports: ExportsService;
  cameras: CamerasService;
  db: Kysely<Database>;
  clock: Clock;
}

const NO_EXPORT = 'No such export request.';

export function createExportHandlers(d: ExportHandlerDeps): Pick<Handlers, Names> {
  const { exports, cameras, clock } = d;
  /** Supervisors and auditors see every request; others their own and those whose cameras they all see. */
  const visibilityOf = async (s: Session): Promise<Visibility> => {
    const all = roleHas(s.role, 'exports.approve') || roleHas(s.role, 'audit.verify');
    return { username: s.username, all, cameras: all ? new Set() : new Set((await cameras.visibleTo(s.userId)).map((c) => c.id)) };
  };
  const view = async (s: Session, exportId: number): Promise<Result<ExportView>> => {
    const v = await exports.get(exportId, await visibilityOf(s));
    return v ? ok(v) : fail('NotFound', NO_EXPORT);
  };
  /** The request as the caller may see it, for a change: undefined answers NotFound. */
  const visible = async (s: Session, exportId: number) => exports.get(exportId, await visibilityOf(s));
  const refused = (r: Refusal) => fail(r.refused, r.message);

  /** An incident named by a request must exist and be visible like in incidents.get. */
  const incidentVisible = async (s: Session, incidentId: number): Promise<boolean> => {
    let q = d.db.selectFrom('incidents as i').select('i.id').where('i.id', '=', incidentId);
    if (!(roleHas(s.role, 'incidents.manage') || roleHas(s.role, 'audit.verify'))) {
      const ids = (await cameras.visibleTo(s.userId)).map((c) => c.id);
      if (ids.length === 0) return false;
      q = q.where((eb) => eb.exists(eb.selectFrom('incident_cameras as v').select('v.camera_id').whereRef('v.incident_id', '=', 'i.id').where('v.camera_id', 'in', ids)));
    }
    return (await q.executeTakeFirst()) !== undefined;
  };

  return {
    'exports.create': async (r, ctx) => {
      const s = requireSession(ctx);
      for (const id of new Set(r.items.map((i) => i.cameraId))) {
        // An invisible camera is answered exactly like a missing one.
        if (!(await cameras.isVisibleTo(s.userId, id))) return fail('NotFound', `No such camera: ${id}.`);
      }
      const now = clock.nowMs();
      if (r.receivedAtMs > now + LIVE_MARK_MAX_SKEW_MS) return fail('InvalidArgument', 'The request cannot have been received in the future.', ['receivedAtMs: future']);
      if (r.items.some((i) => i.toMs > now + LIVE_MARK_MAX_SKEW_MS)) return fail('InvalidArgument', 'A range ends in the future: only recorded footage can be exported.', ['items: future']);
      if (r.incidentId !== null && !(await incidentVisible(s, r.incidentId))) return fail('NotFound', 'No such incident.');
      const id = await exports.create(s.username, r);
      return view(s, id);
    },

    'exports.list': async (r, ctx) => ok(await exports.list(r, await visibilityOf(requireSession(ctx)))),

    'exports.get': async (r, ctx) => view(requireSession(ctx), r.exportId),

    'exports.decide': async (r, ctx) => {
      const s = requireSession(ctx);
      const e = await visible(s, r.exportId);
      if (!e) return fail('NotFound', NO_EXPORT);
      // R6: four eyes. The requester never decides their own request, whatever their role.
      if (e.requestedBy === s.username) {
        return fail('PermissionDenied', `You requested ${exportNumber(e.id)} yourself: a supervisor other than the requester must approve or reject it.`);
      }
      if (e.status !== 'pending') return fail('FailedPrecondition', `${exportNumber(e.id)} is already decided (${e.status}).`);
      if (!(await exports.decide(s.username, r.exportId, r.approve, r.reason))) return fail('FailedPrecondition', `${exportNumber(e.id)} was decided meanwhile; reload it.`);
      return view(s, r.exportId);
    },

    'exports.extendDeadline': async (r, ctx) => {
      const s = requireSession(ctx);
      if (!(await visible(s, r.exportId))) return fail('NotFound', NO_EXPORT);
      const refusal = await exports.extendDeadline(s.username, r.exportId, r.months, r.reason);
      return refusal ? refused(refusal) : view(s, r.exportId);
    },

    'exports.produce': async (r, ctx) => {
      const s = requireSession(ctx);
      if (!(await visible(s, r.exportId))) return fail('NotFound', NO_EXPORT);
      const refusal = await exports.startProduction(s.username, r.exportId, r.mode, r.redactions);
      return refusal ? refused(refusal) : view(s, r.exportId);
    },

    'exports.cancel': async (r, ctx) => {
      const s = requireSession(ctx);
      const e = await visible(s, r.exportId);
      if (!e) return fail('NotFound', NO_EXPORT);
      if (!(await exports.cancel(s.username, r.exportId))) return fail('FailedPrecondition', `${exportNumber(e.id)} is not being produced.`);
      return view(s, r.exportId);
    },

    'exports.handover': async (r, ctx) => {
      const s = requireSession(ctx);
      const e = await visible(s, r.exportId);
      if (!e) return fail('NotFound', NO_EXPORT);
      if (r.receivedAtMs > clock.nowMs() + LIVE_MARK_MAX_SKEW_MS) return fail('InvalidArgument', 'The handover cannot be in the future.', ['receivedAtMs: future']);
      if (e.production && r.receivedAtMs < (e.production.finishedAtMs ?? e.production.startedAtMs)) {
        return fail('InvalidArgument', 'The handover cannot be before the package was produced.', ['receivedAtMs: beforeProduction']);
      }
      if (!(await exports.handover(s.username, r.exportId, r))) {
        return fail('FailedPrecondition', e.status === 'handed_over' ? `${exportNumber(e.id)} was handed over already.` : `${exportNumber(e.id)} has no produced package to hand over.`);
      }
      return view(s, r.exportId);
    },

    'site.get': async () => ok(await exports.site()),

    'site.setCountry': async (r) => {
      await exports.setCountry(r.country);
      return ok(await exports.site());
    },
  };
}
