// The nodes of a site (docs/design/scale.md "Nodes in the console"): the engines sharing the site's
// PostgreSQL database, whether each is up, which cameras it ingests and records, and how much footage
// its disk holds. Read by the roles that watch recording and storage (storage.view: administrators,
// supervisors, auditors); on one machine the answer is that machine alone.
import { z } from 'zod';
import { command } from './define';
import { empty, id, longText } from './fields';

/** A node's name as the engine is started with it (`--node NAME`): letters, digits and dashes, at
 *  most 63 (the same rule as electron/core/nodes/camera-leases.ts NODE_NAME; nodes.test.ts checks). */
export const NODE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
export const nodeName = z.string().max(63).regex(NODE_NAME_PATTERN, 'a node name: letters, digits and dashes, at most 63');

/** The one entry of a single machine: the name its recordings are indexed under. */
export const SINGLE_MACHINE_NODE = 'local';

export const nodeCameraView = z.strictObject({
  id,
  name: z.string(),
  /** The node that records it while that node is up; null: any node. */
  homeNode: z.string().nullable(),
});
export type NodeCameraView = z.infer<typeof nodeCameraView>;

export const nodeView = z.strictObject({
  name: z.string(),
  /** Where seats and the other nodes reach it; null on a single machine, and for a name found only
   *  on recordings (footage indexed by a node that is no longer one of the site's). */
  url: z.string().nullable(),
  /** When the node first joined the site (its row is kept across restarts); a single machine: when this engine started. */
  startedAtMs: z.number().nullable(),
  /** Its last lease renewal, on the database's clock. */
  lastSeenAtMs: z.number().nullable(),
  /** Renewed within one lease time: it records the cameras it holds. */
  up: z.boolean(),
  /** The engine that answered. */
  self: z.boolean(),
  /** Every camera it holds a lease on now, seen by the caller or not. */
  cameraCount: z.number().int().min(0),
  /** Those of them the caller may see (administrators: every camera; others: their groups'). */
  cameras: z.array(nodeCameraView),
  /** Footage indexed as on its disk (files that went missing excluded). */
  recordingBytes: z.number().min(0),
  /** Retired for good by an administrator (`nodes.retire`): when, by whom, why; null while a node. */
  retired: z.strictObject({ atMs: z.number(), by: z.string(), reason: z.string() }).nullable(),
});
export type NodeView = z.infer<typeof nodeView>;

/** A node is retired only once it has been down this long (the database's clock): a restart takes less. */
export const NODE_RETIRE_AFTER_DOWN_MS = 60_000;

export const retiredNodeView = z.strictObject({
  node: z.string(),
  /** Its files the index held, now marked missing (the integrity check reports them as lost footage). */
  recordings: z.number().int().min(0),
  bytes: z.number().min(0),
  /** Of them, files an active hold covers (evidence lost with the node). */
  heldRecordings: z.number().int().min(0),
  /** Cameras whose home node it was: now recorded by any node. */
  camerasRehomed: z.number().int().min(0),
});
export type RetiredNodeView = z.infer<typeof retiredNodeView>;

export const nodesView = z.strictObject({
  /** No `--node`: this one engine records every camera. */
  singleMachine: z.boolean(),
  /** How long a node's lease lasts without renewal (up = seen within it); null on a single machine. */
  leaseMs: z.number().int().nullable(),
  /** The database's time when the answer was read (what lastSeenAtMs is measured against). */
  atMs: z.number(),
  nodes: z.array(nodeView),
  /** Enabled cameras no node holds a valid lease on (recorded by nobody until one claims them). */
  notHeld: z.strictObject({ cameraCount: z.number().int().min(0), cameras: z.array(nodeCameraView) }),
});
export type NodesView = z.infer<typeof nodesView>;

export const NODE_COMMANDS = {
  'nodes.list': command({
    request: empty,
    response: nodesView,
    access: { kind: 'permission', permission: 'storage.view' },
    audit: { when: 'never', why: 'node names, addresses and figures; camera names only as the caller sees them; no footage, no personal data' },
    scope: { filtered: 'cameras are named only when the caller may see them (administrators configure every camera); counts cover all' },
    example: {},
  }),
  // A node gone for good (its machine or disk lost): its footage is marked missing and reported by the
  // integrity check, its cameras' home cleared, and it never takes a lease again (docs/design/scale.md
  // "Retiring a node"). Refused for this node, a node up or down for less than NODE_RETIRE_AFTER_DOWN_MS.
  'nodes.retire': command({
    request: z.strictObject({ node: nodeName, reason: longText(500, 10) }),
    response: retiredNodeView,
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: { when: 'before' },
    target: (r) => `node:${r.node}`,
    example: { node: 'depot-b', reason: 'The machine was destroyed in the depot fire' },
  }),
} as const;
