// Privacy masks per camera (R7; KRK §6.2-6.3, JON 8-9; docs/design/privacy-masks.md). Owns the
// privacy_mask_versions table. A save is a new version of the camera's whole set; versions are never
// changed or deleted (triggers), so the engine can always tell which masks were in force when any
// footage was recorded, and footage is shown with those and the current ones together.
import type { Kysely } from 'kysely';
import type { MaskLift, MaskVersionView, PrivacyMask } from '../../../shared/contract';
import { masksShownFor, type MaskShape, type MaskVersionSpan } from '../../../shared/privacy-masks';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';

/** A lift of one camera's liftable masks for one session (R7): it ends at `untilMs` or when restored. */
interface Lift {
  untilMs: number;
}

export class MasksService {
  /** Lifts by session and camera. Kept in memory: a lift never outlives the engine or its session. */
  private readonly lifts = new Map<string, Lift>();

  /** Told after every save, before it returns: a camera masked at the source restarts its ingest
   *  with the new masks (docs/design/privacy-masks.md "Masking at the source"). */
  private readonly savedListeners = new Set<(cameraId: number) => Promise<void>>();

  onSaved(listener: (cameraId: number) => Promise<void>): void {
    this.savedListeners.add(listener);
  }

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Versions oldest first, read from the store every time: never from a copy in memory, which a save
   *  at another node of the site (or a read that began before a save here) would leave behind, and
   *  footage would then be shown or burned in with masks no longer in force. A camera's versions are
   *  a few small rows under an index, read when a view, playback or export opens. */
  async history(cameraId: number): Promise<MaskVersionView[]> {
    const rows = await this.db.selectFrom('privacy_mask_versions').selectAll().where('camera_id', '=', cameraId).orderBy('version').execute();
    const versions = rows.map((r) => ({
      version: r.version,
      masks: JSON.parse(r.masks_json) as PrivacyMask[],
      reason: r.reason,
      createdBy: r.created_by,
      createdAtMs: Number(r.created_at_ms),
    }));
    return versions;
  }

  async current(cameraId: number): Promise<MaskVersionView | null> {
    return (await this.history(cameraId)).at(-1) ?? null;
  }

  /** A new version: the camera's whole set from now on. */
  async save(actor: string, cameraId: number, masks: readonly PrivacyMask[], reason: string): Promise<MaskVersionView> {
    const now = this.clock.nowMs();
    const version = await this.db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom('privacy_mask_versions').select((eb) => eb.fn.max('version').as('v')).where('camera_id', '=', cameraId).executeTakeFirst();
      const next = Number(last?.v ?? 0) + 1;
      await trx
        .insertInto('privacy_mask_versions')
        .values({ camera_id: cameraId, version: next, masks_json: JSON.stringify(masks), reason, created_by: actor, created_at_ms: now })
        .execute();
      return next;
    });
    for (const listener of this.savedListeners) await listener(cameraId);
    return (await this.history(cameraId)).find((v) => v.version === version)!;
  }

  /** The masks live footage is shown with: the current version's shapes. */
  async liveMasks(cameraId: number): Promise<MaskShape[]> {
    return ((await this.current(cameraId))?.masks ?? []).map(shapeOf);
  }

  /** The masks footage recorded between fromMs and toMs is shown with (shared/privacy-masks.ts). */
  async recordedMasks(cameraId: number, fromMs: number, toMs: number): Promise<MaskShape[]> {
    const versions = await this.history(cameraId);
    const spans: MaskVersionSpan[] = versions.map((v, i) => ({ fromMs: v.createdAtMs, toMs: versions[i + 1]?.createdAtMs ?? null, masks: v.masks.map(shapeOf) }));
    return masksShownFor(spans, fromMs, toMs);
  }

  // --- lifts (the caller's session only; liftable masks only) ----------------------------------

  lift(sessionId: string, cameraId: number, untilMs: number): MaskLift {
    this.lifts.set(liftKey(sessionId, cameraId), { untilMs });
    return this.liftOf(sessionId, cameraId)!;
  }

  /** The session's lift of the camera's liftable masks while it lasts, else null. */
  liftOf(sessionId: string, cameraId: number): MaskLift | null {
    const key = liftKey(sessionId, cameraId);
    const l = this.lifts.get(key);
    if (!l) return null;
    const remainingMs = l.untilMs - this.clock.nowMs();
    if (remainingMs <= 0) {
      this.lifts.delete(key);
      return null;
    }
    return { untilMs: l.untilMs, remainingMs };
  }

  restore(sessionId: string, cameraId: number): void {
    this.lifts.delete(liftKey(sessionId, cameraId));
  }

  /** A session ended or locked: its lifts end with it. */
  endLiftsOf(sessionId: string): void {
    for (const key of [...this.lifts.keys()]) if (key.startsWith(`${sessionId}:`)) this.lifts.delete(key);
  }
}

const liftKey = (sessionId: string, cameraId: number) => `${sessionId}:${cameraId}`;

const shapeOf = (m: PrivacyMask): MaskShape => ({ kind: m.kind, points: m.points });
