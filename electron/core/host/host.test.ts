// Host mode: the WebSocket transport is authenticated, and audit entries survive a kill -9 of the
// host right after a command returned (synchronous=FULL commits before the answer is sent).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../store/db';
import { verifyAuditChain } from '../audit/verify';
import { CHILD_START_TIMEOUT_MS, startHostProcess, type HostProcess } from '../testing/host-process';
import { ADMIN } from '../testing/harness';

const dirs: string[] = [];
const hosts: HostProcess[] = [];
afterAll(() => {
  for (const h of hosts) h.child.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tmp() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'host-test-'));
  dirs.push(d);
  return d;
}

describe('host WebSocket', () => {
  it('refuses sockets without the seat key or from another origin, and serves commands with it', async () => {
    const host = await startHostProcess(tmp());
    hosts.push(host);
    await expect(host.connect({ seatKey: 'wrong' })).rejects.toThrow(/403/);
    await expect(host.connect({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
    const c = await host.connect();
    expect(await c.call('setup.status', {})).toEqual({ ok: true, value: { needsSetup: true } });
    const r = await c.call('users.list', { includeInactive: true });
    expect(r.ok === false && r.error.kind).toBe('Unauthenticated');
    c.close();
    host.child.kill('SIGTERM');
  }, CHILD_START_TIMEOUT_MS + 30_000);

  it('keeps every audit entry of a command that returned, across kill -9 of the host', async () => {
    const dataDir = tmp();
    for (let round = 0; round < 4; round++) {
      const host = await startHostProcess(dataDir);
      hosts.push(host);
      const c = await host.connect();
      const r =
        round === 0
          ? await c.call('setup.createAdmin', ADMIN)
          : await c.call('auth.signIn', { username: ADMIN.username, password: `wrong-password-${round}` });
      expect(r.ok).toBe(round === 0);
      host.child.kill('SIGKILL');
      await new Promise((res) => host.child.once('exit', res));
      const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE), { readonly: true });
      const actions = db.prepare('SELECT action, outcome FROM audit_log ORDER BY seq').all() as { action: string; outcome: string }[];
      const report = verifyAuditChain(db, dataDir, () => 0);
      db.close();
      expect(report.ok, report.problem ?? '').toBe(true);
      expect(actions.filter((a) => a.action === 'setup.createAdmin')).toHaveLength(1);
      expect(actions.filter((a) => a.action === 'auth.signIn' && a.outcome === 'denied')).toHaveLength(round);
    }
  }, 4 * CHILD_START_TIMEOUT_MS);
});
