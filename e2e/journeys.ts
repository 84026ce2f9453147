// Which journeys run in the `media` project (playwright.config.ts) and which in `screens`; both
// two at a time, `media` after `screens`. A journey belongs to `media` when it starts the camera
// simulator (pictures whose latency and timing the journey checks) or writes to the keychain
// (camera passwords, the site's signing key). Every journey of one run shares one throwaway keyring
// (scripts/with-keyring.sh); each engine's entries are under its data directory's own scope
// (electron/core/secrets/scoped-secret-store.ts), so two journeys side by side do not share camera
// 1's password. e2e/journeys.test.ts fails when a journey that starts the simulator is missing here.
export const MEDIA_JOURNEYS = ['exports.spec.ts', 'live-wall.spec.ts', 'live-fragments.spec.ts', 'nodes-live.spec.ts', 'masks-footage.spec.ts', 'playback.spec.ts', 'privacy-masks.spec.ts', 'ptz.spec.ts', 'seats.spec.ts'];
