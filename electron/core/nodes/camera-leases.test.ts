// Camera leases between the nodes of a site (docs/design/scale.md "Leases"), on PostgreSQL with its
// own clock: each camera held by one node at a time; failover when a node stops renewing; failback
// when it returns; a node cut off from the database lets go of its cameras when its leases end.
// Runs in the `postgres` test project (a SQLite store has one node and no leases).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { silentLogger } from '../logger';
import type { PostgresStore } from '../store/db';
import { siteKysely, sitePool } from '../store/postgres';
import type { Database } from '../store/schema';
import { addOfflineCamera, setUpAdmin, startTestEngine, testStoreKind, type TestEngine } from '../testing/harness';
import { CameraLeases } from './camera-leases';

const LEASE_MS = 3000;
const RENEW_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(testStoreKind !== 'postgres')('camera leases between nodes (PostgreSQL)', () => {
  let t: TestEngine;
  const cams: number[] = [];
  const nodes = new Map<string, { leases: CameraLeases; owned: ReadonlySet<number> }>();

  const node = (name: string, db: Kysely<Database> = t.engine.store.db) => {
    const entry = { leases: null as unknown as CameraLeases, owned: new Set<number>() as ReadonlySet<number> };
    entry.leases = new CameraLeases({ db, node: { name, url: `https://${name}.example:8443` }, logger: silentLogger, leaseMs: LEASE_MS, renewMs: RENEW_MS, onChange: (o) => (entry.owned = o) });
    nodes.set(name, entry);
    return entry;
  };
  /** When each node's last renewal began (its leases run out a lease after that, on the database's clock). */
  const lastTick = new Map<string, number>();
  const tickAll = async (names: string[]) => {
    for (const n of names) {
      lastTick.set(n, performance.now());
      await nodes.get(n)!.leases.tick();
    }
  };
  /** No camera is held by two nodes (what each node believes, and what the database says). */
  const expectDisjoint = async () => {
    const seen = new Map<number, string>();
    for (const [name, n] of nodes) {
      for (const id of n.owned) {
        expect(seen.get(id), `camera ${id} held by ${seen.get(id)} and ${name}`).toBeUndefined();
        seen.set(id, name);
      }
    }
  };
  const holders = async () => new Map((await t.engine.store.db.selectFrom('camera_leases').select(['camera_id', 'node']).execute()).map((l) => [l.camera_id, l.node]));

  beforeAll(async () => {
    t = await startTestEngine();
    const admin = await setUpAdmin(t);
    const group = (await admin.must('groups.create', { name: 'Depot', description: 'buses' })).id;
    for (let i = 1; i <= 6; i++) cams.push(await addOfflineCamera(admin, `Bay ${i}`, group));
    // Two cameras at home on each node.
    const homes = ['a', 'a', 'b', 'b', 'c', 'c'];
    for (const [i, id] of cams.entries()) await t.engine.store.db.updateTable('cameras').set({ home_node: homes[i]! }).where('id', '=', id).execute();
  });
  afterAll(async () => {
    for (const n of nodes.values()) await n.leases.stop();
    await t?.dispose();
  });

  it('each node claims its home cameras; nobody else takes them while it renews', async () => {
    node('a');
    node('b');
    node('c');
    for (let i = 0; i < 4; i++) {
      await tickAll(['a', 'b', 'c']);
      await expectDisjoint();
      await sleep(RENEW_MS);
    }
    expect([...nodes.get('a')!.owned].sort()).toEqual([cams[0], cams[1]]);
    expect([...nodes.get('b')!.owned].sort()).toEqual([cams[2], cams[3]]);
    expect([...nodes.get('c')!.owned].sort()).toEqual([cams[4], cams[5]]);
  });

  it('a node that stops renewing loses its cameras to the others once its leases end, spread between them', async () => {
    // Node a is killed: it ticks no more (its process is gone; what it believed no longer matters).
    const aOwned = nodes.get('a')!.owned;
    nodes.get('a')!.owned = new Set();
    const killedAt = performance.now();
    let takenAt: number | null = null;
    while (performance.now() - killedAt < LEASE_MS * 3) {
      await tickAll(['b', 'c']);
      await expectDisjoint();
      const h = await holders();
      if (takenAt === null && [...aOwned].every((id) => h.get(id) && h.get(id) !== 'a')) takenAt = performance.now();
      await sleep(RENEW_MS);
    }
    expect(takenAt).not.toBeNull();
    // Taken only once a's last lease ran out, and within a lease and a few renewals of the kill.
    expect(takenAt! - lastTick.get('a')!).toBeGreaterThanOrEqual(LEASE_MS - 200);
    expect(takenAt! - killedAt).toBeLessThanOrEqual(LEASE_MS + 4 * RENEW_MS + 1000);
    expect(nodes.get('b')!.owned.size).toBe(3);
    expect(nodes.get('c')!.owned.size).toBe(3);
  });

  it('the returning node takes its own cameras back; the others hand them over and keep theirs', async () => {
    const a = nodes.get('a')!;
    for (let i = 0; i < 4; i++) {
      await tickAll(['a', 'b', 'c']);
      await expectDisjoint();
      await sleep(RENEW_MS);
    }
    expect([...a.owned].sort()).toEqual([cams[0], cams[1]]);
    expect([...nodes.get('b')!.owned].sort()).toEqual([cams[2], cams[3]]);
    expect([...nodes.get('c')!.owned].sort()).toEqual([cams[4], cams[5]]);
  });

  it('a node cut off from the database stops its cameras when its leases end; another takes them only after that', async () => {
    // Node c's own connection to the database, closed under it (a cable pulled, a firewall).
    // (The test cluster has no passwords, so the store's shown address is its address.)
    const pool = sitePool((t.engine.store as PostgresStore).url, { max: 2, queryMs: 2000, lockMs: 2000, idleInTransactionMs: 2000 });
    const cutOff = siteKysely(pool);
    const c = node('c', cutOff);
    await c.leases.tick();
    expect(c.owned.size).toBe(2);
    const held = [...c.owned];
    const cutAt = performance.now();
    await pool.end();
    let releasedAt: number | null = null;
    let takenAt: number | null = null;
    while (performance.now() - cutAt < LEASE_MS * 3) {
      await c.leases.tick();
      await tickAll(['a', 'b']);
      const h = await holders();
      if (releasedAt === null && c.owned.size === 0) releasedAt = performance.now();
      if (takenAt === null && held.every((id) => h.get(id) === 'a' || h.get(id) === 'b')) takenAt = performance.now();
      // What c still believes it holds, nobody else holds.
      for (const id of c.owned) expect(h.get(id)).toBe('c');
      await sleep(100);
    }
    expect(releasedAt).not.toBeNull();
    expect(takenAt).not.toBeNull();
    expect(releasedAt!).toBeLessThanOrEqual(takenAt!);
    expect(releasedAt! - cutAt).toBeLessThanOrEqual(LEASE_MS);
  });

  it('the site’s scheduled jobs run on one node at a time, and move to another when it stops renewing', async () => {
    await tickAll(['a', 'b']);
    const running = () => ['a', 'b'].filter((n) => nodes.get(n)!.leases.runsSiteJobs);
    expect(running()).toHaveLength(1);
    const holder = running()[0]!;
    const other = holder === 'a' ? 'b' : 'a';
    // The holder stops renewing (killed): the other takes the jobs once their lease has ended, not before.
    await tickAll([other]);
    expect(nodes.get(other)!.leases.runsSiteJobs).toBe(false);
    await sleep(LEASE_MS + 300);
    expect(nodes.get(holder)!.leases.runsSiteJobs).toBe(false);
    await tickAll([other]);
    expect(nodes.get(other)!.leases.runsSiteJobs).toBe(true);
    await tickAll([holder]);
    expect(nodes.get(holder)!.leases.runsSiteJobs).toBe(false);
  });

  it('a disabled camera is nobody’s', async () => {
    await t.engine.store.db.updateTable('cameras').set({ enabled: 0 }).where('id', '=', cams[0]!).execute();
    await tickAll(['a', 'b']);
    expect(nodes.get('a')!.owned.has(cams[0]!)).toBe(false);
    expect((await holders()).has(cams[0]!)).toBe(false);
  });
});
