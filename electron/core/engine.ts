// The engine: plain Node, never imports 'electron' (docs/design/overview.md §2). Composes one
// handler set per feature (shared/contract/index.ts FEATURES) around the dispatcher, so it runs
// inside Electron main, headless in host mode, and in tests alike.
import path from 'node:path';
import type { AuditVerifyReport, EngineEvent } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { AccessReviewService } from './access-review/access-review-service';
import { createAccessReviewHandlers } from './access-review/handlers';
import { ReviewSchedule } from './access-review/review-schedule';
import { AccessGrantsService } from './access/grants-service';
import { createAccessHandlers } from './access/handlers';
import { startGrantExpiry } from './access/expiry';
import { createAdminHandlers } from './admin/handlers';
import { GroupsService } from './admin/groups-service';
import { SettingsService } from './admin/settings-service';
import { createAlarmHandlers } from './alarms/handlers';
import { AlarmsService } from './alarms/alarms-service';
import { AuditLog } from './audit/audit-log';
import { AuditTrail } from './audit/audit-trail';
import { createAuditHandlers } from './audit/handlers';
import { createAuthHandlers } from './auth/handlers';
import { proposeForAnchor, proposeForVerification, proposing } from './breaches/audit-proposals';
import type { BreachWatch } from './breaches/breach-watch';
import { createBreachWatch } from './breaches/watch-setup';
import { BreachesService } from './breaches/breaches-service';
import { createBreachHandlers } from './breaches/handlers';
import { IdleLock } from './auth/idle-lock';
import { SessionRegistry } from './auth/sessions';
import { SignInThrottle } from './auth/throttle';
import { UsersService } from './auth/users-service';
import { CamerasService } from './cameras/cameras-service';
import { createCameraHandlers } from './cameras/handlers';
import { createNodeOnvifClient, type OnvifClient } from './cameras/onvif';
import type { Clock } from './clock';
import { Dispatcher, type Connection, type Handlers } from './dispatcher';
import { EventBus } from './events/event-bus';
import { ExportsService, type ExportProducer } from './exports/exports-service';
import { createExportHandlers } from './exports/handlers';
import { produceExport } from './exports/production/produce';
import { createHoldsHandlers } from './holds/handlers';
import { createMaskHandlers } from './masks/handlers';
import { MasksService } from './masks/masks-service';
import { HoldsService } from './holds/holds-service';
import { createIncidentHandlers } from './incidents/handlers';
import { IncidentsService } from './incidents/incidents-service';
import { createLiveHandlers } from './live/handlers';
import { LiveService, type LiveOptions } from './live/live-service';
import { WallsService } from './live/walls-service';
import type { Logger } from './logger';
import { resolveFfmpeg, type FfmpegLookup } from './media/ffmpeg-path';
import { createMediaRoutes, startMediaServer, type MediaRoutes } from './media/media-server';
import { RtspRelay } from './media/rtsp-relay';
import { createPlaybackHandlers } from './playback/handlers';
import { PlaybackService } from './playback/playback-service';
import { PlaybackSessionsLog } from './playback/playback-sessions';
import { createRecordingHandlers } from './recording/handlers';
import { RecordingService, type RecordingOptions } from './recording/recording-service';
import { scopedSecretStore, secretScope } from './secrets/scoped-secret-store';
import { createKeytarSecretStore, type SecretStore } from './secrets/secret-store';
import { createSeatHandlers } from './seats/handlers';
import { SeatRecords } from './seats/seat-records';
import { SeatsService } from './seats/seats-service';
import { createSiteHandlers } from './site/handlers';
import { createSubjectRequestHandlers } from './subject-requests/handlers';
import { linkedRecords } from './subject-requests/linked-records';
import { SubjectRequestsService } from './subject-requests/subject-requests-service';
import { siteSigningKey, type SigningKeySource } from './site/site-key';
import { SiteService } from './site/site-service';
import type { Store } from './store/db';
import { openEngineStore } from './store/open';
import { CameraAssignment, joiningTheSite, type NodeOptions } from './nodes/camera-assignment';
import { SiteEventRelay, type SiteChange } from './nodes/event-relay';
import { PtzSiteHolders } from './ptz/ptz-site';
import { startSessionWatch } from './nodes/session-watch';
import { RemoteFiles } from './nodes/remote-files';
import { remoteKeyframe } from './nodes/remote-still';
import { createSiteSecretStore } from './secrets/site-secret-store';
import { SiteMedia } from './nodes/site-media';
import { createNodeHandlers } from './nodes/handlers';
import { createPtzConnector, type PtzConnector } from './cameras/onvif-ptz';
import { createPtzHandlers } from './ptz/handlers';
import { PtzService } from './ptz/ptz-service';
import { PtzStore } from './ptz/ptz-store';

export interface EngineDeps {
  clock: Clock;
  dataDir: string;
  logger: Logger;
  /** The site's PostgreSQL database (`--database postgres://...`, docs/design/scale.md); absent: the
   *  embedded SQLite store in the data directory. */
  database?: string;
  /** This engine as one node of several sharing the PostgreSQL database (docs/design/scale.md "Nodes"):
   *  cameras are recorded by the node holding their lease. Absent: one machine records every camera. */
  node?: NodeOptions;
  /** Camera passwords (OS keychain through keytar by default). */
  secrets?: SecretStore;
  /** ffmpeg: configured path, then the app's bundled copy, then PATH. */
  ffmpeg?: FfmpegLookup;
  onvif?: OnvifClient;
  /** Pan-tilt-zoom through ONVIF, and its time rules (tests shorten them; docs/design/ptz.md). */
  ptz?: { connector?: PtzConnector; idleReleaseMs?: number; deadManMs?: number };
  /** Live-view tuning (tests shorten these). */
  live?: Pick<LiveOptions, 'viewIdleMs' | 'subGraceMs' | 'stallMs'>;
  /** Recordings root (default: DATA_DIR/recordings) and recorder tuning. */
  recording?: Partial<Pick<RecordingOptions, 'root' | 'rollMs' | 'flushIntervalMs' | 'storageCheckMs' | 'statfs' | 'timers' | 'onAppended'>>;
  /** Export production and the site's signing key (tests replace them). */
  exports?: { producer?: ExportProducer; signingKey?: SigningKeySource };
  /** The site engine's TLS identity (host/tls-identity.ts): with it, seats enrol (docs/design/site-engine.md). */
  site?: { fingerprint: string; caPem?: string; secretsKey?: Buffer };
}

/** What a transport (Electron IPC, the host's WebSocket) and the process that runs the engine use. */
export interface Engine {
  /** Where media URLs point (the engine's own HTTP server on 127.0.0.1), unless the connection names its own. */
  readonly mediaOrigin: string;
  /** The media routes (/live/, /vod/, /download/), for a host that serves them on its own port. */
  readonly media: MediaRoutes;
  /** Seat enrolment and authentication, for the site engine's host (docs/design/site-engine.md). */
  readonly seats: Pick<SeatsService, 'enrol' | 'authenticate' | 'attach' | 'registerLocally'>;
  /** Runs one command for one connection. Never throws. */
  dispatch(connection: Connection, name: unknown, payload: unknown): Promise<Result<unknown>>;
  /** A transport calls this when a window or socket goes away: its session ends (audited). */
  disconnect(connectionId: string): Promise<void>;
  /** Pushes the events the session on this connection may see, as the commands decide it
   *  (docs/design/events.md). A push that throws ends the subscription. Returns the unsubscribe. */
  subscribe(connectionId: string, push: (event: EngineEvent) => void): () => void;
  verifyAudit(): Promise<AuditVerifyReport>;
  /** Several nodes: the other nodes' origins, where this node's seats also fetch live media
   *  (docs/design/scale.md "Seats on any node"); the page's CSP names them. */
  otherNodeOrigins(): readonly string[];
  close(): Promise<void>;
}

/** The engine's parts, for tests and benchmarks only (electron/core/testing/engine-for-tests.ts). */
export interface EngineInternals {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly auditTrail: AuditTrail;
  readonly alarms: AlarmsService;
  readonly live: LiveService;
  readonly recording: RecordingService;
  readonly playback: PlaybackService;
  readonly exports: ExportsService;
  readonly events: EventBus;
  /** Its timer reads the engine's clock: tests that move that clock far pause it. */
  readonly idleLock: IdleLock;
  /** The register of data-subject requests: tests run its deadline sweep after moving the clock. */
  readonly subjects: SubjectRequestsService;
  /** Tests run the expiry pass when they move the clock past a grant's end. */
  readonly grantExpiry: { runOnce(): Promise<void> };
  /** Tests run its check when they move the clock past a review's due date. */
  readonly accessReviewSchedule: ReviewSchedule;
  /** Reminders, bursts of refusals, recording files, the daily verification: tests call its steps after moving the clock. */
  readonly breachWatch: BreachWatch;
  /** PTZ sessions: tests apply its rules (sweep) after moving the clock. */
  readonly ptz: PtzService;
}

export async function createEngine(deps: EngineDeps): Promise<Engine> {
  return (await assembleEngine(deps)).engine;
}

/** Builds the engine and keeps its parts reachable. Production code calls createEngine. */
export async function assembleEngine(deps: EngineDeps): Promise<{ engine: Engine; internals: EngineInternals }> {
  const { clock, dataDir, logger } = deps;
  const store = await openEngineStore(dataDir, { database: deps.database, node: deps.node?.name, logger });
  const audit = await AuditLog.open(store.db, clock, logger, dataDir, { joiningTheSite: await joiningTheSite(store, deps.node) });
  // Pushed events (docs/design/events.md): services publish where a change happens.
  const events = new EventBus({ clock, logger });
  const alarms = new AlarmsService(store.db, clock, audit, logger, events);
  const settings = await SettingsService.open(store.db);
  const sessions = new SessionRegistry(clock);
  const idleLock = new IdleLock(sessions, audit, () => settings.security.idleLockMinutes, logger);
  const users = new UsersService(store.db, clock);
  const groups = new GroupsService(store.db, clock);
  // The register of authorised persons (docs/design/authorised-persons.md): every change of rights goes through it.
  const grants = new AccessGrantsService(store.db, clock, () => settings.security.accessApprovers, () => groups.names());
  const throttle = new SignInThrottle(store.db, clock);
  // Entries of this data directory only: the keychain is shared by every engine of the machine's user.
  const secrets = scopedSecretStore(deps.secrets ?? createKeytarSecretStore(), await secretScope(store.db));
  const site = new SiteService(store.db, deps.exports?.signingKey ?? siteSigningKey(secrets));
  // Before anything else appends: an anchor that disagrees with the log holds the engine (docs/design/audit-chain.md).
  const auditTrail = await AuditTrail.start({ audit, alarms, sessions, clock, logger, dataDir, store, signingKey: site.signingKey, siteTimeZone: () => site.timeZone() });
  // Several nodes: camera passwords in the site's database, sealed under the site's secrets key, so
  // the node taking a camera over opens its password (docs/design/scale.md "Camera passwords on every node").
  const cameraSecrets = deps.node && deps.site?.secretsKey ? createSiteSecretStore({ db: store.db, key: deps.site.secretsKey, local: secrets, nowMs: () => clock.nowMs() }) : secrets;
  const cameras = new CamerasService(store.db, clock, cameraSecrets);
  const ffmpeg = resolveFfmpeg(deps.ffmpeg ?? {});
  if ('error' in ffmpeg) logger.error(ffmpeg.error);
  // ffmpeg connects to cameras through this relay and never gets their passwords (argv is public).
  const rtspRelay = await RtspRelay.start({ logger });
  const live = new LiveService({ clock, logger, audit, sessions, cameras, ffmpeg, relay: rtspRelay, events, ...deps.live });

  const recording = new RecordingService({ db: store.db, clock, logger, audit, alarms, live, root: path.join(dataDir, 'recordings'), node: deps.node?.name, ...deps.recording });
  const playback = new PlaybackService(recording.index, clock, sessions, cameras);
  const mediaRoutes = createMediaRoutes(live, { playback, recordingsRoot: recording.root }, auditTrail.downloads);
  const media = await startMediaServer(mediaRoutes, logger);
  live.mediaOrigin = media.origin;
  auditTrail.downloads.origin = media.origin;
  playback.mediaOrigin = media.origin;
  // A site engine's seat reaches media at the origin it connected to (the host's TLS port).
  const mediaOrigins = new Map<string, string>();
  live.originOf = playback.originOf = auditTrail.downloads.originOf = (connectionId) => mediaOrigins.get(connectionId);
  const seats = new SeatsService({ records: new SeatRecords(store.db), clock, audit, fingerprint: deps.site?.fingerprint ?? null });
  await recording.start();
  const holds = new HoldsService(store.db, clock, events);
  const masks = new MasksService(store.db, clock);
  const incidents = new IncidentsService(store.db, clock, events);
  // The breach register (docs/design/breaches.md): a broken audit trail proposes a record (JON 23).
  const breaches = new BreachesService(store.db, clock, audit, events);
  await proposing(logger, proposeForAnchor(breaches, audit.anchorFinding));
  const verifyAudit = async (): Promise<AuditVerifyReport> => {
    const report = await auditTrail.verify();
    await proposing(logger, proposeForVerification(breaches, report));
    return report;
  };
  // What the engine watches for the breach register (docs/design/breaches.md "Proposed by the engine").
  const breachWatch = createBreachWatch({ db: store.db, clock, logger, audit, breaches, alarms, verify: verifyAudit, recording, site });
  const exports = new ExportsService({
    db: store.db,
    clock,
    logger,
    audit,
    holds,
    site,
    masks,
    producer: deps.exports?.producer ?? { produce: produceExport },
    exportsDir: path.join(dataDir, 'exports'),
    recordings: recording.index,
    recordingsRoot: recording.root,
    ffmpegPath: 'error' in ffmpeg ? null : ffmpeg.path,
    checkpoints: auditTrail.checkpoints,
    events,
  });
  // Delivery filtered per connection by the visibility the commands use, cached per session and cameras version.
  events.attach({
    sessionOf: (connectionId) => sessions.get(connectionId),
    visibleCameraIds: (userId) => cameras.visibleIds(userId),
    visibilityVersion: () => cameras.version,
    lookups: { incidentCameras: (id) => incidents.cameraIdsOf(id), holdCameras: (id) => holds.cameraIdsOf(id), exportAudience: (id) => exports.audience(id) },
  });
  holds.exportsUnderHold = exports.awaitingHandoverUnder;
  // The register of data-subject requests (docs/design/subject-requests.md): near and overdue deadlines pushed to its readers.
  const subjects = new SubjectRequestsService(store.db, clock, () => site.country(), events, linkedRecords(holds, exports));
  await exports.recover();
  exports.startPackageSweeper();

  // A lock or an end of a session stops its seat's media at that moment (BRN 33.3).
  // Pan-tilt-zoom (docs/design/ptz.md): one holder per camera; a locked or ended session stops its moves and lets go.
  const ptzStore = new PtzStore(store.db, clock);
  const ptz = new PtzService({ clock, logger, audit, events, cameras, store: ptzStore, connector: deps.ptz?.connector ?? createPtzConnector(), idleReleaseMs: deps.ptz?.idleReleaseMs, deadManMs: deps.ptz?.deadManMs, masks });
  sessions.onChange((s, event, elsewhere) => {
    void ptz.endSessionsOf(s.id, event === 'locked' ? 'console_locked' : 'session_ended').catch((err: unknown) => logger.error('ending PTZ sessions failed', { error: err }));
    const ids = { connectionId: s.connectionId, sessionId: s.id };
    events.publish(event === 'locked' ? { type: 'session.locked', ...ids } : { type: 'session.ended', ...ids, elsewhere });
    void live.endViewsOf(s.connectionId, event === 'locked' ? 'console locked' : 'session ended').catch((err: unknown) => logger.error('ending live views failed', { error: err }));
    playback.closeFor(s.connectionId);
    masks.endLiftsOf(s.id);
  });

  // Several nodes (docs/design/scale.md): this one ingests and records the cameras it holds a lease on.
  const node = deps.node ? { ...deps.node, ...(deps.site ? { caFingerprint: deps.site.fingerprint } : {}) } : undefined;
  const assignment = new CameraAssignment({ store, node, clock, logger, cameras, live, recording });
  // A seat signed in here watches cameras the other nodes ingest (docs/design/scale.md "Seats on any node").
  const siteNode = deps.node && assignment.leases ? { node: deps.node.name, media: new SiteMedia({ db: store.db, node: deps.node.name, logger, nowMs: () => clock.nowMs(), nodeAliveMs: assignment.leases.leaseMs }) } : null;
  if (siteNode) {
    await siteNode.media.start();
    sessions.observer = (s, change) => siteNode.media.record(s, change);
    live.site = siteNode.media;
    // One holder per PTZ camera for the whole site, whichever node its seat is signed in at.
    ptz.site = new PtzSiteHolders({ db: store.db, node: siteNode.node, nowMs: () => clock.nowMs() });
    playback.site = { ...siteNode, logger };
    exports.production.remoteFiles = exports.tracking.remoteFiles = new RemoteFiles({ node: siteNode.node, media: siteNode.media, caPem: deps.site?.caPem ?? null });
  }
  // Pushed events reach the seats of every node (nodes/event-relay.ts).
  // Changes to the site's configuration made at another node: what this one keeps of it in memory is
  // read again, and the cameras it ingests take a new address or new masks at the source at once.
  const changedElsewhere = (change: SiteChange) => {
    if (change === 'settings') {
      site.forget();
      void recording.reloadSettings().catch((err: unknown) => logger.error('reading the storage settings another node changed failed', { error: err }));
      return void settings.reload().catch((err: unknown) => logger.error('reading the settings another node changed failed', { error: err }));
    }
    cameras.changedElsewhere();
    void assignment.changed().catch((err: unknown) => logger.error('applying camera changes another node made failed', { error: err }));
    // A camera given privacy masks at another node is no longer steered here either (docs/design/ptz.md).
    void ptz.camerasChangedElsewhere().catch((err: unknown) => logger.error('ending PTZ control after a masks change at another node failed', { error: err }));
  };
  const eventRelay = siteNode && store.kind === 'postgres' && deps.database ? new SiteEventRelay({ db: store.db, databaseUrl: deps.database, node: siteNode.node, bus: events, logger, changedElsewhere }) : null;
  await eventRelay?.start();
  const camerasChanged = () => assignment.changed();
  // Masking at the source (docs/design/privacy-masks.md): ingests burn the current permanent masks in,
  // and a new version restarts them before masks.save answers.
  live.permanentMasks = (cameraId) => masks.liveMasks(cameraId);
  masks.onSaved(() => camerasChanged().catch((err: unknown) => logger.error('restarting ingests after a masks change failed', { error: err })));
  // A camera that gains privacy masks is no longer steered (docs/design/ptz.md): its holder lets go.
  masks.onSaved((cameraId) => ptz.masksChanged(cameraId).catch((err: unknown) => logger.error('ending PTZ control after a masks change failed', { cameraId, error: err })));
  // The periodic access review (docs/design/access-review.md; BRN art. 34(1)(ii)): opened when due,
  // an alarm when overdue; its revokes take rights away at once.
  const accessReviews = new AccessReviewService(store.db, clock, audit, { activeUsers: () => users.list(false), groupNames: () => groups.names(), cameraGroups: () => cameras.all() }, () => settings.security.accessReviewMonths);
  const accessReviewSchedule = new ReviewSchedule({ db: store.db, clock, logger, alarms, reviews: accessReviews, months: () => settings.security.accessReviewMonths });
  const handlers: Handlers = {
    ...createAuthHandlers({ users, settings, sessions, throttle, clock, grants }),
    ...createAdminHandlers({ users, groups, settings, sessions, throttle, cameras, alarms, clock, grants }),
    ...createAccessHandlers({ grants, users, sessions, cameras, site, downloads: auditTrail.downloads, dataDir, clock }),
    ...createAuditHandlers({ audit, trail: { verify: verifyAudit, exportCsv: (f, o, fmt) => auditTrail.exportCsv(f, o, fmt) }, playbackSessions: new PlaybackSessionsLog(store.db) }),
    ...auditTrail.guard.wrapAlarmHandlers(createAlarmHandlers({ alarms })),
    ...createCameraHandlers({ cameras, groups, live, onvif: deps.onvif ?? createNodeOnvifClient(), camerasChanged }),
    ...createMaskHandlers({
      masks,
      cameras,
      live,
      ffmpegPath: 'error' in ffmpeg ? null : ffmpeg.path,
      credentials: { users, settings, throttle },
      clock,
      groups,
      users,
      site,
      downloads: auditTrail.downloads,
      dataDir,
      remoteKeyframe: siteNode ? (s, cameraId, timeoutMs) => remoteKeyframe({ media: siteNode.media, caPem: deps.site?.caPem ?? null }, { connectionId: s.connectionId, sessionId: s.id, userId: s.userId, username: s.username }, cameraId, timeoutMs) : null,
    }),
    ...createLiveHandlers({ cameras, live, masks, walls: new WallsService(store.db, clock), seats, site: siteNode }),
    ...createRecordingHandlers({ recording, cameras, alarms }),
    ...createHoldsHandlers({ holds, clock }),
    ...createPlaybackHandlers({ playback, sessionsLog: new PlaybackSessionsLog(store.db), incidents, holds, masks, clock }),
    ...createIncidentHandlers({ incidents, cameras, clock }),
    ...createExportHandlers({ exports, clock }),
    ...createSiteHandlers({ site }),
    ...createSeatHandlers({ seats }),
    ...createBreachHandlers({ breaches, clock, site, downloads: auditTrail.downloads, dataDir }),
    ...createPtzHandlers({ ptz, store: ptzStore }),
    ...createSubjectRequestHandlers({ subjects, clock, linked: linkedRecords(holds, exports), cameras, users, site, downloads: auditTrail.downloads, dataDir }),
    ...createAccessReviewHandlers({ reviews: accessReviews, schedule: accessReviewSchedule, revoke: { users, cameras, sessions, clock, grants }, register: { site, users, downloads: auditTrail.downloads, dataDir, clock } }),
    ...createNodeHandlers({ db: store.db, clock, leases: assignment.leases, bytesByNode: () => recording.index.bytesByNode() }),
  };
  const dispatcher = new Dispatcher({
    handlers,
    audit,
    sessions,
    idleLock,
    logger,
    gate: auditTrail.guard.gate,
    visibleCameraIds: (userId) => cameras.visibleIds(userId),
    // Every camera, or camera-tied object, a command names: exists and is visible (overview §6).
    scope: {
      camera: async (id, v) => v.cameraIds.has(id),
      hold: (id, v) => holds.isVisible(id, v),
      incident: (id, v) => incidents.isVisible(id, v),
      export: (id, v) => exports.isVisible(id, v),
    },
  });

  await audit.append({
    actor: 'system',
    action: 'engine.started',
    target: 'engine',
    outcome: 'allowed',
    details: { pid: process.pid, ffmpeg: 'error' in ffmpeg ? 'missing' : ffmpeg.source, ...(deps.node ? { node: deps.node.name } : {}) },
  });
  await assignment.start();
  idleLock.start();
  ptz.start();
  // Several nodes: the site's scheduled jobs run on the one node holding their lease (camera-leases.ts).
  const siteJobsHere = () => assignment.leases?.runsSiteJobs ?? true;
  breachWatch.runsSiteJobs = siteJobsHere;
  // The files of retired nodes are reported lost by the node that runs the site's jobs (one node, once).
  recording.index.reportsRetiredNodes = () => assignment.leases !== null && assignment.leases.runsSiteJobs;
  accessReviewSchedule.runsHere = siteJobsHere;
  breachWatch.start();
  subjects.start((err) => logger.error('the data-subject requests deadline sweep failed', { error: err }), siteJobsHere);
  const grantExpiry = startGrantExpiry({ grants, sessions, audit, cameras, logger, runsHere: siteJobsHere });
  // Several nodes: accounts changed at another node end their sessions here too (nodes/session-watch.ts).
  const sessionWatch = siteNode ? startSessionWatch({ db: store.db, sessions, audit, logger }) : null;
  accessReviewSchedule.start();
  auditTrail.run();
  logger.info('engine started', { dataDir });

  let closed = false;
  const engine: Engine = {
    mediaOrigin: media.origin,
    media: mediaRoutes,
    seats,
    dispatch: (connection, name, payload) => {
      if (closed) return Promise.resolve({ ok: false, error: { kind: 'Unavailable', message: 'The engine is shutting down.' } });
      if (connection.mediaOrigin) mediaOrigins.set(connection.id, connection.mediaOrigin);
      return dispatcher.dispatch(connection, name, payload);
    },
    async disconnect(connectionId) {
      mediaOrigins.delete(connectionId);
      dispatcher.forget(connectionId);
      const s = sessions.end(connectionId);
      if (s) {
        await audit.append({ actor: s.username, action: 'session.ended', target: `session:${s.id}`, outcome: 'allowed', details: { reason: 'disconnected' } });
      }
    },
    subscribe: (connectionId, push) => events.subscribe(connectionId, push),
    verifyAudit,
    otherNodeOrigins: () => assignment.leases?.otherOrigins ?? [],
    async close() {
      if (closed) return;
      closed = true;
      idleLock.stop();
      await breachWatch.stop();
      subjects.stop();
      grantExpiry.stop();
      sessionWatch?.stop();
      accessReviewSchedule.stop();
      auditTrail.close();
      await ptz.close();
      await exports.close();
      await assignment.stop();
      await recording.close();
      await live.closeAll();
      await rtspRelay.close();
      await media.close();
      for (const s of sessions.all()) {
        sessions.end(s.connectionId, true);
        await audit.append({ actor: s.username, action: 'session.ended', target: `session:${s.id}`, outcome: 'allowed', details: { reason: 'engine stopped' } });
      }
      await siteNode?.media.stop();
      await eventRelay?.stop();
      events.close();
      await audit.append({ actor: 'system', action: 'engine.stopped', target: 'engine', outcome: 'allowed' });
      await audit.drain();
      await store.close();
    },
  };
  return { engine, internals: { store, audit, auditTrail, alarms, live, recording, playback, exports, events, idleLock, grantExpiry, accessReviewSchedule, subjects, breachWatch, ptz } };
}
