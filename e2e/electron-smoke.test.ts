// Smoke test of the packaged shape of the desktop app (docs/design/overview.md §2, §8): the built app starts in
// real Electron, shows the first-start choice, the preload exposes only consoleApi, and commands go
// through IPC to the engine of the mode chosen: the engine inside the app ("This PC runs the
// engine"), or a site engine reached as an enrolled seat over TLS with its CA pinned
// (docs/design/site-engine.md "The desktop app as a seat"): the page reaches the engine's origin
// through Chromium with the pin, and another engine at the same address is refused by the seat
// client and by Chromium alike. Skips where the Electron binary was never downloaded; the seat
// logic itself is tested in plain Node (electron/main/desktop-seat.test.ts, cert-pin.test.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSeatCode } from '../electron/core/host/local-admin';
import { freePort } from '../electron/core/testing/free-port';
import { here, startEngine, type EngineProcess } from '../electron/core/testing/site-engine-fixture';

const root = path.resolve(import.meta.dirname, '..');

/** `require('electron')` is the binary's path, or throws when its postinstall download never happened. */
function electronBinary(): string | null {
  try {
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Electron needs a display: use $DISPLAY, or start a private Xvfb (installed by .ci/run). */
function ensureDisplay(): { display: string; xvfb?: ChildProcess } {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY };
  const display = `:${90 + (process.pid % 500)}`;
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1600x1000x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  return { display, xvfb };
}

const binary = electronBinary();
const skipMessage = 'Electron binary not installed on this machine (it downloads on first launch); smoke test skipped';
if (!binary) console.warn(skipMessage);

let display: { display: string; xvfb?: ChildProcess } | undefined;
const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** The built app on a fresh home: its own userData, and the keychain of the test run (with-keyring.sh). */
async function launch(home: string): Promise<{ app: ElectronApplication; page: Page }> {
  const app = await _electron.launch({
    executablePath: binary ?? '',
    // Chromium refuses to run as root (CI containers) with its OS sandbox; sandbox:true still applies to the preload.
    args: [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      DISPLAY: display!.display,
      ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}),
    },
    timeout: 60_000,
  });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page };
}

const call = (page: Page, name: string, payload: unknown = {}) => page.evaluate(([n, p]) => Reflect.get(window, 'consoleApi').call(n, p), [name, payload] as const);

describe('Electron desktop app smoke test', () => {
  beforeAll(() => {
    if (!binary) return;
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-app.mjs')], { cwd: root, stdio: 'inherit' });
    expect(build.status, 'scripts/build-app.mjs failed').toBe(0);
    display = ensureDisplay();
  }, 180_000);

  afterAll(() => {
    display?.xvfb?.kill();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it.skipIf(!binary)('first start: this PC runs the engine; only consoleApi is exposed and commands answer over IPC', { timeout: 180_000 }, async () => {
    const home = tmp('electron-smoke-');
    const { app, page } = await launch(home);
    try {
      expect(await page.title()).toBe('Operator Console');
      const globals = await page.evaluate(() => ({
        api: typeof Reflect.get(window, 'consoleApi'),
        require: typeof Reflect.get(window, 'require'),
        process: typeof Reflect.get(window, 'process'),
      }));
      expect(globals).toEqual({ api: 'object', require: 'undefined', process: 'undefined' });
      // Nothing runs before the choice.
      expect(await call(page, 'setup.status')).toMatchObject({ ok: false, error: { kind: 'Unavailable' } });
      await page.getByTestId('first-start-embedded').click();
      await expect.poll(() => page.getByTestId('embedded-warning').isVisible()).toBe(true);
      await page.getByTestId('embedded-confirm').click();
      // Main starts the engine and reloads the page against it.
      await expect.poll(async () => (await call(page, 'setup.status')) as unknown, { timeout: 60_000 }).toMatchObject({ ok: true, value: { needsSetup: true } });
      expect(await call(page, 'no.such.command')).toMatchObject({ ok: false, error: { kind: 'UnknownCommand' } });
    } finally {
      await app.close();
    }
    // The engine wrote its store under the seat's userData, not into the repository.
    expect(fs.readdirSync(path.join(home, 'config')).length).toBeGreaterThan(0);
  });

  it.skipIf(!binary)('seat mode: enrols with the site engine, carries commands over TLS, reaches its origin with the pin, and refuses another engine at the address', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const listen = `127.0.0.1:${port}`;
    const dataDir = path.join(tmp('electron-site-'), 'data');
    let engine: EngineProcess = await startEngine({ spawner: here, dataDir, listen });
    const home = tmp('electron-seat-');
    const { app, page } = await launch(home);
    try {
      const { code } = await requestSeatCode(dataDir, 'Desk E', 'Control room');
      await page.getByTestId('first-start-site').click();
      await page.getByTestId('enrol-address').fill(listen);
      await page.getByTestId('enrol-code').fill(code);
      // Typed as the administrator would read it out: in groups.
      await page.getByTestId('enrol-fingerprint').fill(engine.fingerprint.match(/.{4}/g)!.join(' '));
      await page.getByTestId('enrol-submit').click();
      await expect.poll(async () => (await call(page, 'setup.status')) as unknown, { timeout: 60_000 }).toMatchObject({ ok: true, value: { needsSetup: true } });
      const status = (await page.evaluate(() => Reflect.get(window, 'consoleApi').desktop.status())) as Record<string, unknown>;
      expect(status).toMatchObject({ mode: 'site', site: { address: `https://${listen}`, fingerprint: engine.fingerprint, seatName: 'Desk E' }, link: { state: 'connected' } });
      expect(JSON.stringify(status)).not.toMatch(/credential/i);
      // Chromium reaches the engine's origin (the CSP names it) and trusts it only through the pinned
      // CA. `no-cors`: /healthz sends no CORS header; an opaque answer still means TLS was accepted.
      const reach = (url: string) => page.evaluate((u) => fetch(u, { mode: 'no-cors', cache: 'no-store' }).then(() => 'reached', () => 'refused'), url);
      expect(await reach(`https://${listen}/healthz`)).toBe('reached');

      // Another engine (another CA) at the same address: the seat says so, and Chromium refuses it too.
      engine.child.kill('SIGKILL');
      await engine.exited;
      engine = await startEngine({ spawner: here, dataDir: path.join(tmp('electron-impostor-'), 'data'), listen });
      await expect.poll(() => page.getByTestId('seat-refused').isVisible(), { timeout: 30_000 }).toBe(true);
      expect(await page.getByTestId('seat-refused').locator('[data-refusal]').getAttribute('data-refusal')).toBe('wrong-certificate');
      expect(await reach(`https://${listen}/healthz`)).toBe('refused');
    } finally {
      await app.close();
      engine.child.kill('SIGKILL');
    }
  });
});
