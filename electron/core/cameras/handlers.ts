// Camera configuration and ONVIF discovery (docs/design/onvif.md). Administrators configure every
// camera; passwords go to the OS keychain and are only ever sent to the host they were typed for.
import { retentionRefusal, urlHost } from '../../../shared/cameras';
import type { CAMERA_COMMANDS, CameraAdminView, CameraSettings, CameraSource, CameraView, CredentialUrl } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { GroupsService } from '../admin/groups-service';
import { sessionMay, type Session } from '../auth/sessions';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { LiveService } from '../live/live-service';
import { CameraSettingsError, type CameraRow, type CameraSourceRecord, type CamerasService } from './cameras-service';
import { OnvifError, type OnvifClient } from './onvif';

export interface CameraDeps {
  cameras: CamerasService;
  groups: GroupsService;
  live: LiveService;
  onvif: OnvifClient;
  /** Live ingest and recorders follow the camera list. */
  camerasChanged: () => Promise<void>;
}

/** A camera as a guard's wall shows it. */
/** `status`: the camera's stream states wherever it is ingested (LiveService.statusesOf). */
export function liveCameraView(status: Pick<CameraView, 'main' | 'sub'>, c: CameraRow, groups: Map<number, string>, s: Session): CameraView {
  return {
    id: c.id,
    name: c.name,
    site: c.site,
    groupId: c.group_id,
    groupName: groups.get(c.group_id) ?? '',
    purpose: c.purpose,
    // ELB 1.9: a confidential location is shown only to roles allowed to see it.
    location: c.location_confidential === 1 && !sessionMay(s, 'cameras.location') ? null : c.location,
    hasSubStream: c.sub_url !== null,
    enabled: c.enabled === 1,
    main: status.main,
    sub: status.sub,
  };
}

export function createCameraHandlers(d: CameraDeps): HandlersOf<typeof CAMERA_COMMANDS> {
  const { cameras, live, onvif } = d;

  const adminView = (status: Pick<CameraView, 'main' | 'sub'>, c: CameraRow, groups: Map<number, string>, holders: Map<number, string>, s: Session): CameraAdminView => ({
    ...liveCameraView(status, c, groups, s),
    location: c.location,
    locationConfidential: c.location_confidential === 1,
    areaType: c.area_type,
    retentionDays: c.retention_days,
    retentionReason: c.retention_reason,
    audioEnabled: c.audio_enabled === 1,
    maskAtSource: c.mask_at_source === 1,
    homeNode: c.home_node,
    heldBy: holders.get(c.id) ?? null,
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
  const answer = async (row: CameraRow, s: Session) => ok(adminView((await live.statusesOf([row])).get(row.id)!, row, await d.groups.names(), await cameras.holders(), s));

  const onvifFailure = (err: unknown): Result<never> => {
    if (err instanceof OnvifError) return fail(err.kind === 'auth' ? 'PermissionDenied' : 'Unavailable', err.message);
    return fail('Unavailable', 'The device could not be read.');
  };

  async function checkSettings(s: CameraSettings): Promise<Result<null>> {
    if (!(await d.groups.get(s.groupId))) return fail('NotFound', `No camera group with id ${s.groupId}.`);
    // R1: retention is at most the area type's legal maximum (BRN 40.4, 41.4, 42.5; JON 11; ELB 1.10),
    // also when only the area type changes. The contract refuses it first; this holds without it.
    const refusal = retentionRefusal(s.areaType, s.retentionDays);
    if (refusal) return fail('InvalidArgument', `Retention of ${s.retentionDays} days is ${refusal}.`, [`settings.retentionDays: ${refusal}`]);
    // A home node is one of the site's nodes, or none (docs/design/scale.md "Leases"): a name the
    // site does not know would leave the camera to whichever node takes it, silently.
    const homeRefusal = await cameras.homeNodeRefusal(s.homeNode);
    if (homeRefusal) return fail('InvalidArgument', homeRefusal, ['settings.homeNode: unknownNode']);
    return ok(null);
  }

  /** Credentials typed in their fields win over ones pasted into the address. */
  const credentialsOf = (at: CredentialUrl, username: string | null, password: string | null) => ({
    username: username || at.username,
    password: password ?? at.password,
  });

  /** Resolves the stream URLs of a source; ONVIF profiles are read from the device with the credentials. */
  async function resolveSource(src: CameraSource, username: string | null, password: string | null): Promise<Result<{ source: CameraSourceRecord; username: string | null; password: string | null }>> {
    if (src.kind === 'rtsp') {
      return ok({
        source: { kind: 'rtsp', xaddr: null, mainProfile: null, subProfile: null, mainUrl: src.mainUrl.url, subUrl: src.subUrl?.url ?? null },
        // Credentials pasted into the URL are moved to the keychain.
        ...credentialsOf(src.mainUrl, username, password),
      });
    }
    const creds = credentialsOf(src.xaddr, username, password);
    let info;
    try {
      info = await onvif.probe(src.xaddr.url, creds.username ?? '', creds.password ?? '');
    } catch (err) {
      return onvifFailure(err);
    }
    const mainP = info.profiles.find((p) => p.token === src.mainProfile);
    const subP = src.subProfile ? info.profiles.find((p) => p.token === src.subProfile) : null;
    if (!mainP?.rtspUrl) return fail('NotFound', `The device has no RTSP stream for profile ${src.mainProfile}.`);
    if (src.subProfile && !subP?.rtspUrl) return fail('NotFound', `The device has no RTSP stream for profile ${src.subProfile}.`);
    return ok({
      source: { kind: 'onvif', xaddr: src.xaddr.url, mainProfile: src.mainProfile, subProfile: src.subProfile, mainUrl: mainP.rtspUrl, subUrl: subP?.rtspUrl ?? null },
      ...creds,
    });
  }

  /** The hosts a source addresses, as typed (before ONVIF profiles are read). */
  const hostsOf = (src: CameraSource): (string | null)[] =>
    src.kind === 'rtsp' ? [urlHost(src.mainUrl.url), src.subUrl ? urlHost(src.subUrl.url) : null].filter((h) => h !== null) : [urlHost(src.xaddr.url)];
  const storedHosts = (c: CameraRow): Set<string | null> => new Set([c.onvif_xaddr, c.main_url, c.sub_url].filter((u) => u !== null).map(urlHost));

  return {
    'cameras.list': async (_r, ctx) => {
      const s = requireSession(ctx);
      const groups = await d.groups.names();
      const rows = await cameras.visibleTo(s.userId);
      const statuses = await live.statusesOf(rows);
      return ok({ cameras: rows.map((c) => liveCameraView(statuses.get(c.id)!, c, groups, s)) });
    },

    'cameras.adminList': async (_r, ctx) => {
      const s = requireSession(ctx);
      const groups = await d.groups.names();
      const holders = await cameras.holders();
      const rows = await cameras.all();
      const statuses = await live.statusesOf(rows);
      return ok({ cameras: rows.map((c) => adminView(statuses.get(c.id)!, c, groups, holders, s)) });
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
      const creds = credentialsOf(r.xaddr, r.username, r.password);
      try {
        const info = await onvif.probe(r.xaddr.url, creds.username ?? '', creds.password ?? '');
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
        // Checked above already; refused again only if the site changed in between.
        if (err instanceof CameraSettingsError) return fail('InvalidArgument', err.message);
        return fail('Unavailable', `The camera password could not be stored in the system keychain (${err instanceof Error ? err.name : 'error'}). Nothing was saved.`);
      }
      await d.camerasChanged();
      return answer(row, requireSession(ctx));
    },

    'cameras.update': async (r, ctx) => {
      const existing = await cameras.byId(r.cameraId);
      if (!existing) return fail('NotFound', 'No such camera.');
      const checked = await checkSettings(r.settings);
      if (!checked.ok) return checked;
      const typedPassword = r.password ?? (r.source.kind === 'rtsp' ? r.source.mainUrl.password : r.source.xaddr.password);
      // A stored password follows its camera only while the host stays the same: it is never sent
      // to an address an administrator typed for another device.
      const known = storedHosts(existing);
      const sameHost = hostsOf(r.source).every((h) => known.has(h));
      if (typedPassword === null && existing.has_password === 1 && !sameHost) {
        return fail('InvalidArgument', 'The camera has a new address: type its password again (a stored password is only sent to the address it was given for).', ['password: requiredForNewAddress']);
      }
      // ONVIF profiles are re-read with the stored password unless a new one was given.
      const probePassword = typedPassword ?? (existing.has_password ? await cameras.storedPassword(existing.id) : null);
      const resolved = await resolveSource(r.source, r.username, probePassword);
      if (!resolved.ok) return resolved;
      // The keychain is written only when the request carried a password (typed, or pasted into the address).
      let row;
      try {
        row = await cameras.update(r.cameraId, r.settings, resolved.value.source, resolved.value.username, typedPassword);
      } catch (err) {
        if (err instanceof CameraSettingsError) return fail('InvalidArgument', err.message);
        throw err;
      }
      if (!row) return fail('NotFound', 'No such camera.');
      await d.camerasChanged();
      return answer(row, requireSession(ctx));
    },

    'cameras.setEnabled': async (r, ctx) => {
      const row = await cameras.setEnabled(r.cameraId, r.enabled);
      if (!row) return fail('NotFound', 'No such camera.');
      await d.camerasChanged();
      return answer(row, requireSession(ctx));
    },
  };
}
