// Fixtures for user journeys: a real host-mode engine per test (fresh data directory, fake clock
// that tests can advance), and an error collector that fails the test on any console error,
// uncaught page error, failed request or HTTP error (any of them fails the journey).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { spawnHostChild } from '../electron/core/testing/host-process';

const REPO = path.resolve(import.meta.dirname, '..');
const RENDERER = path.join(REPO, 'dist/renderer');

export interface HostFixture {
  url: string;
  origin: string;
  dataDir: string;
  advanceClock(ms: number): Promise<void>;
  stop(): Promise<void>;
}

async function startHost(): Promise<HostFixture & { child: ChildProcess }> {
  if (!fs.existsSync(path.join(RENDERER, 'index.html'))) {
    throw new Error('dist/renderer is not built: run `npm run build:renderer` (npm test does it).');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-host-'));
  // Node itself, not the tsx wrapper, so stopping it stops the engine itself: the host bundled once
  // per run (global-setup.ts), or the sources with tsx as a loader.
  const entry = process.env.E2E_HOST_BUNDLE ? [process.env.E2E_HOST_BUNDLE] : ['--import', 'tsx', 'e2e/host-entry.ts'];
  const { child, url, stop } = await spawnHostChild([...entry, '--data-dir', dataDir, '--port', '0', '--renderer-dir', RENDERER]);
  const origin = new URL(url).origin;
  return {
    child,
    url,
    origin,
    dataDir,
    async advanceClock(ms) {
      const r = await fetch(`${origin}/__test__/clock/advance?ms=${ms}`, { method: 'POST' });
      if (r.status !== 204) throw new Error(`clock advance failed: ${r.status}`);
    },
    stop,
  };
}

/** Pages whose console socket a journey routes through Playwright (steps.ts proxyConsoleSocket). */
export const routedSocketPages = new WeakSet<Page>();

export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A live tile's fragment socket opened with a view the engine ended a moment before (a session
    // ended or locked, a view replaced): the engine refuses the token with 403, as it must, and the
    // tile opens a new view (renderer/live/live-player.ts); Chromium logs every refused handshake
    // and no page code can stop it. Any other status, or any other socket, still fails the journey.
    if (/^WebSocket connection to 'wss?:\/\/127\.0\.0\.1:\d+\/live\/\d+\/(main|sub)\/[A-Za-z0-9_-]+\/frames' failed: Error during WebSocket handshake: Unexpected response code: 403$/.test(m.text())) return;
    errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    // Playwright's stand-in for a routed WebSocket throws this when a frame from the engine reaches a
    // page socket that has begun closing (sign-out, a reload, the silence watchdog), before the route
    // hears of the close; a real socket drops such a frame. The console's own code never sends on a
    // socket that is not open (renderer/api/ws-transport.ts). Only on a routed page, only this message.
    if (routedSocketPages.has(page) && e.message === 'WebSocket is already in CLOSING or CLOSED state.') return;
    errors.push(`page error: ${e.message}`);
  });
  page.on('requestfailed', (r) => {
    // hls.js always keeps a blocking LL-HLS playlist or part request open; destroying a player
    // (tile cleared, picture frozen, sign-out) aborts it; in recordings, a seek aborts the segment
    // being loaded for the old position. That is the player moving on, not a failure.
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && /^http:\/\/127\.0\.0\.1:\d+\/(live|vod)\//.test(r.url())) return;
    errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return errors;
}

export const test = base.extend<{ host: HostFixture; errors: string[] }>({
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await host.stop();
    fs.rmSync(host.dataDir, { recursive: true, force: true });
  },
  errors: async ({ page }, use) => {
    const errors = collectErrors(page);
    await use(errors);
    expect(errors, 'console errors, page errors or failed requests').toEqual([]);
  },
});

export { expect };

export const SCREENSHOTS = path.join(REPO, 'e2e/screenshots');
export async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
