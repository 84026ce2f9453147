// The CSV report on PostgreSQL (docs/design/audit-chain.md "Export", "Several writers"): no worker
// can open the database there, so the engine reads the filtered log newest first in pages by key
// (`seq < last`) and hands each page to a worker thread that formats and writes it with the very
// writer the SQLite report uses (csv.ts): same columns, BOM, separator, local times, row cap and
// checkpoint trailer. The next page is read while the worker writes the current one; the log is
// never held in memory whole, and the event loop only parses one page at a time.
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { AuditFilter } from '../../../shared/contract';
import type { Database } from '../store/schema';
import { whereAuditFilter } from './audit-log';
import type { AuditCheckpointRecord } from './checkpoint-file';
import { CSV_MAX_ROWS, csvWriterData, WRITE_CSV_PAGES, type CsvFormat } from './csv';
import { startSinkWorker } from './worker';

/** Rows per page handed to the worker. */
export const CSV_PAGE_ROWS = 2000;

export async function writeAuditCsvPaged(
  db: Kysely<Database>,
  filter: AuditFilter,
  outFile: string,
  checkpoint: AuditCheckpointRecord | null,
  format: CsvFormat & { timeZone: string } = { separator: ',', timeZone: 'UTC' },
  maxRows = CSV_MAX_ROWS,
  pageRows = CSV_PAGE_ROWS,
): Promise<{ rows: number; truncated: boolean; bytes: number }> {
  if (fs.existsSync(outFile)) throw new Error(`${outFile} exists already`);
  const query = (beforeSeq: number | null, limit: number) => {
    let q = whereAuditFilter(db, db.selectFrom('audit_log'), filter).select(['seq', 'at_ms', 'actor', 'action', 'target', 'outcome', 'reason', 'details']);
    if (beforeSeq !== null) q = q.where('seq', '<', beforeSeq);
    return q.orderBy('seq', 'desc').limit(limit).execute();
  };
  // One row past the cap is asked for, to know whether the report is cut.
  let fetched = 0;
  type Page = Awaited<ReturnType<typeof query>>;
  const fetch = (beforeSeq: number | null): { limit: number; rows: Promise<Page> } => {
    const limit = Math.min(pageRows, maxRows + 1 - fetched);
    const rows = query(beforeSeq, limit);
    // Read ahead while the worker writes: its failure is seen when it is awaited, not as an
    // unhandled rejection meanwhile.
    rows.catch(() => undefined);
    return { limit, rows };
  };
  const sink = startSinkWorker<{ rows: number; truncated: boolean; bytes: number }>(WRITE_CSV_PAGES, csvWriterData(outFile, checkpoint, format));
  let next: ReturnType<typeof fetch> | null = fetch(null);
  try {
    let truncated = false;
    while (next) {
      const limit: number = next.limit;
      const page: Page = await next.rows;
      fetched += page.length;
      truncated = fetched > maxRows;
      const keep = truncated ? page.slice(0, page.length - (fetched - maxRows)) : page;
      const last = page[page.length - 1];
      next = page.length === limit && !truncated && last ? fetch(Number(last.seq)) : null;
      if (keep.length > 0) await sink.put(keep.map((r) => [Number(r.seq), Number(r.at_ms), r.actor, r.action, r.target, r.outcome, r.reason, r.details]));
    }
    return await sink.end(truncated);
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
