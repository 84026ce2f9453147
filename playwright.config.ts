// Playwright: the renderer in Debian's Chromium against a real headless engine (host mode).
// Two projects (e2e/journeys.ts says which journey is where), each two journeys at a time (each
// with its own engine and data directory): `screens`, then `media`, the journeys with the camera
// simulator (at 640x360) or the keychain. Measured on the 2-core machine: `media` ~180 s one at a
// time at 1280x720, ~145 s at 640x360, ~125 s two at a time, ~89 s without the trace's screencast. npm test runs them one after the other
// (`--project screens`, then `--project media --no-deps`); `playwright test` alone runs media after screens.
import { defineConfig } from '@playwright/test';
import { MEDIA_JOURNEYS } from './e2e/journeys';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  workers: 2,
  timeout: 180_000,
  expect: { timeout: 10_000 },
  retries: 0,
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    // A failed journey keeps its trace: every action with the page's DOM before and after it. Not the
    // screencast: encoding the screen continuously while video plays cost more CPU than the journeys
    // themselves (media 125-146 s with it, 89 s without, on the 2-core machine); a failure still
    // leaves its screenshot, and `--trace on` records everything when needed.
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true },
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'screens', testIgnore: MEDIA_JOURNEYS.map((f) => `**/${f}`), workers: 2 },
    { name: 'media', testMatch: MEDIA_JOURNEYS.map((f) => `**/${f}`), workers: 2, dependencies: ['screens'] },
  ],
});
