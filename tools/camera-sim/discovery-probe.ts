// Run INSIDE a private network namespace only (see discovery.test.ts / README): starts a
// simulator with WS-Discovery and probes it with node-onvif; prints one JSON line.
import onvif from 'node-onvif';
import { startSimulator } from './client';

const sim = await startSimulator({ cameras: Number(process.argv[2] ?? 3), discovery: true });
try {
  const found = await onvif.startProbe();
  process.stdout.write(`${JSON.stringify({ cameras: sim.cameras, found })}\n`);
} finally {
  await sim.close();
}
