// `npm run host -- --data-dir DIR [--port N] [--ffmpeg PATH]`: the engine headless on 127.0.0.1 with
// the built renderer and the seats' WebSocket (server.ts). Nothing for tests is in here: the e2e
// journeys start e2e/host-entry.ts, which adds a test clock.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock';
import { HOST_OPTIONS, hostArgs, runHost } from './run-host';

const { values } = parseArgs({ options: HOST_OPTIONS, strict: true });
runHost({ ...hostArgs(values, path.resolve(import.meta.dirname, '../../../dist/renderer')), clock: systemClock }).catch((err: unknown) => {
  process.stderr.write(`host failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
