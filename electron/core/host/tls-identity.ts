// The site engine's TLS identity (docs/design/site-engine.md "TLS and pinning",
// docs/adr/0003-site-engine-tls-and-seat-enrolment.md): a certificate authority of the site's own,
// made once at first start and kept, and a server certificate it issues for the names and
// addresses the engine is reached at. Seats pin the CA by its fingerprint (SHA-256 of its public
// key, SPKI DER, hex), never the system's trust store, so re-issuing the server certificate
// (new names, near its end) changes nothing for enrolled seats.
//
// Files, in DATA_DIR/tls (0700; every file 0600, keys included): ca.key, ca.crt, server.key,
// server.crt. Each is written to a temporary file, synced and renamed, so a crash leaves either
// the old file or the new one.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, createPrivateKey, hkdfSync, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TLS_DIR } from './tls-dir';

export { TLS_DIR } from './tls-dir';

// Node's webcrypto is the provider (the library's types name the DOM's Crypto, absent in this layer).
x509.cryptoProvider.set(webcrypto as never);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
/** The CA outlives any engine install; seats pin it. */
const CA_VALIDITY_DAYS = 20 * 365;
/** The server certificate is re-issued at start (and daily) once fewer than RENEW_DAYS are left. */
const SERVER_VALIDITY_DAYS = 2 * 365;
const RENEW_DAYS = 60;

export interface SiteName {
  type: 'dns' | 'ip';
  value: string;
}

export interface TlsIdentity {
  /** SHA-256 of the CA certificate's SubjectPublicKeyInfo (DER), lower-case hex. */
  fingerprint: string;
  caPem: string;
  /** The server certificate followed by the CA certificate: what the server presents. */
  certChainPem: string;
  keyPem: string;
  names: SiteName[];
  /** What happened at this start, for the log: 'created' (new CA), 'issued' (new server certificate), 'kept'. */
  action: 'created' | 'issued' | 'kept';
  serverNotAfterMs: number;
  /** The site's secrets key (docs/design/scale.md "Camera passwords on every node"): derived from the
   *  site CA's private key, so every node of a site, given the CA at install, has the same one. */
  siteSecretsKey: Buffer;
}

/** HKDF-SHA256 of the CA's private key (PKCS#8 DER), for this one use. */
export function deriveSiteSecretsKey(caKeyPem: string): Buffer {
  const der = createPrivateKey(caKeyPem).export({ type: 'pkcs8', format: 'der' });
  return Buffer.from(hkdfSync('sha256', der, 'operator-console site', 'camera secrets v1', 32));
}

/** SHA-256 of a certificate's SPKI, hex: the site fingerprint when given the CA certificate. */
export function spkiFingerprint(certPem: string | Buffer): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

/** A fingerprint as a person may type it (colons, spaces, upper case) in the one form compared. */
export function normaliseFingerprint(text: string): string {
  return text.replace(/[\s:]/g, '').toLowerCase();
}

/** The names a certificate must carry for one listen address plus the configured DNS names. */
export function siteNames(listenHost: string, dnsNames: readonly string[], interfaceAddresses: readonly string[] = []): SiteName[] {
  const out = new Map<string, SiteName>();
  const add = (n: SiteName) => out.set(`${n.type}:${n.value.toLowerCase()}`, n);
  for (const d of dnsNames) {
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(d)) {
      throw new Error(`--name ${JSON.stringify(d)} is not a DNS name (letters, digits, dashes and dots)`);
    }
    add({ type: 'dns', value: d.toLowerCase() });
  }
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::';
  if (!wildcard) {
    if (net.isIP(listenHost)) add({ type: 'ip', value: listenHost });
    else add({ type: 'dns', value: listenHost.toLowerCase() });
  } else for (const a of interfaceAddresses) add({ type: 'ip', value: a });
  if (out.size === 0) throw new Error('the certificate would name nothing: give --name or listen on an address');
  return [...out.values()];
}

/**
 * Loads the site's TLS identity from DATA_DIR/tls, creating the CA at first start and (re-)issuing
 * the server certificate when the names changed, it is near its end, or it does not match the CA
 * or its key. The CA is never replaced: a missing CA key next to an existing CA certificate is an
 * error, not a silent new site.
 */
export async function loadTlsIdentity(dataDir: string, names: readonly SiteName[], nowMs = Date.now()): Promise<TlsIdentity> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dir = path.join(dataDir, TLS_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const file = (n: string) => path.join(dir, n);
  let action: TlsIdentity['action'] = 'kept';

  const hasCaCert = fs.existsSync(file('ca.crt'));
  const hasCaKey = fs.existsSync(file('ca.key'));
  if (hasCaCert !== hasCaKey) {
    throw new Error(`the site CA in ${dir} is incomplete (${hasCaCert ? 'ca.key' : 'ca.crt'} is missing); restore it from backup. A new CA would make every enrolled seat refuse this engine.`);
  }
  if (!hasCaCert) {
    const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: `CN=Operator Console site CA ${randomBytes(4).toString('hex')}`,
      notBefore: new Date(nowMs - DAY_MS),
      notAfter: new Date(nowMs + CA_VALIDITY_DAYS * DAY_MS),
      keys,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    writePrivate(file('ca.key'), await keyPem(keys.privateKey));
    writePrivate(file('ca.crt'), ca.toString('pem'));
    action = 'created';
  }
  for (const n of fs.readdirSync(dir)) fs.chmodSync(file(n), 0o600);
  const caPem = fs.readFileSync(file('ca.crt'), 'utf8');
  const caKeyPem = fs.readFileSync(file('ca.key'), 'utf8');
  const caCert = new X509Certificate(caPem);

  if (action === 'created' || needsIssue(file('server.crt'), file('server.key'), caCert, names, nowMs)) {
    const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const caKey = await webcrypto.subtle.importKey('pkcs8', pemBody(caKeyPem), EC, false, ['sign']);
    const caX = new x509.X509Certificate(caPem);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${names[0]!.value}`,
      issuer: caX.subject,
      notBefore: new Date(nowMs - DAY_MS),
      notAfter: new Date(nowMs + SERVER_VALIDITY_DAYS * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: n.type, value: n.value }))),
        await x509.AuthorityKeyIdentifierExtension.create(caX.publicKey),
      ],
    });
    // Key first: a crash between the two leaves a certificate that does not match its key, which
    // the next start notices (checkPrivateKey) and re-issues.
    writePrivate(file('server.key'), await keyPem(keys.privateKey));
    writePrivate(file('server.crt'), cert.toString('pem'));
    if (action === 'kept') action = 'issued';
  }
  const serverPem = fs.readFileSync(file('server.crt'), 'utf8');
  return {
    fingerprint: spkiFingerprint(caPem),
    caPem,
    certChainPem: `${serverPem.trim()}\n${caPem.trim()}\n`,
    keyPem: fs.readFileSync(file('server.key'), 'utf8'),
    names: [...names],
    action,
    serverNotAfterMs: Date.parse(new X509Certificate(serverPem).validTo),
    siteSecretsKey: deriveSiteSecretsKey(caKeyPem),
  };
}

/** True when the server certificate must be (re-)issued. */
function needsIssue(certFile: string, keyFile: string, ca: X509Certificate, names: readonly SiteName[], nowMs: number): boolean {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(fs.readFileSync(certFile));
    const key = createPrivateKey(fs.readFileSync(keyFile, 'utf8'));
    if (!cert.checkPrivateKey(key)) return true;
  } catch {
    return true;
  }
  if (!cert.verify(ca.publicKey)) return true;
  if (Date.parse(cert.validTo) - nowMs < RENEW_DAYS * DAY_MS) return true;
  const carried = (cert.subjectAltName ?? '').split(', ').filter(Boolean);
  if (carried.length !== names.length) return true;
  return !names.every((n) => (n.type === 'ip' ? cert.checkIP(n.value) !== undefined : cert.checkHost(n.value, { wildcards: false }) !== undefined));
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END PRIVATE KEY-----\n`;
}

function pemBody(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** A positive random serial of 16 bytes (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

function writePrivate(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  fs.rmSync(tmp, { force: true });
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dfd = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
}
