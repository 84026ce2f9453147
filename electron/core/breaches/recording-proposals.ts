// Recording files missing or changed (electron/core/recording/integrity-check.ts) propose a breach
// record (JON 23; docs/design/breaches.md "Proposed by the engine"): one record per kind of finding
// and pass, naming every file, its camera and span; footage under a hold comes first and the record
// says so at its start (evidence or a data subject's footage lost or altered matters most).
import { localIsoTime } from '../audit/csv';
import { sha256Hex } from '../audit/sha256';
import type { IntegrityFinding } from '../recording/integrity-check';
import type { BreachesService } from './breaches-service';

/** Files named one by one in the record's words; the rest are counted (every id is in the proposal's key). */
const FILES_NAMED = 50;

export async function proposeForRecordings(breaches: Pick<BreachesService, 'propose'>, findings: readonly IntegrityFinding[], timeZone: string): Promise<number[]> {
  const ids: number[] = [];
  for (const kind of ['missing', 'changed'] as const) {
    const files = findings.filter((f) => f.finding === kind);
    if (files.length === 0) continue;
    const at = (ms: number) => localIsoTime(ms, timeZone).slice(0, 19).replace('T', ' ');
    const held = files.filter((f) => f.held);
    const cameras = [...new Map(files.map((f) => [f.cameraId, f.cameraName])).entries()];
    const perCamera = cameras.map(([cameraId, name]) => {
      const own = files.filter((f) => f.cameraId === cameraId);
      const heldHere = own.filter((f) => f.held).length;
      return `${name}: ${own.length} ${own.length === 1 ? 'file' : 'files'}, ${at(Math.min(...own.map((f) => f.startMs)))} to ${at(Math.max(...own.map((f) => f.endMs)))}${heldHere ? ` (${heldHere} under a hold)` : ''}`;
    });
    const named = files.slice(0, FILES_NAMED).map((f) => `${f.path} (${at(f.startMs)} to ${at(f.endMs)}${f.held ? ', HELD' : ''}${describe(f)})`);
    const what = [
      held.length > 0 ? `FOOTAGE UNDER A HOLD IS AFFECTED: ${held.length} of these files are kept as evidence or for a data subject.` : null,
      kind === 'missing'
        ? `${files.length} recording ${files.length === 1 ? 'file is' : 'files are'} missing from the recordings folder although the engine did not delete ${files.length === 1 ? 'it' : 'them'} (no deletion by retention or by hand is logged): footage may have been removed or the disk replaced.`
        : `${files.length} recording ${files.length === 1 ? 'file was' : 'files were'} changed after recording: the SHA-256 or size on disk differs from the one stored when each file was closed. Footage may have been altered.`,
      `Per camera: ${perCamera.join('; ')}.`,
      `Files (time zone ${timeZone}): ${named.join('; ')}${files.length > FILES_NAMED ? `; and ${files.length - FILES_NAMED} more` : ''}.`,
    ];
    const id = await breaches.propose({
      kind: kind === 'missing' ? 'recording_missing' : 'recording_changed',
      key: `recording-${kind}:${sha256Hex(files.map((f) => f.recordingId).sort((a, b) => a - b).join(','))}`,
      what: what.filter((x) => x !== null).join('\n'),
      records: `recordings of ${cameras.map(([, name]) => name).join(', ')}`.slice(0, 1000),
      details: { files: files.length, heldFiles: held.length, cameras: cameras.map(([, name]) => name).join(', ') },
      cameraIds: cameras.map(([cameraId]) => cameraId),
    });
    if (id !== null) ids.push(id);
  }
  return ids;
}

function describe(f: IntegrityFinding): string {
  if (f.finding === 'missing') return '';
  if (f.actualBytes !== undefined && f.actualBytes !== f.storedBytes) return `, ${f.storedBytes} bytes recorded, ${f.actualBytes} now`;
  return f.actualSha256 ? `, SHA-256 recorded ${f.storedSha256 ?? 'none'}, now ${f.actualSha256}` : '';
}
