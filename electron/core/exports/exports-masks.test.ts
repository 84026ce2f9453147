// R7 privacy masks in evidence packages, through the real engine (KRK §6.2-6.3, JON 8-9;
// docs/design/exports.md "Privacy masks in packages"): a camera with masks cannot be copied, and a
// mask moved after the footage was recorded still covers that footage, together with where it is
// now, in every frame of the package, as the manifest says.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportView } from '../../../shared/contract';
import { rasterizeMasks, type MaskPoint } from '../../../shared/privacy-masks';
import { addOfflineCamera, addUser, recordFootage, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';
import { decodeEveryFrame, worstFillDeviation } from '../testing/mask-pixels';
import { BURN_IN_FONT } from './production/burn-in';

let t: TestEngine;
let reviewer: Caller;
let supervisor: Caller;
let masked: number;
let plain: number;
let recordedFrom = 0;
/** The fixtures' picture (testing/ffmpeg-fixtures.ts encodeFmp4). */
const W = 640;
const H = 360;
/** Where the mask was while the footage was recorded (version 1), and where it was moved to after (version 2). */
const BEFORE: MaskPoint[] = [[0.1, 0.25], [0.35, 0.25], [0.35, 0.55], [0.1, 0.55]];
const AFTER: MaskPoint[] = [[0.5, 0.3], [0.8, 0.35], [0.75, 0.7], [0.55, 0.65]];

beforeAll(async () => {
  t = await startTestEngine();
  const admin = await setUpAdmin(t);
  const g = await admin.must('groups.create', { name: 'Station', description: '' });
  masked = await addOfflineCamera(admin, 'Brama – okna', g.id);
  plain = await addOfflineCamera(admin, 'Peron 2', g.id);
  reviewer = await addUser(t, admin, { username: 'rev.masks', role: 'reviewer', groupIds: [g.id] });
  supervisor = await addUser(t, admin, { username: 'sup.masks', role: 'supervisor', groupIds: [g.id] });
  await admin.must('masks.save', { cameraId: masked, masks: [{ kind: 'permanent', points: BEFORE, label: 'windows of the house opposite' }], reason: 'residential windows in view' });
  t.clock.advance(1_000);
  recordedFrom = await recordFootage(t, [masked, plain], 6);
  t.clock.advance(60_000);
  // The camera was turned: the mask is redrawn where the windows are now.
  await admin.must('masks.save', { cameraId: masked, masks: [{ kind: 'permanent', points: AFTER, label: 'windows of the house opposite' }], reason: 'camera turned, mask redrawn' });
  t.clock.advance(60_000);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

async function approved(cameraIds: number[]): Promise<ExportView> {
  const e = await reviewer.must('exports.create', {
    bodyType: 'police',
    bodyName: 'Komenda Rejonowa Policji Warszawa I',
    bodyReference: 'RSOW-77/26',
    receivedAtMs: t.clock.nowMs() - 60_000,
    purpose: 'Theft at the gate',
    legalBasis: 'Art. 217 § 1 KPK',
    urgent: false,
    recipient: 'asp. Jan Kowalski',
    incidentId: null,
    items: cameraIds.map((cameraId) => ({ cameraId, fromMs: recordedFrom + 1_000, toMs: recordedFrom + 5_000 })),
  });
  await supervisor.must('exports.decide', { exportId: e.id, approve: true, reason: 'Legal basis and scope checked' });
  return e;
}

interface ManifestItem {
  file: string;
  cameraId: number;
  privacyMasks: { versions: number[]; permanent: number; liftable: number; shapes: { kind: string; points: MaskPoint[] }[] };
}

async function produce(e: ExportView, mode: 'copy' | 'burn_in'): Promise<{ dir: string; items: ManifestItem[] }> {
  await reviewer.must('exports.produce', { exportId: e.id, mode, redactions: [] });
  await t.engine.exports.idle();
  const view = await reviewer.must('exports.get', { exportId: e.id });
  expect(view.production?.error ?? null).toBeNull();
  const dir = view.production!.packagePath!;
  return { dir, items: (JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { items: ManifestItem[] }).items };
}

describe('R7 privacy masks in evidence packages', () => {
  it('copy mode is refused for a camera with masks, in words naming it, before anything is claimed; a camera without masks is copied', async () => {
    const e = await approved([masked, plain]);
    const r = await reviewer.call('exports.produce', { exportId: e.id, mode: 'copy', redactions: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('FailedPrecondition');
      expect(r.error.message).toMatch(/^Camera "Brama – okna" has privacy masks \(R7\): a copy would hand over the picture without them\. Produce the package with burn-in/);
      expect(r.error.message).not.toContain('Peron 2');
    }
    const after = await reviewer.must('exports.get', { exportId: e.id });
    expect(after.status).toBe('approved');
    expect(after.attempts).toEqual([]);

    const { items } = await produce(await approved([plain]), 'copy');
    expect(items[0]!.privacyMasks).toMatchObject({ versions: [], permanent: 0, shapes: [] });
  }, 120_000);

  it.skipIf(!fs.existsSync(BURN_IN_FONT))('a mask moved after the footage was recorded: both its old and its new place are black in every frame', async () => {
    const { dir, items } = await produce(await approved([masked]), 'burn_in');
    expect(items[0]!.privacyMasks).toMatchObject({ versions: [1, 2], permanent: 2, liftable: 0, shapes: [{ kind: 'permanent', points: BEFORE }, { kind: 'permanent', points: AFTER }] });
    const video = decodeEveryFrame(path.join(dir, items[0]!.file));
    expect([video.width, video.height]).toEqual([W, H]);
    expect(Math.abs(video.frames.length - 100)).toBeLessThanOrEqual(1);
    for (const [name, points] of [['before', BEFORE], ['after', AFTER]] as const) {
      const pixels = [...rasterizeMasks([{ kind: 'permanent', points }], W, H).entries()].filter(([, c]) => c).map(([i]) => i);
      const worst = worstFillDeviation(video, pixels, [0, 0, 0]);
      expect(worst.deviation, `${name}: ${JSON.stringify(worst)}`).toBeLessThanOrEqual(16);
    }
  }, 180_000);
});
