import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { CameraInfo } from './client';
import { inPrivateNetworkNamespace } from './discovery';

const run = promisify(execFile);
const PROBE = fileURLToPath(new URL('./discovery-probe.ts', import.meta.url));
// WS-Discovery is multicast: it is only ever exercised inside a private network namespace.
const canUnshare = spawnSync('unshare', ['-n', 'true']).status === 0;

describe('WS-Discovery', () => {
  it.skipIf(!canUnshare)('node-onvif startProbe() finds every camera (inside unshare -n)', async () => {
    const script =
      'ip link set lo up multicast on && ip route add 224.0.0.0/4 dev lo && ' +
      `exec "${process.execPath}" --import tsx "${PROBE}" 3`;
    const { stdout } = await run('unshare', ['-n', 'sh', '-c', script], { timeout: 45_000, cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    const line = stdout.trim().split('\n').pop() ?? '{}';
    const { cameras, found } = JSON.parse(line) as { cameras: CameraInfo[]; found: { urn: string; name: string; xaddrs: string[] }[] };
    expect(found.map((f) => f.xaddrs[0]).sort()).toEqual(cameras.map((c) => c.onvifUrl).sort());
    expect(found.map((f) => f.name).sort()).toEqual(['cam1', 'cam2', 'cam3']);
    expect(new Set(found.map((f) => f.urn)).size).toBe(3);
  });

  it('the simulator refuses to run discovery on the host network', async () => {
    if (inPrivateNetworkNamespace()) return; // (nothing to check when the tests themselves run in a namespace)
    const { startSimulator } = await import('./client');
    await expect(startSimulator({ cameras: 1, discovery: true })).rejects.toThrow(/refusing to start WS-Discovery/);
  });
});
