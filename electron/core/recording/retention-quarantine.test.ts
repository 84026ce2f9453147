// Quarantined recording files follow retention (R1; docs/design/recording.md "Retention", "Recovery"),
// and no camera keeps footage longer than its area type's legal maximum, whatever was stored before
// the maximum was enforced (BRN 40.4, 41.4, 42.5; JON 11; ELB 1.10). Files reach the quarantine the
// real way: reconciliation at start-up finds them unreadable or of an unknown camera.
import { openTestStore } from '../testing/harness';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlarmsService } from '../alarms/alarms-service';
import { AuditLog } from '../audit/audit-log';
import { ManualClock } from '../clock';
import { HoldsService } from '../holds/holds-service';
import { silentLogger } from '../logger';
import { type Store } from '../store/db';
import { seedCamera } from '../testing/seed-camera';
import { RecordingService } from './recording-service';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 20, 12);

let dir: string;
let root: string;
let store: Store;
let clock: ManualClock;
let audit: AuditLog;
let svc: RecordingService | null;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quarantine-retention-'));
  root = path.join(dir, 'recordings');
  store = await openTestStore(dir);
  clock = new ManualClock(T0);
  audit = await AuditLog.open(store.db, clock, silentLogger, dir);
  svc = null;
});
afterEach(async () => {
  await svc?.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startService(): Promise<RecordingService> {
  svc = new RecordingService({ db: store.db, clock, logger: silentLogger, audit, alarms: new AlarmsService(store.db, clock, audit, silentLogger), live: null, root, timers: false, statfs: () => ({ freeBytes: 1e12, totalBytes: 2e12 }) });
  await svc.start();
  return svc;
}

/** An unreadable recording file (no init segment) as the recorder would have named it, last written `endDaysAgo`. */
function brokenFile(cameraId: number, name: string, endDaysAgo: number): { content: string; quarantined: string } {
  const rel = path.join(`cam-${cameraId}`, '2026-11-01', name);
  const content = `not an mp4: camera ${cameraId} ${name}`;
  fs.mkdirSync(path.join(root, path.dirname(rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
  const endS = (T0 - endDaysAgo * DAY) / 1000;
  fs.utimesSync(path.join(root, rel), endS, endS);
  return { content, quarantined: path.join(root, 'quarantine', rel.replace(/[/\\]/g, '_')) };
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('quarantined files follow retention', () => {
  it('deletes quarantined files older than their camera retention (or the shortest maximum for an unknown camera) and logs them; keeps younger ones and files not its own', async () => {
    await seedCamera(store, 1, 5); // public_space, retention 5 days
    const start = (daysAgo: number) => T0 - daysAgo * DAY - 600_000;
    const old1 = brokenFile(1, `${start(6)}.mp4`, 6);
    const young1 = brokenFile(1, `${start(4)}.mp4`, 4);
    const nameless = brokenFile(1, 'garbage.mp4', 7); // no start in the name: its last write counts
    const unknownOld = brokenFile(99, `${start(4)}.mp4`, 4); // no camera 99: the shortest maximum, 3 days
    const unknownYoung = brokenFile(99, `${start(2)}.mp4`, 2);
    const s = await startService();
    for (const f of [old1, young1, nameless, unknownOld, unknownYoung]) expect(fs.existsSync(f.quarantined), f.quarantined).toBe(true);
    // Something a person put there by hand is not a recording file the engine moved: left alone.
    const foreign = path.join(root, 'quarantine', 'notes.txt');
    fs.writeFileSync(foreign, 'kept');
    fs.utimesSync(foreign, 0, 0);

    const r = await s.sweep();
    expect(r.quarantinedDeleted).toBe(3);
    for (const f of [old1, nameless, unknownOld]) expect(fs.existsSync(f.quarantined), `${f.quarantined} kept`).toBe(false);
    for (const f of [young1, unknownYoung]) expect(fs.existsSync(f.quarantined), `${f.quarantined} deleted`).toBe(true);
    expect(fs.existsSync(foreign)).toBe(true);

    // In the deletion log like any other deletion: camera, range, bytes, hash of what was deleted.
    const log = await store.db.selectFrom('deletion_log').selectAll().orderBy('id').execute();
    const byHash = new Map(log.map((l) => [l.sha256, l]));
    for (const f of [old1, nameless, unknownOld]) {
      const l = byHash.get(sha(f.content));
      expect(l, f.quarantined).toBeDefined();
      expect(l).toMatchObject({ cause: 'retention', actor: 'system', bytes: Buffer.byteLength(f.content), deleted_at_ms: T0 });
    }
    expect(byHash.get(sha(old1.content))).toMatchObject({ camera_id: 1, start_ms: start(6), end_ms: T0 - 6 * DAY });
    expect(byHash.get(sha(nameless.content))).toMatchObject({ camera_id: 1, start_ms: T0 - 7 * DAY, end_ms: T0 - 7 * DAY });
    expect(byHash.get(sha(unknownOld.content))).toMatchObject({ camera_id: 99, start_ms: start(4) });
    expect(log).toHaveLength(3);

    // The rest go once they are old enough.
    clock.advance(2 * DAY);
    expect((await s.sweep()).quarantinedDeleted).toBe(2);
    expect(fs.readdirSync(path.join(root, 'quarantine'))).toEqual(['notes.txt']);
  });

  it('never deletes a quarantined file an active hold on its camera covers (R2), until the hold is released', async () => {
    await seedCamera(store, 1, 3);
    const startMs = T0 - 10 * DAY;
    const f = brokenFile(1, `${startMs}.mp4`, 10 - 0.01);
    const nameless = brokenFile(1, 'garbage.mp4', 9); // start unknown: any hold on the camera before its end covers it
    const s = await startService();
    const holds = new HoldsService(store.db, clock);
    const hold = await holds.place('sup', { kind: 'legal', caseReference: 'C-1', legalBasis: 'Art. 217', requestingBody: 'Police', reason: 'evidence', reviewDateMs: T0 + 30 * DAY, items: [{ cameraId: 1, fromMs: startMs + 60_000, toMs: startMs + 120_000 }] });

    const r = await s.sweep();
    expect(r.quarantinedDeleted).toBe(0);
    expect(r.keptHeld).toBe(2);
    expect(fs.existsSync(f.quarantined)).toBe(true);
    expect(fs.existsSync(nameless.quarantined)).toBe(true);
    expect(await store.db.selectFrom('deletion_log').selectAll().execute()).toEqual([]);

    await holds.release('sup', hold, 'proceedings concluded');
    expect((await s.sweep()).quarantinedDeleted).toBe(2);
    expect(fs.existsSync(f.quarantined)).toBe(false);
  });
});

describe('a camera stored with more than its legal maximum', () => {
  it('is swept at the maximum from now on, and the sweep names it once in the audit log', async () => {
    // Stored before the maximum was enforced: a workplace camera (ELB 1.10: 30 days) with 45 and a reason.
    await seedCamera(store, 1, 45);
    await store.db.updateTable('cameras').set({ area_type: 'workplace', retention_reason: 'insurance claims come late' }).where('id', '=', 1).execute();
    const s = await startService();
    const rows = [];
    for (const daysAgo of [40, 31, 29]) {
      const startMs = T0 - daysAgo * DAY;
      const rel = path.join('cam-1', 'd', `${startMs}.mp4`);
      fs.mkdirSync(path.join(root, 'cam-1', 'd'), { recursive: true });
      fs.writeFileSync(path.join(root, rel), `file ${daysAgo}`);
      rows.push(
        await store.db
          .insertInto('recordings')
          .values({ camera_id: 1, path: rel, start_ms: startMs, end_ms: startMs + 60_000, bytes: 7, state: 'complete', sha256: 'x'.repeat(64), init_bytes: 0, created_at_ms: 0 })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
    }
    const r = await s.sweep();
    expect(r.deletedFiles).toBe(2);
    expect(r.capped).toEqual([{ cameraId: 1, storedDays: 45, appliedDays: 30, clause: 'ELB 1.10' }]);
    const left = await store.db.selectFrom('recordings').select('start_ms').execute();
    expect(left.map((x) => Number(x.start_ms))).toEqual([T0 - 29 * DAY]);

    await s.sweep();
    await audit.drain();
    const swept = await store.db.selectFrom('audit_log').select('details').where('action', '=', 'retention.swept').execute();
    const named = swept.filter((e) => String(e.details).includes('cappedToLegalMaximum'));
    expect(named).toHaveLength(1);
    expect(String(named[0]!.details)).toContain('ELB 1.10');
  });
});
