// The site engine's service (docs/design/site-engine.md "The service", "Installing"): the systemd
// unit passes `systemd-analyze verify` (no error and no warning, in a scratch root that has the
// paths it names) with its hardening in place and an exposure score of "OK"; what its ExecStart
// runs (scripts/build-engine.mjs: the bundle with only its run-time packages, outside the checkout)
// starts, answers /healthz, gives a seat code through the local socket and stops on SIGTERM with
// exit 0; the install script parses.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '..');
const UNIT = path.join(REPO, 'packaging/operator-console-engine.service');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A scratch root with systemd's own units, the unit, its environment file and an executable at its ExecStart path. */
function scratchRoot(unitText: string): string {
  const root = tmp('unit-root-');
  fs.mkdirSync(path.join(root, 'usr/lib/systemd'), { recursive: true });
  fs.cpSync('/usr/lib/systemd/system', path.join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  fs.mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/systemd/system/operator-console-engine.service'), unitText);
  fs.mkdirSync(path.join(root, 'etc/operator-console'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/operator-console/engine.env'), 'LISTEN=10.0.0.5:8443\nNAMES=--name engine.site.local\n');
  fs.mkdirSync(path.join(root, 'opt/operator-console/node/bin'), { recursive: true });
  fs.writeFileSync(path.join(root, 'opt/operator-console/node/bin/node'), '#!/bin/sh\n', { mode: 0o755 });
  return root;
}

async function verify(unitText: string): Promise<{ code: number; output: string }> {
  const root = scratchRoot(unitText);
  try {
    const r = await run('systemd-analyze', ['verify', '--man=no', `--root=${root}`, 'operator-console-engine.service'], { encoding: 'utf8' });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('the site engine service', () => {
  const unitText = fs.readFileSync(UNIT, 'utf8');

  it('keeps its hardening: dedicated user, private state, no capabilities, read-only system', () => {
    for (const line of ['User=operator-console', 'StateDirectory=operator-console', 'StateDirectoryMode=0700', 'UMask=0077', 'Restart=on-failure', 'KillMode=mixed', 'ProtectSystem=strict', 'ProtectHome=yes', 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=', 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK']) {
      expect(unitText.split('\n'), line).toContain(line);
    }
  });

  // systemd-analyze comes with the systemd package (scripts/debian-packages.txt); a machine
  // without it cannot check the unit, and says so rather than passing quietly.
  it.skipIf(!hasAnalyze)(`passes systemd-analyze verify without errors or warnings${hasAnalyze ? '' : ' (SKIPPED: systemd-analyze is not installed; apt-get install systemd)'}`, async () => {
    const ok = await verify(unitText);
    expect(ok, ok.output).toEqual({ code: 0, output: '' });
    // The check is not vacuous: a misspelt key and a missing executable are both reported.
    const bad = await verify(unitText.replace('ProtectHome=yes', 'ProtectHomes=yes').replace('/opt/operator-console/node/bin/node', '/opt/operator-console/node/bin/nodejs'));
    expect(bad.output).toMatch(/Unknown key 'ProtectHomes'/);
    expect(bad.output).toMatch(/nodejs is not executable/);
  });

  it.skipIf(!hasAnalyze)('has an exposure level of OK in systemd-analyze security', async () => {
    const root = scratchRoot(unitText);
    const r = await run('systemd-analyze', ['security', '--offline=yes', `--root=${root}`, 'operator-console-engine.service'], { encoding: 'utf8' });
    const m = /Overall exposure level for operator-console-engine\.service: ([\d.]+) (\w+)/.exec(r.stdout);
    expect(m, r.stdout.slice(-500)).not.toBeNull();
    console.log(`systemd-analyze security: exposure ${m![1]} ${m![2]}`);
    expect(Number(m![1])).toBeLessThanOrEqual(2.5);
  });

  it('runs what ExecStart names: the bundled engine outside the checkout starts, gives a seat code and stops on SIGTERM', { timeout: 120_000 }, async () => {
    const app = path.join(tmp('engine-app-'), 'app');
    await run(process.execPath, [path.join(REPO, 'scripts/build-engine.mjs'), app], { cwd: REPO });
    const data = path.join(tmp('engine-data-'), 'data');
    // As the unit runs it: secrets sealed under the key systemd would decrypt into $CREDENTIALS_DIRECTORY.
    const creds = tmp('engine-creds-');
    fs.writeFileSync(path.join(creds, 'secrets-key'), randomBytes(32), { mode: 0o600 });
    const child = spawn(process.execPath, [path.join(app, 'engine.mjs'), '--data-dir', data, '--listen', '127.0.0.1:0', '--secrets', 'credential', '--renderer-dir', path.join(app, 'renderer')], {
      cwd: os.tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CREDENTIALS_DIRECTORY: creds },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const listening = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start in 40 s: ${err}`)), 40_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Listening: (https:\/\/\S+)\//.exec(out);
        if (m && out.includes('Site fingerprint:')) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`engine exited ${code}: ${err}`)));
    });
    // Listening on port 0 prints the bound port.
    expect(listening).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await new Promise<string>((resolve, reject) => {
      https.get(`${listening}/healthz`, { ca: fs.readFileSync(path.join(data, 'tls/ca.crt')) }, (res) => {
        let t = '';
        res.on('data', (c: Buffer) => (t += c.toString()));
        res.on('end', () => resolve(`${res.statusCode} ${t}`));
      }).on('error', reject);
    });
    expect(health).toBe('200 up');
    const code = await run(process.execPath, [path.join(app, 'seat-code.mjs'), '--data-dir', data, '--name', 'Desk 1', '--room', 'Hall'], { cwd: os.tmpdir(), encoding: 'utf8' });
    expect(code.stdout).toMatch(/enrolment code [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    child.kill('SIGTERM');
    const exit = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(exit, err.slice(-2000)).toBe(0);
  });

  it('has an install script that parses', () => {
    const r = spawnSync('bash', ['-n', path.join(REPO, 'scripts/install-engine.sh')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});
