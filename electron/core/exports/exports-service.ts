// Export requests and evidence packages (docs/design/exports.md; R6; docs/design/overview.md §7), composed
// of their parts:
// - export-requests.ts: register, list, see, decide (four eyes), extend a deadline, hand over;
// - export-production.ts: production runs, one attempt row each, behind a protecting legal hold;
// - tracking/: follows a redaction box through the footage for the operator to confirm (JON 19);
// - package-sweeper.ts: deletes the engine's copy of a package 30 days after the handover;
// - export-records.ts: the one owner of the export tables (requests, items, history, attempts).
// Recording files come from the recording index (recording/recording-index.ts).
import type { Kysely } from 'kysely';
import { exportNumber, type ProtectedExport } from '../../../shared/contract';
import type { Database } from '../store/schema';
import type { Visibility } from '../visibility';
import { ExportProduction, type ExportProductionDeps } from './export-production';
import { ExportRecords } from './export-records';
import { ExportRequests } from './export-requests';
import { PackageSweeper } from './package-sweeper';
import { ExportTracking } from './tracking/track-box';

export { EXPORT_HOLD_REVIEW_DAYS, type ExportProducer } from './export-production';
export type { ExportFilter, NewExport } from './export-records';
export { PACKAGE_KEEP_DAYS_AFTER_HANDOVER, type Refusal } from './export-requests';

/** What production needs (export-production.ts), with the database in place of the records over it. */
export interface ExportsServiceDeps extends Omit<ExportProductionDeps, 'records'> {
  db: Kysely<Database>;
}

export class ExportsService {
  readonly requests: ExportRequests;
  readonly production: ExportProduction;
  readonly packages: PackageSweeper;
  /** Redaction boxes followed through the footage (tracking/track-box.ts). */
  readonly tracking: ExportTracking;

  constructor(d: ExportsServiceDeps) {
    const records = new ExportRecords(d.db);
    const { clock, logger, audit, holds, site, events } = d;
    this.production = new ExportProduction({ ...d, records });
    this.requests = new ExportRequests({ records, clock, holds, site, events, liveProgress: (id) => this.production.liveProgress(id) });
    this.packages = new PackageSweeper({ records, clock, logger, audit });
    this.tracking = new ExportTracking({ records, recordings: d.recordings, recordingsRoot: d.recordingsRoot, ffmpegPath: d.ffmpegPath });
    this.audience = (exportId) => records.audience(exportId);
    this.awaitingHandoverUnder = async (holdIds) => {
      const found = await records.awaitingHandoverUnder(holdIds);
      return new Map([...found].map(([holdId, e]) => [holdId, { number: exportNumber(e.id), status: e.status }]));
    };
  }

  /** The export each hold protects until its handover, by hold id (the hold's view names it; releasing it early needs its number). */
  readonly awaitingHandoverUnder: (holdIds: readonly number[]) => Promise<Map<number, ProtectedExport>>;

  /** Who may see a request besides records.readAll (routes its pushed events, docs/design/events.md). */
  readonly audience: (exportId: number) => Promise<{ requestedBy: string; cameraIds: number[] } | undefined>;

  /** After a restart nothing is producing: an attempt the engine was running when it stopped failed. */
  recover(): Promise<void> {
    return this.production.recover();
  }

  /** See ExportRequests.isVisible (the dispatcher's scope check). */
  isVisible(exportId: number, v: Visibility): Promise<boolean> {
    return this.requests.isVisible(exportId, v);
  }

  /** Waits for the running production, if any (tests; engine close after an abort). */
  idle(): Promise<void> {
    return this.production.idle();
  }

  /** Deletes the engine's copies of packages whose keep period after handover is over. */
  sweepPackages(): Promise<number> {
    return this.packages.sweep();
  }

  /** Sweeps packages now and then every hour (not in tests that drive sweepPackages themselves). */
  startPackageSweeper(): void {
    this.packages.start();
  }

  /** Engine stop: the sweeper stops; a running production is aborted and recorded as cancelled. */
  async close(): Promise<void> {
    this.packages.stop();
    this.tracking.close();
    await this.production.close();
  }
}
