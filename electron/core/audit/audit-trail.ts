// The parts around the audit log that the engine wires in one place (docs/design/audit-chain.md):
// the anchor hold and its gate, signed checkpoints, verification in worker threads, and CSV
// reports written by a worker and fetched once through the media server.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AuditFilter, AuditVerifyReport } from '../../../shared/contract';
import type { AlarmsService } from '../alarms/alarms-service';
import type { SessionRegistry } from '../auth/sessions';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { Downloads, type DownloadOwner } from '../media/downloads';
import type { SigningKeySource } from '../site/site-key';
import type { Store } from '../store/db';
import { AnchorGuard } from './anchor-guard';
import type { AuditLog } from './audit-log';
import { AuditCheckpoints } from './checkpoints';
import { writeAuditCsv, type CsvFormat } from './csv';
import { writeAuditCsvPaged } from './csv-paged';
import { verifyAuditChainPaged } from './verify-paged';
import { verifyAuditChainInWorkers } from './verify-parallel';

export const REPORTS_DIR = 'reports';

export interface AuditTrailDeps {
  audit: AuditLog;
  alarms: AlarmsService;
  sessions: SessionRegistry;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  /** The store: a SQLite file is read by workers on their own read-only connections; PostgreSQL
   *  (docs/design/scale.md) is read in pages on the engine's connections. */
  store: Store;
  signingKey: SigningKeySource;
  /** The site's time zone (IANA), for the local times of reports. */
  siteTimeZone: () => Promise<string>;
}

export interface CsvReport {
  fileName: string;
  rows: number;
  truncated: boolean;
  downloadUrl: string;
  expiresAtMs: number;
}

export class AuditTrail {
  private constructor(
    private readonly d: AuditTrailDeps,
    readonly guard: AnchorGuard,
    readonly checkpoints: AuditCheckpoints,
    readonly downloads: Downloads,
  ) {}

  /** Call right after the audit log and alarms exist, before anything else can append. */
  static async start(d: AuditTrailDeps): Promise<AuditTrail> {
    const guard = await AnchorGuard.start(d);
    const checkpoints = new AuditCheckpoints({ ...d, isHeld: () => guard.isHeld });
    const downloads = new Downloads({
      clock: d.clock,
      logger: d.logger,
      dir: path.join(d.dataDir, REPORTS_DIR),
      isCurrent: (owner) => {
        const s = d.sessions.get(owner.connectionId);
        return s !== null && s.id === owner.sessionId && !s.locked;
      },
    });
    return new AuditTrail(d, guard, checkpoints, downloads);
  }

  /** Starts the hourly checkpoint timer (once the engine runs). */
  run(): void {
    this.checkpoints.start();
  }

  close(): void {
    this.checkpoints.stop();
    this.downloads.close();
  }

  /** The whole chain, this engine's anchor and the acknowledged breaks: in worker threads on
   *  SQLite, in pages on the engine's connections on PostgreSQL. */
  verify(): Promise<AuditVerifyReport> {
    const store = this.d.store;
    const opts = { dataDir: this.d.dataDir, nowMs: () => this.d.clock.nowMs() };
    return store.kind === 'postgres' ? verifyAuditChainPaged(store.db, opts) : verifyAuditChainInWorkers(store.path, opts);
  }

  /** A signed checkpoint, then the report ending with it, written off the engine's thread. */
  async exportCsv(filter: AuditFilter, owner: DownloadOwner, format: CsvFormat = { separator: ',' }): Promise<CsvReport> {
    const checkpoint = await this.checkpoints.checkpoint('report');
    const stamp = new Date(this.d.clock.nowMs()).toISOString().replace(/[:.]/g, '-');
    const fileName = `audit-${stamp}-${randomBytes(3).toString('hex')}.csv`;
    const file = path.join(this.d.dataDir, REPORTS_DIR, fileName);
    const store = this.d.store;
    const withZone = { ...format, timeZone: await this.d.siteTimeZone() };
    const { rows, truncated } =
      store.kind === 'postgres' ? await writeAuditCsvPaged(store.db, filter, file, checkpoint, withZone) : await writeAuditCsv(store.path, filter, file, checkpoint, withZone);
    const { url, expiresAtMs } = this.downloads.offer(file, fileName, owner);
    return { fileName, rows, truncated, downloadUrl: url, expiresAtMs };
  }
}
