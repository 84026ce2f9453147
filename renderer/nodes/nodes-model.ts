// What the Nodes panel and the camera dialog derive from nodes.list (docs/design/scale.md "Nodes in
// the console"): whether the site has several nodes to choose from, and a node's state in one word.
import type { NodeView, NodesView } from '../../shared/contract';

export type NodeStatus = 'up' | 'down' | 'gone' | 'retired';

/** Up, down (a node that stopped renewing its leases), retired for good by an administrator, or
 *  gone: a name found only on recordings (footage indexed by a machine that is no longer one of the
 *  site's nodes). */
export function nodeStatus(n: NodeView): NodeStatus {
  if (n.retired) return 'retired';
  if (n.url === null && !n.up) return 'gone';
  return n.up ? 'up' : 'down';
}

/** Offered to administrators: a node down (not this one), which the engine retires once it has been
 *  down NODE_RETIRE_AFTER_DOWN_MS (it says so when asked sooner). */
export function mayRetire(n: NodeView): boolean {
  return nodeStatus(n) === 'down' && !n.self;
}

/** The site's nodes a camera can be given as its home (gone and retired names are not nodes). */
export function homeNodeChoices(view: NodesView | null): NodeView[] {
  if (!view || view.singleMachine) return [];
  return view.nodes.filter((n) => nodeStatus(n) === 'up' || nodeStatus(n) === 'down');
}

/** A camera's home node is offered only where there is a choice: a site of more than one node. */
export function siteHasNodes(view: NodesView | null): boolean {
  return homeNodeChoices(view).length > 1;
}

/** Cameras a node holds that the caller is not shown (outside their camera groups). */
export function hiddenCameras(held: { cameraCount: number; cameras: readonly unknown[] }): number {
  return Math.max(0, held.cameraCount - held.cameras.length);
}
