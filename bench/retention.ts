// `npm run bench:retention -- [--json]`: an index of 64 cameras x 30 days of one-minute files
// (about 2.8 million rows) with 200 legal holds: time of one full sweep decision, time to delete
// one day's expired files (real files on disk), and the longest the event loop was blocked
// meanwhile. Issue 4 targets: decision < 5 s; never blocking live commands > 50 ms at a time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AlarmsService } from '../electron/core/alarms/alarms-service';
import { AuditLog } from '../electron/core/audit/audit-log';
import { ManualClock } from '../electron/core/clock';
import { silentLogger } from '../electron/core/logger';
import { RecordingService } from '../electron/core/recording/recording-service';
import { openStore } from '../electron/core/store/db';
import { machine } from './proc-cpu';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '64' }, days: { type: 'string', default: '30' }, holds: { type: 'string', default: '200' }, json: { type: 'boolean', default: false } } });
const cameras = Number(values.cameras);
const days = Number(values.days);
const holdsN = Number(values.holds);
const say = (s: string) => (values.json ? process.stderr : process.stdout).write(s + '\n');
const DAY = 86_400_000;
const MIN = 60_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-retention-'));
try {
  const store = await openStore(dir);
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  const clock = new ManualClock(now);
  const sqlite = store.sqlite;
  say(`building ${cameras} cameras x ${days} days of one-minute files...`);
  let t0 = performance.now();
  sqlite.prepare("INSERT INTO camera_groups (id, name, description, created_at_ms) VALUES (1, 'G', '', 0)").run();
  const cam = sqlite.prepare(`INSERT INTO cameras (id, name, site, group_id, purpose, area_type, retention_days, retention_reason, location, location_confidential,
    audio_enabled, source_kind, onvif_xaddr, main_profile, sub_profile, main_url, sub_url, username, has_password, enabled, created_at_ms)
    VALUES (?, ?, 'Site', 1, 'bench', 'public_space', ?, NULL, '', 0, 0, 'rtsp', NULL, NULL, NULL, 'rtsp://x', NULL, NULL, 0, 0, 0)`);
  // Retention of (days - 1): exactly the oldest day is past retention.
  for (let c = 1; c <= cameras; c++) cam.run(c, `Camera ${c}`, days - 1);
  const ins = sqlite.prepare("INSERT INTO recordings (camera_id, path, start_ms, end_ms, bytes, state, sha256, init_bytes, created_at_ms) VALUES (?, ?, ?, ?, 15000000, 'complete', 'x', 800, 0)");
  const root = path.join(dir, 'recordings');
  const firstStart = now - days * DAY;
  const expiredDayEnd = now - (days - 1) * DAY;
  let rows = 0;
  sqlite.transaction(() => {
    for (let c = 1; c <= cameras; c++) {
      for (let start = firstStart; start < now; start += MIN) {
        ins.run(c, `cam-${c}/${new Date(start).toISOString().slice(0, 10)}/${start}.mp4`, start, start + MIN);
        rows += 1;
      }
    }
  })();
  // Real (empty) files for the day that will be deleted.
  for (let c = 1; c <= cameras; c++) {
    for (let start = firstStart; start + MIN <= expiredDayEnd; start += MIN) {
      const rel = `cam-${c}/${new Date(start).toISOString().slice(0, 10)}/${start}.mp4`;
      fs.mkdirSync(path.join(root, path.dirname(rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), '');
    }
  }
  // 200 holds of one hour each, a quarter of them in the expiring day.
  const hold = sqlite.prepare("INSERT INTO holds (kind, case_reference, legal_basis, requesting_body, reason, review_date_ms, status, created_by, created_at_ms) VALUES ('legal', ?, 'basis', 'Police', 'evidence', ?, 'active', 'bench', 0)");
  const item = sqlite.prepare('INSERT INTO hold_items (hold_id, camera_id, from_ms, to_ms) VALUES (?, ?, ?, ?)');
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  sqlite.transaction(() => {
    for (let h = 0; h < holdsN; h++) {
      const id = Number(hold.run(`CASE-${h}`, now + DAY).lastInsertRowid);
      const from = h % 4 === 0 ? firstStart + Math.floor(rnd() * 23 * 3_600_000) : firstStart + Math.floor(rnd() * (days - 1) * DAY);
      item.run(id, 1 + Math.floor(rnd() * cameras), from, from + 3_600_000);
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  say(`${rows} rows and ${holdsN} holds in ${((performance.now() - t0) / 1000).toFixed(1)} s; sweeping...`);

  const audit = await AuditLog.open(store.db, clock, silentLogger, dir);
  const svc = new RecordingService({ db: store.db, clock, logger: silentLogger, audit, alarms: new AlarmsService(store.db, clock, audit, silentLogger), live: null, root, timers: false, statfs: () => ({ freeBytes: 1e13, totalBytes: 2e13 }) });
  await svc.start();
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  t0 = performance.now();
  const r = await svc.sweep();
  const sweepMs = performance.now() - t0;
  lag.disable();
  const left = (sqlite.prepare('SELECT count(*) AS n FROM recordings').get() as { n: number }).n;
  await svc.close();
  await store.close();
  const result = {
    rows,
    holds: holdsN,
    sweepDecisionMs: Math.round(r.decisionMs),
    deleteDayMs: Math.round(sweepMs - r.decisionMs),
    deletedFiles: r.deletedFiles,
    keptHeld: r.keptHeld,
    rowsLeft: left,
    maxBlockMs: Number((lag.max / 1e6).toFixed(1)),
    machine: machine(),
  };
  say(`decision ${result.sweepDecisionMs} ms, deleting ${r.deletedFiles} files ${result.deleteDayMs} ms (${r.keptHeld} kept under hold), longest event-loop block ${result.maxBlockMs} ms`);
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
