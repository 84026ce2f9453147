// Retention is a maximum per area type (BRN 40.4, 41.4, 42.5; JON 11; ELB 1.10; docs/design/recording.md
// "Retention"): retention above the legal maximum is refused for every area type, when a camera is
// added, changed, or moved to an area type with a lower maximum; at the maximum it is accepted.
// Footage needed longer goes under a legal hold, and the refusal says so.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA_TYPES, AREA_TYPE_IDS, maxRetentionDays, SHORTEST_MAX_RETENTION_DAYS, type AreaType } from '../../../shared/cameras';
import { ManualClock } from '../clock';
import type { SecretStore } from '../secrets/secret-store';
import { setUpAdmin, startTestEngine, type Caller, type TestEngine, openTestStore } from '../testing/harness';
import { CamerasService, CameraSettingsError } from './cameras-service';

let t: TestEngine;
let admin: Caller;
let groupId = 0;

beforeAll(async () => {
  t = await startTestEngine();
  admin = await setUpAdmin(t);
  groupId = (await admin.must('groups.create', { name: 'Retention', description: '' })).id;
});
afterAll(async () => {
  await t.dispose();
});

const settings = (name: string, areaType: string, retentionDays: number, retentionReason: string | null = null) => ({
  name,
  site: 'Depot',
  groupId,
  purpose: 'retention maximum test',
  areaType,
  retentionDays,
  retentionReason,
  location: '',
  locationConfidential: false,
});
const source = (n: string) => ({ kind: 'rtsp' as const, mainUrl: `rtsp://127.0.0.1:9/${n}`, subUrl: null });

/** A refusal names the maximum, the clause and the legal hold, on the retention field. */
function expectRefused(r: Awaited<ReturnType<Caller['call']>>, areaType: AreaType): void {
  expect(r.ok, JSON.stringify(r)).toBe(false);
  if (r.ok) return;
  const { maxRetentionDays: max, clause } = AREA_TYPES[areaType];
  expect(r.error.kind).toBe('InvalidArgument');
  expect(r.error.message).toContain(`legal maximum of ${max} days`);
  expect(r.error.message).toContain(clause);
  expect(r.error.message).toContain('legal hold');
  expect(r.error.issues?.some((i) => i.startsWith('settings.retentionDays:'))).toBe(true);
}

describe('area types carry the legal maximum of the clause that sets it', () => {
  it('each area type cites the right clause (the 10-day common parts of housing are BRN 41.4, the attendance terminal BRN 42.5)', () => {
    expect(AREA_TYPES).toEqual({
      office: { maxRetentionDays: 3, clause: 'BRN 40.4' },
      attendance_terminal: { maxRetentionDays: 3, clause: 'BRN 42.5' },
      housing_entrance: { maxRetentionDays: 5, clause: 'BRN 41.4' },
      housing_common: { maxRetentionDays: 10, clause: 'BRN 41.4' },
      public_space: { maxRetentionDays: 14, clause: 'JON 11' },
      workplace: { maxRetentionDays: 30, clause: 'ELB 1.10' },
    });
    expect(SHORTEST_MAX_RETENTION_DAYS).toBe(3);
    // An id that is no area type (a row written by hand) gets the shortest maximum, never more.
    expect(maxRetentionDays('garage')).toBe(3);
  });
});

describe('retention above the legal maximum is refused for every area type', () => {
  it.each(AREA_TYPE_IDS)('%s: cameras.add above the maximum is refused, even with a reason; at the maximum accepted', async (areaType) => {
    const max = AREA_TYPES[areaType].maxRetentionDays;
    expectRefused(await admin.call('cameras.add', { settings: settings(`Add ${areaType} over`, areaType, max + 1), source: source(`add-${areaType}-over`), username: null, password: null }), areaType);
    // The reason that used to allow a longer retention allows nothing above the maximum.
    expectRefused(
      await admin.call('cameras.add', { settings: settings(`Add ${areaType} reason`, areaType, max + 1, 'Insurance claims are reported late'), source: source(`add-${areaType}-reason`), username: null, password: null }),
      areaType,
    );
    const added = await admin.must('cameras.add', { settings: settings(`Add ${areaType}`, areaType, max), source: source(`add-${areaType}`), username: null, password: null });
    expect(added.retentionDays).toBe(max);
    // Shorter is always fine, without a reason.
    const shorter = await admin.must('cameras.add', { settings: settings(`Add ${areaType} 1`, areaType, 1), source: source(`add-${areaType}-1`), username: null, password: null });
    expect(shorter.retentionDays).toBe(1);
    const stored = (await admin.must('cameras.adminList', {})).cameras.filter((c) => c.name.startsWith(`Add ${areaType}`));
    expect(stored.map((c) => c.name).sort()).toEqual([`Add ${areaType}`, `Add ${areaType} 1`]);
  });

  it.each(AREA_TYPE_IDS)('%s: cameras.update above the maximum is refused and changes nothing; at the maximum accepted', async (areaType) => {
    const max = AREA_TYPES[areaType].maxRetentionDays;
    const cam = await admin.must('cameras.add', { settings: settings(`Update ${areaType}`, areaType, 1), source: source(`upd-${areaType}`), username: null, password: null });
    expectRefused(await admin.call('cameras.update', { cameraId: cam.id, settings: settings(`Update ${areaType}`, areaType, max + 1), source: source(`upd-${areaType}`), username: null, password: null }), areaType);
    const after = (await admin.must('cameras.adminList', {})).cameras.find((c) => c.id === cam.id)!;
    expect(after.retentionDays).toBe(1);
    const updated = await admin.must('cameras.update', { cameraId: cam.id, settings: settings(`Update ${areaType}`, areaType, max), source: source(`upd-${areaType}`), username: null, password: null });
    expect(updated.retentionDays).toBe(max);
  });

  it.each(AREA_TYPE_IDS)('%s: a camera moved to this area type with a retention above its maximum is refused', async (areaType) => {
    const max = AREA_TYPES[areaType].maxRetentionDays;
    // From the area type with the longest maximum, keeping its retention.
    const longest = AREA_TYPE_IDS.reduce((a, b) => (AREA_TYPES[b].maxRetentionDays > AREA_TYPES[a].maxRetentionDays ? b : a));
    const longestMax = AREA_TYPES[longest].maxRetentionDays;
    const cam = await admin.must('cameras.add', { settings: settings(`Move ${areaType}`, longest, longestMax), source: source(`move-${areaType}`), username: null, password: null });
    if (max < longestMax) {
      expectRefused(await admin.call('cameras.update', { cameraId: cam.id, settings: settings(`Move ${areaType}`, areaType, longestMax), source: source(`move-${areaType}`), username: null, password: null }), areaType);
      const after = (await admin.must('cameras.adminList', {})).cameras.find((c) => c.id === cam.id)!;
      expect(after.areaType).toBe(longest);
    }
    const moved = await admin.must('cameras.update', { cameraId: cam.id, settings: settings(`Move ${areaType}`, areaType, max), source: source(`move-${areaType}`), username: null, password: null });
    expect(moved.areaType).toBe(areaType);
    expect(moved.retentionDays).toBe(max);
  });

  it('the cameras service refuses it too, for callers that do not come through the contract', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-max-'));
    const store = await openTestStore(dir);
    const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not reached')) }) as SecretStore;
    const svc = new CamerasService(store.db, new ManualClock(0), unused);
    try {
      const g = await store.db.insertInto('camera_groups').values({ name: 'G', description: '', created_at_ms: 0 }).returning('id').executeTakeFirstOrThrow();
      const src = { kind: 'rtsp' as const, xaddr: null, mainProfile: null, subProfile: null, mainUrl: 'rtsp://127.0.0.1:9/x', subUrl: null };
      for (const areaType of AREA_TYPE_IDS) {
        const over = { ...settings(`S ${areaType}`, areaType, AREA_TYPES[areaType].maxRetentionDays + 1), groupId: g.id };
        await expect(svc.add(over, src, null, null)).rejects.toBeInstanceOf(CameraSettingsError);
      }
      expect(await svc.all()).toEqual([]);
      const ok = await svc.add({ ...settings('S ok', 'office', 3), groupId: g.id }, src, null, null);
      await expect(svc.update(ok.id, { ...settings('S ok', 'workplace', 31), groupId: g.id }, src, null, null)).rejects.toThrow(/legal maximum of 30 days .*ELB 1\.10.*legal hold/);
      expect((await svc.byId(ok.id))?.retention_days).toBe(3);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
