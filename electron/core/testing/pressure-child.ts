// Disk pressure on a real small filesystem (recording/pressure.test.ts runs this inside its own
// mount namespace with a 256 MiB tmpfs as the recordings root). Prints one JSON line per phase.
import { SETUP_BASIS } from './grant-approval';
import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../clock';
import type { Connection } from '../dispatcher';
import { createEngineForTests } from './harness';
import { sqliteOf } from '../store/db';
import { silentLogger } from '../logger';
import { verifyAuditChain } from '../audit/verify';
import { NO_PASSWORDS } from '../secrets/secret-store';

const [dataDir, root, rtspUrl] = process.argv.slice(2);
if (!dataDir || !root || !rtspUrl) throw new Error('usage: pressure-child DATA_DIR RECORDINGS_ROOT RTSP_URL');
const MiB = 1024 * 1024;
const say = (phase: string, o: object) => process.stdout.write(JSON.stringify({ phase, ...o }) + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const engine = await createEngineForTests({
  clock: systemClock,
  dataDir,
  logger: silentLogger,
  secrets: NO_PASSWORDS,
  recording: { root, storageCheckMs: 500, rollMs: 2000, flushIntervalMs: 500 },
});
const c: Connection = { id: 'p', transport: 'ws', peer: 'p' };
const call = async <T = Record<string, unknown>>(name: string, payload: unknown): Promise<T> => {
  const r = await engine.dispatch(c, name, payload);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value as T;
};
const db = engine.store.db;
const status = async () => {
  const s = await call<{ roots: { usedBytes: number; freeBytes: number }[]; alarms: { kind: string; severity: string; clearedAtMs: number | null }[] }>('storage.status', {});
  const rec = await call<{ cameras: { state: string }[] }>('recordings.status', {});
  return {
    usedMiB: Math.round(s.roots[0]!.usedBytes / MiB),
    freeMiB: Math.round(s.roots[0]!.freeBytes / MiB),
    activeAlarms: s.alarms.filter((a) => a.clearedAtMs === null).map((a) => `${a.severity}:${a.kind}`),
    recording: rec.cameras[0]?.state,
  };
};
try {
  await call('setup.createAdmin', { username: 'p.admin', displayName: 'P', password: 'Quiet-Harbour-Lantern-42' });
  await call('auth.signIn', { username: 'p.admin', password: 'Quiet-Harbour-Lantern-42' });
  await call('commitment.accept', { version: (await call<{ version: string }>('commitment.get', { language: 'en' })).version });
  const group = await call<{ id: number }>('groups.create', { name: 'P', description: '' });
  // A supervisor places holds (administrators cannot).
  await call('users.create', { username: 'p.super', displayName: 'Sup', role: 'supervisor', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [group.id], basis: SETUP_BASIS });
  const cam = await call<{ id: number }>('cameras.add', {
    settings: { name: 'Yard', site: 'Lab', groupId: group.id, purpose: 'disk pressure test', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
    source: { kind: 'rtsp', mainUrl: rtspUrl, subUrl: null },
    username: null,
    password: null,
  });
  // Ten one-minute files of old footage, 20 MiB each, written as the recorder would have (rows + files).
  const now = Date.now();
  const seeded: { id: number; start: number }[] = [];
  for (let i = 0; i < 10; i++) {
    const start = now - (3 - i * 0.1) * 86_400_000;
    const rel = path.join(`cam-${cam.id}`, 'seed', `${Math.round(start)}.mp4`);
    fs.mkdirSync(path.join(root, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), Buffer.alloc(20 * MiB, i));
    const row = await db.insertInto('recordings').values({ camera_id: cam.id, path: rel, start_ms: Math.round(start), end_ms: Math.round(start) + 60_000, bytes: 20 * MiB, state: 'complete', sha256: 'seed', init_bytes: 0, created_at_ms: now }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('recording_gops').values({ recording_id: row.id, gops: Buffer.alloc(0) }).execute();
    seeded.push({ id: row.id, start: Math.round(start) });
  }
  // Restart accounting from the database, as at start-up.
  await engine.recording.close();
  await engine.recording.start();
  engine.recording.syncCameras(await db.selectFrom('cameras').selectAll().execute());
  // The two oldest files are evidence.
  const sup: Connection = { id: 's', transport: 'ws', peer: 's' };
  const scall = async (name: string, payload: unknown) => {
    const r = await engine.dispatch(sup, name, payload);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as { id: number; version: string };
  };
  await scall('auth.signIn', { username: 'p.super', password: 'Temporary-Pass-2026' });
  await scall('auth.changePassword', { currentPassword: 'Temporary-Pass-2026', newPassword: 'Amber-Harbour-Quiet-7' });
  await scall('commitment.accept', { version: (await scall('commitment.get', { language: 'en' })).version });
  const hold = await scall('holds.place', {
    kind: 'legal', caseReference: 'PR-1', legalBasis: 'Art. 217', requestingBody: 'Police', reason: 'possible evidence', reviewDateMs: now + 86_400_000,
    items: [{ cameraId: cam.id, fromMs: seeded[0]!.start, toMs: seeded[1]!.start + 60_000 }],
  });
  // Recording resumes once the next keyframe arrives after the restart: wait for it (at most 30 s
  // on a loaded machine) rather than a fixed time.
  let ready = await status();
  for (let waited = 0; ready.recording !== 'recording' && waited < 30_000; waited += 250) {
    await sleep(250);
    ready = await status();
  }
  say('recording', ready);

  // Phase 1: the quota (128 MiB) drops below what is stored (200 MiB): the oldest unheld footage goes first.
  await call('storage.update', { quotaBytes: 128 * MiB, freeSpaceFloorBytes: 32 * MiB, sweepIntervalMinutes: 5 });
  // The sweep deletes file by file; read what is left once it has finished (nothing marked for
  // deletion, the use under the quota), not at a fixed time: mid-sweep, rows of files already being
  // deleted are still there and their unlinks finish in any order.
  // Up to 60 s: the sweep takes a second or two alone, but once took over 15 s beside two other media
  // test files, and a snapshot taken mid-sweep is not the outcome (the test checks `settled` first).
  let settled = false;
  const sweepStart = Date.now();
  while (!settled && Date.now() - sweepStart < 60_000) {
    await sleep(250);
    const deleting = await db.selectFrom('recordings').select('id').where('state', '=', 'deleting').execute();
    settled = deleting.length === 0 && (await status()).usedMiB <= 128;
  }
  const left = new Set((await db.selectFrom('recordings').select('id').execute()).map((r) => r.id));
  say('quota', { ...(await status()), settled, sweepMs: Date.now() - sweepStart, seededLeft: seeded.map((s) => left.has(s.id)), deletionCauses: (await db.selectFrom('deletion_log').select('cause').execute()).map((d) => d.cause) });

  // Phase 2: everything left is put under hold, then something else fills the disk.
  await scall('holds.extend', { holdId: hold.id, reviewDateMs: null, addItems: [{ cameraId: cam.id, fromMs: now - 10 * 86_400_000, toMs: now + 86_400_000 }], reason: 'whole period secured' });
  const filler = path.join(root, 'other-data.bin');
  const fd = fs.openSync(filler, 'w');
  try {
    for (;;) {
      const free = fs.statfsSync(root);
      if (free.bavail * free.bsize < 16 * MiB) break;
      fs.writeSync(fd, Buffer.alloc(MiB));
    }
  } catch {
    // ENOSPC: full
  }
  fs.closeSync(fd);
  await sleep(2500);
  const heldRows = (await db.selectFrom('recordings').select('id').execute()).length;
  say('full', { ...(await status()), rowsKept: heldRows });

  // Phase 3: space returns; recording resumes by itself.
  fs.rmSync(filler);
  const before = (await db.selectFrom('recordings').select('id').execute()).length;
  await sleep(5000);
  const after = (await db.selectFrom('recordings').select('id').execute()).length;
  say('resumed', { ...(await status()), newFiles: after - before });

  const integrity = sqliteOf(engine.store).pragma('integrity_check', { simple: true });
  const chain = verifyAuditChain(sqliteOf(engine.store), dataDir, () => 0);
  const alarmsAudited = (await db.selectFrom('audit_log').select('target').where('action', '=', 'alarm.raised').execute()).map((a) => a.target);
  say('end', { integrity, auditOk: chain.ok, alarmsAudited });
} finally {
  await engine.close();
}
