// Changes to the site's configuration told across nodes (nodes/event-relay.ts, migration 0029;
// docs/design/scale.md "Changes made at one node"): the database itself tells the other nodes of a
// committed change, as part of its transaction (never of a rolled-back one, once per kind however
// many rows), naming the node that wrote it; a change written outside any engine reaches every node;
// a node never hears its own, ignores what it cannot read, and after its listening connection was
// lost reads everything again, since it cannot know what it missed. Runs in the `postgres` test
// project, on the project's throwaway cluster.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeSetting } from '../admin/settings-service';
import { systemClock } from '../clock';
import { EventBus } from '../events/event-bus';
import { silentLogger } from '../logger';
import type { PostgresStore } from '../store/db';
import { openPostgresStore, siteKysely, sitePool } from '../store/postgres';
import type { Database } from '../store/schema';
import { createDatabaseAt, dropDatabaseAt } from '../testing/pg-cluster';
import { EVENTS_CHANNEL, SiteEventRelay, type SiteChange } from './event-relay';

const ADMIN_URL = process.env.CONSOLE_TEST_POSTGRES;
const until = (what: string, done: () => boolean, timeout: number) => vi.waitUntil(done, { timeout, interval: 20 }).catch(() => Promise.reject(new Error(`timed out waiting for ${what}`)));
/** Notices of different kinds may arrive in either order. */
const sorted = (changes: SiteChange[]) => [...changes].sort();

describe.skipIf(!ADMIN_URL)('site changes told across nodes (PostgreSQL)', () => {
  let url: string;
  const stores: Partial<Record<'a' | 'b', PostgresStore>> = {};
  /** A connection of no engine: an administrator's SQL, a repair tool. */
  let outside: Kysely<Database>;
  const relays: SiteEventRelay[] = [];
  const heard = { a: [] as SiteChange[], b: [] as SiteChange[] };
  const dbOf = (node: 'a' | 'b') => stores[node]!.db;
  let groups = 0;
  const addGroup = (db: Kysely<Database>) => db.insertInto('camera_groups').values({ name: `Group ${(groups += 1)}`, description: '', created_at_ms: 0 }).execute();

  const relay = async (node: 'a' | 'b') => {
    const r = new SiteEventRelay({ db: dbOf(node), databaseUrl: url, node, bus: new EventBus({ clock: systemClock, logger: silentLogger }), logger: silentLogger, changedElsewhere: (c) => heard[node].push(c), retryMs: 200 });
    relays.push(r);
    await r.start();
    return r;
  };
  /** Writes at a, then waits until b heard `count` notices in all: a barrier for "nothing else came". */
  const barrier = async (count: number) => {
    await writeSetting(dbOf('a'), 'barrier', { at: Date.now() });
    await until(`b hearing ${count} notices`, () => heard.b.length >= count, 5000);
    await new Promise((r) => setTimeout(r, 100));
  };

  beforeAll(async () => {
    url = await createDatabaseAt(ADMIN_URL!);
    // Each node's store migrates (the first brings the schema, the second finds it done) and names
    // its connections.
    stores.a = await openPostgresStore(url, { logger: silentLogger, node: 'a' });
    stores.b = await openPostgresStore(url, { logger: silentLogger, node: 'b' });
    outside = siteKysely(sitePool(url));
    await relay('a');
    await relay('b');
  });

  afterAll(async () => {
    for (const r of relays) await r.stop();
    await stores.a?.close();
    await stores.b?.close();
    await outside?.destroy();
    if (url) await dropDatabaseAt(ADMIN_URL!, url);
  });

  it('the database tells the other node of a committed change, once per kind and transaction; the writing node hears nothing', async () => {
    await addGroup(dbOf('a'));
    await until('b hearing of the new group', () => heard.b.length === 1, 5000);
    expect(heard.b).toEqual(['cameras']);
    // Many rows of two kinds in one transaction: one notice of each.
    await dbOf('a')
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < 5; i++) await addGroup(trx);
        await writeSetting(trx, 'security', { idleLockMinutes: 5 });
        await writeSetting(trx, 'site', { country: 'PL' });
      });
    await barrier(4);
    expect(sorted(heard.b)).toEqual(['cameras', 'cameras', 'settings', 'settings']);
    expect(heard.a).toEqual([]);
  });

  it('a rolled-back change is told to no one', async () => {
    heard.b.length = 0;
    const failed = dbOf('a')
      .transaction()
      .execute(async (trx) => {
        await addGroup(trx);
        await writeSetting(trx, 'security', { idleLockMinutes: 1 });
        throw new Error('a check failed after the writes');
      });
    await expect(failed).rejects.toThrow(/a check failed/);
    await barrier(1);
    expect(heard.b).toEqual(['settings']); // the barrier's own write, nothing of the rolled-back one
  });

  it('who sees a camera counts, a user’s other fields do not', async () => {
    const user = await dbOf('b')
      .insertInto('users')
      .values({ username: 'straz.kowalski', display_name: 'Jan Kowalski', role: 'guard', language: 'pl', password_hash: 'x', must_change_password: 0, active: 1, created_at_ms: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await until('a hearing of the new user', () => heard.a.length === 1, 5000);
    heard.b.length = 0;
    // Signing in, accepting the commitment, a new password: nothing for the other nodes.
    await dbOf('a').updateTable('users').set({ commitment_accepted_at_ms: 1, commitment_version: '1', password_hash: 'y' }).where('id', '=', user.id).execute();
    await barrier(1);
    expect(heard.b).toEqual(['settings']);
    heard.b.length = 0;
    await dbOf('a').updateTable('users').set({ role: 'reviewer' }).where('id', '=', user.id).execute();
    await dbOf('a').insertInto('user_groups').values({ user_id: user.id, group_id: 1 }).execute();
    await until('b hearing of the role and the group', () => heard.b.length === 2, 5000);
    expect(heard.b).toEqual(['cameras', 'cameras']);
  });

  it('a change written outside any engine reaches every node; unreadable notices are ignored', async () => {
    heard.a.length = 0;
    heard.b.length = 0;
    await sql`UPDATE camera_groups SET description = 'changed by hand' WHERE id = 1`.execute(outside);
    await until('both nodes hearing the change made by hand', () => heard.a.length === 1 && heard.b.length === 1, 5000);
    expect([heard.a, heard.b]).toEqual([['cameras'], ['cameras']]);
    // A change of a kind it does not know, and a payload that is not JSON: nothing happens.
    await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ node: 'x', change: 'everything' })})`.execute(outside);
    await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${'{not json'})`.execute(outside);
    await barrier(2);
    expect(heard.b).toEqual(['cameras', 'settings']);
  });

  it('a node whose listening connection was lost reads every kind of change again once it listens again', async () => {
    heard.b.length = 0;
    // The server ends b's listening connection (a restart of the database, a network cut).
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'console-events-b'`.execute(outside);
    await until('b reading everything again', () => heard.b.length === 2, 10_000);
    expect(sorted(heard.b)).toEqual(['cameras', 'settings']);
    // And listens: a's next change reaches it.
    await addGroup(dbOf('a'));
    await until('b hearing a change after the outage', () => heard.b.length === 3, 5000);
  });
});
