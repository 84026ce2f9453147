// The engines' own role on the site's PostgreSQL database (docs/design/scale.md "The engine's
// role"): an engine runs as it, and cannot change a record by any path the database offers: no
// UPDATE or DELETE where the refusal triggers say so, no TRUNCATE, no dropping or disabling a
// trigger. Runs in the `postgres` test project.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { createDatabaseAt } from '../testing/pg-cluster';
import { setUpAdmin, startTestEngine, testStoreKind, type TestEngine } from '../testing/harness';
import { siteKysely, sitePool } from './postgres';
import { prepareSiteDatabase, type SiteDatabaseReport } from './postgres-setup';
import type { Database } from './schema';

describe.skipIf(testStoreKind !== 'postgres')('the engines’ role on PostgreSQL', () => {
  let t: TestEngine;
  let asEngine: Kysely<Database>;
  let report: SiteDatabaseReport;

  beforeAll(async () => {
    const ownerUrl = await createDatabaseAt(process.env.CONSOLE_TEST_POSTGRES!);
    report = await prepareSiteDatabase({ ownerUrl, role: 'console_engine', logger: silentLogger });
    const engineUrl = ownerUrl.replace('//postgres@', '//console_engine@');
    // An engine runs as the role: its migrations are already there, everything it does works.
    t = await startTestEngine(undefined, { database: engineUrl });
    const admin = await setUpAdmin(t);
    await admin.must('groups.create', { name: 'Depot', description: 'buses' });
    asEngine = siteKysely(sitePool(engineUrl, { max: 1 }));
  });
  afterAll(async () => {
    await asEngine?.destroy();
    await t?.dispose();
  });

  it('names the tables whose rows are written once and those never deleted', () => {
    expect(report.noUpdate).toEqual(expect.arrayContaining(['audit_log', 'deletion_log', 'incident_notes', 'export_items', 'breach_events', 'privacy_mask_versions']));
    expect(report.noDelete).toEqual(expect.arrayContaining(['audit_log', 'breaches', 'seats', 'access_grants', 'subject_requests']));
  });

  it('refuses every way of changing the audit log: UPDATE, DELETE, TRUNCATE, a trigger dropped or disabled', async () => {
    const refused = (q: ReturnType<typeof sql>) => expect(q.execute(asEngine)).rejects;
    await refused(sql`UPDATE audit_log SET actor = 'nobody' WHERE seq = 1`).toThrow(/permission denied/);
    await refused(sql`DELETE FROM audit_log WHERE seq = 1`).toThrow(/permission denied/);
    await refused(sql`TRUNCATE audit_log`).toThrow(/permission denied/);
    await refused(sql`DROP TRIGGER audit_log_no_update ON audit_log`).toThrow(/must be owner/);
    await refused(sql`ALTER TABLE audit_log DISABLE TRIGGER ALL`).toThrow(/must be owner/);
    await refused(sql`DELETE FROM kysely_migration`).toThrow(/permission denied/);
    await refused(sql`DELETE FROM breaches`).toThrow(/permission denied/);
    // What engines do change, they can.
    await sql`UPDATE settings SET value_json = value_json WHERE key = 'none'`.execute(asEngine);
    expect((await asEngine.selectFrom('audit_log').select('seq').where('action', '=', 'setup.createAdmin').execute()).length).toBe(1);
  });
});
