// The certificate decision for everything Chromium fetches over TLS in the desktop app: the
// renderer's live and recorded media and downloads from the site engine (docs/design/site-engine.md
// "The desktop app as a seat"; docs/adr/0003-site-engine-tls-and-seat-enrolment.md). The same rule
// as the Node seat client (electron/core/seat-client/pinning.ts): the site CA named by the pinned
// fingerprint (SHA-256 of its SubjectPublicKeyInfo) is the only trust anchor, never the system's
// store. Anything else, any host without a pin included, is refused: the console page talks to no
// other TLS server. No Electron import: main.ts hands the chain over as DER.
import { createHash, X509Certificate } from 'node:crypto';
import net from 'node:net';

/** Electron's setCertificateVerifyProc answers: 0 trusts, -2 refuses (net::ERR_FAILED). */
export const VERIFY_ACCEPT = 0;
export const VERIFY_REFUSE = -2;

export type PinDecision = { accept: true } | { accept: false; why: string };

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
/** Longest chain followed (leaf, intermediates, CA); the site engine presents two. */
const MAX_CHAIN = 5;

export function spkiFingerprintOf(cert: X509Certificate): string {
  return createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

function validAt(cert: X509Certificate, nowMs: number): boolean {
  return Date.parse(cert.validFrom) <= nowMs && nowMs <= Date.parse(cert.validTo);
}

/** Electron's `Certificate` as far as it is used here: PEM data and the issuer as presented. */
export interface PresentedCertificate {
  data: string;
  issuerCert?: PresentedCertificate | null;
}

/** The chain a server presented, leaf first, as DER (stops at a loop or after MAX_CHAIN). */
export function chainOfPresented(cert: PresentedCertificate): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<PresentedCertificate>();
  let c: PresentedCertificate | null | undefined = cert;
  while (c && !seen.has(c) && out.length < MAX_CHAIN) {
    seen.add(c);
    try {
      out.push(Buffer.from(new X509Certificate(c.data).raw));
    } catch {
      break;
    }
    c = c.issuerCert;
  }
  return out;
}

/**
 * Trust the certificate `chainDer` (leaf first, as the server presented it) for `hostname` only when
 * `pins` names a site CA for that host and: the leaf is valid now, names the host, is no CA and may
 * serve TLS; each link is signed by the next certificate, which is a CA valid now; and the chain
 * reaches a CA whose public key has the pinned fingerprint. Checking the signature with the pinned
 * key is what matters: a copy of the real CA certificate appended to a forged chain proves nothing.
 */
export function decideCertificate(o: { hostname: string; chainDer: readonly Buffer[]; pins: ReadonlyMap<string, string>; nowMs: number }): PinDecision {
  const host = o.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const pin = o.pins.get(host);
  if (!pin) return { accept: false, why: `no site engine is pinned for ${host}` };
  let chain: X509Certificate[];
  try {
    chain = o.chainDer.slice(0, MAX_CHAIN).map((der) => new X509Certificate(der));
  } catch {
    return { accept: false, why: 'the presented certificate could not be read' };
  }
  const leaf = chain[0];
  if (!leaf) return { accept: false, why: 'no certificate was presented' };
  if (!validAt(leaf, o.nowMs)) return { accept: false, why: `the server certificate is not valid now (${leaf.validFrom} to ${leaf.validTo})` };
  if (leaf.ca) return { accept: false, why: 'the server presented a CA certificate as its own' };
  const named = net.isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host, { wildcards: false, subject: 'never' });
  if (named === undefined) return { accept: false, why: `the server certificate does not name ${host}` };
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(SERVER_AUTH)) return { accept: false, why: 'the server certificate is not for TLS servers' };

  let current = leaf;
  const used = new Set<X509Certificate>([leaf]);
  for (let depth = 0; depth < MAX_CHAIN; depth += 1) {
    const issuer = chain.find((c) => !used.has(c) && c.ca && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) break;
    if (!validAt(issuer, o.nowMs)) return { accept: false, why: 'a certificate authority of the chain is not valid now' };
    if (spkiFingerprintOf(issuer) === pin) return { accept: true };
    used.add(issuer);
    current = issuer;
  }
  const last = chain[chain.length - 1]!;
  return { accept: false, why: `the certificate is not issued by the pinned site CA ${pin} (the chain ends at ${spkiFingerprintOf(last)})` };
}
