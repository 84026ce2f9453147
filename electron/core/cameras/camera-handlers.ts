// Handlers of camera, live-view and wall commands (issue 3). Visibility is checked here and again
// by the media server on every request (R5).
import { AREA_TYPES, splitCredentials, type AreaType } from '../../../shared/cameras';
import type { CameraAdminView, CameraSettings, CameraView } from '../../../shared/contract';
import type { z } from 'zod';
import type { cameraSource } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import { roleHas } from '../../../shared/roles';
import type { Session } from '../auth/sessions';
import type { Clock } from '../clock';
import { requireSession, type Handlers } from '../dispatcher';
import type { LiveService } from '../media/live-service';
import type { Database } from '../store/schema';
import type { Kysely } from 'kysely';
import type { CameraRow, CameraSourceRecord, CamerasService } from './cameras-service';
import { OnvifError, type OnvifClient } from './onvif';

type CameraHandlerNames =
  | 'cameras.list'
  | 'cameras.adminList'
  | 'cameras.discover'
  | 'cameras.probe'
  | 'cameras.add'
  | 'cameras.update'
  | 'cameras.setEnabled'
  | 'live.open'
  | 'live.close'
  | 'live.status'
  | 'walls.list'
  | 'walls.save';

export interface CameraHandlerDeps {
  db: Kysely<Database>;
  cameras: CamerasService;
  live: LiveService;
  onvif: OnvifClient;
  clock: Clock;
  /** Live ingest and recorders follow the camera list. */
  camerasChanged: () => Promise<void>;
}

export function createCameraHandlers(d: CameraHandlerDeps): Pick<Handlers, CameraHandlerNames> {
  const { cameras, live, onvif } = d;

  const liveView = (c: CameraRow, groups: Map<number, string>, s: Session): CameraView => ({
    id: c.id,
    name: c.name,
    site: c.site,
    groupId: c.group_id,
    groupName: groups.get(c.group_id) ?? '',
    purpose: c.purpose,
    // ELB 1.9: a confidential location is shown only to roles allowed to see it.
    location: c.location_confidential === 1 && !roleHas(s.role, 'cameras.location') ? null : c.location,
    hasSubStream: c.sub_url !== null,
    enabled: c.enabled === 1,
    main: live.status(c, 'main')!,
    sub: live.status(c, 'sub'),
  });

  const adminView = (c: CameraRow, groups: Map<number, string>, s: Session): CameraAdminView => ({
    ...liveView(c, groups, s),
    location: c.location,
    locationConfidential: c.location_confidential === 1,
    areaType: c.area_type,
    retentionDays: c.retention_days,
    retentionReason: c.retention_reason,
    audioEnabled: c.audio_enabled === 1,
    source: {
      kind: c.source_kind === 'onvif' ? 'onvif' : 'rtsp',
      xaddr: c.onvif_xaddr,
      mainProfile: c.main_profile,
      subProfile: c.sub_profile,
      mainUrl: c.main_url,
      subUrl: c.sub_url,
    },
    username: c.username,
    hasPassword: c.has_password === 1,
    createdAtMs: Number(c.created_at_ms),
  });

  const onvifFailure = (err: unknown): Result<never> => {
    if (err instanceof OnvifError) return fail(err.kind === 'auth' ? 'PermissionDenied' : 'Unavailable', err.message);
    return fail('Unavailable', 'The device could not be read.');
  };

  async function checkSettings(s: CameraSettings): Promise<Result<null>> {
    const group = await d.db.selectFrom('camera_groups').select('id').where('id', '=', s.groupId).executeTakeFirst();
    if (!group) return fail('NotFound', `No camera group with id ${s.groupId}.`);
    const preset = AREA_TYPES[s.areaType as AreaType].retentionDays;
    // R1: retention above the area's preset needs a stated reason.
    if (s.retentionDays > preset && !s.retentionReason) {
      return fail('InvalidArgument', `Retention above the ${preset}-day preset for this area needs a reason.`, ['settings.retentionReason: required']);
    }
    return ok(null);
  }

  /** Resolves the stream URLs of a source; ONVIF profiles are read from the device with the credentials. */
  async function resolveSource(
    src: z.output<typeof cameraSource>,
    username: string | null,
    password: string | null,
  ): Promise<Result<{ source: CameraSourceRecord; username: string | null; password: string | null }>> {
    if (src.kind === 'rtsp') {
      const main = splitCredentials(src.mainUrl);
      const sub = src.subUrl ? splitCredentials(src.subUrl) : null;
      return ok({
        source: { kind: 'rtsp', xaddr: null, mainProfile: null, subProfile: null, mainUrl: main.url, subUrl: sub?.url ?? null },
        // Credentials pasted into the URL are moved to the keychain.
        username: username ?? main.username,
        password: password ?? main.password,
      });
    }
    let info;
    try {
      info = await onvif.probe(src.xaddr, username ?? '', password ?? '');
    } catch (err) {
      return onvifFailure(err);
    }
    const mainP = info.profiles.find((p) => p.token === src.mainProfile);
    const subP = src.subProfile ? info.profiles.find((p) => p.token === src.subProfile) : null;
    if (!mainP?.rtspUrl) return fail('NotFound', `The device has no RTSP stream for profile ${src.mainProfile}.`);
    if (src.subProfile && !subP?.rtspUrl) return fail('NotFound', `The device has no RTSP stream for profile ${src.subProfile}.`);
    return ok({
      source: { kind: 'onvif', xaddr: src.xaddr, mainProfile: src.mainProfile, subProfile: src.subProfile, mainUrl: mainP.rtspUrl, subUrl: subP?.rtspUrl ?? null },
      username,
      password,
    });
  }

  return {
    'cameras.list': async (_r, ctx) => {
      const s = requireSession(ctx);
      const groups = await cameras.groupNames();
      return ok({ cameras: (await cameras.visibleTo(s.userId)).map((c) => liveView(c, groups, s)) });
    },

    'cameras.adminList': async (_r, ctx) => {
      const s = requireSession(ctx);
      const groups = await cameras.groupNames();
      return ok({ cameras: (await cameras.all()).map((c) => adminView(c, groups, s)) });
    },

    'cameras.discover': async () => {
      let devices;
      try {
        devices = await onvif.discover();
      } catch (err) {
        return onvifFailure(err);
      }
      const known = new Set((await cameras.all()).map((c) => c.onvif_xaddr));
      return ok({ devices: devices.map((dv) => ({ ...dv, alreadyAdded: known.has(dv.xaddr) })) });
    },

    'cameras.probe': async (r) => {
      try {
        const info = await onvif.probe(r.xaddr, r.username, r.password);
        return ok({ manufacturer: info.manufacturer, model: info.model, profiles: info.profiles });
      } catch (err) {
        return onvifFailure(err);
      }
    },

    'cameras.add': async (r, ctx) => {
      const checked = await checkSettings(r.settings);
      if (!checked.ok) return checked;
      const resolved = await resolveSource(r.source, r.username, r.password);
      if (!resolved.ok) return resolved;
      const { source, username, password } = resolved.value;
      let row;
      try {
        row = await cameras.add(r.settings, source, username, password);
      } catch (err) {
        return fail('Unavailable', `The camera password could not be stored in the system keychain (${err instanceof Error ? err.name : 'error'}). Nothing was saved.`);
      }
      await d.camerasChanged();
      return ok(adminView(row, await cameras.groupNames(), requireSession(ctx)));
    },

    'cameras.update': async (r, ctx) => {
      const existing = await cameras.byId(r.cameraId);
      if (!existing) return fail('NotFound', 'No such camera.');
      const checked = await checkSettings(r.settings);
      if (!checked.ok) return checked;
      // ONVIF profiles are re-read with the stored password unless a new one was given.
      const probePassword = r.password ?? (existing.has_password ? await cameras.storedPassword(existing.id) : null);
      const resolved = await resolveSource(r.source, r.username, probePassword);
      if (!resolved.ok) return resolved;
      // The keychain is written only when the request carried a password (or one pasted into the URL).
      const newPassword = r.password ?? (r.source.kind === 'rtsp' ? resolved.value.password : null);
      const row = await cameras.update(r.cameraId, r.settings, resolved.value.source, resolved.value.username, newPassword === probePassword && r.password === null ? null : newPassword);
      if (!row) return fail('NotFound', 'No such camera.');
      await d.camerasChanged();
      return ok(adminView(row, await cameras.groupNames(), requireSession(ctx)));
    },

    'cameras.setEnabled': async (r, ctx) => {
      const row = await cameras.setEnabled(r.cameraId, r.enabled);
      if (!row) return fail('NotFound', 'No such camera.');
      await d.camerasChanged();
      return ok(adminView(row, await cameras.groupNames(), requireSession(ctx)));
    },

    'live.open': async (r, ctx) => {
      const s = requireSession(ctx);
      const camera = await cameras.byId(r.cameraId);
      // An invisible camera is answered exactly like a missing one.
      if (!camera || !(await cameras.isVisibleTo(s.userId, camera.id))) return fail('NotFound', 'No such camera.');
      if (camera.enabled !== 1) return fail('FailedPrecondition', 'The camera is disabled.');
      const stream = r.stream === 'sub' && !camera.sub_url ? 'main' : r.stream;
      const view = await live.open({ id: s.id, connectionId: s.connectionId, userId: s.userId, username: s.username }, camera, stream);
      return ok({ viewId: view.id, url: live.urlFor(view), stream });
    },

    'live.close': async (r, ctx) => {
      const v = live.view(r.viewId);
      if (v && v.connectionId === ctx.connection.id) await live.close(v.id, 'closed by the viewer');
      return ok({ done: true as const });
    },

    'live.status': async (_r, ctx) => {
      const s = requireSession(ctx);
      const rows = await cameras.visibleTo(s.userId);
      return ok({
        cameras: rows.map((c) => ({ cameraId: c.id, main: live.status(c, 'main')!, sub: live.status(c, 'sub') })),
        openViewIds: live.openViewIds(ctx.connection.id),
      });
    },

    'walls.list': async (_r, ctx) => {
      const s = requireSession(ctx);
      const rows = await d.db.selectFrom('walls').selectAll().where('user_id', '=', s.userId).orderBy('name').execute();
      return ok({
        walls: rows.map((w) => ({
          name: w.name,
          layout: w.layout as 1 | 4 | 9 | 16,
          tiles: parseTiles(w.tiles_json, w.layout),
          updatedAtMs: Number(w.updated_at_ms),
        })),
      });
    },

    'walls.save': async (r, ctx) => {
      const s = requireSession(ctx);
      if (r.tiles.length > r.layout) return fail('InvalidArgument', `A ${r.layout}-tile wall has at most ${r.layout} tiles.`, ['tiles: too many']);
      // Only visible cameras may be placed (an invisible id is dropped, not stored).
      const visible = new Set((await cameras.visibleTo(s.userId)).map((c) => c.id));
      const tiles = Array.from({ length: r.layout }, (_, i) => {
        const id = r.tiles[i] ?? null;
        return id !== null && visible.has(id) ? id : null;
      });
      const values = { user_id: s.userId, name: r.name, layout: r.layout, tiles_json: JSON.stringify(tiles), updated_at_ms: d.clock.nowMs() };
      await d.db
        .insertInto('walls')
        .values(values)
        .onConflict((oc) => oc.columns(['user_id', 'name']).doUpdateSet({ layout: values.layout, tiles_json: values.tiles_json, updated_at_ms: values.updated_at_ms }))
        .execute();
      return ok({ name: r.name, layout: r.layout, tiles, updatedAtMs: values.updated_at_ms });
    },
  };
}

function parseTiles(json: string, layout: number): (number | null)[] {
  try {
    const v: unknown = JSON.parse(json);
    if (Array.isArray(v)) return Array.from({ length: layout }, (_, i) => (typeof v[i] === 'number' ? (v[i] as number) : null));
  } catch {
    // fall through: a damaged wall shows empty tiles
  }
  return Array(layout).fill(null);
}
