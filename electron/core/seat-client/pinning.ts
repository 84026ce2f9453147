// Pinning the site's CA (docs/design/site-engine.md "TLS and pinning"): a seat trusts exactly one
// certificate authority, the site's, named by its fingerprint (SHA-256 of its public key, hex);
// never the system's trust store. The CA certificate is read from a TLS handshake that sends
// nothing (no code, no credential), checked against the fingerprint, and then used as the only
// `ca` of every real connection, whose chain OpenSSL verifies against it and whose name must be in
// the server certificate; the root of that chain is checked against the fingerprint once more.
import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import net from 'node:net';
import tls, { type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';

export class WrongSiteError extends Error {
  constructor(
    readonly found: string,
    readonly expected: string,
  ) {
    super(`This is not the site engine you enrolled with: its certificate fingerprint is ${found}, expected ${expected}.`);
    this.name = 'WrongSiteError';
  }
}

export interface SiteAddress {
  host: string;
  port: number;
  /** `https://host:port` (IPv6 in brackets). */
  origin: string;
}

/** `host:port`, `[v6]:port` or `https://host:port` (default port 443). */
export function parseAddress(text: string): SiteAddress {
  const url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  if (url.protocol !== 'https:') throw new Error(`a site engine is reached over https only, not ${url.protocol}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : 443;
  return { host, port, origin: `https://${net.isIPv6(host) ? `[${host}]` : host}:${port}` };
}

/** The addresses of a list that parse (as parseAddress), the others left out: node lists named by an engine or kept in settings. */
export function parseAddresses(texts: readonly string[]): SiteAddress[] {
  return texts.flatMap((text) => {
    try {
      return [parseAddress(text)];
    } catch {
      return [];
    }
  });
}

export function normaliseFingerprint(text: string): string {
  return text.replace(/[\s:]/g, '').toLowerCase();
}

export function fingerprintOf(der: Buffer): string {
  const spki = new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

/** The chain a server presented, leaf first (Node links each certificate to its issuer). */
function chainOf(cert: DetailedPeerCertificate): DetailedPeerCertificate[] {
  const out: DetailedPeerCertificate[] = [];
  let c: DetailedPeerCertificate | undefined = cert;
  while (c?.raw && !out.includes(c)) {
    out.push(c);
    c = c.issuerCertificate;
  }
  return out;
}

const toPem = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END CERTIFICATE-----\n`;
const sni = (host: string) => (net.isIP(host) ? {} : { servername: host });

/**
 * Reads the site CA from a handshake with `address` (each connection reads it anew, so another
 * engine appearing at the address is named as such, not retried as a network fault). With `expected`, the CA must have that
 * fingerprint (WrongSiteError otherwise); without it (first contact, trust on first use), the root
 * of the presented chain is taken and its fingerprint returned for the person to compare.
 */
export async function siteCa(address: SiteAddress, expected?: string, timeoutMs = 5000): Promise<{ caPem: string; fingerprint: string }> {
  const want = expected === undefined ? undefined : normaliseFingerprint(expected);
  const chain = await new Promise<DetailedPeerCertificate[]>((resolve, reject) => {
    // rejectUnauthorized: false only here: nothing is written on this socket, it ends after the handshake.
    const socket = tls.connect({ host: address.host, port: address.port, ...sni(address.host), rejectUnauthorized: false, timeout: timeoutMs });
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      socket.destroy();
      resolve(chainOf(peer));
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`the site engine at ${address.origin} did not answer within ${timeoutMs} ms`));
    });
    socket.once('error', (err) => reject(new Error(`cannot reach the site engine at ${address.origin}: ${err.message}`)));
  });
  if (chain.length === 0) throw new Error(`the site engine at ${address.origin} presented no certificate`);
  const found = chain.map((c) => ({ der: c.raw, fingerprint: fingerprintOf(c.raw) }));
  const root = found[found.length - 1]!;
  const ca = want ? found.find((c) => c.fingerprint === want) : root;
  if (!ca) throw new WrongSiteError(root.fingerprint, want!);
  return { caPem: toPem(ca.der), fingerprint: ca.fingerprint };
}

/** TLS options that trust only the pinned CA (no system roots) and check the name and the fingerprint. */
export function pinnedTlsOptions(address: SiteAddress, caPem: string, fingerprint: string): tls.ConnectionOptions {
  const want = normaliseFingerprint(fingerprint);
  return {
    ca: [caPem],
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    ...sni(address.host),
    checkServerIdentity: (host: string, cert: PeerCertificate) => {
      const nameError = tls.checkServerIdentity(host, cert);
      if (nameError) return nameError;
      const chain = chainOf(cert as DetailedPeerCertificate);
      const root = chain[chain.length - 1];
      const got = root ? fingerprintOf(root.raw) : '';
      return chain.some((c) => fingerprintOf(c.raw) === want) ? undefined : new WrongSiteError(got, want);
    },
  };
}

/** An https.Agent for the site's media URLs (live, recorded, downloads) pinned like the socket. */
export async function pinnedAgent(addressText: string, fingerprint: string): Promise<https.Agent> {
  const address = parseAddress(addressText);
  const { caPem } = await siteCa(address, fingerprint);
  return new https.Agent({ keepAlive: true, ...pinnedTlsOptions(address, caPem, fingerprint) });
}

export interface MediaResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** GET one media URL of the site engine with the pinned CA (a player would stream the same way). */
export async function fetchMedia(url: string, fingerprint: string, opts: { agent?: https.Agent; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<MediaResponse> {
  const u = new URL(url);
  if (u.protocol !== 'https:') throw new Error(`media of a site engine is served over https only: ${u.protocol}`);
  const agent = opts.agent ?? (await pinnedAgent(u.origin, fingerprint));
  return new Promise((resolve, reject) => {
    const req = https.get(u, { agent, headers: opts.headers, timeout: opts.timeoutMs ?? 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${u.origin} in time`)));
    req.on('error', reject);
  });
}
