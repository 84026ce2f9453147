// One owner per table (docs/design/recording.md "Index", docs/design/exports.md): every SQL statement
// on the recording tables is in recording-index.ts, every one on the export tables in
// export-records.ts. Playback, exports, the recording parts and anything added later ask those
// modules; a query written elsewhere fails here, naming the file and line. Tests and test seams
// (electron/core/testing) may seed and inspect tables directly; migrations and schema define them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = path.resolve(import.meta.dirname, '..');
const OWNERS: Record<string, string> = {
  recordings: 'recording/recording-index.ts',
  recording_gops: 'recording/recording-index.ts',
  recording_gaps: 'recording/recording-index.ts',
  deletion_log: 'recording/recording-index.ts',
  exports: 'exports/export-records.ts',
  export_items: 'exports/export-records.ts',
  export_events: 'exports/export-records.ts',
  export_productions: 'exports/export-records.ts',
  seats: 'seats/seat-records.ts',
  alarms: 'alarms/alarms-service.ts',
  settings: 'admin/settings-service.ts',
  walls: 'live/walls-service.ts',
  privacy_mask_versions: 'masks/masks-service.ts',
  playback_sessions: 'playback/playback-sessions.ts',
  incidents: 'incidents/incidents-service.ts',
  incident_cameras: 'incidents/incidents-service.ts',
  incident_notes: 'incidents/incidents-service.ts',
  incident_events: 'incidents/incidents-service.ts',
  incident_holds: 'incidents/incidents-service.ts',
  incident_categories: 'incidents/incidents-service.ts',
  hold_events: 'holds/holds-service.ts',
  camera_groups: 'admin/groups-service.ts',
  sign_in_throttle: 'auth/throttle.ts',
  breaches: 'breaches/breaches-service.ts',
  breach_cameras: 'breaches/breaches-service.ts',
  breach_events: 'breaches/breaches-service.ts',
  site_sessions: 'nodes/site-media.ts',
  media_grants: 'nodes/site-media.ts',
  stream_states: 'nodes/site-media.ts',
  site_secrets: 'secrets/site-secret-store.ts',
};
// Not listed, on purpose: tables other features JOIN to read in the same statement — cameras and
// users (names), holds and hold_items (the R2 check inside the deleting statement, and which holds
// an incident or export names), user_groups (visibility), audit_log (the verifiers read its rows in
// worker threads on their own connections).
const EXEMPT = new Set(['store/migrations.ts', 'store/schema.ts']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sourceFiles(abs);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [abs] : [];
  });
}

/** Tables a line queries: Kysely builders (`selectFrom('recordings as r')`) and raw SQL (`FROM recordings`). */
function tablesQueried(line: string): string[] {
  const names = Object.keys(OWNERS).join('|');
  const builder = new RegExp(String.raw`(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*['"\x60](${names})(?:\s+as\s+\w+)?['"\x60]`, 'g');
  const raw = new RegExp(String.raw`\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+["\x60]?(${names})\b`, 'g');
  return [...line.matchAll(builder), ...line.matchAll(raw)].map((m) => m[1]!);
}

describe('one owner per table', () => {
  it('the rule sees a query written elsewhere (Kysely and raw SQL)', () => {
    expect(tablesQueried(`db.selectFrom('recordings as r').selectAll()`)).toEqual(['recordings']);
    expect(tablesQueried(`trx.insertInto('export_events').values(e)`)).toEqual(['export_events']);
    expect(tablesQueried('sql`SELECT id FROM recording_gops g JOIN deletion_log l`')).toEqual(['recording_gops', 'deletion_log']);
    expect(tablesQueried(`// the recordings of a camera, read from the index`)).toEqual([]);
  });

  it('the recording and export tables are queried only by their owners', () => {
    const strays: string[] = [];
    const queried = new Set<string>();
    for (const file of sourceFiles(CORE)) {
      const rel = path.relative(CORE, file).split(path.sep).join('/');
      if (EXEMPT.has(rel)) continue;
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const table of tablesQueried(line)) {
            queried.add(table);
            if (OWNERS[table] !== rel) strays.push(`${rel}:${i + 1} queries ${table} (owner: ${OWNERS[table]})`);
          }
        });
    }
    expect(strays).toEqual([]);
    // The scan is not vacuous: it finds every table's queries in its owner.
    expect([...queried].sort()).toEqual(Object.keys(OWNERS).sort());
  });
});
