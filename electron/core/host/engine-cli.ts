// `npm run engine -- --data-dir DIR --listen HOST:PORT [--name DNSNAME ...] [--ffmpeg PATH] [--renderer-dir DIR]
//   [--database postgres://... [--node NAME --node-url https://HOST:PORT]]`:
// the site engine (docs/design/site-engine.md): headless, recording with no seat connected, TLS
// on every address with the site's own CA, enrolled seats only. Runs under systemd as
// packaging/operator-console-engine.service (scripts/install-engine.sh). With --database it keeps its
// records in the site's PostgreSQL database; with --node it is one of several engines sharing it,
// recording the cameras it holds a lease on (docs/design/scale.md).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock';
import { parseListen } from './listen';
import { runHost } from './run-host';
import { nodeArgsProblem } from '../nodes/node-args';

const USAGE =
  'usage: npm run engine -- --data-dir DIR --listen HOST:PORT [--name DNSNAME ...] [--secrets keychain|credential] [--ffmpeg PATH] [--renderer-dir DIR]\n' +
  '                         [--database postgres://USER@HOST/DB [--node NAME --node-url https://HOST:PORT]]\n';

function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      listen: { type: 'string' },
      name: { type: 'string', multiple: true },
      ffmpeg: { type: 'string' },
      'renderer-dir': { type: 'string' },
      secrets: { type: 'string', default: 'keychain' },
      database: { type: 'string' },
      node: { type: 'string' },
      'node-url': { type: 'string' },
    },
    strict: true,
  });
  const nodeProblem = nodeArgsProblem(values);
  if (nodeProblem) process.stderr.write(`${nodeProblem}\n`);
  if (!values['data-dir'] || !values.listen || (values.secrets !== 'keychain' && values.secrets !== 'credential') || nodeProblem) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  return runHost({
    dataDir: values['data-dir'],
    port: 0,
    rendererDir: values['renderer-dir'] ?? path.resolve(import.meta.dirname, '../../../dist/renderer'),
    ffmpeg: values.ffmpeg ?? null,
    clock: systemClock,
    site: { listen: parseListen(values.listen), names: values.name ?? [] },
    secrets: values.secrets,
    ...(values.database ? { database: values.database } : {}),
    ...(values.node && values['node-url'] ? { node: { name: values.node, url: values['node-url'] } } : {}),
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`site engine failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
