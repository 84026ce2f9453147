// The last use of each right, read from the audit log (R4; docs/design/access-review.md "Last use").
// The log holds every use of footage with the user and the cameras, written before the footage is
// served, so it is the one record of use nobody can edit:
// - a sign-in or an unlock: `auth.signIn`, `session.unlock` (allowed);
// - a live view: `live.open` (allowed), target `camera#<id>`;
// - a playback: `playback.open` (allowed), the cameras in the recorded request's `cameraIds`;
// - an export: its request `exports.create` (the request's `items[].cameraId`) and its production
//   `exports.produce` (target `export#<id>`, the cameras from the request's items).
// An `allowed` entry is written before the command runs, so an attempt that then failed (a camera
// that did not answer) counts as a use of the right: the person still used the right to try.
//
// One grouped query per kind of use, run once when a campaign opens; the JSON of the details is
// read by each database's own functions (SQLite's json_each, PostgreSQL's jsonb through
// console_json_array, store/dialect.ts), the one place the two differ. Details the engine cut to
// their hash (docs/design/audit-chain.md "Bounds") name no cameras and are skipped.
import { sql, type Kysely } from 'kysely';
import { lastProducedByCamera } from '../exports/export-records';
import { idAfterPrefix, isPostgres } from '../store/dialect';
import type { Database } from '../store/schema';

/** user name -> camera id -> the last time (ms). */
export type UsesByCamera = Map<string, Map<number, number>>;

export interface LastUses {
  /** user name -> the last sign-in or unlock (ms). */
  signIn: Map<string, number>;
  live: UsesByCamera;
  playback: UsesByCamera;
  export: UsesByCamera;
}

interface CameraUse {
  actor: string;
  camera: number | bigint | null;
  at: number | bigint;
}

function byCamera(rows: readonly CameraUse[], into: UsesByCamera = new Map()): UsesByCamera {
  for (const r of rows) {
    if (r.camera === null) continue;
    const camera = Number(r.camera);
    const at = Number(r.at);
    let cams = into.get(r.actor);
    if (!cams) into.set(r.actor, (cams = new Map()));
    if (at > (cams.get(camera) ?? -Infinity)) cams.set(camera, at);
  }
  return into;
}

/** Details as JSON for json_each: a row whose details are not JSON (a damaged log) names nothing. */
const DETAILS = sql`CASE WHEN json_valid(a.details) THEN a.details ELSE '{}' END`;

/** The cameras named in allowed `playback.open` and `exports.create` entries (the request's
 *  `cameraIds`, `items[].cameraId`). */
async function camerasInRequests(db: Kysely<Database>, untilMs: number): Promise<{ playback: CameraUse[]; requested: CameraUse[] }> {
  if (isPostgres(db)) {
    const playback = await sql<CameraUse>`
      SELECT a.actor AS actor, CAST(j.value AS BIGINT) AS camera, MAX(a.at_ms) AS at
      FROM audit_log a, jsonb_array_elements_text(console_json_array(a.details, '{request,cameraIds}')) j(value)
      WHERE a.action = 'playback.open' AND a.outcome = 'allowed' AND a.at_ms <= ${untilMs} AND j.value ~ '^[0-9]{1,15}$'
      GROUP BY a.actor, camera`.execute(db);
    const requested = await sql<CameraUse>`
      SELECT a.actor AS actor, CAST(j.value->>'cameraId' AS BIGINT) AS camera, MAX(a.at_ms) AS at
      FROM audit_log a, jsonb_array_elements(console_json_array(a.details, '{request,items}')) j(value)
      WHERE a.action = 'exports.create' AND a.outcome = 'allowed' AND a.at_ms <= ${untilMs}
        AND jsonb_typeof(j.value) = 'object' AND (j.value->>'cameraId') ~ '^[0-9]{1,15}$'
      GROUP BY a.actor, camera`.execute(db);
    return { playback: playback.rows, requested: requested.rows };
  }
  const playback = await sql<CameraUse>`
    SELECT a.actor AS actor, CAST(j.value AS INTEGER) AS camera, MAX(a.at_ms) AS at
    FROM audit_log a, json_each(${DETAILS}, '$.request.cameraIds') j
    WHERE a.action = 'playback.open' AND a.outcome = 'allowed' AND a.at_ms <= ${untilMs}
    GROUP BY a.actor, camera`.execute(db);
  const requested = await sql<CameraUse>`
    SELECT a.actor AS actor, CAST(json_extract(j.value, '$.cameraId') AS INTEGER) AS camera, MAX(a.at_ms) AS at
    FROM audit_log a, json_each(${DETAILS}, '$.request.items') j
    WHERE a.action = 'exports.create' AND a.outcome = 'allowed' AND a.at_ms <= ${untilMs}
    GROUP BY a.actor, camera`.execute(db);
  return { playback: playback.rows, requested: requested.rows };
}

/** The last uses recorded up to `untilMs` (inclusive), for every user the log names. */
export async function lastUses(db: Kysely<Database>, untilMs: number): Promise<LastUses> {
  const signIns = await sql<{ actor: string; at: number | bigint }>`
    SELECT actor, MAX(at_ms) AS at FROM audit_log
    WHERE action IN ('auth.signIn', 'session.unlock') AND outcome = 'allowed' AND at_ms <= ${untilMs}
    GROUP BY actor`.execute(db);
  const camera = idAfterPrefix(db, 'target', 'camera#');
  const live = await sql<CameraUse>`
    SELECT actor, ${camera} AS camera, MAX(at_ms) AS at FROM audit_log
    WHERE action = 'live.open' AND outcome = 'allowed' AND ${camera} IS NOT NULL AND at_ms <= ${untilMs}
    GROUP BY actor, camera`.execute(db);
  const { playback, requested } = await camerasInRequests(db, untilMs);
  const produced = await lastProducedByCamera(db, untilMs);
  return {
    signIn: new Map(signIns.rows.map((r) => [r.actor, Number(r.at)])),
    live: byCamera(live.rows),
    playback: byCamera(playback),
    export: byCamera(produced, byCamera(requested)),
  };
}

/** The latest of `username`'s uses on `cameraIds` (all cameras when null), or null when none. */
export function latestOn(uses: UsesByCamera, username: string, cameraIds: ReadonlySet<number> | null): number | null {
  const cams = uses.get(username);
  if (!cams) return null;
  let latest: number | null = null;
  for (const [camera, at] of cams) if ((cameraIds === null || cameraIds.has(camera)) && (latest === null || at > latest)) latest = at;
  return latest;
}
