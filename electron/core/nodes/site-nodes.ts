// The nodes of a site as the console shows them (docs/design/scale.md "Nodes in the console"):
// read from what the nodes' lease rounds write (nodes, camera_leases; camera-leases.ts) and from the
// recording index (recordings.node), never written here. Times are the database's, as the leases'
// are: PostgreSQL's own clock, or the engine's clock on a SQLite store (one machine).
import type { Kysely } from 'kysely';
import { SINGLE_MACHINE_NODE, type NodeCameraView, type NodesView, type NodeView } from '../../../shared/contract';
import type { Clock } from '../clock';
import { databaseNowMs } from '../store/dialect';
import type { Database } from '../store/schema';

/** The node holding each camera's lease at `nowMs` on the database's clock (a lease past its end is nobody's). */
export async function currentHolders(db: Kysely<Database>, nowMs: number): Promise<Map<number, string>> {
  const rows = await db.selectFrom('camera_leases').select(['camera_id', 'node']).where('expires_at_ms', '>', nowMs).execute();
  return new Map(rows.map((r) => [r.camera_id, r.node]));
}

/**
 * Why a camera cannot have this home node, or null when it can: null (any node) always can; a name
 * must be one of the site's nodes (a row in `nodes`, written by each node's first lease round). A
 * single machine has no nodes, so it refuses every name.
 */
export async function homeNodeRefusal(db: Kysely<Database>, name: string | null | undefined): Promise<string | null> {
  if (name === null || name === undefined) return null;
  const known = (await db.selectFrom('nodes').select('name').orderBy('name').execute()).map((n) => n.name);
  if (known.includes(name)) return null;
  if (known.length === 0) return `This site has no nodes (one machine records every camera): leave the home node empty. ${JSON.stringify(name)} is not a node.`;
  return `No node named ${JSON.stringify(name)} in this site: choose one of ${known.join(', ')}, or leave it empty (any node).`;
}

export interface SiteNodesOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** This engine's leases when it is a node (`--node`; engine.ts), for its name and lease time; null: a single machine. */
  leases: { readonly name: string; readonly leaseMs: number } | null;
  /** Bytes of footage on each node's disk (the recording index: recording-index.ts owns its table). */
  bytesByNode: () => Promise<Map<string, number>>;
}

export class SiteNodes {
  /** A single machine's "started": when this engine began answering. */
  private readonly startedAtMs: number;

  constructor(private readonly o: SiteNodesOptions) {
    this.startedAtMs = o.clock.nowMs();
  }

  /** Every node, with the cameras `canSee` admits named and the rest only counted. */
  async list(canSee: (cameraId: number) => boolean): Promise<NodesView> {
    const { db, clock } = this.o;
    const atMs = await databaseNowMs(db, () => clock.nowMs());
    const cameras = await db.selectFrom('cameras').select(['id', 'name', 'home_node', 'enabled']).orderBy('name').orderBy('id').execute();
    const enabled = cameras.filter((c) => c.enabled === 1);
    const view = (c: (typeof cameras)[number]): NodeCameraView => ({ id: c.id, name: c.name, homeNode: c.home_node });
    const shown = (list: typeof cameras) => list.filter((c) => canSee(c.id)).map(view);
    const bytes = await this.o.bytesByNode();

    const me = this.o.leases;
    if (!me) {
      // One machine records every enabled camera (engine.ts: no leases without --node).
      const local: NodeView = { name: SINGLE_MACHINE_NODE, url: null, startedAtMs: this.startedAtMs, lastSeenAtMs: atMs, up: true, self: true, cameraCount: enabled.length, cameras: shown(enabled), recordingBytes: bytes.get(SINGLE_MACHINE_NODE) ?? 0 };
      return { singleMachine: true, leaseMs: null, atMs, nodes: [local], notHeld: { cameraCount: 0, cameras: [] } };
    }

    const leaseMs = me.leaseMs;
    const rows = await db.selectFrom('nodes').selectAll().orderBy('name').execute();
    const held = await currentHolders(db, atMs);
    const heldBy = (node: string) => enabled.filter((c) => held.get(c.id) === node);
    const nodes: NodeView[] = rows.map((n) => {
      const mine = heldBy(n.name);
      const lastSeenAtMs = Number(n.seen_at_ms);
      return {
        name: n.name,
        url: n.url,
        startedAtMs: Number(n.started_at_ms),
        lastSeenAtMs,
        up: lastSeenAtMs > atMs - leaseMs,
        self: n.name === me.name,
        cameraCount: mine.length,
        cameras: shown(mine),
        recordingBytes: bytes.get(n.name) ?? 0,
      };
    });
    // Footage indexed under a name that is not a node of the site (the machine it was recorded on
    // before the site had nodes, or a node renamed): still on some disk, and counted.
    const named = new Set(rows.map((n) => n.name));
    for (const [name, b] of [...bytes].sort((x, y) => x[0].localeCompare(y[0]))) {
      if (!named.has(name) && b > 0) nodes.push({ name, url: null, startedAtMs: null, lastSeenAtMs: null, up: false, self: false, cameraCount: 0, cameras: [], recordingBytes: b });
    }
    const nobody = enabled.filter((c) => !held.has(c.id));
    return { singleMachine: false, leaseMs, atMs, nodes, notHeld: { cameraCount: nobody.length, cameras: shown(nobody) } };
  }
}
