// Reason-gated playback and the timeline's coverage (docs/design/playback.md; R3). The dispatcher
// has checked that every camera is visible and committed the audit entry with user, reason,
// cameras and range before these run.
import type { PLAYBACK_COMMANDS } from '../../../shared/contract';
import { ok } from '../../../shared/result';
import type { Clock } from '../clock';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { MasksService } from '../masks/masks-service';
import type { HoldsService } from '../holds/holds-service';
import type { IncidentsService } from '../incidents/incidents-service';
import type { PlaybackService } from './playback-service';
import type { PlaybackSessionsLog } from './playback-sessions';

export interface PlaybackDeps {
  playback: PlaybackService;
  sessionsLog: PlaybackSessionsLog;
  incidents: IncidentsService;
  holds: HoldsService;
  /** The masks each camera's footage of the range is shown with (R7). */
  masks: Pick<MasksService, 'recordedMasks' | 'liftOf'>;
  clock: Clock;
}

export function createPlaybackHandlers(d: PlaybackDeps): HandlersOf<typeof PLAYBACK_COMMANDS> {
  /** What a playback reason's reference names: an existing incident (INC-n), else a hold's case reference. */
  async function linkOf(reference: string | undefined): Promise<{ incidentId: number | null; holdId: number | null }> {
    if (!reference) return { incidentId: null, holdId: null };
    const inc = /^INC-(\d+)$/i.exec(reference);
    const incidentId = inc ? Number(inc[1]) : NaN;
    if (Number.isSafeInteger(incidentId) && (await d.incidents.exists(incidentId))) return { incidentId, holdId: null };
    return { incidentId: null, holdId: await d.holds.idByCaseReference(reference) };
  }

  return {
    'playback.coverage': async (r) => ok({ cameras: await d.playback.coverage(r.cameraIds, r.fromMs, r.toMs, r.mergeGapMs) }),

    'playback.open': async (r, ctx) => {
      const s = requireSession(ctx);
      const g = d.playback.open(s, r.cameraIds, r.fromMs, r.toMs);
      try {
        // The playback session as a record (audit.unlinkedViewing): who, what, why, and which
        // incident or hold the reason names. Without this row the grant is withdrawn.
        await d.sessionsLog.record({
          id: g.id,
          userId: s.userId,
          username: s.username,
          atMs: d.clock.nowMs(),
          cameraIds: r.cameraIds,
          fromMs: r.fromMs,
          toMs: r.toMs,
          category: r.reason.category,
          reasonText: r.reason.text,
          reference: r.reason.reference ?? null,
          ...(await linkOf(r.reason.reference)),
        });
      } catch (err) {
        d.playback.close(g.id);
        throw err;
      }
      const streams = [];
      for (const cameraId of r.cameraIds) streams.push({ cameraId, url: d.playback.urlFor(g, cameraId), masks: await d.masks.recordedMasks(cameraId, r.fromMs, r.toMs), lift: d.masks.liftOf(s.id, cameraId) });
      return ok({ playbackId: g.id, expiresAtMs: g.expiresAtMs, streams });
    },

    'playback.close': async (r, ctx) => {
      const g = d.playback.grant(r.playbackId);
      if (g && g.connectionId === ctx.connection.id) d.playback.close(g.id);
      return ok({ done: true as const });
    },
  };
}
