// The host for the e2e journeys: the same engine and host users run (electron/core/host/run-host.ts),
// with a clock the journeys can move forward (POST /__test__/clock/advance?ms=N), so idle locks and
// lockouts are tested without waiting. Only the journeys start this file; `npm run host` has no
// such route (a test seam must never be in what users run).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OffsetClock, systemClock } from '../electron/core/clock';
import { HOST_OPTIONS, hostArgs, runHost } from '../electron/core/host/run-host';

const { values } = parseArgs({ options: HOST_OPTIONS, strict: true });
const clock = new OffsetClock(systemClock);
runHost({
  ...hostArgs(values, path.resolve(import.meta.dirname, '../dist/renderer')),
  clock,
  extraRoutes: (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'POST' || url.pathname !== '/__test__/clock/advance') return false;
    const ms = Number(url.searchParams.get('ms'));
    if (!Number.isFinite(ms) || ms < 0) res.writeHead(400).end();
    else {
      clock.advance(ms);
      res.writeHead(204).end();
    }
    return true;
  },
}).catch((err: unknown) => {
  process.stderr.write(`e2e host failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
