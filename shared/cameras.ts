// Cameras: purpose, area type and retention (docs/requirements.md "Cameras, sites and privacy",
// "Recording, retention and holds").

/**
 * Area types with the legal maximum retention of the site's policy, in days, and the clause that
 * sets it (docs/requirements.md "Recording, retention and holds"). The maximum is also the preset a
 * new camera gets; a camera may keep less, never more (the engine refuses it): footage needed longer
 * goes under a legal hold (ELB 1.13, JON 11). Ids are stored in cameras rows: never rename one.
 *   office              BRN 40.4  buildings of the office: at most 3 days
 *   attendance_terminal BRN 42.5  the camera of the attendance system: at most 3 days
 *   housing_entrance    BRN 41.4  residential buildings, entrances to homes: at most 5 days
 *   housing_common      BRN 41.4  residential buildings, garages, parking, other common parts: at most 10 days
 *   public_space        JON 11    14 calendar days, then destroyed automatically
 *   workplace           ELB 1.10  30 days from recording, then overwritten
 */
export const AREA_TYPES = {
  office: { maxRetentionDays: 3, clause: 'BRN 40.4' },
  attendance_terminal: { maxRetentionDays: 3, clause: 'BRN 42.5' },
  housing_entrance: { maxRetentionDays: 5, clause: 'BRN 41.4' },
  housing_common: { maxRetentionDays: 10, clause: 'BRN 41.4' },
  public_space: { maxRetentionDays: 14, clause: 'JON 11' },
  workplace: { maxRetentionDays: 30, clause: 'ELB 1.10' },
} as const satisfies Record<string, { maxRetentionDays: number; clause: string }>;
export type AreaType = keyof typeof AREA_TYPES;
export const AREA_TYPE_IDS = Object.keys(AREA_TYPES) as AreaType[];

export function isAreaType(v: unknown): v is AreaType {
  return typeof v === 'string' && Object.hasOwn(AREA_TYPES, v);
}

/** The shortest maximum of all area types: what applies to footage whose camera is unknown. */
export const SHORTEST_MAX_RETENTION_DAYS = Math.min(...AREA_TYPE_IDS.map((a) => AREA_TYPES[a].maxRetentionDays));

/**
 * The legal maximum retention of an area type in days, or the shortest of all for an id that is no
 * area type (a row written by hand or by a newer version): the engine never keeps footage longer
 * than some clause allows.
 */
export function maxRetentionDays(areaType: string): number {
  return isAreaType(areaType) ? AREA_TYPES[areaType].maxRetentionDays : SHORTEST_MAX_RETENTION_DAYS;
}

/**
 * Why a camera of this area type may not keep footage this long, or null when it may (at most the
 * legal maximum; any shorter retention is fine). Worded for logs and the engine's refusal: the
 * maximum, the clause, and what to do instead.
 */
export function retentionRefusal(areaType: string, retentionDays: number): string | null {
  const max = maxRetentionDays(areaType);
  if (retentionDays <= max) return null;
  const clause = isAreaType(areaType) ? AREA_TYPES[areaType].clause : 'the shortest maximum of all area types';
  return `above the legal maximum of ${max} days for the area type ${areaType} (${clause}); footage needed longer goes under a legal hold (ELB 1.13, JON 11)`;
}

export const STREAM_KINDS = ['main', 'sub'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

/**
 * A camera stream's state in words a guard understands (docs/design/live-pipeline.md "One state per
 * camera"): the engine's ingest states folded into these, and the same word on the tile, in the
 * camera tree, on the cameras tab and on the storage page. `no_signal` is every way of having no
 * picture from the camera (it stopped sending, it cannot be reached, it was live and is being
 * reconnected): the console retries by itself and the word stays until a picture arrives.
 */
export const TILE_STATES = ['connecting', 'live', 'no_signal', 'auth_failed', 'transcoding', 'no_ffmpeg', 'disabled'] as const;
export type TileState = (typeof TILE_STATES)[number];

const PICTURE_STATES: ReadonlySet<TileState> = new Set(['live', 'transcoding']);

/** True when the engine receives pictures for the stream. */
export function hasPicture(state: TileState): boolean {
  return PICTURE_STATES.has(state);
}

/**
 * The one state of a camera as a tile showing `shown` tells it: the camera's own state (its main
 * stream, which runs whenever the camera is enabled) whenever the camera has no picture, so tile and
 * tree never disagree about a dead camera; the shown stream's state only when the camera is up and
 * that stream is not (a sub stream starting, or broken on its own).
 */
export function cameraStateOf(main: { state: TileState }, shown: { state: TileState } | null): TileState {
  if (!hasPicture(main.state) || !shown) return main.state;
  return shown.state;
}

/**
 * Splits credentials out of a camera URL: URLs are stored and shown without them (docs/design/overview.md §4).
 * Tolerates unencoded `@ : / # %` in the password as people paste them: the userinfo ends at the
 * last `@` that is followed by something shaped like host[:port].
 */
export function splitCredentials(url: string): { url: string; username: string | null; password: string | null } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/i.exec(url);
  if (!m) return { url, username: null, password: null };
  const [, scheme, rest] = m as unknown as [string, string, string];
  for (let at = rest.lastIndexOf('@'); at >= 0; at = rest.lastIndexOf('@', at - 1)) {
    const after = rest.slice(at + 1);
    const host = after.split(/[/?]/, 1)[0] ?? '';
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(host)) continue;
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    return {
      url: scheme + after,
      username: decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo),
      password: colon >= 0 ? decode(userinfo.slice(colon + 1)) : null,
    };
  }
  return { url, username: null, password: null };
}

/** Builds the URL ffmpeg connects to, with credentials percent-encoded (passwords with @ : / # % work). */
export function withCredentials(url: string, username: string | null, password: string | null): string {
  if (!username) return url;
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/i.exec(url);
  if (!m) return url;
  const userinfo = encodeURIComponent(username) + (password ? ':' + encodeURIComponent(password) : '');
  return `${m[1]}${userinfo}@${m[2]}`;
}

export const WALL_LAYOUTS = [1, 4, 9, 16] as const;
export type WallLayout = (typeof WALL_LAYOUTS)[number];

/**
 * The host of a device URL (lower-case, credentials and port removed), or null when it is not a
 * URL. A stored camera password is only ever sent to the host it was typed for (docs/design/threat-model.md).
 */
export function urlHost(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(splitCredentials(url).url);
  if (!m) return null;
  const hostPort = m[1]!.toLowerCase();
  return hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.replace(/:\d*$/, '');
}
