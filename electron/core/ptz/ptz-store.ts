// What the console keeps about PTZ cameras (migration 0022; docs/design/ptz.md): who saved each
// preset through it and when (the presets themselves live on the camera), and where each camera
// returns after a while without control.
import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import type { Database } from '../store/schema';

export interface PresetRecord {
  name: string;
  savedBy: string;
  savedAtMs: number;
}

export interface ParkSetting {
  presetToken: string | null;
  afterMs: number;
}

export class PtzStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async presets(cameraId: number): Promise<Map<string, PresetRecord>> {
    const rows = await this.db.selectFrom('ptz_presets').selectAll().where('camera_id', '=', cameraId).execute();
    return new Map(rows.map((r) => [r.token, { name: r.name, savedBy: r.saved_by, savedAtMs: r.saved_at_ms }]));
  }

  async presetSaved(cameraId: number, token: string, name: string, savedBy: string): Promise<PresetRecord> {
    const savedAtMs = this.clock.nowMs();
    await this.db
      .insertInto('ptz_presets')
      .values({ camera_id: cameraId, token, name, saved_by: savedBy, saved_at_ms: savedAtMs })
      .onConflict((oc) => oc.columns(['camera_id', 'token']).doUpdateSet({ name, saved_by: savedBy, saved_at_ms: savedAtMs }))
      .execute();
    return { name, savedBy, savedAtMs };
  }

  async presetRemoved(cameraId: number, token: string): Promise<void> {
    await this.db.deleteFrom('ptz_presets').where('camera_id', '=', cameraId).where('token', '=', token).execute();
  }

  async park(cameraId: number): Promise<ParkSetting | null> {
    const row = await this.db.selectFrom('ptz_settings').selectAll().where('camera_id', '=', cameraId).executeTakeFirst();
    return row ? { presetToken: row.park_preset_token, afterMs: row.park_after_ms } : null;
  }

  async setPark(cameraId: number, setting: ParkSetting, updatedBy: string): Promise<void> {
    const values = { park_preset_token: setting.presetToken, park_after_ms: setting.afterMs, updated_by: updatedBy, updated_at_ms: this.clock.nowMs() };
    await this.db
      .insertInto('ptz_settings')
      .values({ camera_id: cameraId, ...values })
      .onConflict((oc) => oc.column('camera_id').doUpdateSet(values))
      .execute();
  }
}
