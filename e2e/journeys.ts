// Which journeys run one at a time (playwright.config.ts, project `media`) and which two at a time
// (project `screens`). A journey belongs to `media` when it starts the camera simulator (a core of
// its own, and pictures whose latency and timing the journey checks) or writes to the keychain
// (camera passwords, the site's signing key): every journey of one run shares one throwaway keyring
// (scripts/with-keyring.sh), and its entries are per camera id and per site. e2e/journeys.test.ts
// fails when a journey that starts the simulator is missing here.
export const MEDIA_JOURNEYS = ['exports.spec.ts', 'live-wall.spec.ts', 'playback.spec.ts', 'seats.spec.ts'];
