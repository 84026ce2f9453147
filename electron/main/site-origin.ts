// The address of a site engine as the desktop app accepts it (docs/design/site-engine.md "The desktop
// app as a seat"). A person types it at first start; it then ends up in the page's CSP, in the
// certificate pins and in the keychain account. So it is checked strictly here, once: `https`, a
// host that is an IPv4 or IPv6 address or a DNS name made of letters, digits, dashes and dots, a
// port, and nothing else. (WHATWG URL parsing alone lets `;`, `,`, `*` or `'` through in a host,
// any of which would rewrite the CSP.) No Electron import: tested in plain Node.
import net from 'node:net';

export interface SiteOrigin {
  /** Lower case; IPv6 without brackets. */
  host: string;
  port: number;
  /** `https://host:port` (IPv6 in brackets): what the CSP and the pins name. */
  origin: string;
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export class BadAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadAddressError';
  }
}

/** `host:port`, `[v6]:port` or `https://host:port`; the port defaults to 443. Throws BadAddressError in words. */
export function parseSiteOrigin(text: string): SiteOrigin {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > 300) throw new BadAddressError('Type the site engine\'s address, e.g. 10.0.0.5:8443.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new BadAddressError(`"${trimmed.slice(0, 80)}" is not an address: type it as host:port, e.g. 10.0.0.5:8443.`);
  }
  if (url.protocol !== 'https:') throw new BadAddressError('A site engine is reached over https only.');
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new BadAddressError('Type only the engine\'s host and port, e.g. 10.0.0.5:8443 (no path, user or query).');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (!(net.isIPv4(host) || net.isIPv6(host) || DNS_NAME.test(host))) {
    throw new BadAddressError(`"${host.slice(0, 80)}" is not a host name or IP address.`);
  }
  const port = url.port ? Number(url.port) : 443;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new BadAddressError('The port must be a number from 1 to 65535.');
  return { host, port, origin: `https://${net.isIPv6(host) ? `[${host}]` : host}:${port}` };
}
