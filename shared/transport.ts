// What both transports (Electron IPC, host WebSocket) carry: a command name, a payload, a Result;
// and, from the engine, pushed events (docs/design/events.md).
import type { CommandName, EngineEvent, RequestOf, ResponseOf } from './contract';
import type { Result } from './result';

export interface ConsoleApi {
  call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<Result<ResponseOf<N>>>;
  /**
   * Events the engine pushes to this connection, filtered by its session's visibility; returns the
   * unsubscribe. Optional: a transport without it leaves the seat to poll. What arrives is data from
   * another process: parse it with the contract's `engineEvent` schema before use. Nothing is
   * replayed after a reconnect: a seat reloads its lists then.
   */
  onEvent?(listener: (event: EngineEvent) => void): () => void;
  /**
   * Desktop app only: each change of its link to the engine (a seat of a site engine reconnects, or
   * is refused for good). The embedded engine is always `connected`. Returns the unsubscribe.
   */
  onConnection?(listener: (status: LinkStatus) => void): () => void;
  /** Desktop app only: how this PC reaches its engine (first start, enrolment with a site engine). */
  desktop?: DesktopApi;
}

/** The single IPC channel the preload uses for commands. */
export const IPC_CHANNEL = 'console:call';
/** The IPC channel main pushes events on (main to renderer only). */
export const IPC_EVENT_CHANNEL = 'console:event';
/** The IPC channel main pushes the link state on (main to renderer only). */
export const IPC_LINK_CHANNEL = 'console:link';
/** The IPC channel of the desktop app's set-up (first start, enrolment), renderer to main. */
export const IPC_DESKTOP_CHANNEL = 'console:desktop';
/** WebSocket path of the host transport. */
export const WS_PATH = '/ws';

export interface WireRequest {
  id: number;
  name: string;
  payload: unknown;
}
export interface WireResponse {
  id: number;
  result: Result<unknown>;
}
/** A pushed event on the host socket (a frame without `id`). */
export interface WireEvent {
  event: EngineEvent;
}

// --- The desktop app's link and set-up (docs/design/site-engine.md "The desktop app as a seat") ---

/** Why a site engine refused this PC for good (no retry): the renderer words each one. */
export type LinkRefusal = 'revoked' | 'not-enrolled' | 'wrong-certificate' | 'wrong-name' | 'keychain';

/**
 * The link of a desktop window to its engine. `state` uses the words of the host transport's
 * connection state (renderer/api/connection.ts), plus `refused`, which is final. `seq` grows with
 * every change of one link, so a listener keeps the newest of what it was sent and what it asked.
 * After `reconnected` the engine has ended the session that was signed in (sessions belong to a socket).
 */
export type LinkStatus = { seq: number } & (
  | { state: 'connecting' | 'connected' | 'reconnected' }
  | { state: 'lost'; attempt: number; retryInMs: number }
  | { state: 'refused'; reason: LinkRefusal; message: string }
);

export type DesktopMode = 'embedded' | 'site';

/** A site engine as the person may see it: never the credential. */
export interface DesktopSite {
  address: string;
  fingerprint: string;
  seatName: string;
  room: string;
}

export interface DesktopStatus {
  /** null: not chosen yet, the first-start screen is shown. */
  mode: DesktopMode | null;
  /** The site engine this PC is, or last was, enrolled with. */
  site: DesktopSite | null;
  /** False once that engine refused this PC for good (revoked, unknown): a new code is needed. */
  siteEnrolled: boolean;
  link: LinkStatus;
}

/** Why setting up failed, for the renderer to word; `message` is the English detail. */
export type DesktopRefusal =
  | 'bad-address'
  | 'bad-fingerprint'
  | 'bad-code'
  | 'expired-code'
  | 'used-code'
  | 'too-many'
  | 'revoked'
  | 'not-enrolled'
  | 'wrong-certificate'
  | 'wrong-name'
  | 'unreachable'
  | 'not-a-site-engine'
  | 'fingerprint-mismatch'
  | 'no-pending'
  | 'keychain'
  | 'engine-failed'
  | 'failed';

export type DesktopOutcome<T> = { ok: true; value: T } | { ok: false; refusal: DesktopRefusal; message: string };

/** An enrolment the engine granted; kept only once the person confirmed the fingerprint (or typed it before). */
export interface PendingEnrolment extends DesktopSite {
  pendingId: string;
  /** True when the fingerprint was typed before enrolling and matched: nothing left to confirm. */
  kept: boolean;
}

export interface DesktopApi {
  status(): Promise<DesktopStatus>;
  /** Runs the engine inside this app; the window reloads. */
  useEmbedded(): Promise<DesktopOutcome<null>>;
  /** Trades a one-time code for this PC's seat credential (kept in main, never sent here). */
  enrol(request: { address: string; code: string; fingerprint?: string }): Promise<DesktopOutcome<PendingEnrolment>>;
  /** Keeps a pending enrolment (optionally after comparing a typed fingerprint); the window reloads. */
  keep(request: { pendingId: string; fingerprint?: string }): Promise<DesktopOutcome<null>>;
  /** Drops a pending enrolment whose fingerprint did not match. */
  discard(request: { pendingId: string }): Promise<DesktopOutcome<null>>;
  /** Connects again with the enrolment this PC still keeps for `status().site`; the window reloads. */
  useKeptSite(): Promise<DesktopOutcome<null>>;
  /** Back to the first-start choice (the app restarts); the enrolment stays in the keychain. */
  changeMode(): Promise<DesktopOutcome<null>>;
  /** Restarts the app with the same choice (after the keychain was unlocked, say). */
  restart(): Promise<DesktopOutcome<null>>;
}

/** The operations of IPC_DESKTOP_CHANNEL, one per DesktopApi method. */
export const DESKTOP_OPS = ['status', 'useEmbedded', 'enrol', 'keep', 'discard', 'useKeptSite', 'changeMode', 'restart'] as const satisfies readonly (keyof DesktopApi)[];
export type DesktopOp = (typeof DESKTOP_OPS)[number];
