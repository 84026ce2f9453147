// Test helpers for recording: a camera row to hang recordings on.
import type { Store } from '../store/db';

export async function seedCamera(s: Store, id = 1, retentionDays = 14): Promise<void> {
  const group = await s.db.selectFrom('camera_groups').select('id').executeTakeFirst();
  const groupId = group?.id ?? (await s.db.insertInto('camera_groups').values({ name: 'G', description: '', created_at_ms: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  await s.db
    .insertInto('cameras')
    .values({
      id, name: `Camera ${id}`, site: 'Site', group_id: groupId, purpose: 'test', area_type: 'public_space', retention_days: retentionDays, retention_reason: null,
      location: '', location_confidential: 0, audio_enabled: 0, source_kind: 'rtsp', onvif_xaddr: null, main_profile: null, sub_profile: null,
      main_url: `rtsp://127.0.0.1:9/cam${id}`, sub_url: null, username: null, has_password: 0, enabled: 1, created_at_ms: 0,
    })
    .execute();
}
