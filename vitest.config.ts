import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that do not run in the `unit` project, and why. A file belongs here when it starts the
 * camera simulator, a host or engine in a child process, a network namespace or a display server,
 * or when it measures real time (latency, stall detection, timeouts, event-loop blocking).
 *
 * MEDIA_TESTS run three at a time in the `media` project: they start heavy things but spend most of
 * their time waiting for them in real time (a recording to grow, a stall to be noticed, a victim
 * to be killed), so three side by side keep both cores busy and each still passes with a margin.
 * Those that do not test the picture's size ask the simulator for a 640x360 one (SMALL_PICTURE in
 * tools/camera-sim/client.ts: a quarter of its encoding CPU). Measured on the 2-core machine:
 * ~320 s one at a time at 1280x720, ~159 s two at a time, ~140 s two at a time at 640x360, ~107 s
 * three at a time at 640x360 (the machine 65-99 % busy), every file passing.
 * TIMING_TESTS run one at a time in the `timing` project, after `media`, on a machine nothing else
 * uses: what they assert is a duration or a gap measured on the wall clock, with margins a second
 * busy core would eat.
 * scripts/vitest-projects.test.ts fails when a file that starts one of those things is in neither
 * list (or measures event-loop blocking outside TIMING_TESTS), and when an entry names no file, so
 * a new media test cannot land silently in the `unit` project.
 */
export const MEDIA_TESTS: Record<string, string> = {
  'electron/core/recording/crash.test.ts': 'simulator; engines in child processes killed with SIGKILL',
  'electron/core/recording/pressure.test.ts': 'simulator; engine in a child process on a small filesystem in a namespace',
  'electron/core/media/ingest-relay.test.ts': 'simulator; relay latency',
  'electron/core/media/ingest-probe.test.ts': 'simulator; ffmpeg runs through the relay with and without the quick probe',
  'electron/core/media/rtsp-relay.test.ts': 'simulator and a strict RTSP camera; relay timing',
  'electron/core/media/transcode.test.ts': 'simulator; live transcoding with ffmpeg',
  'electron/core/media/mask-at-source.test.ts': 'simulator; masks burned in at the source, decoded from recordings and live parts',
  'electron/core/host/host.test.ts': 'host in a child process (kill -9)',
  'electron/core/host/malformed-request-ends-engine.test.ts': 'simulator; host in a child process under fuzzed requests',
  'electron/core/audit/audit-flood.test.ts': 'host in a child process flooded with commands',
  'electron/core/cameras/onvif.test.ts': 'simulator and engine inside a network namespace',
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
  'scripts/demo.test.ts': 'the demo (simulator and engine) in a child process',
  'tools/camera-sim/ptz.test.ts': 'simulator; PTZ picture read from decoded frames',
  'electron/core/live/fragment-feed.test.ts': 'simulator and a 16 Mbit/s ffmpeg stream; live fragment sockets, a seat that stops reading',
  'electron/core/ptz/ptz.test.ts': 'simulator (PTZ camera) and engine; picture read from decoded frames, stops timed on the wall clock',
  'electron/core/nodes/seats-any-node.test.ts': 'two engines on a PostgreSQL cluster of its own, the simulator; a seat at one node watches what the other ingests',
  'electron/core/nodes/ptz-any-node.test.ts': 'two engines on a PostgreSQL cluster of its own, the simulator’s PTZ camera over ONVIF; one holder per camera for the site',
  'electron/core/nodes/failover.test.ts': 'three site engines, PostgreSQL and the simulator in network namespaces; kill -9 and a cut link',
};

export const TIMING_TESTS: Record<string, string> = {
  'electron/core/media/ingest-timing.test.ts': 'stall detection and back-off measured on the wall clock',
  'electron/core/audit/audit-export.test.ts': 'measures how long the event loop is blocked',
  'electron/core/cameras/onvif-timing.test.ts': 'per-request ONVIF time limits measured on the wall clock',
  'electron/core/host/slow-seat.test.ts': 'event delivery gaps measured on the wall clock while a seat falls behind',
  'electron/core/live/live.test.ts': 'simulator; live latency against the burned-in capture time',
  'electron/core/breaches/breach-watch.test.ts': 'measures how long hashing recording files blocks the event loop',
};

/**
 * The engine's tests that run a second time on PostgreSQL (docs/design/scale.md): every test engine
 * of these files gets its own database in one throwaway cluster (testing/pg-global-setup.ts), so
 * the same commands, records and checks are held on both stores. Files that test what only SQLite
 * has (its file, its pragmas, migrating an old SQLite file) stay SQLite-only.
 */
/** Files about what only a site on PostgreSQL has (several nodes): in the `postgres` project only. */
export const POSTGRES_ONLY: string[] = ['electron/core/nodes/camera-leases.test.ts', 'electron/core/nodes/event-relay.test.ts', 'electron/core/audit/audit-several-writers.test.ts', 'electron/core/store/postgres-roles.test.ts'];

export const POSTGRES_TESTS: string[] = [
  ...POSTGRES_ONLY,
  'electron/core/nodes/nodes.test.ts',
  'electron/core/audit/audit-chain.test.ts',
  'electron/core/audit/audit-bounds.test.ts',
  'electron/core/audit/audit-csv-stores.test.ts',
  'electron/core/audit/audit-anchor.test.ts',
  'electron/core/audit/audit-checkpoints.test.ts',
  'electron/core/engine.test.ts',
  'electron/main/desktop-seat.test.ts',
  'electron/core/breaches/breaches.test.ts',
  'electron/core/breaches/register-export.test.ts',
  'electron/core/seats/seats.test.ts',
  'electron/core/cameras/camera-passwords.test.ts',
  'electron/core/cameras/retention-maximum.test.ts',
  'electron/core/dispatcher-fuzz.test.ts',
  'electron/core/auth/auth-hardening.test.ts',
  'electron/core/auth/password-age.test.ts',
  'electron/core/access-review/access-review.test.ts',
  'electron/core/exports/exports-masks.test.ts',
  'electron/core/exports/exports-production.test.ts',
  'electron/core/exports/exports-data-subject.test.ts',
  'electron/core/exports/exports.test.ts',
  'electron/core/exports/tracking/track-box.test.ts',
  'electron/core/exports/export-attempts.test.ts',
  'electron/core/incidents/incidents.test.ts',
  'electron/core/media/ffmpeg-path.test.ts',
  'electron/core/access/access-grants.test.ts',
  'electron/core/recording/recorder.test.ts',
  'electron/core/recording/retention.test.ts',
  'electron/core/recording/retention-quarantine.test.ts',
  'electron/core/events/events-visibility.test.ts',
  'electron/core/events/events-delivery.test.ts',
  'electron/core/alarms/footage-grant.test.ts',
  'electron/core/playback/playback.test.ts',
  'electron/core/secrets/scoped-secret-store.test.ts',
  'electron/core/secrets/credential-secret-store.test.ts',
  'electron/core/subject-requests/subject-requests-export.test.ts',
  'electron/core/subject-requests/subject-requests.test.ts',
  'electron/core/host/tls-identity.test.ts',
  'electron/core/live/walls.test.ts',
  'electron/core/masks/masks.test.ts',
  'electron/core/masks/report.test.ts',
  'shared/contract/authorization-matrix.test.ts',
  'shared/contract/visibility-matrix.test.ts',
];

const INCLUDE = ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts', 'tools/**/*.test.ts'];
const MEDIA = Object.keys(MEDIA_TESTS);
const TIMING = Object.keys(TIMING_TESTS);

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Three projects in one run, one after the other (sequence.groupOrder): `unit` two files at a
    // time, `media` three, then `timing` one at a time. `vitest run --project unit` runs one of them.
    projects: [
      { extends: true, test: { name: 'unit', include: INCLUDE, exclude: [...configDefaults.exclude, ...MEDIA, ...TIMING, ...POSTGRES_ONLY], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'media', include: MEDIA, maxWorkers: 3, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'timing', include: TIMING, fileParallelism: false, sequence: { groupOrder: 2 } } },
      { extends: true, test: { name: 'postgres', include: POSTGRES_TESTS, globalSetup: ['electron/core/testing/pg-global-setup.ts'], maxWorkers: 2, sequence: { groupOrder: 3 } } },
    ],
  },
});
