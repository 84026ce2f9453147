// The engine's copy of a package is kept PACKAGE_KEEP_DAYS_AFTER_HANDOVER days after the handover
// (a second copy for the recipient, a question about what was given), then deleted by an hourly
// sweep, with a history entry naming the attempt and an audit entry by `system` (docs/design/
// exports.md "Handover"). The request, its history and the manifest's SHA-256 stay. The recordings
// themselves follow their cameras' retention from the handover on.
import fs from 'node:fs';
import { exportNumber } from '../../../shared/contract';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ExportRecords } from './export-records';
import { PACKAGE_KEEP_DAYS_AFTER_HANDOVER } from './export-requests';

const PACKAGE_SWEEP_MS = 3_600_000;

export class PackageSweeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: { records: ExportRecords; clock: Clock; logger: Logger; audit: AuditLog }) {}

  /** Deletes the engine's copies of packages whose keep period after handover is over. */
  async sweep(): Promise<number> {
    const due = this.d.clock.nowMs() - PACKAGE_KEEP_DAYS_AFTER_HANDOVER * 86_400_000;
    let deleted = 0;
    for (const r of await this.d.records.packagesHandedOverBefore(due)) {
      const dir = r.package_path!;
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch (err) {
        this.d.logger.error('export package could not be deleted', { exportId: r.id, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      await this.d.records.markPackageDeleted(r.id, r.attempt, { actor: 'system', action: 'package deleted', note: '', details: { days: PACKAGE_KEEP_DAYS_AFTER_HANDOVER, folder: dir } }, this.d.clock.nowMs());
      await this.d.audit.append({ actor: 'system', action: 'exports.packageDeleted', target: `export#${r.id}`, outcome: 'allowed', details: { number: exportNumber(r.id), packagePath: dir, handoverAtMs: Number(r.handover_at_ms) } });
      deleted++;
    }
    return deleted;
  }

  /** Sweeps now and then every hour (not in tests that drive sweep themselves). */
  start(): void {
    const run = () => void this.sweep().catch((err: unknown) => this.d.logger.error('export package sweep failed', { error: err instanceof Error ? err.message : String(err) }));
    run();
    this.timer = setInterval(run, PACKAGE_SWEEP_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
