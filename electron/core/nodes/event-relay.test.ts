// Changes to the site's configuration told across nodes (nodes/event-relay.ts; docs/design/scale.md
// "Changes made at one node"): a node hears the others' changes, never its own, ignores what it
// cannot read, and after its listening connection was lost reads everything again, since it cannot
// know what it missed. Runs in the `postgres` test project, on the project's throwaway cluster.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock';
import { EventBus } from '../events/event-bus';
import { silentLogger } from '../logger';
import { siteKysely, sitePool } from '../store/postgres';
import type { Database } from '../store/schema';
import { createDatabaseAt, dropDatabaseAt } from '../testing/pg-cluster';
import { EVENTS_CHANNEL, SiteEventRelay, type SiteChange } from './event-relay';

const ADMIN_URL = process.env.CONSOLE_TEST_POSTGRES;
const until = (what: string, done: () => boolean, timeout: number) => vi.waitUntil(done, { timeout, interval: 20 }).catch(() => Promise.reject(new Error(`timed out waiting for ${what}`)));
/** Notices of different kinds may arrive in either order (each is sent on a connection of the pool). */
const sorted = (changes: SiteChange[]) => [...changes].sort();

describe.skipIf(!ADMIN_URL)('site changes told across nodes (PostgreSQL)', () => {
  let url: string;
  let db: Kysely<Database>;
  const relays: SiteEventRelay[] = [];
  const heard = { a: [] as SiteChange[], b: [] as SiteChange[] };

  const relay = async (node: 'a' | 'b') => {
    const r = new SiteEventRelay({ db, databaseUrl: url, node, bus: new EventBus({ clock: systemClock, logger: silentLogger }), logger: silentLogger, changedElsewhere: (c) => heard[node].push(c), retryMs: 200 });
    relays.push(r);
    await r.start();
    return r;
  };

  beforeAll(async () => {
    url = await createDatabaseAt(ADMIN_URL!);
    db = siteKysely(sitePool(url));
  });

  afterAll(async () => {
    for (const r of relays) await r.stop();
    await db?.destroy();
    if (url) await dropDatabaseAt(ADMIN_URL!, url);
  });

  it('a node hears what another changed, not its own changes, and ignores what it cannot read', async () => {
    const [a] = [await relay('a'), await relay('b')];
    a.changed('cameras');
    a.changed('settings');
    await until('b hearing both changes', () => heard.b.length === 2, 5000);
    expect(sorted(heard.b)).toEqual(['cameras', 'settings']);
    // A change of a kind it does not know, and a payload that is not JSON: nothing happens.
    await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ node: 'x', change: 'everything' })})`.execute(db);
    await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${'{not json'})`.execute(db);
    a.changed('cameras');
    await until('b hearing the next change', () => heard.b.length === 3, 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(sorted(heard.b)).toEqual(['cameras', 'cameras', 'settings']);
    expect(heard.a).toEqual([]);
  });

  it('a node whose listening connection was lost reads every kind of change again once it listens again', async () => {
    heard.b.length = 0;
    // The server ends b's listening connection (a restart of the database, a network cut).
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'console-events-b'`.execute(db);
    await until('b reading everything again', () => heard.b.length === 2, 10_000);
    expect(sorted(heard.b)).toEqual(['cameras', 'settings']);
    // And listens: a's next change reaches it.
    relays[0]!.changed('settings');
    await until('b hearing a change after the outage', () => heard.b.length === 3, 5000);
  });
});
