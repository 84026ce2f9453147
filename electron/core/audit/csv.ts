// CSV export of the audit log (auditors; DPO requests), written by a worker thread on its own
// read-only connection, so a report of a million entries never stalls the engine (an 18 s export
// once stalled every camera; docs/design/audit-chain.md "Export"). UTF-8 with a BOM (spreadsheets
// then read it as UTF-8), times in UTC ISO 8601 with `Z`, RFC 4180 quoting, and cells a spreadsheet
// would run as formulas prefixed with an apostrophe (CSV injection). The file ends with a line
// naming the latest signed checkpoint (checkpoints.ts).
import fs from 'node:fs';
import type { AuditFilter } from '../../../shared/contract';
import type { AuditCheckpointRecord } from './checkpoint-file';
import { runWorker, workerSource } from './worker';

/** A spreadsheet's sheet holds 1,048,576 rows: a longer report could not be opened whole. */
export const CSV_MAX_ROWS = 1_048_000;
export const CSV_HEADER = 'seq,time_utc,actor,action,target,outcome,reason,details';

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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
export function checkpointTrailer(cp: AuditCheckpointRecord | null): string {
  const cells = cp
    ? ['#checkpoint', `seq=${cp.seq}`, `hash=${cp.hash}`, `time_utc=${cp.time}`, `key_fingerprint=${cp.fingerprint}`, `signature=${cp.signature}`, `file=audit-checkpoints/${cp.seq}.json`]
    : ['#checkpoint', 'none: no signed checkpoint could be taken'];
  return '\r\n' + cells.map(csvCell).join(',') + '\r\n';
}

// csvCell and the row layout as above, in the worker's plain JavaScript (csv.test.ts compares them).
const WRITE_CSV = workerSource(`
  const fs = require('node:fs');
  const { where, params, maxRows, outFile, header, trailer } = workerData;
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    let s = String(v);
    if (/^[=+\\-@\\t\\r]/.test(s)) s = "'" + s;
    return /[",\\n\\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  const iso = (ms) => { const d = new Date(Number(ms)); return Number.isFinite(d.getTime()) ? d.toISOString() : String(ms); };
  const part = outFile + '.part';
  const fd = fs.openSync(part, 'wx', 0o600);
  let rows = 0;
  let truncated = false;
  let bytes = 0;
  const put = (text) => {
    const b = Buffer.from(text, 'utf8');
    for (let off = 0; off < b.length; ) off += fs.writeSync(fd, b, off);
    bytes += b.length;
  };
  try {
    let buf = '\\ufeff' + header + '\\r\\n';
    const stmt = db.prepare('SELECT seq, at_ms, actor, action, target, outcome, reason, details FROM audit_log' + where + ' ORDER BY seq DESC LIMIT ?').raw(true);
    for (const r of stmt.iterate(...params, maxRows + 1)) {
      if (rows === maxRows) { truncated = true; break; }
      buf += cell(r[0]) + ',' + iso(r[1]) + ',' + cell(r[2]) + ',' + cell(r[3]) + ',' + cell(r[4]) + ',' + cell(r[5]) + ',' + cell(r[6]) + ',' + cell(r[7]) + '\\r\\n';
      rows += 1;
      if (buf.length >= 1 << 20) { put(buf); buf = ''; }
    }
    put(buf + trailer);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch (err) {
    try { fs.closeSync(fd); } catch {}
    try { fs.unlinkSync(part); } catch {}
    throw err;
  }
  fs.renameSync(part, outFile);
  return { rows, truncated, bytes };
`);

/** Writes the report into `outFile` (0600, created, never overwritten) and answers its size. */
export async function writeAuditCsv(
  dbFile: string,
  filter: AuditFilter,
  outFile: string,
  checkpoint: AuditCheckpointRecord | null,
  maxRows = CSV_MAX_ROWS,
): Promise<{ rows: number; truncated: boolean; bytes: number }> {
  if (fs.existsSync(outFile)) throw new Error(`${outFile} exists already`);
  const { where, params } = filterSql(filter);
  return runWorker(WRITE_CSV, { file: dbFile, where, params, maxRows, outFile, header: CSV_HEADER, trailer: checkpointTrailer(checkpoint) });
}
