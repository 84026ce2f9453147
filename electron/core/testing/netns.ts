// A private two-host network for tests (docs/design/site-engine.md "Tests"): two network
// namespaces joined by a veth pair created inside them, the engine's at 10.77.0.1/24 and the
// seats' at 10.77.0.2/24. Nothing is added to the host's own network; dispose() deletes both
// namespaces (and with them the pair). Needs root (CAP_NET_ADMIN), as the ONVIF discovery tests do.
import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const ENGINE_IP = '10.77.0.1';
export const SEAT_IP = '10.77.0.2';

export interface NetPair {
  engineNs: string;
  seatNs: string;
  /** Starts a process inside a namespace (`ip netns exec` execs it: the pid is the process's own). */
  spawnIn(ns: string, command: string, args: string[], opts?: SpawnOptions): ChildProcess;
  dispose(): void;
}

/** Why namespaces cannot be made here, or null when they can. */
export function netnsUnavailable(): string | null {
  const probe = `oc-probe-${randomBytes(3).toString('hex')}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.error) return `ip (iproute2) is not installed: ${r.error.message}`;
  if (r.status !== 0) return `cannot create a network namespace (needs root): ${r.stderr.trim()}`;
  // Entering one needs more than making it: `ip netns exec` remounts / in a mount namespace of its
  // own, which fails where / is not a mount point (a chroot not bind-mounted onto itself).
  const exec = spawnSync('ip', ['netns', 'exec', probe, 'true'], { encoding: 'utf8' });
  spawnSync('ip', ['netns', 'del', probe]);
  if (exec.status !== 0) return `cannot enter a network namespace (ip netns exec): ${(exec.stderr ?? '').trim() || `exit ${exec.status}`}`;
  return null;
}

export function makeNetPair(): NetPair {
  const tag = randomBytes(3).toString('hex');
  const engineNs = `oc-eng-${tag}`;
  const seatNs = `oc-seat-${tag}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const dispose = () => {
    for (const ns of [engineNs, seatNs]) spawnSync('ip', ['netns', 'del', ns]);
  };
  try {
    ip('netns', 'add', engineNs);
    ip('netns', 'add', seatNs);
    // Made inside the engine's namespace, its peer inside the seats': never on the host's network.
    ip('-n', engineNs, 'link', 'add', 'veth-eng', 'type', 'veth', 'peer', 'name', 'veth-seat', 'netns', seatNs);
    ip('-n', engineNs, 'addr', 'add', `${ENGINE_IP}/24`, 'dev', 'veth-eng');
    ip('-n', seatNs, 'addr', 'add', `${SEAT_IP}/24`, 'dev', 'veth-seat');
    for (const [ns, dev] of [[engineNs, 'veth-eng'], [seatNs, 'veth-seat']] as const) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'set', dev, 'up');
    }
  } catch (err) {
    dispose();
    throw err;
  }
  return {
    engineNs,
    seatNs,
    spawnIn: (ns, command, args, opts = {}) => spawn('ip', ['netns', 'exec', ns, command, ...args], opts),
    dispose,
  };
}
