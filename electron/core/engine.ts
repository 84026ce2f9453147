// The engine: plain Node, never imports 'electron' (DESIGN §2). Constructed with its dependencies
// so it runs inside Electron main, headless in host mode, and in tests alike.
import type { Clock } from './clock';
import { AuditLog } from './audit/audit-log';
import { verifyAuditChain } from './audit/verify';
import { SessionRegistry } from './auth/sessions';
import { SignInThrottle } from './auth/throttle';
import { UsersService } from './auth/users-service';
import { GroupsService } from './admin/groups-service';
import { SettingsService } from './admin/settings-service';
import { Dispatcher, type Connection } from './dispatcher';
import { createHandlers } from './handlers';
import type { Logger } from './logger';
import { openStore, type Store } from './store/db';
import type { Result } from '../../shared/result';
import type { AuditVerifyReport } from '../../shared/contract';
import { createCameraHandlers } from './cameras/camera-handlers';
import { CamerasService } from './cameras/cameras-service';
import { createNodeOnvifClient, type OnvifClient } from './cameras/onvif';
import { resolveFfmpeg, type FfmpegLookup } from './media/ffmpeg-path';
import { LiveService, type LiveOptions } from './media/live-service';
import { startMediaServer } from './media/media-server';
import { createKeytarSecretStore, type SecretStore } from './secrets/secret-store';
import { HoldsService } from './recording/holds-service';
import { createPlaybackHandlers } from './playback/playback-handlers';
import { createCoverageHandlers } from './playback/coverage-handlers';
import { createIncidentHandlers } from './incidents/incident-handlers';
import { IncidentsService } from './incidents/incidents-service';
import { createExportHandlers } from './exports/export-handlers';
import { ExportsService, type ExportProducer, type SigningKeySource } from './exports/exports-service';
import { produceExport } from './exports/production/produce';
import { siteSigningKey } from './exports/site-signing-key';
import { PlaybackService } from './playback/playback-service';
import { createRecordingHandlers } from './recording/recording-handlers';
import { RecordingService, type RecordingOptions } from './recording/recording-service';
import path from 'node:path';

export interface EngineDeps {
  clock: Clock;
  dataDir: string;
  logger: Logger;
  /** Camera passwords (OS keychain through keytar by default). */
  secrets?: SecretStore;
  /** ffmpeg: configured path, then the app's bundled copy, then PATH. */
  ffmpeg?: FfmpegLookup;
  onvif?: OnvifClient;
  /** Live-view tuning (tests shorten these). */
  live?: Pick<LiveOptions, 'viewIdleMs' | 'subGraceMs' | 'stallMs'>;
  /** Recordings root (default: DATA_DIR/recordings) and recorder tuning. */
  recording?: Partial<Pick<RecordingOptions, 'root' | 'rollMs' | 'flushIntervalMs' | 'storageCheckMs' | 'statfs' | 'timers' | 'onAppended'>>;
  /** Export production and the site's signing key (tests replace them). */
  exports?: { producer?: ExportProducer; signingKey?: SigningKeySource };
}

export interface Engine {
  /** Where media URLs point (the engine's own HTTP server on 127.0.0.1). */
  readonly mediaOrigin: string;
  readonly live: LiveService;
  readonly recording: RecordingService;
  readonly playback: PlaybackService;
  readonly exports: ExportsService;
  /** Runs one command for one connection. Never throws. */
  dispatch(connection: Connection, name: unknown, payload: unknown): Promise<Result<unknown>>;
  /** A transport calls this when a window or socket goes away: its session ends (audited). */
  disconnect(connectionId: string): Promise<void>;
  verifyAudit(): AuditVerifyReport;
  readonly store: Store;
  readonly audit: AuditLog;
  close(): Promise<void>;
}

export async function createEngine(deps: EngineDeps): Promise<Engine> {
  const { clock, dataDir, logger } = deps;
  const store = await openStore(dataDir);
  const audit = await AuditLog.open(store.db, clock, logger, dataDir);
  const settings = await SettingsService.open(store.db);
  const sessions = new SessionRegistry(clock);
  const users = new UsersService(store.db, clock);
  const groups = new GroupsService(store.db, clock);
  const throttle = new SignInThrottle(store.db, clock);
  const verify = () => verifyAuditChain(store.sqlite, dataDir, () => clock.nowMs());
  const secrets = deps.secrets ?? createKeytarSecretStore();
  const cameras = new CamerasService(store.db, clock, secrets);
  const ffmpeg = resolveFfmpeg(deps.ffmpeg ?? {});
  if ('error' in ffmpeg) logger.error(ffmpeg.error);
  const live = new LiveService({ clock, logger, audit, sessions, cameras, ffmpeg, ...deps.live });

  const recording = new RecordingService({ db: store.db, clock, logger, audit, live, root: path.join(dataDir, 'recordings'), ...deps.recording });
  const playback = new PlaybackService(store.db, clock, sessions, cameras);
  const media = await startMediaServer(live, logger, { playback, recordingsRoot: recording.root });
  live.mediaOrigin = media.origin;
  playback.mediaOrigin = media.origin;
  await recording.start();
  const holds = new HoldsService(store.db, clock);
  const exports = new ExportsService({
    db: store.db,
    clock,
    logger,
    audit,
    holds,
    producer: deps.exports?.producer ?? { produce: produceExport },
    signingKey: deps.exports?.signingKey ?? siteSigningKey(secrets),
    exportsDir: path.join(dataDir, 'exports'),
    recordingsRoot: recording.root,
    ffmpegPath: 'error' in ffmpeg ? null : ffmpeg.path,
  });
  await exports.recover();
  exports.startPackageSweeper();
  const camerasChanged = async () => {
    await live.syncCameras();
    recording.syncCameras(await cameras.all());
  };
  const handlers = {
    ...createHandlers({ users, groups, settings, sessions, throttle, audit, clock, verifyAudit: verify, store, cameras }),
    ...createCameraHandlers({ db: store.db, cameras, live, onvif: deps.onvif ?? createNodeOnvifClient(), clock, camerasChanged }),
    ...createRecordingHandlers({ db: store.db, recording, holds, cameras, clock }),
    ...createPlaybackHandlers({ playback, cameras, db: store.db, clock }),
    ...createCoverageHandlers({ playback, cameras }),
    ...createIncidentHandlers({ incidents: new IncidentsService(store.db, clock), cameras, clock }),
    ...createExportHandlers({ exports, cameras, db: store.db, clock }),
  };
  const dispatcher = new Dispatcher({ handlers, audit, sessions, idleLockMinutes: () => settings.security.idleLockMinutes, logger });

  await audit.append({
    actor: 'system',
    action: 'engine.started',
    target: 'engine',
    outcome: 'allowed',
    details: { pid: process.pid, ffmpeg: 'error' in ffmpeg ? 'missing' : ffmpeg.source },
  });
  await camerasChanged();
  logger.info('engine started', { dataDir });

  let closed = false;
  return {
    store,
    audit,
    live,
    recording,
    playback,
    exports,
    mediaOrigin: media.origin,
    dispatch: (connection, name, payload) =>
      closed ? Promise.resolve({ ok: false, error: { kind: 'Unavailable', message: 'The engine is shutting down.' } }) : dispatcher.dispatch(connection, name, payload),
    async disconnect(connectionId) {
      const s = sessions.end(connectionId);
      if (s) {
        await audit.append({ actor: s.username, action: 'session.ended', target: `session:${s.id}`, outcome: 'allowed', details: { reason: 'disconnected' } });
      }
    },
    verifyAudit: verify,
    async close() {
      if (closed) return;
      closed = true;
      await exports.close();
      await recording.close();
      await live.closeAll();
      await media.close();
      for (const s of sessions.all()) {
        sessions.end(s.connectionId);
        await audit.append({ actor: s.username, action: 'session.ended', target: `session:${s.id}`, outcome: 'allowed', details: { reason: 'engine stopped' } });
      }
      await audit.append({ actor: 'system', action: 'engine.stopped', target: 'engine', outcome: 'allowed' });
      await audit.drain();
      await store.close();
    },
  };
}
