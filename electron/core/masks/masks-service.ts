// Privacy masks per camera (R7; KRK §6.2-6.3, JON 8-9; docs/design/privacy-masks.md). Owns the
// privacy_mask_versions table. A save is a new version of the camera's whole set; versions are never
// changed or deleted (triggers), so the engine can always tell which masks were in force when any
// footage was recorded, and footage is shown with those and the current ones together.
import type { Kysely } from 'kysely';
import type { MaskVersionView, PrivacyMask } from '../../../shared/contract';
import { masksShownFor, type MaskShape, type MaskVersionSpan } from '../../../shared/privacy-masks';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';

export class MasksService {
  /** Versions per camera, oldest first; filled on first use, kept in step by save(). */
  private readonly cache = new Map<number, MaskVersionView[]>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async history(cameraId: number): Promise<MaskVersionView[]> {
    const cached = this.cache.get(cameraId);
    if (cached) return cached;
    const rows = await this.db.selectFrom('privacy_mask_versions').selectAll().where('camera_id', '=', cameraId).orderBy('version').execute();
    const versions = rows.map((r) => ({
      version: r.version,
      masks: JSON.parse(r.masks_json) as PrivacyMask[],
      reason: r.reason,
      createdBy: r.created_by,
      createdAtMs: Number(r.created_at_ms),
    }));
    this.cache.set(cameraId, versions);
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
    this.cache.delete(cameraId);
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
}

const shapeOf = (m: PrivacyMask): MaskShape => ({ kind: m.kind, points: m.points });
