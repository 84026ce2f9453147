// Where the host or the site engine listens, and the rule that follows from it
// (docs/design/site-engine.md "TLS and pinning"): off loopback the engine speaks TLS only.
import net from 'node:net';
import os from 'node:os';

export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses `HOST:PORT` or `[IPv6]:PORT`; throws a message a person can act on. */
export function parseListen(text: string): ListenAddress {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]\s]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`--listen ${JSON.stringify(text)}: expected HOST:PORT, e.g. 10.0.0.5:8443 or [::1]:8443`);
  const host = m[1]!;
  if (!net.isIP(host) && !/^[a-z0-9.-]{1,253}$/i.test(host)) throw new Error(`--listen ${JSON.stringify(text)}: ${host} is neither an address nor a host name`);
  return { host, port };
}

/** True for addresses only this machine reaches: 127.0.0.0/8, ::1 and the name localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return /^::ffff:127\./i.test(host);
}

/** The machine's own non-loopback addresses (for a certificate when listening on 0.0.0.0 or ::). */
export function interfaceAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80:')) out.push(a.address);
  return out;
}

/** `https://host:port` with IPv6 in brackets. */
export function originOf(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}
