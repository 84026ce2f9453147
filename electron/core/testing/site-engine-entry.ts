// The site engine for tests: the same runHost as `npm run engine` (electron/core/host/engine-cli.ts)
// with a clock the test moves forward by writing `advance MS` lines to stdin (enrolment codes that
// expire without waiting 15 minutes). Only tests start this file; the engine users run has no such seam.
//   node --import tsx electron/core/testing/site-engine-entry.ts DATA_DIR HOST:PORT [DNSNAME...]
import { createInterface } from 'node:readline';
import { OffsetClock, systemClock } from '../clock';
import { parseListen } from '../host/listen';
import { runHost } from '../host/run-host';

const [dataDir, listen, ...names] = process.argv.slice(2);
const clock = new OffsetClock(systemClock);
createInterface({ input: process.stdin }).on('line', (line) => {
  const m = /^advance (\d+)$/.exec(line.trim());
  if (!m) return;
  clock.advance(Number(m[1]));
  process.stdout.write(`advanced ${m[1]}\n`);
});
runHost({ dataDir: dataDir!, port: 0, rendererDir: '/nonexistent-renderer', ffmpeg: null, clock, site: { listen: parseListen(listen!), names } }).catch((err: unknown) => {
  process.stderr.write(`site engine failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
