// R6 (docs/design/exports.md): the package matches the approved scope exactly (no extra camera or second),
// through the real engine with the real producer (production/produce.ts) and the site key in the
// (test) keychain, from footage written by the real recorder.
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportNumber, type ExportView } from '../../../shared/contract';
import { addOfflineCamera, addUser, recordFootage, setUpAdmin, startTestEngine, type Caller, type TestEngine } from '../testing/harness';
import { BURN_IN_FONT } from './production/burn-in';

let t: TestEngine;
let reviewer: Caller;
let supA: Caller;
let supB: Caller;
const cams: number[] = [];
let recordedFrom = 0;
/** The fixtures' keyframe group: 25 frames at 25 fps. */
const GOP_MS = 1000;

beforeAll(async () => {
  t = await startTestEngine();
  const admin = await setUpAdmin(t);
  const g = await admin.must('groups.create', { name: 'Station', description: '' });
  for (const name of ['Peron 1', 'Peron 2', 'Kasy biletowe']) cams.push(await addOfflineCamera(admin, name, g.id));
  reviewer = await addUser(t, admin, { username: 'rev.prod', role: 'reviewer', groupIds: [g.id], displayName: 'rev.prod' });
  supA = await addUser(t, admin, { username: 'sup.prod.a', role: 'supervisor', groupIds: [g.id], displayName: 'sup.prod.a' });
  supB = await addUser(t, admin, { username: 'sup.prod.b', role: 'supervisor', groupIds: [g.id], displayName: 'sup.prod.b' });
  // 30 s of real footage on all three cameras; only two are requested.
  recordedFrom = await recordFootage(t, cams, 30);
  t.clock.advance(5 * 60_000);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

const approvedScope = () => [
  { cameraId: cams[0]!, fromMs: recordedFrom + 5_400, toMs: recordedFrom + 17_300 },
  { cameraId: cams[1]!, fromMs: recordedFrom + 8_000, toMs: recordedFrom + 20_000 },
];

async function approvedRequest(): Promise<ExportView> {
  const e = await reviewer.must('exports.create', {
    bodyType: 'prosecutor',
    bodyName: 'Prokuratura Rejonowa Warszawa-Śródmieście',
    bodyReference: 'PR 1 Ds. 118.2026',
    receivedAtMs: t.clock.nowMs() - 60_000,
    purpose: 'Assault on platform 1, evidence for the proceedings',
    legalBasis: 'Art. 217 § 1 KPK',
    urgent: true,
    recipient: 'Prokurator Anna Zielińska',
    incidentId: null,
    items: approvedScope(),
  });
  const self = await reviewer.call('exports.decide', { exportId: e.id, approve: true, reason: 'Legal basis and scope checked' });
  expect(!self.ok && self.error.kind).toBe('PermissionDenied');
  const refused = await reviewer.call('exports.produce', { exportId: e.id, mode: 'copy', redactions: [] });
  expect(!refused.ok && refused.error.kind).toBe('FailedPrecondition');
  await supB.must('exports.decide', { exportId: e.id, approve: true, reason: 'Legal basis and scope checked' });
  return e;
}

async function produced(e: ExportView, mode: 'copy' | 'burn_in'): Promise<{ view: ExportView; dir: string; manifest: Manifest }> {
  const started = await reviewer.must('exports.produce', { exportId: e.id, mode, redactions: [] });
  expect(started.status).toBe('producing');
  await t.engine.exports.idle();
  const view = await supA.must('exports.get', { exportId: e.id });
  expect(view.production?.error ?? null).toBeNull();
  expect(view.status).toBe('produced');
  const dir = view.production!.packagePath!;
  const bytes = fs.readFileSync(path.join(dir, 'manifest.json'));
  // The manifest is signed with the site's key, whose fingerprint site.get shows.
  const pem = fs.readFileSync(path.join(dir, 'public-key.pem'), 'utf8');
  expect(edVerify(null, bytes, createPublicKey(pem), fs.readFileSync(path.join(dir, 'manifest.sig')))).toBe(true);
  return { view, dir, manifest: JSON.parse(bytes.toString('utf8')) as Manifest };
}

interface Manifest {
  cameras: { cameraId: number; fromMs: number; toMs: number }[];
  items: { file: string; cameraId: number; fromMs: number; toMs: number; coveredFromMs: number; coveredToMs: number }[];
  files: { name: string; sha256: string; bytes: number }[];
  approval: { approvedBy: string };
  request: { requestedBy: string };
}

const durationMs = (file: string) =>
  Math.round(Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim()) * 1000);
const videoStreams = (file: string) => execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim().split('\n');

describe('R6 the package matches the approved scope exactly', () => {
  it('copy: the approved cameras and ranges, each video within one keyframe group of its range', async () => {
    const e = await approvedRequest();
    const { view, dir, manifest } = await produced(e, 'copy');
    const scope = approvedScope();
    expect(manifest.cameras.map(({ cameraId, fromMs, toMs }) => ({ cameraId, fromMs, toMs }))).toEqual(scope);
    expect(manifest.items.map(({ cameraId, fromMs, toMs }) => ({ cameraId, fromMs, toMs }))).toEqual(scope);
    expect(manifest.approval.approvedBy).toBe('sup.prod.b');
    expect(manifest.request.requestedBy).toBe('rev.prod');
    // No extra camera: two videos, no file of the third camera.
    const videos = fs.readdirSync(path.join(dir, 'video')).sort();
    expect(videos).toHaveLength(2);
    expect(manifest.files.filter((f) => f.name.startsWith('video/')).map((f) => f.name.slice('video/'.length)).sort()).toEqual(videos);
    expect(videos.some((v) => v.includes('kasy'))).toBe(false);
    for (const [i, item] of manifest.items.entries()) {
      const want = scope[i]!;
      // Copy cuts at keyframe groups: at most one group before the start and one after the end.
      expect(item.coveredFromMs).toBeLessThanOrEqual(want.fromMs);
      expect(want.fromMs - item.coveredFromMs).toBeLessThan(GOP_MS);
      expect(item.coveredToMs).toBeGreaterThanOrEqual(want.toMs);
      expect(item.coveredToMs - want.toMs).toBeLessThan(GOP_MS);
      const d = durationMs(path.join(dir, item.file));
      expect(Math.abs(d - (item.coveredToMs - item.coveredFromMs)), `${item.file}: ${d} ms`).toBeLessThanOrEqual(80);
      expect(videoStreams(path.join(dir, item.file))).toEqual(['h264']);
    }
    // Held until the handover, released by it.
    const holdId = (await t.engine.store.db.selectFrom('exports').select('hold_id').where('id', '=', e.id).executeTakeFirstOrThrow()).hold_id!;
    expect((await supA.must('holds.list', {})).holds.find((h) => h.id === holdId)?.status).toBe('active');
    // Before the handover the hold names the export, and releasing it without naming the export
    // (or naming another) is refused: the footage could be deleted before it is handed over.
    const number = exportNumber(e.id);
    expect((await supA.must('holds.list', {})).holds.find((h) => h.id === holdId)?.protectsExport).toEqual({ number, status: 'produced' });
    for (const confirmExport of [undefined, 'EXP-1999-0001', '']) {
      const refused = await supA.call('holds.release', { holdId, reason: 'The case was closed by the prosecutor', ...(confirmExport === undefined ? {} : { confirmExport }) });
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.kind).toBe('FailedPrecondition');
        expect(refused.error.message).toContain(number);
      }
    }
    expect((await supA.must('holds.list', {})).holds.find((h) => h.id === holdId)?.status).toBe('active');
    const handed = await reviewer.must('exports.handover', { exportId: e.id, receivedBy: 'Prokurator Anna Zielińska', receivedAtMs: t.clock.nowMs(), medium: 'DVD-R', note: '' });
    expect(handed.history.map((h) => h.action)).toEqual(['requested', 'approved', 'production started', 'hold placed', 'produced', 'handed over', 'hold released']);
    expect((await supA.must('holds.list', {})).holds.find((h) => h.id === holdId)?.status).toBe('released');
    const fingerprint = (await reviewer.must('site.get', {})).signingKeyFingerprint;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(view.production!.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    // The engine's own record of the package (audit log): both signed lists' hashes and the key.
    const sha = (f: string) => createHash('sha256').update(fs.readFileSync(path.join(view.production!.packagePath!, f))).digest('hex');
    const record = await t.engine.store.db.selectFrom('audit_log').select('details').where('action', '=', 'exports.produced').where('target', '=', `export#${e.id}`).executeTakeFirstOrThrow();
    expect(JSON.parse(record.details)).toMatchObject({ manifestSha256: sha('manifest.json'), addendumSha256: sha('addendum.json'), signingKeyFingerprint: fingerprint });
  }, 120_000);

  it.skipIf(!fs.existsSync(BURN_IN_FONT))('burn-in: each video lasts its approved range (to a frame)', async () => {
    const e = await approvedRequest();
    const { manifest, dir } = await produced(e, 'burn_in');
    const scope = approvedScope();
    expect(manifest.items.map(({ cameraId, fromMs, toMs }) => ({ cameraId, fromMs, toMs }))).toEqual(scope);
    expect(fs.readdirSync(path.join(dir, 'video'))).toHaveLength(2);
    for (const [i, item] of manifest.items.entries()) {
      const d = durationMs(path.join(dir, item.file));
      expect(Math.abs(d - (scope[i]!.toMs - scope[i]!.fromMs)), `${item.file}: ${d} ms`).toBeLessThanOrEqual(80);
    }
    // Named (in any letter case), the release before the handover goes through, and the hold no longer names an export.
    const holdId = (await t.engine.store.db.selectFrom('exports').select('hold_id').where('id', '=', e.id).executeTakeFirstOrThrow()).hold_id!;
    const released = await supA.must('holds.release', { holdId, reason: 'The data subject withdrew the request in writing', confirmExport: exportNumber(e.id).toLowerCase() });
    expect(released).toMatchObject({ status: 'released', protectsExport: null });
  }, 180_000);
});
