// Which node of a site ingests and records each camera (docs/design/scale.md "Leases"). Several
// engines share one PostgreSQL database; each camera is held by one node at a time through a lease
// row renewed every `renewMs` and valid for `leaseMs`, both on the database's clock:
// - a camera's home node claims it whenever it is up; a node that holds another node's camera hands
//   it back once that node is seen again (failback);
// - a camera whose lease ran out (its node stopped renewing: crashed, killed, cut off) is claimed by
//   the live node holding fewest cameras (failover);
// - a node that cannot renew stops its cameras when its own leases end, measured on its monotonic
//   clock from when the last successful renewal was sent, a margin early: another node may claim
//   them only after the database's clock passes the same end, so no two nodes record one camera at
//   once for longer than the time it takes to stop an ingest.
// Each tick is one transaction; the site's write lock (store/postgres.ts) makes the ticks of all
// nodes run one at a time, so two nodes never claim one camera.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from '../logger';
import { databaseNowMs } from '../store/dialect';
import type { Database } from '../store/schema';

export interface NodeIdentity {
  /** Letters, digits and dashes; unique in the site. */
  name: string;
  /** Where seats and the other nodes reach this node (https://host:port). */
  url: string;
  /** The site CA this node presents (its fingerprint); every node of a site presents the same one. */
  caFingerprint?: string;
}

export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

export interface CameraLeasesOptions {
  db: Kysely<Database>;
  node: NodeIdentity;
  logger: Logger;
  /** How long a lease lasts without renewal (default 5 s). */
  leaseMs?: number;
  /** How often leases are renewed and free cameras claimed (default 1 s). */
  renewMs?: number;
  /** The cameras this node holds changed (start and stop their ingests and recorders). */
  onChange: (owned: ReadonlySet<number>) => void;
  /** The milliseconds clock of a SQLite store (tests on one machine); PostgreSQL uses its own. */
  nowMs?: () => number;
  /** The database answers again after renewals failed (what was written meanwhile can be indexed). */
  onReconnected?: () => void;
}

/** Stop this long before the lease's end: timers fire late on a busy machine. */
const STOP_MARGIN_MS = 500;

export class CameraLeases {
  private owned: ReadonlySet<number> = new Set();
  private timer: NodeJS.Timeout | null = null;
  private stopTimer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private outageSince: number | null = null;
  private stopped = false;
  readonly leaseMs: number;
  readonly renewMs: number;

  constructor(private readonly o: CameraLeasesOptions) {
    if (!NODE_NAME.test(o.node.name)) throw new Error(`node name ${JSON.stringify(o.node.name)}: use letters, digits and dashes (at most 63)`);
    this.leaseMs = o.leaseMs ?? 5000;
    this.renewMs = o.renewMs ?? 1000;
    if (!(this.renewMs * 3 <= this.leaseMs)) throw new Error(`a lease of ${this.leaseMs} ms needs renewals at least three times in it (renewMs ${this.renewMs})`);
  }

  get name(): string {
    return this.o.node.name;
  }

  private others: readonly string[] = [];
  private siteJobs = false;

  /** Whether this node runs the site's scheduled jobs now (one node at a time: the `site` row of
   *  site_jobs, a lease like a camera's, taken in the same rounds). */
  get runsSiteJobs(): boolean {
    return this.siteJobs;
  }

  /** The other nodes' origins as last read (a seat's page fetches media from them: its CSP names them). */
  get otherOrigins(): readonly string[] {
    return this.others;
  }

  owns(cameraId: number): boolean {
    return this.owned.has(cameraId);
  }

  get cameras(): ReadonlySet<number> {
    return this.owned;
  }

  /** The first tick (the node's own cameras are claimed before the engine answers), then the timer.
   *  A node presenting another CA than the site's nodes is refused here: the seats pin one CA. */
  async start(): Promise<void> {
    const retired = retiredNotice(await this.o.db.selectFrom('nodes').select(['name', 'retired_at_ms', 'retired_by', 'retire_reason']).where('name', '=', this.name).executeTakeFirst());
    if (retired) throw new Error(retired);
    const mine = this.o.node.caFingerprint;
    if (mine) {
      const other = await this.o.db.selectFrom('nodes').select(['name', 'ca_fingerprint']).where('name', '!=', this.name).where('ca_fingerprint', 'is not', null).where('ca_fingerprint', '!=', mine).executeTakeFirst();
      if (other) {
        throw new Error(
          `node ${this.name} presents the site CA ${mine.slice(0, 16)}…, but node ${other.name} presents ${String(other.ca_fingerprint).slice(0, 16)}…: ` +
            'every node of a site uses the one site CA its seats pin. Stop this node, copy tls/ca.crt and tls/ca.key from a node of the site into its data directory (remove its server.crt and server.key), and start it again.',
        );
      }
    }
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.renewMs);
    this.timer.unref();
  }

  /** Stops renewing and gives the cameras back at once, so others take them without waiting (a clean shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    await this.ticking;
    this.setOwned(new Set());
    this.siteJobs = false;
    try {
      await this.o.db.deleteFrom('camera_leases').where('node', '=', this.name).execute();
      await this.o.db.deleteFrom('site_jobs').where('node', '=', this.name).execute();
    } catch (err) {
      this.o.logger.warn('camera leases not handed back at shutdown (they run out by themselves)', { node: this.name, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** One renewal and claim round; never throws. */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.round().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    const sentAt = performance.now();
    try {
      const owned = await this.o.db.transaction().execute((trx) => this.claim(trx));
      if (this.stopped) return;
      if (this.outageSince !== null) {
        this.o.logger.warn('database reachable again: camera leases renewed', { node: this.name, outageMs: Math.round(performance.now() - this.outageSince) });
        this.outageSince = null;
        this.o.onReconnected?.();
      }
      // Until the next successful renewal, what is held ends where the database's lease ends.
      if (this.stopTimer) clearTimeout(this.stopTimer);
      this.stopTimer = setTimeout(() => this.leasesEnded(), Math.max(0, this.leaseMs - STOP_MARGIN_MS - (performance.now() - sentAt)));
      this.stopTimer.unref();
      this.setOwned(owned);
    } catch (err) {
      if (this.outageSince === null) {
        this.outageSince = performance.now();
        this.o.logger.error('camera leases could not be renewed: this node stops its cameras when its leases end', { node: this.name, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  private leasesEnded(): void {
    this.siteJobs = false;
    if (this.stopped || this.owned.size === 0) return;
    this.o.logger.error('camera leases ended without renewal: recording stopped here, other nodes take the cameras over', { node: this.name, cameras: [...this.owned] });
    this.setOwned(new Set());
  }

  private setOwned(next: ReadonlySet<number>): void {
    const same = next.size === this.owned.size && [...next].every((id) => this.owned.has(id));
    if (same) return;
    this.owned = next;
    this.o.onChange(next);
  }

  private async claim(trx: Transaction<Database>): Promise<Set<number>> {
    const me = this.name;
    const now = await databaseNowMs(trx, () => this.o.nowMs?.() ?? Date.now());
    const until = now + this.leaseMs;
    await trx
      .insertInto('nodes')
      .values({ name: me, url: this.o.node.url, started_at_ms: now, seen_at_ms: now, ca_fingerprint: this.o.node.caFingerprint ?? null })
      .onConflict((oc) => oc.column('name').doUpdateSet({ url: this.o.node.url, seen_at_ms: now, ca_fingerprint: this.o.node.caFingerprint ?? null }))
      .execute();
    const cameras = await trx.selectFrom('cameras').select(['id', 'home_node']).where('enabled', '=', 1).orderBy('id').execute();
    const leases = new Map((await trx.selectFrom('camera_leases').selectAll().execute()).map((l) => [l.camera_id, l]));
    const nodes = await trx.selectFrom('nodes').select(['name', 'url', 'seen_at_ms', 'retired_at_ms', 'retired_by', 'retire_reason']).execute();
    // Retired while it was away (cut off, not stopped): it never records under that name again (the
    // throw rolls its renewal above back).
    const retired = retiredNotice(nodes.find((n) => n.name === me));
    if (retired) throw new Error(retired);
    const seen = nodes.filter((n) => n.retired_at_ms === null);
    this.others = seen.filter((n) => n.name !== me).flatMap((n) => originOfUrl(n.url) ?? []);
    // Up: renewed within a lease (a home node that is up claims its own cameras itself).
    const live = new Set(seen.filter((n) => n.seen_at_ms > now - this.leaseMs).map((n) => n.name));
    // Takers of cameras nobody holds: nodes that renewed within the last two rounds.
    const takers = new Set(seen.filter((n) => n.seen_at_ms > now - Math.max(2 * this.renewMs, 1000)).map((n) => n.name));
    takers.add(me);
    const held = new Map<string, number>([...takers].map((n) => [n, 0]));
    for (const l of leases.values()) if (l.expires_at_ms > now && held.has(l.node)) held.set(l.node, held.get(l.node)! + 1);
    /** Cameras nobody holds go, in camera order, to the taker holding fewest (ties by name): every
     *  node computes the same split, so one round of each takes them all over, shared. */
    const nextTaker = () => {
      const [name] = [...held].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0]!;
      held.set(name, held.get(name)! + 1);
      return name;
    };

    const owned = new Set<number>();
    const renew: number[] = [];
    const handBack: number[] = [];
    for (const c of cameras) {
      const l = leases.get(c.id);
      const valid = l !== undefined && l.expires_at_ms > now;
      if (valid && l.node === me) {
        // Failback: the camera's home node is up again; it claims the camera at its next tick.
        if (c.home_node && c.home_node !== me && live.has(c.home_node)) handBack.push(c.id);
        else {
          renew.push(c.id);
          owned.add(c.id);
        }
        continue;
      }
      if (valid) continue;
      if (c.home_node && c.home_node !== me && live.has(c.home_node)) continue;
      if (c.home_node === me) held.set(me, held.get(me)! + 1);
      else if (nextTaker() !== me) continue;
      await trx
        .insertInto('camera_leases')
        .values({ camera_id: c.id, node: me, expires_at_ms: until, since_ms: now })
        .onConflict((oc) => oc.column('camera_id').doUpdateSet({ node: me, expires_at_ms: until, since_ms: now }))
        .execute();
      owned.add(c.id);
    }
    if (renew.length) await trx.updateTable('camera_leases').set({ expires_at_ms: until }).where('node', '=', me).where('camera_id', 'in', renew).execute();
    if (handBack.length) await trx.deleteFrom('camera_leases').where('node', '=', me).where('camera_id', 'in', handBack).execute();
    // Leases of cameras disabled since: nobody records them.
    const enabled = new Set(cameras.map((c) => c.id));
    const stale = [...leases.values()].filter((l) => l.node === me && !enabled.has(l.camera_id)).map((l) => l.camera_id);
    if (stale.length) await trx.deleteFrom('camera_leases').where('node', '=', me).where('camera_id', 'in', stale).execute();
    // The site's scheduled jobs (reviews due, deadline reminders, the daily audit verification):
    // held by one node, taken over as a camera is when it stops renewing.
    const jobs = await trx.selectFrom('site_jobs').selectAll().where('name', '=', 'site').executeTakeFirst();
    this.siteJobs = !jobs || jobs.node === me || jobs.expires_at_ms <= now;
    if (this.siteJobs) {
      await trx
        .insertInto('site_jobs')
        .values({ name: 'site', node: me, expires_at_ms: until })
        .onConflict((oc) => oc.column('name').doUpdateSet({ node: me, expires_at_ms: until }))
        .execute();
    }
    return owned;
  }
}

/** `https://host:port` of a node's URL; null for anything else (it ends up in a CSP). */
export function originOfUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && /^[a-z0-9.:[\]-]+$/i.test(u.host) ? u.origin : null;
  } catch {
    return null;
  }
}

/** Why a node may take no lease (an administrator retired its name for good), or null. */
function retiredNotice(row: { name: string; retired_at_ms: number | null; retired_by: string | null; retire_reason: string | null } | undefined): string | null {
  if (!row || row.retired_at_ms === null) return null;
  return (
    `node ${row.name} was retired on ${new Date(Number(row.retired_at_ms)).toISOString()} by ${row.retired_by ?? '?'} (${row.retire_reason ?? ''}): ` +
    'it takes no camera again under that name. Start this machine as a new node (another --node name), with an empty data directory.'
  );
}
