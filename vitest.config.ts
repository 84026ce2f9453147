import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that run one at a time, in the `media` project, and why. A file belongs here when it
 * starts the camera simulator, a host or engine in a child process, a network namespace or a display
 * server, or when it measures real time (latency, stall detection, timeouts, event-loop blocking):
 * the simulator alone takes a whole core, and on a 2-core machine two such files side by side starve
 * each other's timing. Every other file runs in the `unit` project, two files at a time.
 * scripts/vitest-projects.test.ts fails when a file that starts one of those things is missing here
 * (it reads each test file and the test helpers, simulator and journeys it imports), and when an
 * entry names no file, so a new media test cannot land silently in the parallel project.
 */
export const MEDIA_TESTS: Record<string, string> = {
  'electron/core/recording/crash.test.ts': 'simulator; engines in child processes killed with SIGKILL',
  'electron/core/recording/pressure.test.ts': 'simulator; engine in a child process on a small filesystem in a namespace',
  'electron/core/media/ingest-timing.test.ts': 'stall detection and back-off measured on the wall clock',
  'electron/core/media/ingest-relay.test.ts': 'simulator; relay latency',
  'electron/core/media/rtsp-relay.test.ts': 'simulator and a strict RTSP camera; relay timing',
  'electron/core/media/transcode.test.ts': 'simulator; live transcoding with ffmpeg',
  'electron/core/live/live.test.ts': 'simulator; live latency',
  'electron/core/host/host.test.ts': 'host in a child process (kill -9)',
  'electron/core/host/malformed-request-ends-engine.test.ts': 'simulator; host in a child process under fuzzed requests',
  'electron/core/audit/audit-flood.test.ts': 'host in a child process flooded with commands',
  'electron/core/audit/audit-export.test.ts': 'measures how long the event loop is blocked',
  'electron/core/cameras/onvif.test.ts': 'simulator and engine inside a network namespace',
  'electron/core/cameras/onvif-timing.test.ts': 'per-request ONVIF time limits measured on the wall clock',
  'tools/camera-sim/discovery.test.ts': 'simulator inside a network namespace',
  'tools/camera-sim/onvif.test.ts': 'simulator',
  'tools/camera-sim/rtsp.test.ts': 'simulator; stream timing',
  'tools/camera-sim/timecode.test.ts': 'simulator; burned-in capture time against the clock',
  'tools/camera-sim/variants.test.ts': 'simulator',
  'e2e/electron-smoke.test.ts': 'the desktop app (engine inside) on a virtual display',
  'electron/core/host/site-engine.test.ts': 'site engine and seats in child processes inside network namespaces',
  'electron/core/host/site-engine-recording.test.ts': 'simulator; site engine in a child process stopped with SIGTERM and kill -9, three seats',
  'scripts/engine-service.test.ts': 'the bundled site engine in a child process',
  'electron/core/host/browser-seat.test.ts': 'site engine in a child process (TLS, cookies, revocation)',
  'electron/core/host/slow-seat.test.ts': 'event delivery gaps measured on the wall clock while a seat falls behind',
};

const INCLUDE = ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts', 'tools/**/*.test.ts'];
const MEDIA = Object.keys(MEDIA_TESTS);

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two projects in one run: `unit` (two files at a time) first, then `media` (one at a time, on a
    // machine no other test file uses). `vitest run --project unit` runs one of them.
    projects: [
      { extends: true, test: { name: 'unit', include: INCLUDE, exclude: [...configDefaults.exclude, ...MEDIA], maxWorkers: 2 } },
      { extends: true, test: { name: 'media', include: MEDIA, fileParallelism: false } },
    ],
  },
});
