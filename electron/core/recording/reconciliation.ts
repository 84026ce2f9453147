// Start-up reconciliation (docs/design/recording.md "Recovery"): makes the index and the files agree
// after a crash. In order: interrupted deletions are finished; open rows are re-read from their
// files (a torn trailing fragment is cut off, ftruncate + fdatasync, before the row says complete);
// files without rows are indexed when their name and camera are valid, else quarantined; complete
// rows whose files are gone are marked missing (shown, never silently dropped).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { packGops, scanRecording } from './gop-index';
import type { RecordingIndex, RecordingRow } from './recording-index';

export interface ReconcileStats {
  repaired: number;
  missing: number;
  indexed: number;
  quarantined: number;
  finishedDeletions: number;
}

export interface ReconciliationDeps {
  index: RecordingIndex;
  root: string;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  /** Deletion steps 2 and 3 for rows already marked `deleting` (retention-sweep.ts). */
  finishDeletion: (rows: readonly RecordingRow[]) => Promise<number>;
  /** Cameras being recorded right now (a reconciliation while the engine runs): their open files
   *  and files not yet indexed are the recorders', left alone. */
  skipCameras?: ReadonlySet<number>;
}

/** The camera of a file under the recordings root (cam-<id>/...), or NaN. */
const cameraOfPath = (rel: string) => Number(/^cam-(\d+)[/\\]/.exec(rel)?.[1] ?? NaN);

export async function reconcileRecordings(d: ReconciliationDeps): Promise<ReconcileStats> {
  const stats: ReconcileStats = { repaired: 0, missing: 0, indexed: 0, quarantined: 0, finishedDeletions: 0 };
  const deleting = await d.index.rowsInState('deleting');
  if (deleting.length) stats.finishedDeletions = await d.finishDeletion(deleting);

  const skip = d.skipCameras ?? new Set<number>();
  for (const row of await d.index.rowsInState('open')) {
    if (skip.has(row.camera_id)) continue;
    const r = await repairFile(d, row);
    if (r === 'missing') stats.missing += 1;
    else if (r === 'quarantined') stats.quarantined += 1;
    else stats.repaired += 1;
  }
  // One walk of the root serves both checks below (no stat per indexed file).
  const onDisk = new Set(listRecordingFiles(d.root));
  const known = await d.index.allPaths();
  for (const rel of onDisk) {
    if (known.has(rel) || skip.has(cameraOfPath(rel))) continue;
    if (await indexOrphan(d, rel)) stats.indexed += 1;
    else stats.quarantined += 1;
  }
  // Rows whose files vanished (a disk replaced, a file removed by hand).
  const missingIds = (await d.index.completeFiles()).filter((r) => !onDisk.has(r.path)).map((r) => r.id);
  await d.index.markMissing(missingIds);
  stats.missing += missingIds.length;
  if (Object.values(stats).some((n) => n > 0)) {
    await d.audit.append({ actor: 'system', action: 'recordings.reconciled', target: 'recordings', outcome: 'allowed', details: { ...stats } });
  }
  return stats;
}

async function repairFile(d: ReconciliationDeps, row: RecordingRow): Promise<'repaired' | 'missing' | 'quarantined'> {
  const abs = path.join(d.root, row.path);
  if (!fs.existsSync(abs)) {
    await d.index.markMissing([row.id]);
    return 'missing';
  }
  const bytes = fs.readFileSync(abs);
  const scan = scanRecording(bytes);
  if (!scan.init || scan.fragments === 0) {
    quarantine(d, row.path);
    await d.index.dropRow(row.id);
    return 'quarantined';
  }
  if (scan.validBytes < bytes.length) {
    // A fragment torn by the crash: cut it off so the file ends on a fragment boundary.
    const fd = fs.openSync(abs, 'r+');
    fs.ftruncateSync(fd, scan.validBytes);
    fs.fdatasyncSync(fd);
    fs.closeSync(fd);
  }
  const sha256 = createHash('sha256').update(bytes.subarray(0, scan.validBytes)).digest('hex');
  await d.index.completeRepaired(row.id, { bytes: scan.validBytes, endMs: Number(row.start_ms) + Math.round(scan.durationMs), sha256, gops: packGops(scan.gops) });
  return 'repaired';
}

async function indexOrphan(d: ReconciliationDeps, rel: string): Promise<boolean> {
  const m = /^cam-(\d+)[/\\]\d{4}-\d{2}-\d{2}[/\\](\d+)(?:-\d+)?\.mp4$/.exec(rel);
  const cameraId = m ? Number(m[1]) : NaN;
  if (!m || !(await d.index.cameraExists(cameraId))) {
    quarantine(d, rel);
    return false;
  }
  const row = await d.index.insertOrphan({ cameraId, path: rel, startMs: Number(m[2]) }, d.clock.nowMs());
  return (await repairFile(d, row)) === 'repaired';
}

function quarantine(d: ReconciliationDeps, rel: string) {
  const from = path.join(d.root, rel);
  if (!fs.existsSync(from)) return;
  const to = path.join(d.root, 'quarantine', rel.replace(/[/\\]/g, '_'));
  fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o700 });
  fs.renameSync(from, to);
  d.logger.warn('recording file quarantined', { file: rel });
}

/** Recording files below the root, as paths relative to it (quarantine excluded). */
export function listRecordingFiles(root: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(root)) return out;
  for (const cam of fs.readdirSync(root)) {
    if (!/^cam-\d+$/.test(cam)) continue;
    for (const day of fs.readdirSync(path.join(root, cam))) {
      const dayDir = path.join(root, cam, day);
      if (!fs.statSync(dayDir).isDirectory()) continue;
      for (const f of fs.readdirSync(dayDir)) if (f.endsWith('.mp4')) out.push(path.join(cam, day, f));
    }
  }
  return out;
}
