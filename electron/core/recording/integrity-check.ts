// The integrity re-check of recorded footage (docs/design/breaches.md "Recording files re-checked";
// JON 23). Every closed file's SHA-256 was stored
// when it was closed; a pass every few minutes hashes the files whose last check (or whose end, when
// never checked) is a day old, those under a hold first, then the least recently checked, within a
// budget of files and bytes, so a pass never holds the disk or the engine for long; and it looks at
// the next slice of all files by a stat (there, and of the size recorded), a round a day.
//
// A file that is gone, or whose size or SHA-256 differs, is a finding. Retention and deletion by
// hand mark a row `deleting` before unlinking its file (retention-sweep.ts), so a file missing
// while its row still says `complete` was not deleted by the engine: each finding is re-read from
// the index before it counts, and a file the deletion log covers is never one. Files reconciliation
// found gone at start-up (rows `missing`) are findings too. One missing file makes the pass look
// for every other (a stat each, cheap), so a wiped folder is one finding, not one a pass.
//
// Findings are reported once (`report`, which proposes the breach record), then written on their
// rows and never checked again; if reporting fails they are found again at the next pass. Hashing
// streams the file in bounded chunks: the engine's thread hashes at most one chunk at a time between
// the live views' and commands' work (the figures: integrity-check.test.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { IntegrityRow, RecordingIndex } from './recording-index';

/** Every closed file is checked again about once a day. */
export const INTEGRITY_RECHECK_MS = 24 * 3_600_000;
/** A pass every five minutes: 288 a day, each taking a small share of the files. */
export const INTEGRITY_PASS_MS = 5 * 60_000;
/**
 * At most this much hashed per pass: ~3.6 MB/s averaged over its interval, beside recording. 288
 * passes re-hash ~288 GiB a day: one-minute files of a 4 Mbit/s camera are ~30 MB, so every file of
 * a week of one camera's footage. A larger store is re-hashed in a longer round (ten such cameras
 * keeping 30 days, ~13 TB, in about 45 days: reading it all daily would take ~150 MB/s of the disk
 * that records); held footage is hashed first every day, and the stat round still sees every file's
 * presence and size daily (docs/design/breaches.md "Recording files re-checked").
 */
export const INTEGRITY_MAX_FILES_PER_PASS = 200;
export const INTEGRITY_MAX_BYTES_PER_PASS = 1024 * 1024 * 1024;
/** One read and one hash update at a time: ~0.5 ms of the engine's thread per chunk. */
export const HASH_CHUNK_BYTES = 256 * 1024;
/** Files stat'ed per pass in the daily round of presence and size: 288 passes see ~576,000 files a day. */
export const INTEGRITY_STATS_PER_PASS = 2000;
/** Stats at once in the existence sweep and the round, then a yield. */
const SWEEP_CHUNK = 256;

export interface IntegrityFinding {
  finding: 'missing' | 'changed';
  recordingId: number;
  cameraId: number;
  cameraName: string;
  startMs: number;
  endMs: number;
  path: string;
  /** A hold covers the file's span: footage kept as evidence or for a data subject. */
  held: boolean;
  storedBytes: number;
  storedSha256: string | null;
  /** For a changed file: what is on disk now (the hash only when the sizes agree). */
  actualBytes?: number;
  actualSha256?: string;
}

export interface IntegrityPass {
  checked: number;
  bytes: number;
  findings: IntegrityFinding[];
}

export interface IntegrityCheckDeps {
  index: Pick<RecordingIndex, 'integrityDue' | 'integrityDueHeld' | 'integrityNow' | 'unreportedMissing' | 'integrityPaths' | 'markChecked' | 'markIntegrity'>;
  root: string;
  clock: Clock;
  logger: Logger;
  /** Proposes the findings (once); a throw leaves them unwritten, to be found again. */
  report: (findings: IntegrityFinding[]) => Promise<void>;
  maxFilesPerPass?: number;
  maxBytesPerPass?: number;
  statsPerPass?: number;
}

type Verdict = { kind: 'ok' } | { kind: 'missing' } | { kind: 'changed'; actualBytes: number; actualSha256?: string } | { kind: 'unreadable'; error: string };

export class RecordingIntegrityCheck {
  private running: Promise<IntegrityPass> | null = null;
  /** Where the stat round goes on (the last id seen; 0: from the start). */
  private roundAfterId = 0;

  constructor(private readonly d: IntegrityCheckDeps) {}

  /** One pass (one at a time: a pass asked for while one runs gets that one's answer). */
  pass(): Promise<IntegrityPass> {
    this.running ??= this.passOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async passOnce(): Promise<IntegrityPass> {
    const now = this.d.clock.nowMs();
    const maxFiles = this.d.maxFilesPerPass ?? INTEGRITY_MAX_FILES_PER_PASS;
    const maxBytes = this.d.maxBytesPerPass ?? INTEGRITY_MAX_BYTES_PER_PASS;
    const candidates = new Map<number, Verdict>();
    for (const r of await this.d.index.unreportedMissing(1000)) candidates.set(r.id, { kind: 'missing' });

    const ok: number[] = [];
    let bytes = 0;
    let checked = 0;
    const held = await this.d.index.integrityDueHeld(now - INTEGRITY_RECHECK_MS, maxFiles);
    const rest = held.length < maxFiles ? await this.d.index.integrityDue(now - INTEGRITY_RECHECK_MS, maxFiles) : [];
    const due = [...held, ...rest.filter((r) => !held.some((h) => h.id === r.id))].slice(0, maxFiles);
    for (const row of due) {
      if (checked > 0 && bytes + Number(row.bytes) > maxBytes) break;
      const verdict = await checkFile(path.join(this.d.root, row.path), row);
      checked += 1;
      bytes += Number(row.bytes);
      if (verdict.kind === 'ok') ok.push(row.id);
      else if (verdict.kind === 'unreadable') {
        // Not a finding by itself (a busy or failing disk); checked again in a day, and said now.
        this.d.logger.warn('a recording file could not be re-checked', { recordingId: row.id, error: verdict.error });
        ok.push(row.id);
      } else candidates.set(row.id, verdict);
    }
    for (const [id, v] of await this.statRound()) if (!candidates.has(id)) candidates.set(id, v);
    if ([...candidates.values()].some((v) => v.kind === 'missing')) {
      for (const [id, v] of await this.sweepForMissing()) if (!candidates.has(id)) candidates.set(id, v);
    }

    const findings = await this.confirmed(candidates);
    if (findings.length > 0) {
      try {
        await this.d.report(findings);
        for (const kind of ['missing', 'changed'] as const) {
          await this.d.index.markIntegrity(findings.filter((f) => f.finding === kind).map((f) => f.recordingId), kind, now);
        }
      } catch (err) {
        this.d.logger.error('reporting recording files missing or changed failed; they are checked again at the next pass', { error: err, files: findings.length });
      }
    }
    await this.d.index.markChecked(ok, now);
    return { checked, bytes, findings };
  }

  /** The next slice of every closed file, by a stat: gone, or of another size than recorded. */
  private async statRound(): Promise<Map<number, Verdict>> {
    const found = new Map<number, Verdict>();
    const perPass = this.d.statsPerPass ?? INTEGRITY_STATS_PER_PASS;
    let seen = 0;
    while (seen < perPass) {
      const page = await this.d.index.integrityPaths(this.roundAfterId, Math.min(SWEEP_CHUNK, perPass - seen));
      if (page.length === 0) {
        this.roundAfterId = 0;
        break;
      }
      const sizes = await Promise.all(page.map((p) => fs.promises.stat(path.join(this.d.root, p.path)).then((st) => st.size, (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : Number(p.bytes)))));
      page.forEach((p, i) => {
        const size = sizes[i];
        if (size === null) found.set(p.id, { kind: 'missing' });
        else if (size !== Number(p.bytes)) found.set(p.id, { kind: 'changed', actualBytes: size ?? 0 });
      });
      seen += page.length;
      this.roundAfterId = page.at(-1)!.id;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return found;
  }

  /** Every closed file not yet reported, by a stat: those gone. */
  private async sweepForMissing(): Promise<Map<number, Verdict>> {
    const gone = new Map<number, Verdict>();
    for (let after = 0; ; ) {
      const page = await this.d.index.integrityPaths(after, SWEEP_CHUNK);
      if (page.length === 0) break;
      const exists = await Promise.all(page.map((p) => fs.promises.stat(path.join(this.d.root, p.path)).then(() => true, (err: NodeJS.ErrnoException) => err.code !== 'ENOENT' && err.code !== 'ENOTDIR')));
      page.forEach((p, i) => {
        if (!exists[i]) gone.set(p.id, { kind: 'missing' });
      });
      after = page.at(-1)!.id;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return gone;
  }

  /**
   * The candidates whose rows, read again now, still say what was checked: a closed file (or one
   * reconciliation marked missing) with the same stored hash. A row deleted or being deleted
   * meanwhile is the engine's own deletion, logged in the deletion log: not a finding.
   */
  private async confirmed(candidates: Map<number, Verdict>): Promise<IntegrityFinding[]> {
    const out: IntegrityFinding[] = [];
    const ids = [...candidates.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      for (const row of await this.d.index.integrityNow(ids.slice(i, i + 500))) {
        const v = candidates.get(row.id)!;
        if (row.integrity !== null || !(row.state === 'complete' || (row.state === 'missing' && v.kind === 'missing'))) continue;
        if (v.kind === 'missing' && row.state === 'complete' && fs.existsSync(path.join(this.d.root, row.path))) continue;
        if (v.kind === 'missing' || v.kind === 'changed') out.push(findingOf(row, v));
      }
    }
    return out.sort((a, b) => Number(b.held) - Number(a.held) || a.cameraName.localeCompare(b.cameraName) || a.startMs - b.startMs);
  }
}

function findingOf(row: IntegrityRow, v: Extract<Verdict, { kind: 'missing' | 'changed' }>): IntegrityFinding {
  return {
    finding: v.kind,
    recordingId: row.id,
    cameraId: row.camera_id,
    cameraName: row.camera_name ?? `#${row.camera_id}`,
    startMs: Number(row.start_ms),
    endMs: Number(row.end_ms),
    path: row.path,
    held: Boolean(row.held),
    storedBytes: Number(row.bytes),
    storedSha256: row.sha256,
    ...(v.kind === 'changed' ? { actualBytes: v.actualBytes, ...(v.actualSha256 ? { actualSha256: v.actualSha256 } : {}) } : {}),
  };
}

/** Gone, another size, or another SHA-256 than stored when the file was closed. */
async function checkFile(abs: string, row: IntegrityRow): Promise<Verdict> {
  let size: number;
  try {
    size = (await fs.promises.stat(abs)).size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable', error: String(code ?? err) };
  }
  if (size !== Number(row.bytes)) return { kind: 'changed', actualBytes: size };
  if (!row.sha256) return { kind: 'ok' };
  try {
    const actual = await hashFile(abs);
    return actual === row.sha256 ? { kind: 'ok' } : { kind: 'changed', actualBytes: size, actualSha256: actual };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', error: String(code ?? err) };
  }
}

/** SHA-256 of a file read in HASH_CHUNK_BYTES pieces: each update is short, the reads are the thread pool's. */
export function hashFile(abs: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(abs, { highWaterMark: HASH_CHUNK_BYTES })
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
