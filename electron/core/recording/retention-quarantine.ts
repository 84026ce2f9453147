// Quarantined recording files follow retention (R1; docs/design/recording.md "Retention" and
// "Recovery"). Reconciliation moves a file it cannot index (no complete fragment, a name it cannot
// read, a camera that does not exist) to ROOT/quarantine under its relative path with the
// separators turned into `_` (`cam-3_2026-11-20_1763596800000.mp4`). Such a file has no index row,
// so the row sweep never sees it; this does: a file older than its camera's retention (capped at the
// legal maximum), or than the shortest legal maximum when the camera is unknown, is deleted and
// logged in the deletion log like any other, unless an active hold on its camera overlaps it (R2).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SHORTEST_MAX_RETENTION_DAYS } from '../../../shared/cameras';
import type { Logger } from '../logger';
import { fsyncDir } from './recorder';
import type { RecordingIndex } from './recording-index';

const DAY_MS = 86_400_000;
export const QUARANTINE_DIR = 'quarantine';

/** `cam-<id>_<day>_<startMs>[-n].mp4`; the start is missing from a name reconciliation could not read. */
const NAME = /^cam-(\d+)_(.*)\.mp4$/;
const START = /^[^_]+_(\d+)(?:-\d+)?$/;

export interface QuarantinedFile {
  name: string;
  abs: string;
  cameraId: number;
  /** From the name; null when the name does not carry it. */
  startMs: number | null;
  /**
   * The last write (rename into quarantine keeps it), or the start if that is later: the later of
   * the two, so a file is never taken for older than either says.
   */
  endMs: number;
  bytes: number;
}

/** The quarantined recording files. A file not named `cam-<id>_...mp4` is not one the engine moved there: left alone. */
export function listQuarantine(root: string): QuarantinedFile[] {
  const dir = path.join(root, QUARANTINE_DIR);
  if (!fs.existsSync(dir)) return [];
  const out: QuarantinedFile[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const abs = path.join(dir, name);
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (!st?.isFile()) continue;
    const s = START.exec(m[2]!);
    const startMs = s ? Number(s[1]) : null;
    out.push({ name, abs, cameraId: Number(m[1]), startMs, endMs: Math.max(Math.round(st.mtimeMs), startMs ?? -Infinity), bytes: st.size });
  }
  return out;
}

export interface QuarantineSweepResult {
  deletedFiles: number;
  deletedBytes: number;
  keptHeld: number;
}

/**
 * Deletes the quarantined files past retention. `retentionDays` gives each known camera's applied
 * retention (already capped at its legal maximum); any other camera gets the shortest maximum.
 */
export async function sweepQuarantine(d: { index: RecordingIndex; root: string; logger: Logger }, nowMs: number, retentionDays: ReadonlyMap<number, number>): Promise<QuarantineSweepResult> {
  const result: QuarantineSweepResult = { deletedFiles: 0, deletedBytes: 0, keptHeld: 0 };
  for (const f of listQuarantine(d.root)) {
    const days = retentionDays.get(f.cameraId) ?? SHORTEST_MAX_RETENTION_DAYS;
    if (f.endMs >= nowMs - days * DAY_MS) continue;
    try {
      const sha256 = await hashFile(f.abs);
      const deleted = await d.index.deleteQuarantined({ cameraId: f.cameraId, startMs: f.startMs, endMs: f.endMs, bytes: f.bytes, sha256 }, nowMs, () => fs.unlinkSync(f.abs));
      if (!deleted) {
        result.keptHeld += 1;
        continue;
      }
      result.deletedFiles += 1;
      result.deletedBytes += f.bytes;
    } catch (err) {
      // One unreadable or vanished file does not stop the sweep; the next one tries again.
      d.logger.warn('quarantined file not deleted', { file: f.name, error: err });
    }
    await new Promise((r) => setImmediate(r));
  }
  if (result.deletedFiles > 0) {
    try {
      fsyncDir(path.join(d.root, QUARANTINE_DIR));
    } catch {
      // directory already gone
    }
  }
  return result;
}

function hashFile(abs: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(abs)
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
