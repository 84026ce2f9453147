// The nodes of the site (shared/contract/nodes.ts; docs/design/scale.md "Nodes in the console").
import type { NODE_COMMANDS } from '../../../shared/contract';
import { ok } from '../../../shared/result';
import { sessionMay } from '../auth/sessions';
import { requireSession, type HandlersOf } from '../dispatcher';
import { SiteNodes, type SiteNodesOptions } from './site-nodes';

export function createNodeHandlers(d: SiteNodesOptions): HandlersOf<typeof NODE_COMMANDS> {
  const nodes = new SiteNodes(d);
  return {
    'nodes.list': async (_r, ctx) => {
      const s = requireSession(ctx);
      // Administrators configure every camera (cameras.adminList); everyone else is named only the
      // cameras of their groups (docs/design/overview.md §6): records.readAll opens records, never cameras.
      if (sessionMay(s, 'cameras.manage')) return ok(await nodes.list(() => true));
      const { cameraIds } = await ctx.visibility();
      return ok(await nodes.list((id) => cameraIds.has(id)));
    },
    'nodes.retire': async (r, ctx) => nodes.retire(requireSession(ctx).username, r.node, r.reason),
  };
}
