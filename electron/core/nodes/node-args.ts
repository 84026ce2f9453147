// The command-line options of an engine that is one node of several (docs/design/scale.md "Nodes"),
// checked before anything starts: a wrong one is a clear message and exit code 2, not a half-started node.
import { isPostgresUrl } from '../store/postgres';
import { NODE_NAME } from './camera-leases';

export function nodeArgsProblem(v: { database?: string; node?: string; 'node-url'?: string }): string | null {
  if (v.database !== undefined && !isPostgresUrl(v.database)) return '--database: give a postgres:// (or postgresql://) connection string';
  if ((v.node !== undefined || v['node-url'] !== undefined) && v.database === undefined) return '--node needs --database: the nodes of a site share one PostgreSQL database';
  if ((v.node === undefined) !== (v['node-url'] === undefined)) return '--node and --node-url go together: the name of this node and where the others reach it';
  if (v.node !== undefined && !NODE_NAME.test(v.node)) return `--node ${JSON.stringify(v.node)}: letters, digits and dashes, at most 63`;
  if (v['node-url'] !== undefined) {
    let u: URL | null = null;
    try {
      u = new URL(v['node-url']);
    } catch {
      // reported below
    }
    if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || !u.host) return `--node-url ${JSON.stringify(v['node-url'])}: give https://HOST:PORT`;
  }
  return null;
}
