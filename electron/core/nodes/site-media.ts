// A seat signed in at one node watches cameras another node ingests and plays back files on other
// nodes' disks (docs/design/scale.md "Seats on any node"). Each camera has one RTSP connection for
// the whole site: the node holding its lease. A seat's node does not open a second one, nor copy
// files; it grants the view, or the playback's files, on the node that has them, through the shared
// database, and gives the seat that node's URL:
// - the seat's sessions are written here as they change (started, locked, unlocked, ended), in
//   order, retried until the database takes them (site_sessions);
// - a grant (media_grants) holds only the token's SHA-256; the serving node claims it once, at the
//   first request, and from then checks it on every request (live views also every second):
//   the session not ended, not locked, its role still allowed, its node still alive (a node that
//   stopped renewing has lost its seats: they sign in again elsewhere), the grant not ended;
// - each node writes its streams' states (stream_states), so a seat's tile says what the camera does
//   wherever it is ingested.
// Fail closed: a check the database cannot answer refuses the request and ends the view.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StreamKind } from '../../../shared/cameras';
import type { StreamStatusView } from '../../../shared/contract';
import { ROLES, type Permission, type Role } from '../../../shared/roles';
import type { Session, SessionChange } from '../auth/sessions';
import type { Logger } from '../logger';
import { databaseNowMs } from '../store/dialect';
import type { Database, MediaGrantsTable } from '../store/schema';

/** A live view's grant not claimed within this long is dead (the seat asks for its playlist at once);
 *  a playback's lasts as the playback does (its files may be reached an hour into the range). */
export const CLAIM_WINDOW_MS = 60_000;
/** Ended grants are kept this long (the views themselves are in the audit log), then deleted. */
const KEEP_ENDED_MS = 86_400_000;
/** A session's standing is read again after this long (so a lock reaches other nodes within ~2 s). */
const STANDING_CACHE_MS = 1000;

export interface RemoteGrant {
  /** What the session must still be allowed: live.view, or cameras.manage for a still of the masks editor. */
  permission: Permission;
  viewId: string;
  sessionId: string;
  userId: number;
  username: string;
  cameraId: number;
  stream: StreamKind;
}

export interface RemotePlayback {
  playbackId: string;
  sessionId: string;
  userId: number;
  username: string;
  cameraIds: number[];
  fromMs: number;
  toMs: number;
  /** How long it has left (its end is on the database's clock; each node's own may differ). */
  remainingMs: number;
}

export type Standing = { ok: true; role: Role; parked: boolean } | { ok: false; why: string };

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Where a grant is served, for which view, session and person. */
type GrantHolder = { node: string; viewId: string; connectionId: string; sessionId: string; userId: number; username: string };

type Pending = { id: string; node: string; userId: number; username: string; role: Role; parked: boolean; change: SessionChange };

export class SiteMedia {
  private readonly pending: Pending[] = [];
  private draining: Promise<void> | null = null;
  private failingSince: number | null = null;
  private readonly standings = new Map<string, { standing: Standing; atMono: number }>();
  private lastPrune = 0;
  private stopped = false;

  constructor(
    private readonly o: {
      db: Kysely<Database>;
      node: string;
      logger: Logger;
      nowMs: () => number;
      /** A node that has not renewed within this long has lost its seats (its lease time). */
      nodeAliveMs: number;
      retryMs?: number;
    },
  ) {}

  private now(): Promise<number> {
    return databaseNowMs(this.o.db, this.o.nowMs);
  }

  /** At start: what this node's seats had before it stopped is over (a restart signs everyone out). */
  async start(): Promise<void> {
    const now = await this.now();
    await this.o.db.updateTable('site_sessions').set({ ended_at_ms: now }).where('node', '=', this.o.node).where('ended_at_ms', 'is', null).execute();
    await this.o.db
      .updateTable('media_grants')
      .set({ ended_at_ms: now, end_reason: 'node restarted' })
      .where((eb) => eb.or([eb('issued_by', '=', this.o.node), eb('node', '=', this.o.node)]))
      .where('ended_at_ms', 'is', null)
      .execute();
    await this.o.db.deleteFrom('stream_states').where('node', '=', this.o.node).execute();
  }

  // ---- The seat's node: its sessions, and the grants it issues ----

  /** SessionRegistry.observer: queued in order, written by one writer, retried until written. */
  record(s: Session, change: SessionChange): void {
    if (this.stopped) return;
    this.pending.push({ id: s.id, node: this.o.node, userId: s.userId, username: s.username, role: s.role, parked: s.parked, change });
    void this.drain();
  }

  /** Resolves once every change recorded so far is in the database (a grant is issued only then). */
  async written(timeoutMs = 5000): Promise<boolean> {
    const end = performance.now() + timeoutMs;
    while (this.pending.length > 0) {
      const left = end - performance.now();
      if (left <= 0) return false;
      // The writer retries for as long as the database is away: wait for it at most what is left.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.draining ?? this.drain(), new Promise((r) => (timer = setTimeout(r, Math.min(left, 250))))]);
      clearTimeout(timer);
    }
    return true;
  }

  private drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        while (this.pending.length > 0 && !this.stopped) {
          try {
            await this.write(this.pending[0]!);
            this.pending.shift();
            if (this.failingSince !== null) {
              this.o.logger.warn('sessions written for the other nodes again', { node: this.o.node, afterMs: Math.round(performance.now() - this.failingSince) });
              this.failingSince = null;
            }
          } catch (err) {
            if (this.failingSince === null) {
              this.failingSince = performance.now();
              this.o.logger.error('sessions could not be written for the other nodes (retrying; their media checks fail closed meanwhile)', { node: this.o.node, error: err instanceof Error ? err.message : String(err) });
            }
            await new Promise((r) => setTimeout(r, this.o.retryMs ?? 1000));
          }
        }
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private async write(p: Pending): Promise<void> {
    const now = await this.now();
    const db = this.o.db;
    if (p.change === 'started') {
      await db
        .insertInto('site_sessions')
        .values({ id: p.id, node: p.node, user_id: p.userId, username: p.username, role: p.role, parked: p.parked ? 1 : 0, locked: 0, started_at_ms: now, ended_at_ms: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    } else if (p.change === 'unlocked') {
      await db.updateTable('site_sessions').set({ locked: 0 }).where('id', '=', p.id).execute();
    } else {
      // A lock or an end stops the seat's media everywhere, for good (as on its own node: BRN 33.3).
      const why = p.change === 'ended' ? 'session ended' : 'console locked';
      await db.transaction().execute(async (trx) => {
        if (p.change === 'ended') await trx.updateTable('site_sessions').set({ ended_at_ms: now }).where('id', '=', p.id).where('ended_at_ms', 'is', null).execute();
        else await trx.updateTable('site_sessions').set({ locked: 1 }).where('id', '=', p.id).execute();
        await trx.updateTable('media_grants').set({ ended_at_ms: now, end_reason: why }).where('session_id', '=', p.id).where('ended_at_ms', 'is', null).execute();
      });
    }
  }

  /** A view of `cameraId` on `node` for this session: the token goes to the seat, only its hash to the database. */
  async grant(g: { node: string; connectionId: string; sessionId: string; userId: number; username: string; cameraId: number; stream: StreamKind; still?: true }): Promise<{ viewId: string; token: string }> {
    const viewId = randomUUID();
    const token = await this.insertGrant({ ...g, viewId, kind: g.still ? 'still' : 'live', camera_id: g.cameraId, stream: g.stream, camera_ids: null, from_ms: null, to_ms: null });
    return { viewId, token };
  }

  /** The files on `node`'s disk of a playback opened here (its id is the grant's view id): the
   *  same cameras, range and end as the playback itself. */
  grantPlayback(g: { node: string; playbackId: string; connectionId: string; sessionId: string; userId: number; username: string; cameraIds: readonly number[]; fromMs: number; toMs: number; remainingMs: number }): Promise<string> {
    return this.insertGrant({ ...g, viewId: g.playbackId, kind: 'playback', camera_id: 0, stream: 'recorded', camera_ids: g.cameraIds.join(','), from_ms: g.fromMs, to_ms: g.toMs, expires_in_ms: g.remainingMs });
  }

  /** `expires_in_ms`: nodes' clocks differ, so a playback's end is written on the database's. */
  private async insertGrant(g: GrantHolder & Pick<MediaGrantsTable, 'kind' | 'camera_id' | 'stream' | 'camera_ids' | 'from_ms' | 'to_ms'> & { expires_in_ms?: number }): Promise<string> {
    if (!(await this.written())) throw new Error('this node cannot write its sessions to the database');
    const token = randomBytes(24).toString('base64url');
    const now = await this.now();
    await this.o.db
      .insertInto('media_grants')
      .values({
        token_hash: tokenHash(token),
        view_id: g.viewId,
        node: g.node,
        issued_by: this.o.node,
        connection_id: g.connectionId,
        session_id: g.sessionId,
        user_id: g.userId,
        username: g.username,
        kind: g.kind,
        camera_id: g.camera_id,
        stream: g.stream,
        camera_ids: g.camera_ids,
        from_ms: g.from_ms,
        to_ms: g.to_ms,
        expires_at_ms: g.expires_in_ms === undefined ? null : now + g.expires_in_ms,
        created_at_ms: now,
        claimed_at_ms: null,
        ended_at_ms: null,
        end_reason: null,
      })
      .execute();
    void this.prune();
    return token;
  }

  /** A session of a producer's own, to fetch an export's files from other nodes (nodes/remote-files.ts):
   *  their role, camera groups and standing (an inactive or parked account has none), checked by the
   *  other node on every request; `end` ends it and its grants. */
  async productionSession(username: string): Promise<{ id: string; userId: number; end(): Promise<void> }> {
    const user = await this.o.db.selectFrom('users').select(['id', 'role', 'active', 'access_state']).where('username', '=', username).executeTakeFirst();
    const role = ROLES.find((r) => r === user?.role);
    if (!user || !role || user.active !== 1) throw new Error(`${username} has no active account to fetch recordings from other nodes with`);
    const pending: Pending = { id: `production:${randomUUID()}`, node: this.o.node, userId: user.id, username, role, parked: user.access_state !== 'granted', change: 'started' };
    await this.write(pending);
    return { id: pending.id, userId: user.id, end: () => this.write({ ...pending, change: 'ended' }) };
  }

  private urls: { atMono: number; byNode: Map<string, string> } | null = null;

  /** Where seats reach a node (read again after 5 s); null for a node the site does not know. */
  async urlOf(node: string): Promise<string | null> {
    if (!this.urls || performance.now() - this.urls.atMono > 5000 || !this.urls.byNode.has(node)) {
      const rows = await this.o.db.selectFrom('nodes').select(['name', 'url']).execute();
      this.urls = { atMono: performance.now(), byNode: new Map(rows.map((r) => [r.name, r.url.replace(/\/+$/, '')])) };
    }
    return this.urls.byNode.get(node) ?? null;
  }

  /** The seat closed a view granted elsewhere: the serving node ends it at its next check. */
  async endGrant(connectionId: string, viewId: string, reason: string): Promise<boolean> {
    const r = await this.o.db
      .updateTable('media_grants')
      .set({ ended_at_ms: await this.now(), end_reason: reason })
      .where('issued_by', '=', this.o.node)
      .where('connection_id', '=', connectionId)
      .where('view_id', '=', viewId)
      .where('ended_at_ms', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Live views granted elsewhere for a connection that still stand (claimed, or young enough to be). */
  async openGrants(connectionId: string): Promise<string[]> {
    const now = await this.now();
    const rows = await this.o.db
      .selectFrom('media_grants')
      .select('view_id')
      .where('issued_by', '=', this.o.node)
      .where('connection_id', '=', connectionId)
      .where('kind', '!=', 'playback')
      .where('ended_at_ms', 'is', null)
      .where((eb) => eb.or([eb('claimed_at_ms', 'is not', null), eb('created_at_ms', '>', now - CLAIM_WINDOW_MS)]))
      .execute();
    return rows.map((r) => r.view_id);
  }

  /** The node holding a camera's lease now, and where seats reach it. */
  async holderOf(cameraId: number): Promise<{ node: string; url: string } | null> {
    const now = await this.now();
    const row = await this.o.db
      .selectFrom('camera_leases as l')
      .innerJoin('nodes as n', 'n.name', 'l.node')
      .select(['n.name', 'n.url'])
      .where('l.camera_id', '=', cameraId)
      .where('l.expires_at_ms', '>', now)
      .executeTakeFirst();
    return row ? { node: row.name, url: row.url.replace(/\/+$/, '') } : null;
  }

  /** The states of the cameras' streams on the nodes holding them now (a camera nobody holds: absent). */
  async statesOf(cameraIds: readonly number[]): Promise<Map<number, { node: string; main: StreamStatusView | null; sub: StreamStatusView | null }>> {
    const out = new Map<number, { node: string; main: StreamStatusView | null; sub: StreamStatusView | null }>();
    if (cameraIds.length === 0) return out;
    const now = await this.now();
    const rows = await this.o.db
      .selectFrom('camera_leases as l')
      .leftJoin('stream_states as s', (j) => j.onRef('s.camera_id', '=', 'l.camera_id').onRef('s.node', '=', 'l.node'))
      .select(['l.camera_id', 'l.node', 's.stream', 's.state', 's.detail', 's.transcoding', 's.since_ms'])
      .where('l.camera_id', 'in', [...cameraIds])
      .where('l.expires_at_ms', '>', now)
      .execute();
    for (const r of rows) {
      const entry = out.get(r.camera_id) ?? { node: r.node, main: null, sub: null };
      out.set(r.camera_id, entry);
      if (r.stream !== 'main' && r.stream !== 'sub') continue;
      entry[r.stream] = { state: r.state as StreamStatusView['state'], detail: r.detail, transcoding: r.transcoding === 1, sinceMs: Number(r.since_ms) };
    }
    return out;
  }

  // ---- The ingesting node: claims, checks, and its streams' states ----

  /** The claim of a grant with that token for this node, not claimed or ended before (each kind adds its own conditions). */
  private claiming(token: string, now: number) {
    return this.o.db
      .updateTable('media_grants')
      .set({ claimed_at_ms: now })
      .where('token_hash', '=', tokenHash(token))
      .where('node', '=', this.o.node)
      .where('claimed_at_ms', 'is', null)
      .where('ended_at_ms', 'is', null);
  }

  /** The grant for this node with that token, claimed now; null when unknown, for another node,
   *  already claimed, ended, or too old. One request wins: the claim is one conditional update. */
  async claim(token: string): Promise<RemoteGrant | null> {
    const now = await this.now();
    const row = await this.claiming(token, now)
      .where('kind', 'in', ['live', 'still'])
      .where('created_at_ms', '>', now - CLAIM_WINDOW_MS)
      .returning(['view_id', 'session_id', 'user_id', 'username', 'camera_id', 'stream', 'kind'])
      .executeTakeFirst();
    if (!row || (row.stream !== 'main' && row.stream !== 'sub')) return null;
    const permission = row.kind === 'still' ? 'cameras.manage' : 'live.view';
    return { viewId: row.view_id, sessionId: row.session_id, userId: row.user_id, username: row.username, cameraId: row.camera_id, stream: row.stream, permission };
  }

  /** The playback grant for this node with that token, claimed now (once; the node keeps it until
   *  it ends); null when unknown, for another node, claimed, ended or expired. */
  async claimPlayback(token: string): Promise<RemotePlayback | null> {
    const now = await this.now();
    const row = await this.claiming(token, now)
      .where('kind', '=', 'playback')
      // No claim window: a reviewer may reach this node's files an hour into a long range.
      .where('expires_at_ms', '>', now)
      .returning(['view_id', 'session_id', 'user_id', 'username', 'camera_ids', 'from_ms', 'to_ms', 'expires_at_ms'])
      .executeTakeFirst();
    if (!row || row.camera_ids === null || row.from_ms === null || row.to_ms === null || row.expires_at_ms === null) return null;
    return {
      playbackId: row.view_id,
      sessionId: row.session_id,
      userId: row.user_id,
      username: row.username,
      cameraIds: row.camera_ids.split(',').map(Number),
      fromMs: Number(row.from_ms),
      toMs: Number(row.to_ms),
      remainingMs: Number(row.expires_at_ms) - now,
    };
  }

  /** Whether each granted view still stands: its grant not ended, its session current and unlocked,
   *  its node alive. Read together, cached a second per view; unreadable: refused. */
  async standing(viewIds: readonly string[]): Promise<Map<string, Standing>> {
    const out = new Map<string, Standing>();
    const ask: string[] = [];
    for (const id of viewIds) {
      const hit = this.standings.get(id);
      if (hit && performance.now() - hit.atMono < STANDING_CACHE_MS) out.set(id, hit.standing);
      else ask.push(id);
    }
    if (ask.length === 0) return out;
    let read: Map<string, Standing>;
    try {
      read = await this.readStanding(ask);
    } catch (err) {
      this.o.logger.warn('granted views could not be checked against the database: refused', { error: err instanceof Error ? err.message : String(err) });
      read = new Map(ask.map((id) => [id, { ok: false, why: 'session not checked (database unavailable)' }]));
    }
    const atMono = performance.now();
    for (const [id, standing] of read) {
      out.set(id, standing);
      this.standings.set(id, { standing, atMono });
    }
    if (this.standings.size > 10_000) this.standings.clear();
    return out;
  }

  private async readStanding(viewIds: readonly string[]): Promise<Map<string, Standing>> {
    const now = await this.now();
    const rows = await this.o.db
      .selectFrom('media_grants as g')
      .leftJoin('site_sessions as s', 's.id', 'g.session_id')
      .leftJoin('nodes as n', 'n.name', 's.node')
      .select(['g.view_id', 'g.ended_at_ms as grant_ended', 'g.end_reason', 's.id as session', 's.ended_at_ms as session_ended', 's.locked', 's.role', 's.parked', 'n.seen_at_ms'])
      .where('g.node', '=', this.o.node)
      .where('g.view_id', 'in', [...viewIds])
      .execute();
    const out = new Map<string, Standing>(viewIds.map((id) => [id, { ok: false, why: 'unknown view' }]));
    for (const r of rows) {
      let standing: Standing;
      const role = ROLES.find((x) => x === r.role) ?? null;
      if (r.grant_ended !== null) standing = { ok: false, why: r.end_reason ?? 'view ended' };
      else if (r.session === null || r.session_ended !== null || role === null) standing = { ok: false, why: 'session ended' };
      else if (r.seen_at_ms === null || Number(r.seen_at_ms) <= now - this.o.nodeAliveMs) standing = { ok: false, why: 'session ended (its node is gone)' };
      else if (r.locked === 1) standing = { ok: false, why: 'console locked' };
      else standing = { ok: true, role, parked: r.parked === 1 };
      out.set(r.view_id, standing);
    }
    return out;
  }

  /** This node ended a granted view: the seat's node stops listing it. */
  async viewEnded(viewId: string, reason: string): Promise<void> {
    this.standings.delete(viewId);
    await this.o.db.updateTable('media_grants').set({ ended_at_ms: await this.now(), end_reason: reason }).where('node', '=', this.o.node).where('view_id', '=', viewId).where('ended_at_ms', 'is', null).execute();
  }

  /** A stream's state as this node sees it, for the seats of the other nodes; null: stopped here. */
  async publishState(cameraId: number, stream: StreamKind, s: StreamStatusView | null): Promise<void> {
    if (s === null) {
      await this.o.db.deleteFrom('stream_states').where('camera_id', '=', cameraId).where('stream', '=', stream).where('node', '=', this.o.node).execute();
      return;
    }
    const row = { state: s.state, detail: s.detail, transcoding: s.transcoding ? 1 : 0, since_ms: s.sinceMs };
    await this.o.db
      .insertInto('stream_states')
      .values({ camera_id: cameraId, stream, node: this.o.node, ...row })
      .onConflict((oc) => oc.columns(['camera_id', 'stream', 'node']).doUpdateSet(row))
      .execute();
  }

  /** Ended grants older than a day go (once an hour at most, from grant). */
  private async prune(): Promise<void> {
    if (performance.now() - this.lastPrune < 3_600_000 && this.lastPrune !== 0) return;
    this.lastPrune = performance.now();
    try {
      const now = await this.now();
      await this.o.db
        .deleteFrom('media_grants')
        .where('created_at_ms', '<', now - KEEP_ENDED_MS)
        .where((eb) => eb.or([eb('ended_at_ms', 'is not', null), eb('claimed_at_ms', 'is', null)]))
        .execute();
    } catch (err) {
      this.o.logger.warn('old media grants not pruned', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Stops retrying; what is still queued is lost with the node's sessions (its restart ends them). */
  async stop(): Promise<void> {
    await this.written(2000);
    this.stopped = true;
  }
}
