// A journey's host that is one node of a site (docs/design/scale.md): host mode on loopback, as
// e2e/host-entry.ts, with the site's PostgreSQL database and this engine's node name and address.
// Only e2e/nodes.spec.ts starts it (two of them sharing one throwaway cluster).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../electron/core/clock';
import { HOST_OPTIONS, hostArgs, runHost } from '../electron/core/host/run-host';
import { nodeArgsProblem } from '../electron/core/nodes/node-args';

const { values } = parseArgs({ options: { ...HOST_OPTIONS, database: { type: 'string' }, node: { type: 'string' }, 'node-url': { type: 'string' } }, strict: true });
const problem = nodeArgsProblem(values);
if (problem || !values.database || !values.node || !values['node-url']) {
  process.stderr.write(`${problem ?? 'give --database, --node and --node-url'}\n`);
  process.exit(2);
}
runHost({
  ...hostArgs(values, path.resolve(import.meta.dirname, '../dist/renderer')),
  clock: systemClock,
  database: values.database,
  node: { name: values.node, url: values['node-url'] },
}).catch((err: unknown) => {
  process.stderr.write(`e2e node host failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
