// Camera passwords go to the OS keychain (docs/design/overview.md §4 "Credentials"): prove a real round trip
// through the Secret Service, in a throwaway D-Bus session and keyring, never the user's own.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = path.join(import.meta.dirname, 'keychain-roundtrip.mjs');
const TIMEOUT_MS = 60_000;

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS - 5_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('OS keychain (Secret Service via gnome-keyring)', () => {
  let home: string | undefined;
  afterEach(() => {
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('stores, overwrites and deletes a secret with URL-breaking and non-ASCII characters', { timeout: TIMEOUT_MS }, async () => {
    // Missing tools are a broken machine, not a reason to skip: .ci/run installs them.
    for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
      expect(onPath(tool), `${tool} is not installed (apt-get install dbus gnome-keyring)`).toBe(true);
    }

    home = fs.mkdtempSync(path.join(os.tmpdir(), 'keychain-test-'));
    const runtimeDir = path.join(home, 'run');
    fs.mkdirSync(runtimeDir, { mode: 0o700 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      XDG_RUNTIME_DIR: runtimeDir,
      LANG: 'C.UTF-8',
    };
    // --unlock reads the password of the (new) login keyring from stdin and creates it unlocked;
    // the daemon then serves org.freedesktop.secrets on this private bus only.
    const session = `printf 'pw\\n' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" "$1"`;
    const { code, stdout, stderr } = await run('dbus-run-session', ['--', 'sh', '-c', session, process.execPath, SCRIPT], env);

    const line = stdout.trim().split('\n').at(-1) ?? '';
    const context = `exit ${code}\nstdout: ${stdout}\nstderr: ${stderr}`;
    expect(line.startsWith('{'), context).toBe(true);
    const report: unknown = JSON.parse(line);
    expect(report, context).toMatchObject({ ok: true });
    expect(report).toMatchObject({
      steps: [
        'get returns the stored secret',
        'set overwrites the secret',
        'delete reports an existing secret',
        'secret is gone after delete',
        'second delete reports nothing to delete',
      ],
    });
    expect(code).toBe(0);
    // The keyring lives in the throwaway home, not the user's.
    expect(fs.existsSync(path.join(home, 'data', 'keyrings'))).toBe(true);
  });
});
