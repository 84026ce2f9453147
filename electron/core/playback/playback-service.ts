// Playback sessions (R3): a token bound to (user, session, cameras, time range, expiry),
// issued only after the audit entry with the reason is committed (the dispatcher writes it before
// the handler runs). The media server serves recorded bytes only inside a live token's scope.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../../shared/roles';
import { sessionMay, type SessionRegistry } from '../auth/sessions';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { unpackGops } from '../recording/gop-index';
import type { Logger } from '../logger';
import { SharedClaims } from '../nodes/shared-claims';
import type { SiteMedia } from '../nodes/site-media';
import type { RecordingIndex } from '../recording/recording-index';
import { FileLinesCache, vodPlaylist, type PlaylistFile } from './vod-playlist';

export interface PlaybackGrant {
  id: string;
  token: string;
  userId: number;
  username: string;
  sessionId: string;
  connectionId: string;
  cameraIds: ReadonlySet<number>;
  fromMs: number;
  toMs: number;
  expiresAtMs: number;
  /** When the first recorded byte was served (R3 test: the audit entry is older). */
  firstByteAtMs: number | null;
  /** Several nodes: granted by the seat's node for the files on this node's disk; its session is
   *  checked in the site's database (docs/design/scale.md "Seats on any node"). */
  remote?: true;
  /** Several nodes: this playback's token on each node holding some of its files. */
  elsewhere?: Map<string, Promise<string>>;
}

/** Several nodes: this node's name, and the site's grants (nodes/site-media.ts). */
export interface SitePlayback {
  node: string;
  media: Pick<SiteMedia, 'grantPlayback' | 'claimPlayback' | 'standing' | 'urlOf' | 'endGrant'>;
  logger: Logger;
}

/** A grant lasts this long; a longer review opens a new session (with its reason, again audited). */
export const PLAYBACK_TTL_MS = 2 * 3_600_000;

export class PlaybackService {
  private grants = new Map<string, PlaybackGrant>();
  private byToken = new Map<string, PlaybackGrant>();
  /** Playlist lines of complete files (see FileLinesCache). */
  readonly lines = new FileLinesCache();
  mediaOrigin = '';
  /** The origin a connection reaches the engine's media at, when not mediaOrigin (site engine seats: docs/design/site-engine.md). */
  originOf: (connectionId: string) => string | undefined = () => undefined;
  site: SitePlayback | null = null;
  private readonly claims = new SharedClaims<PlaybackGrant>();

  constructor(
    /** Recorded files and their keyframe indexes: playback never queries the recording tables itself. */
    private readonly index: RecordingIndex,
    private readonly clock: Clock,
    private readonly sessions: SessionRegistry,
    private readonly cameras: CamerasService,
  ) {}

  open(s: { id: string; connectionId: string; userId: number; username: string }, cameraIds: number[], fromMs: number, toMs: number): PlaybackGrant {
    this.prune();
    const g: PlaybackGrant = {
      id: randomUUID(),
      token: randomBytes(24).toString('base64url'),
      userId: s.userId,
      username: s.username,
      sessionId: s.id,
      connectionId: s.connectionId,
      cameraIds: new Set(cameraIds),
      fromMs,
      toMs,
      expiresAtMs: this.clock.nowMs() + PLAYBACK_TTL_MS,
      firstByteAtMs: null,
    };
    this.grants.set(g.id, g);
    this.byToken.set(g.token, g);
    return g;
  }

  urlFor(g: PlaybackGrant, cameraId: number): string {
    return `${this.originOf(g.connectionId) ?? this.mediaOrigin}/vod/${cameraId}/${g.token}/index.m3u8`;
  }

  grant(id: string): PlaybackGrant | undefined {
    return this.grants.get(id);
  }

  close(id: string): void {
    const g = this.grants.get(id);
    if (!g) return;
    this.grants.delete(id);
    this.byToken.delete(g.token);
    // Its files on other nodes: they refuse the tokens at the next request.
    if (g.elsewhere?.size && this.site) {
      const site = this.site;
      void site.media.endGrant(g.connectionId, g.id, 'playback closed').catch((err: unknown) => site.logger.warn('a playback’s grants on other nodes not ended (they end with the session)', { playbackId: g.id, error: err instanceof Error ? err.message : String(err) }));
    }
  }

  /** Ends every grant of a seat at once (its session locked or ended: BRN 33.3). */
  closeFor(connectionId: string): void {
    for (const g of [...this.grants.values()]) if (g.connectionId === connectionId) this.close(g.id);
  }

  /** Drops grants that can never serve again: expired, or their session ended (sign-out, replaced). */
  private prune(): void {
    const now = this.clock.nowMs();
    for (const g of [...this.grants.values()]) {
      if (now >= g.expiresAtMs) this.close(g.id);
      // A grant another node made is checked against the database at each request, not here.
      else if (!g.remote) {
        const current = this.sessions.current(g.connectionId, g.sessionId);
        if (!current.ok && current.why === 'session ended') this.close(g.id);
      }
    }
  }

  /** Checked on every VOD request: token, expiry, session (not locked), role, camera in scope and visible. */
  async authorize(token: string, cameraId: number): Promise<{ ok: true; grant: PlaybackGrant } | { ok: false; why: string }> {
    const g = this.byToken.get(token) ?? (await this.claimGrant(token));
    if (!g) return { ok: false, why: 'no playback session' };
    if (this.clock.nowMs() >= g.expiresAtMs) {
      this.close(g.id);
      return { ok: false, why: 'playback session expired' };
    }
    const standing = g.remote ? ((await this.site?.media.standing([g.id]))?.get(g.id) ?? { ok: false as const, why: 'session not checked' }) : this.localStanding(g);
    if (!standing.ok) {
      if (g.remote) this.close(g.id);
      return standing;
    }
    if (!sessionMay(standing, 'playback.view')) return { ok: false, why: 'role may not play back' };
    if (!g.cameraIds.has(cameraId)) return { ok: false, why: 'camera outside the playback session' };
    if (!(await this.cameras.isVisibleTo(g.userId, cameraId))) return { ok: false, why: 'camera not visible' };
    return { ok: true, grant: g };
  }

  private localStanding(g: PlaybackGrant): { ok: true; role: Role; parked: boolean } | { ok: false; why: string } {
    const current = this.sessions.current(g.connectionId, g.sessionId);
    return current.ok ? { ok: true, role: current.session.role, parked: current.session.parked } : current;
  }

  /** A token this node does not know: the files on this disk of a playback another node opened,
   *  claimed once (first requests at once share the claim), then kept until it ends. */
  private claimGrant(token: string): Promise<PlaybackGrant | null> {
    const site = this.site;
    if (!site) return Promise.resolve(null);
    return this.claims.run(token, async () => {
      const r = await site.media.claimPlayback(token).catch((err: unknown) => {
        site.logger.warn('a playback granted by another node could not be claimed (database unavailable)', { error: err instanceof Error ? err.message : String(err) });
        return null;
      });
      if (!r) return null;
      const g: PlaybackGrant = {
        id: r.playbackId,
        token,
        userId: r.userId,
        username: r.username,
        sessionId: r.sessionId,
        connectionId: `site:${r.sessionId}`,
        cameraIds: new Set(r.cameraIds),
        fromMs: r.fromMs,
        toMs: r.toMs,
        expiresAtMs: this.clock.nowMs() + r.remainingMs,
        firstByteAtMs: null,
        remote: true,
      };
      this.grants.set(g.id, g);
      this.byToken.set(token, g);
      return g;
    });
  }

  /** Where a file of this playback is fetched: here (relative), or on the node holding it, with
   *  this playback's token there (granted at the first file it holds); null: a node the site does not know. */
  private async baseFor(g: PlaybackGrant, cameraId: number, node: string): Promise<string | undefined | null> {
    const site = this.site;
    if (!site || node === site.node) return undefined;
    const url = await site.media.urlOf(node);
    if (!url) return null;
    g.elsewhere ??= new Map();
    let token = g.elsewhere.get(node);
    if (!token) {
      token = site.media.grantPlayback({ node, playbackId: g.id, connectionId: g.connectionId, sessionId: g.sessionId, userId: g.userId, username: g.username, cameraIds: [...g.cameraIds], fromMs: g.fromMs, toMs: g.toMs, remainingMs: g.expiresAtMs - this.clock.nowMs() });
      g.elsewhere.set(node, token);
      token.catch(() => g.elsewhere?.delete(node));
    }
    return `${url}/vod/${cameraId}/${await token}/`;
  }

  /**
   * Recorded spans of each camera in [fromMs, toMs), for the timeline: files that touch or nearly
   * touch (closer than mergeGapMs) are one span; what lies between spans is a gap. Times only.
   */
  async coverage(cameraIds: readonly number[], fromMs: number, toMs: number, mergeGapMs: number): Promise<{ cameraId: number; spans: { fromMs: number; toMs: number }[] }[]> {
    const rows = await this.index.overlappingTimes(cameraIds, fromMs, toMs);
    return cameraIds.map((cameraId) => {
      const spans: { fromMs: number; toMs: number }[] = [];
      for (const r of rows) {
        if (r.cameraId !== cameraId) continue;
        const a = Math.max(fromMs, r.startMs);
        const b = Math.min(toMs, r.endMs);
        if (b <= a) continue;
        const last = spans.at(-1);
        if (last && a - last.toMs <= mergeGapMs) last.toMs = Math.max(last.toMs, b);
        else spans.push({ fromMs: a, toMs: b });
      }
      return { cameraId, spans };
    });
  }

  async playlist(g: PlaybackGrant, cameraId: number): Promise<string> {
    const files: PlaylistFile[] = [];
    for (const f of await this.index.overlappingFiles(cameraId, g.fromMs, g.toMs)) {
      const base = await this.baseFor(g, cameraId, f.node);
      if (base === null) continue;
      files.push({ id: f.id, startMs: f.startMs, endMs: f.endMs, initBytes: f.initBytes, complete: f.complete, gops: null, ...(base ? { base } : {}) });
    }
    // Keyframe indexes only for what the cache does not hold (open files, edges of the range, new files).
    const need = files.filter((f) => !(f.complete && !f.base && f.startMs >= g.fromMs && f.endMs <= g.toMs && this.lines.get(f.id))).map((f) => f.id);
    const gops = await this.index.keyframeIndexes(need);
    for (const f of files) f.gops = gops.get(f.id) ?? null;
    return vodPlaylist(files, g.fromMs, g.toMs, this.lines);
  }

  /**
   * The file of a recording and the byte ranges of it inside the grant's scope: its init segment,
   * and the contiguous run of keyframe groups that overlap the time range. Null when outside.
   */
  async file(g: PlaybackGrant, cameraId: number, recordingId: number): Promise<{ path: string; initBytes: number; from: number; to: number } | null> {
    const r = await this.index.readableFile(cameraId, recordingId);
    // Only files on this node's disk are served here (the playlist sends the others to their node).
    if (!r || (this.site && r.node !== this.site.node)) return null;
    const start = r.startMs;
    const inScope = unpackGops(r.gops).filter((x) => start + x.startRelMs + x.durationMs > g.fromMs && start + x.startRelMs < g.toMs);
    if (inScope.length === 0) return null;
    const last = inScope.at(-1)!;
    return { path: r.path, initBytes: r.initBytes, from: inScope[0]!.offset, to: last.offset + last.size };
  }

  markFirstByte(g: PlaybackGrant): void {
    g.firstByteAtMs ??= this.clock.nowMs();
  }
}
