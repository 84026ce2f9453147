// Handlers of playback commands (issue 5 §1; R3). The dispatcher has committed the audit entry
// with user, reason, cameras and range before these run.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { fail, ok } from '../../../shared/result';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { requireSession, type Handlers } from '../dispatcher';
import type { Database } from '../store/schema';
import type { PlaybackService } from './playback-service';

export interface PlaybackHandlerDeps {
  playback: PlaybackService;
  cameras: CamerasService;
  db: Kysely<Database>;
  clock: Clock;
}

/** What a playback reason's reference names: an existing incident (INC-n), else a hold's case reference. */
async function linkOf(db: Kysely<Database>, reference: string | undefined): Promise<{ incidentId: number | null; holdId: number | null }> {
  const none = { incidentId: null, holdId: null };
  if (!reference) return none;
  const inc = /^INC-(\d+)$/i.exec(reference);
  if (inc && Number.isSafeInteger(Number(inc[1]))) {
    const row = await db.selectFrom('incidents').select('id').where('id', '=', Number(inc[1])).executeTakeFirst();
    if (row) return { incidentId: row.id, holdId: null };
  }
  const hold = await db.selectFrom('holds').select('id').where(sql<string>`lower(case_reference)`, '=', reference.toLowerCase()).orderBy('id').executeTakeFirst();
  return hold ? { incidentId: null, holdId: hold.id } : none;
}

export function createPlaybackHandlers(d: PlaybackHandlerDeps): Pick<Handlers, 'playback.open' | 'playback.close'> {
  return {
    'playback.open': async (r, ctx) => {
      const s = requireSession(ctx);
      for (const id of r.cameraIds) {
        // An invisible camera is answered exactly like a missing one.
        if (!(await d.cameras.isVisibleTo(s.userId, id))) return fail('NotFound', `No such camera: ${id}.`);
      }
      const g = d.playback.open(s, r.cameraIds, r.fromMs, r.toMs);
      try {
        // The playback session as a record (audit.unlinkedViewing): who, what, why, and which
        // incident or hold the reason names. Without this row the grant is withdrawn.
        const link = await linkOf(d.db, r.reason.reference);
        await d.db
          .insertInto('playback_sessions')
          .values({
            id: g.id,
            user_id: s.userId,
            username: s.username,
            at_ms: d.clock.nowMs(),
            camera_ids: r.cameraIds.join(','),
            from_ms: r.fromMs,
            to_ms: r.toMs,
            category: r.reason.category,
            reason_text: r.reason.text,
            reference: r.reason.reference ?? null,
            incident_id: link.incidentId,
            hold_id: link.holdId,
          })
          .execute();
      } catch (err) {
        d.playback.close(g.id);
        throw err;
      }
      return ok({ playbackId: g.id, expiresAtMs: g.expiresAtMs, streams: r.cameraIds.map((cameraId) => ({ cameraId, url: d.playback.urlFor(g, cameraId) })) });
    },
    'playback.close': async (r, ctx) => {
      const g = d.playback.grant(r.playbackId);
      if (g && g.connectionId === ctx.connection.id) d.playback.close(g.id);
      return ok({ done: true as const });
    },
  };
}
