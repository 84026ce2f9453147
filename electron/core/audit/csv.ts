// CSV export of the audit log (auditors; DPO requests). RFC 4180 quoting; cells that a spreadsheet
// would run as formulas are prefixed with an apostrophe (CSV injection).
import type { AuditFilter } from '../../../shared/contract';
import type { AuditLog } from './audit-log';

export const CSV_MAX_ROWS = 200_000;
const PAGE = 500;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function buildAuditCsv(audit: AuditLog, filter: AuditFilter): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const lines = ['seq,time_utc,actor,action,target,outcome,reason,details'];
  let beforeSeq: number | undefined;
  let rows = 0;
  for (;;) {
    const page = await audit.query(filter, beforeSeq, PAGE, false);
    for (const e of page.entries) {
      lines.push(
        [e.seq, new Date(e.atMs).toISOString(), e.actor, e.action, e.target, e.outcome, e.reason, e.details].map(csvCell).join(','),
      );
      rows += 1;
      if (rows >= CSV_MAX_ROWS) return { csv: lines.join('\r\n') + '\r\n', rows, truncated: page.nextBeforeSeq !== null };
    }
    if (page.nextBeforeSeq === null) break;
    beforeSeq = page.nextBeforeSeq;
  }
  return { csv: lines.join('\r\n') + '\r\n', rows, truncated: false };
}
