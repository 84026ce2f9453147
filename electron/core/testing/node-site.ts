// A site of several recording nodes for tests and benchmarks (docs/design/scale.md "Tests"):
// PostgreSQL, the camera simulator and every node each in a network namespace of its own, joined
// by a bridge (site-net.ts). This process reaches the database through its Unix socket; the nodes
// reach it, and the cameras, over the private network. Every node is `npm run engine` (engine-cli.ts)
// with --database, --node and --node-url, its data directory under one temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { loadTlsIdentity, TLS_DIR } from '../host/tls-identity';
import { siteKysely, sitePool } from '../store/postgres';
import type { Database } from '../store/schema';
import { setUpAdmin, startTestEngine } from './harness';
import { createDatabaseAt, startPgCluster, type PgCluster } from './pg-cluster';
import { startEngine, type EngineProcess } from './site-engine-fixture';
import { makeSiteNet, type SiteNet } from './site-net';

export interface NodeSite {
  net: SiteNet;
  pg: PgCluster;
  sim: SimulatorHandle;
  /** The site's database, from this process. */
  db: Kysely<Database>;
  cameraIds: number[];
  running: Map<string, EngineProcess>;
  dataDirOf(node: string): string;
  startNode(node: string): Promise<EngineProcess>;
  /** kill -9; resolves once the process is gone. Returns when it was killed (ms since the epoch). */
  kill(node: string): Promise<number>;
  /** Lease holders now: camera id -> node. */
  holders(): Promise<Map<number, string>>;
  /** A camera's files in start order, every node's. */
  filesOf(cameraId: number): Promise<{ id: number; node: string; start_ms: number; end_ms: number; state: string; path: string; sha256: string | null }[]>;
  /** The first file of each camera opened by another node than `except` at or after `sinceMs`, once all have one. */
  takenOver(except: string, sinceMs: number, timeoutMs: number): Promise<Map<number, number>>;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** `home`: the node every camera records on while it is up (null: shared between the nodes). */
export async function startNodeSite(o: { nodes: readonly string[]; cameras: number; home: string | null }): Promise<NodeSite> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'node-site-'));
  // 'seats': a desk of the control room, on the site's network (seat-child.ts runs there).
  const net = makeSiteNet(['db', 'cams', 'seats', ...o.nodes]);
  const closers: (() => Promise<void> | void)[] = [() => fs.rmSync(tmp, { recursive: true, force: true }), () => net.dispose()];
  const running = new Map<string, EngineProcess>();
  const close = async () => {
    for (const e of running.values()) e.child.kill('SIGKILL');
    for (const c of closers.reverse()) await c();
  };
  try {
    const dbMember = net.member('db');
    const pg = await startPgCluster({ netns: { name: dbMember.ns, listen: dbMember.ip } });
    closers.push(() => pg.stop());
    const socketUrl = await createDatabaseAt(pg.url, 'site');
    const nodeDbUrl = `postgres://postgres@${dbMember.ip}:${pg.port}/site`;
    const db = siteKysely(sitePool(socketUrl));
    closers.push(() => db.destroy());
    const sim = await startSimulator({ cameras: o.cameras, auth: 'none', size: SMALL_PICTURE, address: net.member('cams').ip, spawner: (c, a, s) => net.spawnIn('cams', c, a, s) });
    closers.push(() => sim.close().catch(() => {}));

    // The site set up once, by an engine in this process (the database through its socket).
    const cameraIds: number[] = [];
    const setup = await startTestEngine(path.join(tmp, 'setup'), { database: socketUrl });
    try {
      const admin = await setUpAdmin(setup);
      const group = (await admin.must('groups.create', { name: 'Depot', description: 'bus depot' })).id;
      for (const c of sim.cameras) {
        const added = await admin.must('cameras.add', {
          settings: { name: `Bay ${c.index}`, site: 'Depot', groupId: group, purpose: 'safety of travellers', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
          source: { kind: 'rtsp', mainUrl: c.rtspMain, subUrl: c.rtspSub },
          username: null,
          password: null,
        });
        cameraIds.push(added.id);
      }
    } finally {
      await setup.dispose();
    }
    await db.updateTable('cameras').set({ home_node: o.home }).execute();

    const dataDirOf = (n: string) => path.join(tmp, n);
    // One site CA for every node (docs/design/scale.md "Seats on any node"): made once, copied into
    // each node's data directory before its first start, as an installer does.
    const siteCa = path.join(tmp, 'site-ca');
    await loadTlsIdentity(siteCa, [{ type: 'dns', value: 'site-ca.invalid' }]);
    const startNode = async (n: string) => {
      const m = net.member(n);
      const tlsDir = path.join(dataDirOf(n), TLS_DIR);
      if (!fs.existsSync(path.join(tlsDir, 'ca.crt'))) {
        fs.mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
        for (const f of ['ca.crt', 'ca.key']) fs.copyFileSync(path.join(siteCa, TLS_DIR, f), path.join(tlsDir, f));
      }
      const e = await startEngine({
        spawner: (c, a, s) => net.spawnIn(n, c, a, s),
        dataDir: dataDirOf(n),
        listen: `${m.ip}:8443`,
        entry: 'cli',
        extraArgs: ['--database', nodeDbUrl, '--node', n, '--node-url', `https://${m.ip}:8443`],
      });
      running.set(n, e);
      return e;
    };
    const filesOf: NodeSite['filesOf'] = (cameraId) =>
      db.selectFrom('recordings').select(['id', 'node', 'start_ms', 'end_ms', 'state', 'path', 'sha256']).where('camera_id', '=', cameraId).orderBy('start_ms').execute();
    const site: NodeSite = {
      net,
      pg,
      sim,
      db,
      cameraIds,
      running,
      dataDirOf,
      startNode,
      async kill(n) {
        const e = running.get(n);
        if (!e) throw new Error(`node ${n} is not running`);
        const at = Date.now();
        e.child.kill('SIGKILL');
        await e.exited;
        running.delete(n);
        return at;
      },
      holders: async () => new Map((await db.selectFrom('camera_leases').select(['camera_id', 'node']).execute()).map((l) => [l.camera_id, l.node])),
      filesOf,
      async takenOver(except, sinceMs, timeoutMs) {
        const taken = new Map<number, number>();
        await until(
          `every camera recorded by a node other than ${except}`,
          async () => {
            for (const id of cameraIds) {
              if (taken.has(id)) continue;
              const f = (await filesOf(id)).find((r) => r.node !== except && r.start_ms >= sinceMs);
              if (f) taken.set(id, f.start_ms);
            }
            return taken.size === cameraIds.length;
          },
          timeoutMs,
        );
        return taken;
      },
      close,
    };
    for (const n of o.nodes) await startNode(n);
    return site;
  } catch (err) {
    await close();
    throw err;
  }
}
