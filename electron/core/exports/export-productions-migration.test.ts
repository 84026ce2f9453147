// Migration 0008 on a database of the previous version: each request's current production attempt
// (then kept in nullable columns of `exports`) becomes a row of export_productions, numbered after
// the 'production started' entries of its history, with its status, times, error and package; the
// columns leave `exports`; a request that never produced gets no row. Then the engine starts on it:
// the attempt that was running when the old engine stopped is recorded as failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openSqlite, sqliteOf } from '../store/db';
import { MIGRATIONS } from '../store/migrations';
import { startTestEngine } from '../testing/harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-migration-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A data directory at 0007 with four requests: cancelled on its 2nd attempt, handed over, producing, pending. */
async function databaseBefore0008(): Promise<void> {
  const sqlite = openSqlite(path.join(dir, DATABASE_FILE));
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(MIGRATIONS) } }).migrateTo('0007_alarm_acknowledgement');
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const request = sqlite.prepare(`INSERT INTO exports (id, status, body_type, body_name, body_reference, received_at_ms, purpose, legal_basis, urgent, recipient,
      requested_by, requested_at_ms, country, deadline_ms, production_mode, produced_by, production_started_at_ms, production_progress, production_eta_ms,
      production_finished_at_ms, production_error, production_redactions, package_path, manifest_sha256, package_deleted_at_ms, handover_at_ms, received_by)
    VALUES (?, ?, 'police', 'Police', 'R-1', 0, 'purpose of it', 'Art. 217', 0, 'Officer', 'rev.old', 0, 'PL', 1000000, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const started = sqlite.prepare(`INSERT INTO export_events (export_id, at_ms, actor, action, note) VALUES (?, 0, 'rev.old', 'production started', 'copy')`);
  request.run(1, 'failed', 'burn_in', 'rev.old', 3000, 0.3, null, 4000, 'Cancelled by sup.old.', 2, null, null, null, null, null);
  started.run(1);
  started.run(1);
  request.run(2, 'handed_over', 'copy', 'sup.old', 5000, 1, null, 6000, null, 0, '/data/exports/EXP-2', 'ab'.repeat(32), 9000, 7000, 'Court clerk');
  started.run(2);
  request.run(3, 'producing', 'copy', 'rev.old', 8000, 0.5, 4000, null, null, 0, null, null, null, null, null);
  request.run(4, 'pending', null, null, null, null, null, null, null, null, null, null, null, null, null);
  await db.destroy();
}

describe('migration 0008_export_productions', () => {
  it('moves each current attempt into a row, keeps its history count as its number, and drops the columns', async () => {
    await databaseBefore0008();
    const t = await startTestEngine(dir);
    try {
      const db = t.engine.store.db;
      const rows = await db.selectFrom('export_productions').selectAll().orderBy('export_id').execute();
      expect(rows.map(({ id: _id, ...r }) => ({ ...r, started_at_ms: Number(r.started_at_ms), finished_at_ms: r.finished_at_ms === null ? null : Number(r.finished_at_ms) }))).toEqual([
        { export_id: 1, attempt: 2, status: 'cancelled', mode: 'burn_in', started_by: 'rev.old', started_at_ms: 3000, finished_at_ms: 4000, progress: 0.3, eta_ms: null, error: 'Cancelled by sup.old.', redactions: 2, package_path: null, manifest_sha256: null, addendum_sha256: null, signing_key_fingerprint: null, package_deleted_at_ms: null },
        { export_id: 2, attempt: 1, status: 'produced', mode: 'copy', started_by: 'sup.old', started_at_ms: 5000, finished_at_ms: 6000, progress: 1, eta_ms: null, error: null, redactions: 0, package_path: '/data/exports/EXP-2', manifest_sha256: 'ab'.repeat(32), addendum_sha256: null, signing_key_fingerprint: null, package_deleted_at_ms: 9000 },
        // Running when the old engine stopped: the new engine's recovery failed it at start-up.
        { export_id: 3, attempt: 1, status: 'failed', mode: 'copy', started_by: 'rev.old', started_at_ms: 8000, finished_at_ms: t.clock.nowMs(), progress: 0.5, eta_ms: null, error: 'The engine stopped while the package was being produced; produce it again.', redactions: 0, package_path: null, manifest_sha256: null, addendum_sha256: null, signing_key_fingerprint: null, package_deleted_at_ms: null },
      ]);
      expect((await db.selectFrom('exports').select(['id', 'status']).orderBy('id').execute()).map((r) => r.status)).toEqual(['failed', 'handed_over', 'failed', 'pending']);
      const recovered = await db.selectFrom('export_events').select(['action', 'actor', 'attempt']).where('export_id', '=', 3).execute();
      expect(recovered).toEqual([{ action: 'production failed', actor: 'system', attempt: 1 }]);
      const columns = (sqliteOf(t.engine.store).pragma('table_info(exports)') as { name: string }[]).map((c) => c.name);
      expect(columns.filter((c) => c.startsWith('production_') || ['produced_by', 'package_path', 'manifest_sha256', 'package_deleted_at_ms'].includes(c))).toEqual([]);
    } finally {
      await t.dispose();
    }
  });
});
