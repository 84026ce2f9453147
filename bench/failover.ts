// The gap in recording when a node dies and when it comes back (docs/design/scale.md "Leases"):
// three nodes, PostgreSQL and the simulator each in a network namespace (testing/node-site.ts, needs
// root); the node recording every camera is killed with SIGKILL, the others take the cameras over;
// it is started again and takes them back. Per camera, from the recording index once the killed
// node has indexed its files again:
// - failover gap: the killed node's last recorded millisecond to the first of the node taking over;
// - failback gap: the taking node's last to the home node's first again.
// `npm run bench:failover -- [--json] [--cameras 6]`; bench/scale.ts reports its figure too.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startNodeSite, sleep, until } from '../electron/core/testing/node-site';
import { netnsUnavailable } from '../electron/core/testing/netns';
import { machine } from './proc-cpu';

export interface FailoverFigures {
  cameras: number;
  leaseMs: number;
  /** From the kill to the first file of the slowest camera on another node. */
  takeoverSecondsMax: number;
  failoverGapSecondsMax: number;
  failoverGapSecondsP50: number;
  failbackGapSecondsMax: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function measureFailoverGap(o: { cameras?: number; say?: (line: string) => void } = {}): Promise<FailoverFigures> {
  const why = netnsUnavailable();
  if (why) throw new Error(`the failover measurement needs network namespaces: ${why}`);
  const say = o.say ?? (() => {});
  const cameras = o.cameras ?? 6;
  say(`starting PostgreSQL, the simulator (${cameras} cameras) and three nodes in namespaces...`);
  const site = await startNodeSite({ nodes: ['n1', 'n2', 'n3'], cameras, home: 'n1' });
  try {
    await until('n1 recording every camera', async () => {
      const rows = await site.db.selectFrom('recordings').select('camera_id').where('node', '=', 'n1').where('bytes', '>', 10_000).execute();
      return new Set(rows.map((r) => r.camera_id)).size === cameras;
    }, 60_000);
    await sleep(5000);
    say('kill -9 of n1...');
    const killedAt = await site.kill('n1');
    const taken = await site.takenOver('n1', killedAt - 1000, 60_000);
    const takeoverSecondsMax = Math.max(...[...taken.values()].map((t) => (t - killedAt) / 1000));
    say(`  every camera recorded elsewhere ${takeoverSecondsMax.toFixed(2)} s after the kill`);
    await sleep(5000);
    say('n1 back...');
    await site.startNode('n1');
    await until('n1 holding every camera again', async () => {
      const h = await site.holders();
      return site.cameraIds.every((id) => h.get(id) === 'n1');
    }, 60_000);
    await sleep(5000);
    const failover: number[] = [];
    const failback: number[] = [];
    for (const id of site.cameraIds) {
      const files = (await site.filesOf(id)).filter((f) => f.state === 'complete' || f.state === 'open');
      for (let i = 1; i < files.length; i++) {
        const [a, b] = [files[i - 1]!, files[i]!];
        if (a.node === b.node) continue;
        (a.node === 'n1' ? failover : failback).push((b.start_ms - a.end_ms) / 1000);
      }
    }
    failover.sort((a, b) => a - b);
    const figures: FailoverFigures = {
      cameras,
      leaseMs: 5000,
      takeoverSecondsMax: round(takeoverSecondsMax),
      failoverGapSecondsMax: round(Math.max(...failover)),
      failoverGapSecondsP50: round(failover[Math.floor(failover.length / 2)] ?? NaN),
      failbackGapSecondsMax: round(Math.max(...failback)),
    };
    say(`  failover gap per camera: ${failover.map((g) => g.toFixed(2)).join(', ')} s; failback gap max ${figures.failbackGapSecondsMax} s`);
    return figures;
  } finally {
    await site.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, cameras: { type: 'string', default: '6' } } });
  const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);
  const figures = await measureFailoverGap({ cameras: Number(values.cameras), say });
  const result = { ...figures, machine: machine(), targets: { failoverGapSecondsMax: 10 } };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else say(JSON.stringify(result, null, 2));
}
