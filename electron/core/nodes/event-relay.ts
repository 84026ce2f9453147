// Pushed events across the nodes of a site (docs/design/events.md, docs/design/scale.md "Seats on
// any node"): an incident recorded, a hold placed or an export requested through one node reaches
// the seats of every node, each filtered there by the same visibility as its own events. Carried by
// PostgreSQL's NOTIFY on one channel (no layer of our own): each node notifies what its services
// publish and listens, on a connection of its own, for the others'. What is not relayed: camera
// states (each node's seats read them from the database: stream_states) and session events (about
// one node's connections). A change of who steers a PTZ camera is (ptz/ptz-site.ts). Best effort, as events are: a seat
// that missed one reloads what it shows at its next command; a lost connection is made again.
//
// The same channel carries the database's own notices that the site's configuration changed
// (docs/design/scale.md "Changes made at one node"): cameras, who sees them and their privacy masks,
// or the settings. Triggers send them inside the writing transaction (migration 0029), so a commit
// and its notice cannot come apart, whichever node or tool wrote. Each node keeps some of that in
// memory (the ingest of a camera it holds and what it burns in at the source, who receives which
// pushed events, the security settings) and reads it again when told by a notice not its own. Not
// best effort there: a node whose listening connection was lost reads it all again once it listens
// again, since it cannot know what it missed.
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { EventBus } from '../events/event-bus';
import type { DomainEvent } from '../events/domain-events';
import type { Logger } from '../logger';
import type { Database } from '../store/schema';

export const EVENTS_CHANNEL = 'console_events';
/** PostgreSQL's limit for a NOTIFY payload is 8,000 bytes; events are far smaller. */
const MAX_PAYLOAD = 7900;
const NOT_RELAYED = new Set(['camera.state', 'session.locked', 'session.ended']);

/** What another node changed: `cameras` (a camera, who sees it, its masks), `settings` (security, site). */
export type SiteChange = 'cameras' | 'settings';
const SITE_CHANGES: readonly SiteChange[] = ['cameras', 'settings'];

export class SiteEventRelay {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private outage = false;

  constructor(
    private readonly o: {
      db: Kysely<Database>;
      databaseUrl: string;
      node: string;
      bus: EventBus;
      logger: Logger;
      /** Another node changed the site's configuration (also: every change, after a lost connection). */
      changedElsewhere: (change: SiteChange) => void;
      retryMs?: number;
    },
  ) {}

  async start(): Promise<void> {
    this.o.bus.onLocalEvent = (e) => this.send(e);
    await this.listen().catch(() => this.reconnectLater());
  }

  private send(event: DomainEvent): void {
    if (this.stopped || NOT_RELAYED.has(event.type)) return;
    const payload = JSON.stringify({ node: this.o.node, event });
    if (payload.length > MAX_PAYLOAD) return this.o.logger.warn('an event too large to pass to the other nodes', { type: event.type });
    this.notify(payload, { type: event.type });
  }

  private notify(payload: string, what: Record<string, string>): void {
    void sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload})`.execute(this.o.db).catch((err: unknown) => this.o.logger.warn('not passed to the other nodes', { ...what, error: err instanceof Error ? err.message : String(err) }));
  }

  private changedElsewhere(change: SiteChange): void {
    try {
      this.o.changedElsewhere(change);
    } catch (err) {
      this.o.logger.error('reading a change another node made failed', { change, error: err });
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.o.databaseUrl, application_name: `console-events-${this.o.node}` });
    client.on('error', () => {
      if (this.client === client) this.reconnectLater();
    });
    client.on('notification', (n) => {
      if (n.channel !== EVENTS_CHANNEL || !n.payload) return;
      try {
        // A configuration notice without a node was written outside any engine: every node reads it.
        const m = JSON.parse(n.payload) as { node?: unknown; event?: DomainEvent; change?: unknown };
        if (m.node === this.o.node) return;
        if (SITE_CHANGES.includes(m.change as SiteChange)) return this.changedElsewhere(m.change as SiteChange);
        if (!m.event || typeof m.event.type !== 'string' || NOT_RELAYED.has(m.event.type)) return;
        this.o.bus.publishFromElsewhere(m.event);
      } catch {
        this.o.logger.warn('an unreadable event from another node ignored');
      }
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    if (this.stopped) return void (await client.end().catch(() => undefined));
    this.client = client;
    if (this.outage) {
      this.o.logger.warn('listening to the other nodes’ events again');
      for (const change of SITE_CHANGES) this.changedElsewhere(change);
    }
    this.outage = false;
  }

  private reconnectLater(): void {
    const old = this.client;
    this.client = null;
    void old?.end().catch(() => undefined);
    if (this.stopped || this.retry) return;
    if (!this.outage) this.o.logger.error('the other nodes’ events are not reaching this node (retrying)');
    this.outage = true;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.listen().catch(() => this.reconnectLater());
    }, this.o.retryMs ?? 2000);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.o.bus.onLocalEvent = null;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}
