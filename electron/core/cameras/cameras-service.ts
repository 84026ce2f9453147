// Cameras (docs/design/live-pipeline.md): settings in the database, passwords in the OS keychain (never in the
// database, logs, errors or anything sent to the renderer), URLs stored without credentials.
import type { Kysely, Selectable } from 'kysely';
import { retentionRefusal, type StreamKind } from '../../../shared/cameras';
import type { CameraSettings } from '../../../shared/contract';
import type { Clock } from '../clock';
import { currentHolders, homeNodeRefusal } from '../nodes/site-nodes';
import { databaseNowMs } from '../store/dialect';
import type { SecretStore } from '../secrets/secret-store';
import type { CamerasTable, Database } from '../store/schema';

export type CameraRow = Selectable<CamerasTable>;

export interface CameraSourceRecord {
  kind: 'onvif' | 'rtsp';
  xaddr: string | null;
  mainProfile: string | null;
  subProfile: string | null;
  mainUrl: string;
  subUrl: string | null;
}

export function secretAccount(cameraId: number): string {
  return `camera:${cameraId}`;
}

/** Refused settings: what the contract checks, checked again for callers that bypass it. */
export class CameraSettingsError extends Error {
  override name = 'CameraSettingsError';
}

/** Retention is at most the area type's legal maximum (shared/cameras.ts AREA_TYPES). */
function assertRetention(s: CameraSettings): void {
  const refusal = retentionRefusal(s.areaType, s.retentionDays);
  if (refusal) throw new CameraSettingsError(`Retention of ${s.retentionDays} days is ${refusal}.`);
}

/** A home node must be one of the site's nodes (docs/design/scale.md "Leases"); null is any node. */
async function assertHomeNode(db: Kysely<Database>, s: CameraSettings): Promise<void> {
  const refusal = await homeNodeRefusal(db, s.homeNode);
  if (refusal) throw new CameraSettingsError(refusal);
}

export class CamerasService {
  /** Bumped on every change that can alter who sees what; the media server caches by it. */
  version = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly secrets: SecretStore,
  ) {}

  all(): Promise<CameraRow[]> {
    return this.db.selectFrom('cameras').selectAll().orderBy('site').orderBy('name').execute();
  }

  byId(id: number): Promise<CameraRow | undefined> {
    return this.db.selectFrom('cameras').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Cameras in the user's groups (docs/design/overview.md §6: visibility is per camera group). */
  visibleTo(userId: number): Promise<CameraRow[]> {
    return this.db
      .selectFrom('cameras')
      .innerJoin('user_groups', 'user_groups.group_id', 'cameras.group_id')
      .selectAll('cameras')
      .where('user_groups.user_id', '=', userId)
      .orderBy('cameras.site')
      .orderBy('cameras.name')
      .execute();
  }

  async isVisibleTo(userId: number, cameraId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('cameras')
      .innerJoin('user_groups', 'user_groups.group_id', 'cameras.group_id')
      .select('cameras.id')
      .where('user_groups.user_id', '=', userId)
      .where('cameras.id', '=', cameraId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async countInGroup(groupId: number): Promise<number> {
    const r = await this.db.selectFrom('cameras').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** The cameras of the user's groups, as ids (the dispatcher's visibility, docs/design/overview.md §6). */
  async visibleIds(userId: number): Promise<Set<number>> {
    const rows = await this.db
      .selectFrom('cameras')
      .innerJoin('user_groups', 'user_groups.group_id', 'cameras.group_id')
      // A parked account sees no camera (docs/design/authorised-persons.md).
      .innerJoin('users', 'users.id', 'user_groups.user_id')
      .select('cameras.id')
      .where('user_groups.user_id', '=', userId)
      .where('users.access_state', '=', 'granted')
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /** Who sees what changed (a user's groups, a camera's group): media requests re-check at once. */
  visibilityChanged(): void {
    this.changedHere();
  }

  /** Another node of the site changed cameras or who sees them: what is kept by `version` is read again. */
  changedElsewhere(): void {
    this.version += 1;
  }

  private changedHere(): void {
    this.version += 1;
  }

  async add(settings: CameraSettings, source: CameraSourceRecord, username: string | null, password: string | null): Promise<CameraRow> {
    assertRetention(settings);
    await assertHomeNode(this.db, settings);
    const row = await this.db
      .insertInto('cameras')
      .values({
        ...this.settingsColumns(settings),
        ...this.sourceColumns(source),
        audio_enabled: 0, // JON 12, R8: no audio unless a purpose explicitly allows it
        username: username || null,
        has_password: 0,
        enabled: 1,
        created_at_ms: this.clock.nowMs(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    try {
      if (password) {
        await this.secrets.set(secretAccount(row.id), password);
        await this.db.updateTable('cameras').set({ has_password: 1 }).where('id', '=', row.id).execute();
      }
    } catch (err) {
      // Nothing half-written: a camera whose password could not be stored is not kept.
      await this.db.deleteFrom('cameras').where('id', '=', row.id).execute();
      throw err;
    }
    this.changedHere();
    return (await this.byId(row.id))!;
  }

  async update(id: number, settings: CameraSettings, source: CameraSourceRecord, username: string | null, password: string | null): Promise<CameraRow | undefined> {
    assertRetention(settings);
    await assertHomeNode(this.db, settings);
    if (password !== null) {
      if (password === '') await this.secrets.delete(secretAccount(id));
      else await this.secrets.set(secretAccount(id), password);
    }
    const row = await this.db
      .updateTable('cameras')
      .set({
        ...this.settingsColumns(settings),
        ...this.sourceColumns(source),
        username: username || null,
        ...(password !== null ? { has_password: password === '' ? 0 : 1 } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    this.changedHere();
    return row;
  }

  async setEnabled(id: number, enabled: boolean): Promise<CameraRow | undefined> {
    const row = await this.db.updateTable('cameras').set({ enabled: enabled ? 1 : 0 }).where('id', '=', id).returningAll().executeTakeFirst();
    this.changedHere();
    return row;
  }

  /** Why a camera cannot have this home node (null: it can). */
  homeNodeRefusal(name: string | null | undefined): Promise<string | null> {
    return homeNodeRefusal(this.db, name);
  }

  /** Which node holds each camera's lease now (none on a single machine): the admin view's "recorded by". */
  async holders(): Promise<Map<number, string>> {
    return currentHolders(this.db, await databaseNowMs(this.db, () => this.clock.nowMs()));
  }

  /** For re-reading an ONVIF device with what is stored. Never logged or returned. */
  storedPassword(cameraId: number): Promise<string | null> {
    return this.secrets.get(secretAccount(cameraId));
  }

  /** Where the local RTSP relay connects, with the password from the keychain, kept apart from the
   *  URL (docs/design/live-pipeline.md "Credential relay"). Never logged or returned. */
  async connectTarget(camera: CameraRow, stream: StreamKind): Promise<{ url: string; username: string | null; password: string | null }> {
    const url = stream === 'main' ? camera.main_url : camera.sub_url;
    if (!url) throw new Error(`camera ${camera.id} has no ${stream} stream`);
    const password = camera.has_password ? await this.secrets.get(secretAccount(camera.id)) : null;
    if (camera.has_password && password === null) throw new Error('the password is missing from the keychain');
    return { url, username: camera.username, password };
  }

  private settingsColumns(s: CameraSettings) {
    return {
      name: s.name,
      site: s.site,
      group_id: s.groupId,
      purpose: s.purpose,
      area_type: s.areaType,
      retention_days: s.retentionDays,
      retention_reason: s.retentionReason,
      location: s.location,
      location_confidential: s.locationConfidential ? 1 : 0,
      // Absent in a change: the stored value stays (an older client cannot switch masking off by omission).
      ...(s.maskAtSource === undefined ? {} : { mask_at_source: s.maskAtSource ? 1 : 0 }),
      // Likewise: the lease rounds of every node read it at their next tick (camera-leases.ts).
      ...(s.homeNode === undefined ? {} : { home_node: s.homeNode }),
    };
  }

  private sourceColumns(src: CameraSourceRecord) {
    return {
      source_kind: src.kind,
      onvif_xaddr: src.xaddr,
      main_profile: src.mainProfile,
      sub_profile: src.subProfile,
      main_url: src.mainUrl,
      sub_url: src.subUrl,
    };
  }
}
