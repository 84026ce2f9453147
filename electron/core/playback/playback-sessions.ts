// The playback sessions as records (docs/design/playback.md): who opened which cameras and range,
// for which reason, and which incident or legal hold the reason named. Owns playback_sessions.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema';

export interface PlaybackSessionRecord {
  id: string;
  userId: number;
  username: string;
  atMs: number;
  cameraIds: readonly number[];
  fromMs: number;
  toMs: number;
  category: string;
  reasonText: string;
  reference: string | null;
  incidentId: number | null;
  holdId: number | null;
}

export class PlaybackSessionsLog {
  constructor(private readonly db: Kysely<Database>) {}

  async record(r: PlaybackSessionRecord): Promise<void> {
    await this.db
      .insertInto('playback_sessions')
      .values({
        id: r.id,
        user_id: r.userId,
        username: r.username,
        at_ms: r.atMs,
        camera_ids: r.cameraIds.join(','),
        from_ms: r.fromMs,
        to_ms: r.toMs,
        category: r.category,
        reason_text: r.reasonText,
        reference: r.reference,
        incident_id: r.incidentId,
        hold_id: r.holdId,
      })
      .execute();
  }

  /** Playback sessions opened in [fromMs, toMs), per user, and how many named no incident or hold. */
  async unlinkedViewing(fromMs: number, toMs: number): Promise<{ username: string; displayName: string; sessions: number; withoutLink: number }[]> {
    const rows = await this.db
      .selectFrom('playback_sessions as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['u.username', 'u.display_name'])
      .select((eb) => [
        eb.fn.countAll<number>().as('sessions'),
        eb.fn.sum<number>(sql`case when p.incident_id is null and p.hold_id is null then 1 else 0 end`).as('without_link'),
      ])
      .where('p.at_ms', '>=', fromMs)
      .where('p.at_ms', '<', toMs)
      .groupBy(['p.user_id', 'u.username', 'u.display_name'])
      .orderBy('u.username')
      .execute();
    return rows.map((r) => ({ username: r.username, displayName: r.display_name, sessions: Number(r.sessions), withoutLink: Number(r.without_link) }));
  }
}
