// The Node seat client of a site engine (docs/design/site-engine.md "Seats"). No Electron import:
// the desktop app's main process uses it as a thin adapter, tools and tests use it as it is.
export { enrol, SeatRefusedError, type Enrolment } from './enrol';
export { forgetEnrolment, loadEnrolment, saveEnrolment } from './keychain';
export { fetchMedia, pinnedAgent, WrongSiteError, type MediaResponse } from './pinning';
export { connect, SeatClient, type SeatClientOptions, type SeatState } from './seat-client';
export { learnSiteNodes, siteNodeOrigins } from './site-nodes';
