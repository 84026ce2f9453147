// Incidents (docs/design/playback.md; KRK §1.16). The dispatcher has checked the permission, that
// every incident, hold and camera the request names is visible, and committed the audit entry
// (with the reason of close and reopen).
import { LIVE_MARK_MAX_AGE_MS, LIVE_MARK_MAX_SKEW_MS, type INCIDENT_COMMANDS } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { requireSession, type HandlerContext, type HandlersOf } from '../dispatcher';
import type { IncidentsService } from './incidents-service';

const NO_INCIDENT = 'No such incident.';

export function createIncidentHandlers(d: { incidents: IncidentsService; cameras: CamerasService; clock: Clock }): HandlersOf<typeof INCIDENT_COMMANDS> {
  const { incidents, cameras, clock } = d;
  /** The incident as the caller may see it. */
  const view = async (ctx: HandlerContext, incidentId: number) => {
    const v = await incidents.get(incidentId, await ctx.visibility());
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
      const camera = await cameras.byId(r.cameraId);
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
      return view(ctx, id);
    },

    'incidents.create': async (r, ctx) => {
      const s = requireSession(ctx);
      if (r.toMs > clock.nowMs() + LIVE_MARK_MAX_SKEW_MS) return fail('InvalidArgument', 'The range ends in the future.', ['toMs: future']);
      const category = await activeCategory(r.category);
      if (!category.ok) return category;
      const id = await incidents.create(s.username, { category: r.category, source: 'playback', startMs: r.fromMs, endMs: r.toMs, title: r.title, cameraIds: r.cameraIds, note: r.note });
      return view(ctx, id);
    },

    'incidents.list': async (r, ctx) => ok(await incidents.list(r, await ctx.visibility())),

    'incidents.get': async (r, ctx) => view(ctx, r.incidentId),

    'incidents.addNote': async (r, ctx) => {
      await incidents.addNote(requireSession(ctx).username, r.incidentId, r.text);
      return view(ctx, r.incidentId);
    },

    'incidents.close': async (r, ctx) => {
      if (!(await incidents.setStatus(requireSession(ctx).username, r.incidentId, 'open', r.reason))) return fail('FailedPrecondition', 'The incident is already closed.');
      return view(ctx, r.incidentId);
    },

    'incidents.reopen': async (r, ctx) => {
      if (!(await incidents.setStatus(requireSession(ctx).username, r.incidentId, 'closed', r.reason))) return fail('FailedPrecondition', 'The incident is open.');
      return view(ctx, r.incidentId);
    },

    'incidents.linkHold': async (r, ctx) => {
      await incidents.linkHold(requireSession(ctx).username, r.incidentId, r.holdId);
      return view(ctx, r.incidentId);
    },
  };
}
