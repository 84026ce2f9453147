// The nodes of a site as the console shows them (docs/design/scale.md "Nodes in the console"):
// read from what the nodes' lease rounds write (nodes, camera_leases; camera-leases.ts) and from the
// recording index (recordings.node). Written here only when an administrator retires a node gone
// for good ("Retiring a node"). Times are the database's, as the leases' are: PostgreSQL's own
// clock, or the engine's clock on a SQLite store (one machine).
import type { Kysely } from 'kysely';
import { NODE_RETIRE_AFTER_DOWN_MS, SINGLE_MACHINE_NODE, type NodeCameraView, type NodesView, type NodeView, type RetiredNodeView } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../clock';
import { markNodeLost } from '../recording/recording-index';
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
  const known = (await db.selectFrom('nodes').select('name').where('retired_at_ms', 'is', null).orderBy('name').execute()).map((n) => n.name);
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
      const local: NodeView = { name: SINGLE_MACHINE_NODE, url: null, startedAtMs: this.startedAtMs, lastSeenAtMs: atMs, up: true, self: true, cameraCount: enabled.length, cameras: shown(enabled), recordingBytes: bytes.get(SINGLE_MACHINE_NODE) ?? 0, retired: null };
      return { singleMachine: true, leaseMs: null, atMs, nodes: [local], notHeld: { cameraCount: 0, cameras: [] } };
    }

    const leaseMs = me.leaseMs;
    const rows = await db.selectFrom('nodes').selectAll().orderBy('name').execute();
    const held = await currentHolders(db, atMs);
    const heldBy = (node: string) => enabled.filter((c) => held.get(c.id) === node);
    const nodes: NodeView[] = rows.map((n) => {
      const mine = heldBy(n.name);
      const lastSeenAtMs = Number(n.seen_at_ms);
      const retired = n.retired_at_ms === null ? null : { atMs: Number(n.retired_at_ms), by: n.retired_by ?? '', reason: n.retire_reason ?? '' };
      return {
        name: n.name,
        url: n.url,
        startedAtMs: Number(n.started_at_ms),
        lastSeenAtMs,
        up: !retired && lastSeenAtMs > atMs - leaseMs,
        self: n.name === me.name,
        cameraCount: mine.length,
        cameras: shown(mine),
        recordingBytes: bytes.get(n.name) ?? 0,
        retired,
      };
    });
    // Footage indexed under a name that is not a node of the site (the machine it was recorded on
    // before the site had nodes, or a node renamed): still on some disk, and counted.
    const named = new Set(rows.map((n) => n.name));
    for (const [name, b] of [...bytes].sort((x, y) => x[0].localeCompare(y[0]))) {
      if (!named.has(name) && b > 0) nodes.push({ name, url: null, startedAtMs: null, lastSeenAtMs: null, up: false, self: false, cameraCount: 0, cameras: [], recordingBytes: b, retired: null });
    }
    const nobody = enabled.filter((c) => !held.has(c.id));
    return { singleMachine: false, leaseMs, atMs, nodes, notHeld: { cameraCount: nobody.length, cameras: shown(nobody) } };
  }

  /**
   * Retires a node gone for good, in one transaction: its files in the index are marked missing (the
   * integrity check then reports them as lost footage, docs/design/breaches.md), the cameras whose
   * home it was are recorded by any node, its leases, site jobs and PTZ holders go, and its row says
   * when, by whom and why. Its lease rounds refuse from then on (camera-leases.ts), so it never
   * records again under that name. Refused: a single machine, this node, an unknown or retired node,
   * a node up or down for less than NODE_RETIRE_AFTER_DOWN_MS.
   */
  async retire(actor: string, name: string, reason: string): Promise<Result<RetiredNodeView>> {
    const me = this.o.leases;
    if (!me) return fail('FailedPrecondition', 'This site runs on one machine: it has no node to retire.');
    if (name === me.name) return fail('FailedPrecondition', `Node ${name} is the node you are connected to: a node cannot retire itself. Retire it from a seat connected to another node, once it is stopped.`);
    return this.o.db.transaction().execute(async (trx): Promise<Result<RetiredNodeView>> => {
      const now = await databaseNowMs(trx, () => this.o.clock.nowMs());
      const row = await trx.selectFrom('nodes').selectAll().where('name', '=', name).executeTakeFirst();
      if (!row) return fail('NotFound', `No node named ${JSON.stringify(name)} in this site.`);
      if (row.retired_at_ms !== null) return fail('FailedPrecondition', `Node ${name} was retired already, on ${new Date(Number(row.retired_at_ms)).toISOString()} by ${row.retired_by ?? '?'}.`);
      const downMs = now - Number(row.seen_at_ms);
      if (downMs < NODE_RETIRE_AFTER_DOWN_MS) {
        const seen = Math.max(0, Math.round(downMs / 1000));
        return fail('FailedPrecondition', `Node ${name} renewed its leases ${seen} s ago: a node is retired only once it has been down for ${NODE_RETIRE_AFTER_DOWN_MS / 1000} s (a restart takes less). Stop it for good first.`);
      }
      const lost = await markNodeLost(trx, name);
      const rehomed = await trx.updateTable('cameras').set({ home_node: null }).where('home_node', '=', name).executeTakeFirst();
      await trx.deleteFrom('camera_leases').where('node', '=', name).execute();
      await trx.deleteFrom('site_jobs').where('node', '=', name).execute();
      await trx.deleteFrom('ptz_holders').where('node', '=', name).execute();
      await trx.updateTable('nodes').set({ retired_at_ms: now, retired_by: actor, retire_reason: reason }).where('name', '=', name).execute();
      return ok({ node: name, recordings: lost.recordings, bytes: lost.bytes, heldRecordings: lost.held, camerasRehomed: Number(rehomed.numUpdatedRows) });
    });
  }
}
