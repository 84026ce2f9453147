// Audit flood (docs/design/audit-chain.md "Bounds"; docs/design/threat-model.md): one anonymous
// socket once filled the permanent audit log at 214 MiB a minute with garbage. Against a real host,
// a socket that has the seat key but never signs in sends unknown commands with huge names, requests
// with huge unknown keys and payloads up to the socket's 1 MiB limit, as fast as it can for several
// seconds. The engine closes it (1008) once it overruns its budget; the log grows by at most
// DEFAULT_BUDGET.anonymousCalls + 1 entries (the calls of one window, then `connection.closed`),
// none above MAX_ENTRY_BYTES (16 KiB): at most 31 entries and 496 KiB, whatever is sent. A signed-in
// seat's commands keep answering promptly meanwhile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_BUDGET } from '../connection-budget';
import { DATABASE_FILE } from '../store/db';
import { ADMIN } from '../testing/harness';
import { CHILD_START_TIMEOUT_MS, startHostProcess, type HostProcess } from '../testing/host-process';
import { MAX_ENTRY_BYTES } from './entry-bounds';
import { verifyAuditChain } from './verify';

const FLOOD_MS = 5000;
/** A signed-in seat's answer while the flood runs (a person notices a second). */
const PROMPT_MS = 1000;

const dirs: string[] = [];
const hosts: HostProcess[] = [];
afterAll(() => {
  for (const h of hosts) h.child.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** What a hostile page could send: the first three are audited before the budget runs out. */
function garbage(i: number): string {
  switch (i % 4) {
    case 0:
      return JSON.stringify({ id: i, name: `no.such.command.${'x'.repeat(200_000)}`, payload: {} });
    case 1:
      return JSON.stringify({ id: i, name: 'auth.signIn', payload: { username: 'a', password: 'b', ['k'.repeat(500_000)]: 1, ['j'.repeat(400_000)]: 2 } });
    case 2:
      return JSON.stringify({ id: i, name: 'setup.createAdmin', payload: { username: 'u'.repeat(1_000_000 - 200) } });
    default:
      return `{"id":${i},"name":`; // not even JSON
  }
}

function auditStats(dataDir: string): { entries: number; anonymous: number; maxEntryBytes: number; totalBytes: number; ok: boolean } {
  const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT actor, length(CAST(actor AS BLOB)) + length(CAST(action AS BLOB)) + length(CAST(target AS BLOB)) + length(CAST(outcome AS BLOB)) +
           length(CAST(details AS BLOB)) + coalesce(length(CAST(reason AS BLOB)), 0) + length(prev_hash) + length(hash) + 16 AS bytes FROM audit_log`,
      )
      .all() as { actor: string; bytes: number }[];
    return {
      entries: rows.length,
      anonymous: rows.filter((r) => r.actor === 'anonymous').length,
      maxEntryBytes: Math.max(0, ...rows.map((r) => r.bytes)),
      totalBytes: rows.reduce((n, r) => n + r.bytes, 0),
      ok: verifyAuditChain(db, dataDir, () => 0).ok,
    };
  } finally {
    db.close();
  }
}

describe('audit flood', () => {
  it('one anonymous socket flooding garbage is closed, the log grows by a small bounded amount, a signed-in seat still answers promptly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-flood-'));
    dirs.push(dataDir);
    const host = await startHostProcess(dataDir);
    hosts.push(host);
    const seat = await host.connect();
    expect((await seat.call('setup.createAdmin', ADMIN)).ok).toBe(true);
    const signedIn = await seat.call('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    expect(signedIn.ok).toBe(true);
    const commitment = await seat.call('commitment.get', { language: 'en' });
    if (commitment.ok) await seat.call('commitment.accept', { version: (commitment.value as { version: string }).version });
    const before = auditStats(dataDir);

    const flood = new WebSocket(`${host.origin.replace('http', 'ws')}/ws?seat=${encodeURIComponent(host.seatKey)}`, { origin: host.origin });
    await new Promise((resolve, reject) => flood.once('open', resolve).once('error', reject));
    const closed = new Promise<{ code: number; reason: string; atMs: number }>((resolve) => flood.once('close', (code, reason) => resolve({ code, reason: reason.toString(), atMs: performance.now() })));
    flood.on('error', () => undefined);
    const started = performance.now();
    let sent = 0;
    let sentBytes = 0;
    const messages = [0, 1, 2, 3].map(garbage);
    const pump = async () => {
      while (flood.readyState === WebSocket.OPEN && performance.now() - started < FLOOD_MS) {
        const m = messages[sent % 4]!;
        flood.send(m);
        sent += 1;
        sentBytes += m.length;
        // As fast as the socket takes it, without piling up gigabytes in this process.
        if (flood.bufferedAmount > 16 * 2 ** 20) await new Promise((r) => setTimeout(r, 1));
        else if (sent % 16 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    const latencies: number[] = [];
    const probe = async () => {
      while (performance.now() - started < FLOOD_MS + 500) {
        const t0 = performance.now();
        const r = await seat.call('session.status', {});
        latencies.push(performance.now() - t0);
        expect(r.ok && (r.value as { signedIn: boolean }).signedIn).toBe(true);
        await new Promise((r2) => setTimeout(r2, 50));
      }
    };
    await Promise.all([pump(), probe()]);
    const close = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);

    expect(close, `socket still open after ${sent} messages`).not.toBeNull();
    expect(close!.code).toBe(1008);
    expect(close!.reason).toBe('too many calls');
    expect(sentBytes).toBeGreaterThan(20 * 2 ** 20);
    expect(Math.max(...latencies), JSON.stringify(latencies.map(Math.round))).toBeLessThan(PROMPT_MS);

    // The seat still works after the flood, then the host stops cleanly.
    expect((await seat.call('groups.list', {})).ok).toBe(true);
    host.child.kill('SIGTERM');
    await new Promise((r) => host.child.once('exit', r));

    const after = auditStats(dataDir);
    expect(after.ok).toBe(true);
    const added = after.anonymous - before.anonymous;
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(DEFAULT_BUDGET.anonymousCalls + 1);
    expect(after.maxEntryBytes).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
    expect(after.totalBytes - before.totalBytes).toBeLessThanOrEqual((DEFAULT_BUDGET.anonymousCalls + 1) * MAX_ENTRY_BYTES + 8 * 1024);
  }, CHILD_START_TIMEOUT_MS + 60_000);
});
