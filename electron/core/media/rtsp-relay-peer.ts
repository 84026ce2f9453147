// Which process holds the other end of a relay connection (docs/design/live-pipeline.md
// "Credential relay"). A relay token is readable in ffmpeg's argv like the password was, so a
// registration bound to ffmpeg's pid accepts a connection only from a socket that process holds:
// another local user who copies the URL, even before ffmpeg connects, gets a 404.
import fs from 'node:fs';

const LOOPBACK_HEX = '0100007F'; // 127.0.0.1 as /proc/net/tcp writes it (little-endian)

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Whether the loopback TCP connection from `clientPort` to `relayPort` is held by `pid`: true or
 * false where /proc tells (Linux), null where it cannot (another OS, /proc hidden).
 */
export function connectionHeldBy(pid: number, clientPort: number, relayPort: number): boolean | null {
  let table: string;
  try {
    table = fs.readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return null;
  }
  const local = `${LOOPBACK_HEX}:${hexPort(clientPort)}`;
  const remote = `${LOOPBACK_HEX}:${hexPort(relayPort)}`;
  let inode: string | undefined;
  for (const line of table.split('\n')) {
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[2] === remote) {
      inode = f[9];
      break;
    }
  }
  if (!inode || inode === '0') return false;
  const socket = `socket:[${inode}]`;
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or not ours to read
  }
  return fds.some((fd) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === socket;
    } catch {
      return false;
    }
  });
}
