// CPU time of this process and its child processes, read from /proc (Linux), for benchmarks.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime+stime in ms of one process, or null when it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export function childPids(parent: number, comm?: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && (!comm || name === comm)) out.push(Number(entry));
    } catch {
      // raced with exit
    }
  }
  return out;
}

/** CPU ms of this process plus the named children alive now. */
export function treeCpuMs(comm: string): { selfMs: number; childrenMs: number; children: Map<number, number> } {
  const u = process.cpuUsage();
  const children = new Map<number, number>();
  for (const pid of childPids(process.pid, comm)) {
    const ms = processCpuMs(pid);
    if (ms !== null) children.set(pid, ms);
  }
  return { selfMs: (u.user + u.system) / 1000, childrenMs: [...children.values()].reduce((a, b) => a + b, 0), children };
}

export function machine(): string {
  const os = process.platform === 'linux' ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /model name\s*:\s*(.+)/.exec(os)?.[1]?.trim() ?? 'unknown CPU';
  const cores = (os.match(/^processor/gm) ?? []).length;
  const memGiB = Math.round(Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024);
  return `${cores} x ${model}, ${memGiB} GiB, Node ${process.version}`;
}
