// CSV export of the audit log (auditors; DPO requests), written by a worker thread (on SQLite on its
// own read-only connection; on PostgreSQL fed pages by the engine, csv-paged.ts), so a report of a
// million entries never stalls the engine (an 18 s export once stalled every camera;
// docs/design/audit-chain.md "Export"). UTF-8 with a BOM (spreadsheets
// then read it as UTF-8); a separator the reader's spreadsheet expects (`;` where the decimal comma
// makes `,` the number separator: Polish, Lithuanian and Czech Excel and LibreOffice); each time
// twice, in UTC ISO 8601 with `Z` and in the site's time zone with its offset
// (`2026-12-06T18:26:03.120+01:00`); RFC 4180 quoting, and cells a spreadsheet would run as formulas
// prefixed with an apostrophe (CSV injection). The file ends with a line naming the latest signed
// checkpoint (checkpoints.ts).
import fs from 'node:fs';
import type { AuditFilter, CsvSeparator } from '../../../shared/contract';
import type { AuditCheckpointRecord } from './checkpoint-file';
import { runWorker, sinkWorkerSource, workerSource } from './worker';

/** A spreadsheet's sheet holds 1,048,576 rows: a longer report could not be opened whole. */
export const CSV_MAX_ROWS = 1_048_000;
export const CSV_COLUMNS = ['seq', 'time_utc', 'time_local', 'actor', 'action', 'target', 'outcome', 'reason', 'details'] as const;
export interface CsvFormat {
  separator: CsvSeparator;
}

export function csvCell(value: string | number | null, separator: CsvSeparator = ','): string {
  if (value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /["\n\r]/.test(s) || s.includes(separator) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * `ms` in `timeZone` as ISO 8601 with the zone's offset at that instant. The offset is read once per
 * UTC hour (these zones change offset only on the hour), so a million rows cost a few hundred reads.
 */
export function localIsoTime(ms: number, timeZone: string, cache = new Map<number, number>()): string {
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return '';
  const hour = Math.floor(ms / 3_600_000);
  let offsetMin = cache.get(hour);
  if (offsetMin === undefined) {
    const parts: Record<string, string> = {};
    const f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const at = hour * 3_600_000;
    for (const p of f.formatToParts(new Date(at))) parts[p.type] = p.value;
    offsetMin = Math.round((Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - at) / 60_000);
    cache.set(hour, offsetMin);
  }
  const a = Math.abs(offsetMin);
  const pad = (n: number) => String(n).padStart(2, '0');
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23) + (offsetMin < 0 ? '-' : '+') + pad(Math.floor(a / 60)) + ':' + pad(a % 60);
}

/** The filter as SQL, with the same meaning as AuditLog.query (values bound, never inlined). */
export function filterSql(f: AuditFilter): { where: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const escape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);
  const add = (clause: string, value: string | number) => {
    parts.push(clause);
    params.push(value);
  };
  if (f.fromMs !== undefined) add('at_ms >= ?', f.fromMs);
  if (f.toMs !== undefined) add('at_ms <= ?', f.toMs);
  if (f.actor) add('actor = ?', f.actor);
  if (f.action) add("action LIKE ? ESCAPE '\\'", escape(f.action) + '%');
  if (f.target) add("target LIKE ? ESCAPE '\\'", '%' + escape(f.target) + '%');
  if (f.outcome) add('outcome = ?', f.outcome);
  return { where: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params };
}

/** The last line: the checkpoint an auditor can check the report's entries against. */
export function checkpointTrailer(cp: AuditCheckpointRecord | null, separator: CsvSeparator = ','): string {
  const cells = cp
    ? ['#checkpoint', `seq=${cp.seq}`, `hash=${cp.hash}`, `time_utc=${cp.time}`, `key_fingerprint=${cp.fingerprint}`, `signature=${cp.signature}`, `file=audit-checkpoints/${cp.seq}.json`]
    : ['#checkpoint', 'none: no signed checkpoint could be taken'];
  return '\r\n' + cells.map((c) => csvCell(c, separator)).join(separator) + '\r\n';
}

// csvCell, localIsoTime and the row layout as above, in the workers' plain JavaScript
// (audit-export.test.ts reads a report back and compares its cells and times with them). One
// writer for both stores: the SQLite worker feeds it rows from its own connection, the PostgreSQL
// one (csv-paged.ts) rows the engine read in pages. A row is
// [seq, at_ms, actor, action, target, outcome, reason, details].
const CSV_WRITER = `
function openCsvWriter(d) {
  const fs = require('node:fs');
  const sep = d.sep;
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    let s = String(v);
    if (/^[=+\\-@\\t\\r]/.test(s)) s = "'" + s;
    return /["\\n\\r]/.test(s) || s.includes(sep) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  const iso = (ms) => { const t = new Date(Number(ms)); return Number.isFinite(t.getTime()) ? t.toISOString() : String(ms); };
  const offsets = new Map();
  const pad = (n) => String(n).padStart(2, '0');
  const zone = new Intl.DateTimeFormat('en-GB', { timeZone: d.timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const local = (raw) => {
    const ms = Number(raw);
    if (!Number.isFinite(new Date(ms).getTime())) return '';
    const hour = Math.floor(ms / 3600000);
    let off = offsets.get(hour);
    if (off === undefined) {
      const p = {};
      for (const x of zone.formatToParts(new Date(hour * 3600000))) p[x.type] = x.value;
      off = Math.round((Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - hour * 3600000) / 60000);
      offsets.set(hour, off);
    }
    const a = Math.abs(off);
    return new Date(ms + off * 60000).toISOString().slice(0, 23) + (off < 0 ? '-' : '+') + pad(Math.floor(a / 60)) + ':' + pad(a % 60);
  };
  const part = d.outFile + '.part';
  const fd = fs.openSync(part, 'wx', 0o600);
  let open = true;
  let rows = 0;
  let bytes = 0;
  let buf = '\\ufeff' + d.header + '\\r\\n';
  const put = (text) => {
    const b = Buffer.from(text, 'utf8');
    for (let off = 0; off < b.length; ) off += fs.writeSync(fd, b, off);
    bytes += b.length;
  };
  const abort = () => {
    if (open) { open = false; try { fs.closeSync(fd); } catch {} }
    try { fs.unlinkSync(part); } catch {}
  };
  return {
    count: () => rows,
    row(r) {
      buf += cell(r[0]) + sep + iso(r[1]) + sep + local(r[1]) + sep + cell(r[2]) + sep + cell(r[3]) + sep + cell(r[4]) + sep + cell(r[5]) + sep + cell(r[6]) + sep + cell(r[7]) + '\\r\\n';
      rows += 1;
      if (buf.length >= 1 << 20) { put(buf); buf = ''; }
    },
    finish(truncated) {
      try {
        put(buf + d.trailer);
        buf = '';
        fs.fsyncSync(fd);
        open = false;
        fs.closeSync(fd);
        fs.renameSync(part, d.outFile);
      } catch (err) {
        abort();
        throw err;
      }
      return { rows, truncated: truncated === true, bytes };
    },
    abort,
  };
}
`;

const WRITE_CSV = workerSource(`
  ${CSV_WRITER}
  const { where, params, maxRows } = workerData;
  const w = openCsvWriter(workerData);
  try {
    let truncated = false;
    const stmt = db.prepare('SELECT seq, at_ms, actor, action, target, outcome, reason, details FROM audit_log' + where + ' ORDER BY seq DESC LIMIT ?').raw(true);
    for (const r of stmt.iterate(...params, maxRows + 1)) {
      if (w.count() === maxRows) { truncated = true; break; }
      w.row(r);
    }
    return w.finish(truncated);
  } catch (err) {
    w.abort();
    throw err;
  }
`);

/** The PostgreSQL report's worker: the same writer, fed pages of rows by the engine (csv-paged.ts). */
export const WRITE_CSV_PAGES = sinkWorkerSource(`
  ${CSV_WRITER}
  const w = openCsvWriter(workerData);
  return { put: (rows) => { for (const r of rows) w.row(r); }, end: (truncated) => w.finish(truncated), abort: () => w.abort() };
`);

/** What every report's worker is given besides its rows. */
export function csvWriterData(outFile: string, checkpoint: AuditCheckpointRecord | null, format: CsvFormat & { timeZone: string }) {
  const sep = format.separator;
  return { outFile, header: CSV_COLUMNS.join(sep), trailer: checkpointTrailer(checkpoint, sep), sep, timeZone: format.timeZone };
}

/** Writes the report into `outFile` (0600, created, never overwritten) and answers its size. */
export async function writeAuditCsv(
  dbFile: string,
  filter: AuditFilter,
  outFile: string,
  checkpoint: AuditCheckpointRecord | null,
  format: CsvFormat & { timeZone: string } = { separator: ',', timeZone: 'UTC' },
  maxRows = CSV_MAX_ROWS,
): Promise<{ rows: number; truncated: boolean; bytes: number }> {
  if (fs.existsSync(outFile)) throw new Error(`${outFile} exists already`);
  const { where, params } = filterSql(filter);
  return runWorker(WRITE_CSV, { file: dbFile, where, params, maxRows, ...csvWriterData(outFile, checkpoint, format) });
}
