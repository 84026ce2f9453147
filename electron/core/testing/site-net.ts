// A private site network for tests of several nodes (docs/design/scale.md "Tests"): a hub network
// namespace holding a bridge, and one namespace per member (a node, the database, the cameras), each
// joined to the bridge by a veth pair made inside the namespaces, at 10.78.0.<n>/24. Nothing is added
// to the host's own network; dispose() deletes every namespace (and with them the pairs and bridge).
// Needs root (CAP_NET_ADMIN); netnsUnavailable() (netns.ts) says why not.
import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface SiteMember {
  ns: string;
  ip: string;
}

export interface SiteNet {
  members: ReadonlyMap<string, SiteMember>;
  member(name: string): SiteMember;
  /** Starts a process inside a member's namespace (`ip netns exec` execs it: the pid is the process's own). */
  spawnIn(name: string, command: string, args: string[], opts?: SpawnOptions): ChildProcess;
  /** From now on `name` cannot reach `to` (a blackhole route in its namespace): cut off from one peer only. */
  cut(name: string, to: string): void;
  heal(name: string, to: string): void;
  dispose(): void;
}

export function makeSiteNet(names: readonly string[]): SiteNet {
  const tag = randomBytes(3).toString('hex');
  const hub = `oc-hub-${tag}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const members = new Map<string, SiteMember>(names.map((n, i) => [n, { ns: `oc-${tag}-${i}`, ip: `10.78.0.${10 + i}` }]));
  const dispose = () => {
    for (const m of members.values()) spawnSync('ip', ['netns', 'del', m.ns]);
    spawnSync('ip', ['netns', 'del', hub]);
  };
  try {
    ip('netns', 'add', hub);
    ip('-n', hub, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', hub, 'link', 'set', 'br0', 'up');
    ip('-n', hub, 'link', 'set', 'lo', 'up');
    let i = 0;
    for (const m of members.values()) {
      i += 1;
      ip('netns', 'add', m.ns);
      // Made inside the hub, its peer moved into the member: never on the host's network.
      ip('-n', hub, 'link', 'add', `h${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', m.ns);
      ip('-n', hub, 'link', 'set', `h${i}`, 'master', 'br0');
      ip('-n', hub, 'link', 'set', `h${i}`, 'up');
      ip('-n', m.ns, 'addr', 'add', `${m.ip}/24`, 'dev', 'eth0');
      ip('-n', m.ns, 'link', 'set', 'lo', 'up');
      ip('-n', m.ns, 'link', 'set', 'eth0', 'up');
    }
  } catch (err) {
    dispose();
    throw err;
  }
  const member = (name: string) => {
    const m = members.get(name);
    if (!m) throw new Error(`no member ${name} in the site network`);
    return m;
  };
  return {
    members,
    member,
    spawnIn: (name, command, args, opts = {}) => spawn('ip', ['netns', 'exec', member(name).ns, command, ...args], opts),
    cut: (name, to) => ip('-n', member(name).ns, 'route', 'add', 'blackhole', `${member(to).ip}/32`),
    heal: (name, to) => ip('-n', member(name).ns, 'route', 'del', 'blackhole', `${member(to).ip}/32`),
    dispose,
  };
}
