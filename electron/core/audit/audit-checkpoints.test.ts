// Signed checkpoints make the trail provable to someone outside (R4, docs/design/audit-chain.md
// "Checkpoints"): whoever rewrites the database and the anchor together rebuilds a chain that
// verifies, but not the site's signature over a head that an auditor copied off the machine. On
// both stores (`audit:verify --database` on PostgreSQL).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { ExportProducer } from '../exports/exports-service';
import type { ProductionJob } from '../exports/production-types';
import { ephemeralSigner } from '../exports/production/signing-key';
import { addOfflineCamera, addUser, EngineRestarts, openTestStore, recordFootage, setUpAdmin, type TestEngine } from '../testing/harness';
import { checkCheckpointSignature, CHECKPOINTS_DIR, parseCheckpoint } from './checkpoint-file';
import { rewriteChain, runAuditCli } from './fixture-chain';

const restarts = new EngineRestarts();
afterEach(() => restarts.cleanUp());
const tmp = (prefix: string) => restarts.tmpDir(prefix);
const start = (dir: string) => restarts.start(dir);
const stop = (t: TestEngine) => restarts.stop(t);

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

/** `audit:verify`'s arguments for the store of `dir`: its data directory, and on PostgreSQL its database. */
async function verifyArgs(dir: string): Promise<string[]> {
  const store = await openTestStore(dir);
  await store.close();
  return store.kind === 'postgres' ? ['--database', store.url, '--data-dir', dir] : ['--data-dir', dir];
}

/** rewriteChain on the store of `dir`, the engine stopped. */
async function rewriteStoredChain(dir: string, fromSeq: number): Promise<void> {
  const store = await openTestStore(dir);
  try {
    await rewriteChain(store.db, dir, fromSeq);
  } finally {
    await store.close();
  }
}

describe('signed audit checkpoints', () => {
  it('a kept checkpoint finds a full rewrite of the database and the anchor, naming its seq', async () => {
    const dir = tmp('audit-cp-');
    const t = await start(dir);
    const admin = await setUpAdmin(t);
    for (let i = 0; i < 4; i++) await admin.must('groups.create', { name: `Group ${i}`, description: '' });
    const cp = await t.engine.auditTrail.checkpoints.checkpoint('report');
    expect(cp).not.toBeNull();
    const file = path.join(dir, CHECKPOINTS_DIR, `${cp!.seq}.json`);
    expect(modeOf(path.join(dir, CHECKPOINTS_DIR))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(checkCheckpointSignature(parseCheckpoint(fs.readFileSync(file, 'utf8')))).toBeNull();
    // The auditor copies it off the machine.
    const kept = path.join(tmp('auditor-'), 'checkpoint.json');
    fs.copyFileSync(file, kept);
    await admin.must('groups.create', { name: 'After the checkpoint', description: '' });
    await stop(t);

    const args = await verifyArgs(dir);
    const fine = await runAuditCli('verify', [...args, '--checkpoint', kept, '--expect-fingerprint', cp!.fingerprint.toUpperCase().replace(/(..)(?!$)/g, '$1:')]);
    expect(fine.code, fine.out).toBe(0);
    expect(fine.out).toContain(`checkpoint seq ${cp!.seq}`);
    expect(fine.out).toContain('the log still holds it');
    const otherKey = await runAuditCli('verify', [...args, '--checkpoint', kept, '--expect-fingerprint', 'ab'.repeat(32)]);
    expect(otherKey.code, otherKey.out).toBe(1);
    expect(otherKey.out).toMatch(/not the expected/);

    // Rewrite everything from entry 2 on, consistently, and the anchor with it.
    await rewriteStoredChain(dir, 2);
    const plain = await runAuditCli('verify', args);
    expect(plain.code, plain.out).toBe(0); // the rewrite is consistent: without the checkpoint nothing shows
    const caught = await runAuditCli('verify', [...args, '--checkpoint', kept]);
    expect(caught.code, caught.out).toBe(1);
    expect(caught.out).toContain(`first bad entry seq ${cp!.seq}: checkpoint seq ${cp!.seq}:`);
    expect(caught.out).toMatch(/the log was rewritten after the checkpoint/);

    // An edited checkpoint proves nothing.
    const forged = { ...parseCheckpoint(fs.readFileSync(kept, 'utf8')), hash: 'a'.repeat(64) };
    fs.writeFileSync(kept, JSON.stringify(forged));
    const edited = await runAuditCli('verify', [...args, '--checkpoint', kept]);
    expect(edited.code, edited.out).toBe(1);
    expect(edited.out).toMatch(/CHECKPOINT NOT VALID: checkpoint seq \d+: its signed text does not match/);
  });

  it('takes one at least hourly on the engine clock, recorded in the log, and prints the latest with audit:checkpoint', async () => {
    const dir = tmp('audit-cp-hourly-');
    const t = await start(dir);
    await setUpAdmin(t);
    const checkpoints = t.engine.auditTrail.checkpoints;
    expect(checkpoints.latest()).toBeNull();
    t.clock.advance(59 * 60_000);
    await checkpoints.tick();
    expect(checkpoints.latest()).toBeNull();
    t.clock.advance(2 * 60_000);
    await checkpoints.tick();
    const first = checkpoints.latest();
    expect(first).toMatchObject({ seq: t.engine.audit.committedHead.seq - 1, time: new Date(t.clock.nowMs()).toISOString() });
    const entry = await t.engine.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'audit.checkpoint').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details)).toMatchObject({ seq: first!.seq, hash: first!.hash, why: 'hourly', signature: first!.signature });

    // Nothing happened since but the checkpoint's own entry: the last one still covers the log.
    t.clock.advance(61 * 60_000);
    await checkpoints.tick();
    expect(checkpoints.latest()).toEqual(first);
    await t.engine.audit.append({ actor: 'system', action: 'test.event', target: 'x', outcome: 'allowed' });
    t.clock.advance(61 * 60_000);
    await checkpoints.tick();
    expect(checkpoints.latest()!.seq).toBeGreaterThan(first!.seq);

    const printed = await runAuditCli('checkpoint', ['--data-dir', dir]);
    expect(printed.code, printed.out).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(checkpoints.latest());
    expect(printed.stderr).toMatch(/signature valid/);
    const none = await runAuditCli('checkpoint', ['--data-dir', tmp('audit-cp-none-')]);
    expect(none.code).toBe(1);
  });

  it('every export production signs a fresh checkpoint and hands it to production for the manifest', async () => {
    const jobs: ProductionJob[] = [];
    // A stand-in for ffmpeg behind the production seam: keeps the job, writes a manifest.
    const producer: ExportProducer = {
      produce(job) {
        jobs.push(job);
        fs.mkdirSync(job.outDir);
        const manifest = Buffer.from(JSON.stringify({ ...job.manifest, auditCheckpoint: job.auditCheckpoint }));
        fs.writeFileSync(path.join(job.outDir, 'manifest.json'), manifest);
        return Promise.resolve({ packageDir: job.outDir, files: [], manifestSha256: createHash('sha256').update(manifest).digest('hex') });
      },
    };
    const signer = ephemeralSigner();
    const t = await restarts.start(tmp('audit-cp-export-'), { exports: { producer, signingKey: { existing: () => Promise.resolve(signer), loadOrCreate: () => Promise.resolve(signer) } } });
    const admin = await setUpAdmin(t);
    const group = await admin.must('groups.create', { name: 'Gate', description: '' });
    const cameraId = await addOfflineCamera(admin, 'Gate 1', group.id);
    const reviewer = await addUser(t, admin, { username: 'rev.cp', role: 'reviewer', groupIds: [group.id] });
    const supervisor = await addUser(t, admin, { username: 'sup.cp', role: 'supervisor', groupIds: [group.id] });
    const from = await recordFootage(t, [cameraId], 2);
    t.clock.advance(60_000);
    const e = await reviewer.must('exports.create', {
      bodyType: 'police', bodyName: 'Komenda Rejonowa Policji', bodyReference: 'RSD-1/26', receivedAtMs: t.clock.nowMs() - 60_000,
      purpose: 'Theft of a bag at the gate', legalBasis: 'Art. 217 § 1 KPK', urgent: false, recipient: 'asp. Jan Kowalski', incidentId: null,
      items: [{ cameraId, fromMs: from, toMs: from + 1000 }],
    });
    await supervisor.must('exports.decide', { exportId: e.id, approve: true, reason: 'Legal basis and scope checked' });
    await reviewer.must('exports.produce', { exportId: e.id, mode: 'copy', redactions: [] });
    await t.engine.exports.idle();

    const cp = jobs[0]!.auditCheckpoint!;
    expect(cp).toEqual(t.engine.auditTrail.checkpoints.latest());
    expect(checkCheckpointSignature(cp, signer.fingerprint)).toBeNull();
    // It covers the production's own audit entry, written before production started.
    const produced = await t.engine.store.db.selectFrom('audit_log').select('seq').where('action', '=', 'exports.produce').where('outcome', '=', 'allowed').executeTakeFirstOrThrow();
    expect(cp.seq).toBeGreaterThanOrEqual(Number(produced.seq));
    const entry = await t.engine.store.db.selectFrom('audit_log').select('details').where('action', '=', 'audit.checkpoint').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details)).toMatchObject({ seq: cp.seq, why: 'export' });
  });
});
