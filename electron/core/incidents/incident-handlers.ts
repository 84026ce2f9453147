// Handlers of incident commands and the unlinked-viewing report (issue 5 §4, §5). The dispatcher
// has checked the permission and committed the audit entry (with the reason of close and reopen).
import { LIVE_MARK_MAX_AGE_MS, LIVE_MARK_MAX_SKEW_MS } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import { roleHas } from '../../../shared/roles';
import type { Session } from '../auth/sessions';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { requireSession, type Handlers } from '../dispatcher';
import type { IncidentsService, VisibleCameras } from './incidents-service';

type Names =
  | 'incidents.categories'
  | 'incidents.saveCategories'
  | 'incidents.mark'
  | 'incidents.create'
  | 'incidents.list'
  | 'incidents.get'
  | 'incidents.addNote'
  | 'incidents.close'
  | 'incidents.reopen'
  | 'incidents.linkHold'
  | 'audit.unlinkedViewing';

export interface IncidentHandlerDeps {
  incidents: IncidentsService;
  cameras: CamerasService;
  clock: Clock;
}

const NO_INCIDENT = 'No such incident.';

export function createIncidentHandlers(d: IncidentHandlerDeps): Pick<Handlers, Names> {
  const { incidents, cameras, clock } = d;
  /** Supervisors and auditors see every incident; others those with a camera they can see. */
  const visibleFor = async (s: Session): Promise<VisibleCameras> =>
    roleHas(s.role, 'incidents.manage') || roleHas(s.role, 'audit.verify') ? null : new Set((await cameras.visibleTo(s.userId)).map((c) => c.id));
  /** The incident as the caller may see it; an invisible one is answered like a missing one. */
  const view = async (s: Session, incidentId: number) => {
    const v = await incidents.get(incidentId, await visibleFor(s));
    return v ? ok(v) : fail('NotFound', NO_INCIDENT);
  };
  /** New incidents take an active category; answers its label. */
  const activeCategory = async (key: string): Promise<Result<string>> => {
    const c = await incidents.category(key);
    if (!c) return fail('InvalidArgument', `No incident category ${key}.`, ['category: unknown']);
    if (c.active !== 1) return fail('InvalidArgument', `The category ${c.label} is retired; choose another.`, ['category: retired']);
    return ok(c.label);
  };

  return {
    'incidents.categories': async () => ok({ categories: await incidents.categories() }),

    'incidents.saveCategories': async (r) => {
      const current = (await incidents.categories()).map((c) => c.key);
      const kept = new Set(r.categories.map((c) => c.key));
      const used = await incidents.usedCategories(current.filter((k) => !kept.has(k)));
      if (used.length) {
        return fail(
          'InvalidArgument',
          `Incidents use the categor${used.length === 1 ? 'y' : 'ies'} ${used.join(', ')}; make ${used.length === 1 ? 'it' : 'them'} inactive instead of removing ${used.length === 1 ? 'it' : 'them'}.`,
          used.map((k) => `categories: ${k} is in use`),
        );
      }
      await incidents.saveCategories(r.categories);
      return ok({ categories: await incidents.categories() });
    },

    'incidents.mark': async (r, ctx) => {
      const s = requireSession(ctx);
      const camera = (await cameras.isVisibleTo(s.userId, r.cameraId)) ? await cameras.byId(r.cameraId) : undefined;
      if (!camera) return fail('NotFound', `No such camera: ${r.cameraId}.`);
      // The key-press time is kept (not the save time), within a window the engine's clock decides.
      const now = clock.nowMs();
      if (r.atMs > now + LIVE_MARK_MAX_SKEW_MS) {
        return fail('InvalidArgument', "The mark's time is in the future: check this seat's clock.", ['atMs: future']);
      }
      if (r.atMs < now - LIVE_MARK_MAX_AGE_MS) {
        return fail('InvalidArgument', `The mark's time is more than ${LIVE_MARK_MAX_AGE_MS / 60_000} minutes ago; create the incident from playback instead.`, ['atMs: tooOld']);
      }
      const category = await activeCategory(r.category);
      if (!category.ok) return category;
      const id = await incidents.create(s.username, {
        category: r.category,
        source: 'live',
        startMs: r.atMs,
        endMs: null,
        title: `${category.value}: ${camera.name}`,
        cameraIds: [r.cameraId],
        note: r.note,
      });
      return view(s, id);
    },

    'incidents.create': async (r, ctx) => {
      const s = requireSession(ctx);
      for (const id of r.cameraIds) {
        if (!(await cameras.isVisibleTo(s.userId, id))) return fail('NotFound', `No such camera: ${id}.`);
      }
      if (r.toMs > clock.nowMs() + LIVE_MARK_MAX_SKEW_MS) return fail('InvalidArgument', 'The range ends in the future.', ['toMs: future']);
      const category = await activeCategory(r.category);
      if (!category.ok) return category;
      const id = await incidents.create(s.username, { category: r.category, source: 'playback', startMs: r.fromMs, endMs: r.toMs, title: r.title, cameraIds: r.cameraIds, note: r.note });
      return view(s, id);
    },

    'incidents.list': async (r, ctx) => ok(await incidents.list(r, await visibleFor(requireSession(ctx)))),

    'incidents.get': async (r, ctx) => view(requireSession(ctx), r.incidentId),

    'incidents.addNote': async (r, ctx) => {
      const s = requireSession(ctx);
      if (!(await incidents.get(r.incidentId, await visibleFor(s)))) return fail('NotFound', NO_INCIDENT);
      await incidents.addNote(s.username, r.incidentId, r.text);
      return view(s, r.incidentId);
    },

    'incidents.close': async (r, ctx) => {
      const s = requireSession(ctx);
      if (!(await incidents.get(r.incidentId, await visibleFor(s)))) return fail('NotFound', NO_INCIDENT);
      if (!(await incidents.setStatus(s.username, r.incidentId, 'open', r.reason))) return fail('FailedPrecondition', 'The incident is already closed.');
      return view(s, r.incidentId);
    },

    'incidents.reopen': async (r, ctx) => {
      const s = requireSession(ctx);
      if (!(await incidents.get(r.incidentId, await visibleFor(s)))) return fail('NotFound', NO_INCIDENT);
      if (!(await incidents.setStatus(s.username, r.incidentId, 'closed', r.reason))) return fail('FailedPrecondition', 'The incident is open.');
      return view(s, r.incidentId);
    },

    'incidents.linkHold': async (r, ctx) => {
      const s = requireSession(ctx);
      const visible = await visibleFor(s);
      if (!(await incidents.get(r.incidentId, visible))) return fail('NotFound', NO_INCIDENT);
      if (!(await incidents.holdVisible(r.holdId, visible))) return fail('NotFound', 'No such hold.');
      await incidents.linkHold(s.username, r.incidentId, r.holdId);
      return view(s, r.incidentId);
    },

    'audit.unlinkedViewing': async (r) => ok({ users: await incidents.unlinkedViewing(r.fromMs, r.toMs) }),
  };
}
