// A cut audit tail goes unnoticed no more (R4, docs/design/audit-chain.md "Anchor"): the engine
// compares the anchor with the log at start-up before appending anything; a missing anchor, one
// ahead of the log or one whose entry has another hash is a critical audit.anchor alarm and a
// verification failure, the engine is held (only sign-in, session steps, alarms and the auditor's
// reading) until an administrator acknowledges it, recording goes on, the anchor is never
// rewritten meanwhile, and the acknowledgement writes the break into the log for good. On both
// stores: on PostgreSQL each engine's anchor is in its own data directory, the log in the database.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, addOfflineCamera, addUser, EngineRestarts, openTestStore, recordFootage, setUpAdmin, signInReady, TEST_PASSWORD, type TestEngine } from '../testing/harness';
import { ANCHOR_FILE } from './anchor';
import { HELD_MESSAGE } from './anchor-guard';
import { runAuditCli } from './fixture-chain';
import { dropAuditTriggers } from './testing/audit-stores';

const restarts = new EngineRestarts();
afterEach(() => restarts.cleanUp());
const start = (dir: string) => restarts.start(dir);
const stop = (t: TestEngine) => restarts.stop(t);

/** `audit:verify` on the store of `dir`: its data directory, and on PostgreSQL its database. */
async function auditVerifyCli(dir: string) {
  const store = await openTestStore(dir);
  await store.close();
  return runAuditCli('verify', store.kind === 'postgres' ? ['--database', store.url, '--data-dir', dir] : ['--data-dir', dir]);
}

/** A first run with an administrator, a camera and some entries; returns the data directory. */
async function firstRun(): Promise<{ dir: string; cameraId: number }> {
  const dir = restarts.tmpDir('audit-anchor-');
  const t = await start(dir);
  const admin = await setUpAdmin(t);
  const group = await admin.must('groups.create', { name: 'Gate', description: '' });
  const cameraId = await addOfflineCamera(admin, 'Gate 1', group.id);
  await addUser(t, admin, { username: 'auditor.ola', role: 'auditor', groupIds: [] });
  for (let i = 0; i < 5; i++) await admin.must('users.list', { includeInactive: true });
  await stop(t);
  return { dir, cameraId };
}

/** Someone with the database (the engine stopped) cuts the last entries off the log. */
async function cutTail(dir: string, entries: number): Promise<void> {
  const store = await openTestStore(dir);
  try {
    await dropAuditTriggers(store.db);
    const head = await store.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('s')).executeTakeFirstOrThrow();
    await sql`DELETE FROM audit_log WHERE seq > ${Number(head.s) - entries}`.execute(store.db);
  } finally {
    await store.close();
  }
}

const signInAuditor = (t: TestEngine) => signInReady(t, 'auditor.ola', `${TEST_PASSWORD}-Renewed`);
const readAnchor = (dir: string) => fs.readFileSync(path.join(dir, ANCHOR_FILE), 'utf8');

describe('a cut audit tail goes unnoticed no more', () => {
  it('a cut tail raises audit.anchor, holds the engine but not the recorder, and stays a failure across restarts until acknowledged', async () => {
    const { dir, cameraId } = await firstRun();
    const anchorBefore = readAnchor(dir);
    await cutTail(dir, 2);

    // Start and stop once, as the attacker did: the anchor is not rewritten, verification fails.
    await stop(await start(dir));
    expect(readAnchor(dir)).toBe(anchorBefore);
    const afterOneRun = await auditVerifyCli(dir);
    expect(afterOneRun.code, afterOneRun.out).toBe(1);
    expect(afterOneRun.out).toMatch(/AUDIT LOG TAMPERED: first bad entry seq \d+: entry \d+ does not match the anchor/);

    // Second start: the same alarm, still open (not a second one), still held.
    const t = await start(dir);
    const admin = await signInReady(t, ADMIN.username, ADMIN.password);
    const alarms = (await admin.must('alarms.list', { openOnly: true })).alarms.filter((a) => a.kind === 'audit.anchor');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ severity: 'critical', canAcknowledge: true, params: { problem: 'ahead' } });
    expect(alarms[0]!.params.found).toMatch(/removed from the end of the log/);

    const refused = await admin.call('users.list', { includeInactive: true });
    expect(refused).toEqual({ ok: false, error: { kind: 'FailedPrecondition', message: HELD_MESSAGE } });
    expect((await admin.call('cameras.adminList', {})).ok).toBe(false);
    expect((await admin.call('session.status', {})).ok).toBe(true);
    const auditor = await signInAuditor(t);
    expect((await auditor.must('audit.query', { filter: {}, limit: 5 })).entries.length).toBe(5);
    const report = await auditor.must('audit.verify', {});
    expect(report.ok).toBe(false);
    expect((await auditor.call('audit.exportCsv', { filter: {} })).ok).toBe(false);

    // Recording goes on while held: footage is written and indexed.
    await recordFootage(t, [cameraId], 2);
    const recorded = await t.engine.store.db.selectFrom('recordings').select((eb) => eb.fn.countAll<number>().as('n')).where('camera_id', '=', cameraId).executeTakeFirstOrThrow();
    expect(Number(recorded.n)).toBeGreaterThan(0);
    expect(readAnchor(dir)).toBe(anchorBefore);

    // An administrator acknowledges: the break goes into the log, the anchor follows the head again.
    const ack = await admin.must('alarms.acknowledge', { alarmId: alarms[0]!.id, note: 'checked the machine with the police; the tail was cut on 2 Nov' });
    expect(ack.acknowledgedBy).toBe(ADMIN.username);
    expect((await admin.call('users.list', { includeInactive: true })).ok).toBe(true);
    const after = await auditor.must('audit.verify', {});
    expect(after).toMatchObject({ ok: true, problem: null });
    expect(after.acknowledgedBreaks).toHaveLength(1);
    expect(after.acknowledgedBreaks[0]).toMatchObject({ acknowledgedBy: ADMIN.username });
    expect(after.acknowledgedBreaks[0]!.found).toMatch(/removed from the end of the log/);
    expect(JSON.parse(readAnchor(dir))).toEqual({ seq: t.engine.audit.committedHead.seq, hash: t.engine.audit.committedHead.hash });
    await stop(t);

    // For good: the offline check says intact, lists the acknowledged break, and exits 3.
    const cli = await auditVerifyCli(dir);
    expect(cli.code, cli.out).toBe(3);
    expect(cli.out).toMatch(/audit log intact/);
    expect(cli.out).toMatch(new RegExp(`ACKNOWLEDGED BREAKS[\\s\\S]*acknowledged by ${ADMIN.username}: entries \\d+\\.\\.\\d+ were removed from the end`));
  });

  it('a deleted anchor file is an alarm and holds the engine; an anchor rewritten to another hash too', async () => {
    const { dir } = await firstRun();
    fs.rmSync(path.join(dir, ANCHOR_FILE));
    let t = await start(dir);
    let admin = await signInReady(t, ADMIN.username, ADMIN.password);
    let alarm = (await admin.must('alarms.list', { openOnly: true })).alarms.find((a) => a.kind === 'audit.anchor');
    expect(alarm?.params).toMatchObject({ problem: 'missing', anchorSeq: 'none' });
    expect((await admin.call('groups.list', {})).ok).toBe(false);
    // Not recreated silently while the alarm is open.
    expect(fs.existsSync(path.join(dir, ANCHOR_FILE))).toBe(false);
    await admin.must('alarms.acknowledge', { alarmId: alarm!.id, note: 'the anchor was deleted by a cleaning script' });
    expect(fs.existsSync(path.join(dir, ANCHOR_FILE))).toBe(true);
    await stop(t);

    const anchor = JSON.parse(readAnchor(dir)) as { seq: number; hash: string };
    fs.writeFileSync(path.join(dir, ANCHOR_FILE), JSON.stringify({ seq: anchor.seq - 1, hash: 'f'.repeat(64) }));
    t = await start(dir);
    admin = await signInReady(t, ADMIN.username, ADMIN.password);
    alarm = (await admin.must('alarms.list', { openOnly: true })).alarms.find((a) => a.kind === 'audit.anchor');
    expect(alarm?.params).toMatchObject({ problem: 'mismatch', anchorSeq: anchor.seq - 1 });
    expect((await admin.call('groups.list', {})).ok).toBe(false);
  });

  it('an engine whose anchor agrees starts unheld and moves the anchor with every commit', async () => {
    const { dir } = await firstRun();
    const t = await start(dir);
    const admin = await signInReady(t, ADMIN.username, ADMIN.password);
    expect((await admin.must('alarms.list', { openOnly: true })).alarms.filter((a) => a.kind === 'audit.anchor')).toHaveLength(0);
    await admin.must('groups.list', {});
    await t.engine.audit.drain();
    expect(JSON.parse(readAnchor(dir))).toEqual(t.engine.audit.committedHead);
  });
});
