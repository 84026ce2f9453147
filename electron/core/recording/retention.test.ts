// R1 and R2 as a property (docs/design/recording.md): over random cameras, retentions, recording files and
// holds placed, extended and released while a fake clock runs, and deletions by hand, after every sweep
//   R2: no file covered by an active hold has been deleted (by the sweep or by hand), and
//   R1: every file past its camera's retention and not held is gone (and in the deletion log).
import { openTestStore } from '../testing/harness';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlarmsService } from '../alarms/alarms-service';
import { AuditLog } from '../audit/audit-log';
import { ManualClock } from '../clock';
import { silentLogger } from '../logger';
import { HoldsService } from '../holds/holds-service';
import { seedCamera } from '../testing/seed-camera';
import { RecordingService } from './recording-service';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 20);

type Op =
  | { op: 'place'; cameras: number[]; fromDaysAgo: number; lengthHours: number }
  | { op: 'extend'; hold: number; camera: number; fromDaysAgo: number; lengthHours: number }
  | { op: 'release'; hold: number }
  | { op: 'advance'; hours: number }
  | { op: 'deleteByHand'; camera: number; fromDaysAgo: number; lengthDays: number }
  | { op: 'sweep' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('place' as const), cameras: fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), fromDaysAgo: fc.integer({ min: 0, max: 9 }), lengthHours: fc.integer({ min: 1, max: 72 }) }),
  fc.record({ op: fc.constant('extend' as const), hold: fc.nat(5), camera: fc.integer({ min: 1, max: 3 }), fromDaysAgo: fc.integer({ min: 0, max: 9 }), lengthHours: fc.integer({ min: 1, max: 72 }) }),
  fc.record({ op: fc.constant('release' as const), hold: fc.nat(5) }),
  fc.record({ op: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 72 }) }),
  fc.record({ op: fc.constant('deleteByHand' as const), camera: fc.integer({ min: 1, max: 3 }), fromDaysAgo: fc.integer({ min: 1, max: 12 }), lengthDays: fc.integer({ min: 1, max: 12 }) }),
  fc.constant({ op: 'sweep' as const }),
);

const scenario = fc.record({
  retentions: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })),
  files: fc.array(fc.record({ camera: fc.integer({ min: 1, max: 3 }), startMinutesAgo: fc.integer({ min: 1, max: 10 * 24 * 60 }) }), { minLength: 5, maxLength: 60 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 25 }),
});

describe('R1 retention is a maximum, R2 holds are never deleted', () => {
  it('never deletes held footage, and deletes every expired unheld file within one sweep', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ retentions, files, ops }) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
        const store = await openTestStore(dir);
        const clock = new ManualClock(T0);
        const audit = await AuditLog.open(store.db, clock, silentLogger, dir);
        for (const id of [1, 2, 3]) await seedCamera(store, id, retentions[id - 1]!);
        const root = path.join(dir, 'recordings');
        const svc = new RecordingService({ db: store.db, clock, logger: silentLogger, audit, alarms: new AlarmsService(store.db, clock, audit, silentLogger), live: null, root, timers: false, statfs: () => ({ freeBytes: 1e12, totalBytes: 2e12 }) });
        await svc.start();
        const holds = new HoldsService(store.db, clock);
        try {
          // Recording files: rows and real files on disk.
          const model = new Map<number, { camera: number; start: number; end: number; abs: string }>();
          for (const [i, f] of files.entries()) {
            const start = T0 - f.startMinutesAgo * 60_000;
            const rel = path.join(`cam-${f.camera}`, 'd', `${start}-${i}.mp4`);
            fs.mkdirSync(path.join(root, path.dirname(rel)), { recursive: true });
            fs.writeFileSync(path.join(root, rel), `file ${i}`);
            const row = await store.db
              .insertInto('recordings')
              .values({ camera_id: f.camera, path: rel, start_ms: start, end_ms: start + 60_000, bytes: 6, state: 'complete', sha256: 'x'.repeat(64), init_bytes: 0, created_at_ms: 0 })
              .returning('id')
              .executeTakeFirstOrThrow();
            model.set(row.id, { camera: f.camera, start, end: start + 60_000, abs: path.join(root, rel) });
          }
          // Our own model of the holds, independent of the implementation.
          const held: { id: number; active: boolean; items: { camera: number; from: number; to: number }[] }[] = [];
          const covered = (r: { camera: number; start: number; end: number }) =>
            held.some((h) => h.active && h.items.some((i) => i.camera === r.camera && i.from < r.end && i.to > r.start));

          for (const o of ops) {
            const now = clock.nowMs();
            if (o.op === 'place') {
              const items = o.cameras.map((c) => ({ cameraId: c, fromMs: now - o.fromDaysAgo * DAY, toMs: now - o.fromDaysAgo * DAY + o.lengthHours * 3_600_000 }));
              const id = await holds.place('sup', { kind: 'legal', caseReference: 'C', legalBasis: 'B', requestingBody: 'Police', reason: 'evidence', reviewDateMs: now + DAY, items });
              held.push({ id, active: true, items: items.map((i) => ({ camera: i.cameraId, from: i.fromMs, to: i.toMs })) });
            } else if (o.op === 'extend' && held[o.hold]?.active) {
              const h = held[o.hold]!;
              const item = { cameraId: o.camera, fromMs: now - o.fromDaysAgo * DAY, toMs: now - o.fromDaysAgo * DAY + o.lengthHours * 3_600_000 };
              await holds.extend('sup', h.id, null, [item], 'proceedings continue');
              h.items.push({ camera: item.cameraId, from: item.fromMs, to: item.toMs });
            } else if (o.op === 'release' && held[o.hold]?.active) {
              await holds.release('sup', held[o.hold]!.id, 'proceedings concluded');
              held[o.hold]!.active = false;
            } else if (o.op === 'advance') {
              clock.advance(o.hours * 3_600_000);
            } else if (o.op === 'deleteByHand') {
              // An administrator deletes a range by hand: held files in it must survive (R2).
              const from = now - o.fromDaysAgo * DAY;
              await svc.deleteRange(o.camera, from, from + o.lengthDays * DAY, 'admin');
              const rows = new Set((await store.db.selectFrom('recordings').select('id').execute()).map((r) => r.id));
              for (const [id, r] of model) {
                if (covered(r)) expect(rows.has(id) && fs.existsSync(r.abs), `held file ${id} deleted by hand`).toBe(true);
                else if (r.camera === o.camera && r.start >= from && r.end <= from + o.lengthDays * DAY) expect(rows.has(id), `file ${id} in range kept`).toBe(false);
                if (!rows.has(id)) model.delete(id);
              }
            } else if (o.op === 'sweep') {
              await svc.sweep();
              const t = clock.nowMs();
              const rows = new Set((await store.db.selectFrom('recordings').select('id').execute()).map((r) => r.id));
              for (const [id, r] of model) {
                const expired = r.end < t - retentions[r.camera - 1]! * DAY;
                if (covered(r)) {
                  expect(rows.has(id), `held file ${id} deleted`).toBe(true);
                  expect(fs.existsSync(r.abs), `held file ${id} unlinked`).toBe(true);
                } else if (expired) {
                  expect(rows.has(id), `expired file ${id} kept`).toBe(false);
                  expect(fs.existsSync(r.abs), `expired file ${id} still on disk`).toBe(false);
                } else {
                  expect(rows.has(id), `unexpired file ${id} deleted`).toBe(true);
                }
                if (!rows.has(id)) model.delete(id);
              }
            }
          }
          // Every deletion is logged with its range and hash.
          const logged = await store.db.selectFrom('deletion_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          expect(Number(logged.n)).toBe(files.length - model.size);
        } finally {
          await svc.close();
          await store.close();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
