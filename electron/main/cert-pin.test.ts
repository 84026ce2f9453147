// The desktop seat trusts, for media and downloads, only certificates that chain to the pinned site
// CA for that host (docs/design/site-engine.md "The desktop app as a seat"). Real certificates from
// the site engine's own TLS identity code: one made by the site CA passes; one made by another site
// CA for the same names is refused, as is a forgery that appends the real CA or copies its name.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTlsIdentity, siteNames, type TlsIdentity } from '../core/host/tls-identity';
import { chainOfPresented, decideCertificate, type PresentedCertificate } from './cert-pin';

x509.cryptoProvider.set(webcrypto as never);

const DAY_MS = 86_400_000;
const NAMES = siteNames('10.0.0.5', ['cctv.example.org']);
const dirs: string[] = [];
let site: TlsIdentity;
let other: TlsIdentity;

const pemBlocks = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
const der = (pem: string) => Buffer.from(new X509Certificate(pem).raw);
const chainOf = (identity: TlsIdentity) => pemBlocks(identity.certChainPem).map(der);
const pins = (fingerprint: string) => new Map([['10.0.0.5', fingerprint], ['cctv.example.org', fingerprint]]);

beforeAll(async () => {
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-pin-'));
    dirs.push(d);
    return d;
  };
  site = await loadTlsIdentity(tmp(), NAMES);
  other = await loadTlsIdentity(tmp(), NAMES);
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the certificate pin of the desktop seat', () => {
  it('accepts the site engine\'s certificate for each of its names, while both are valid', () => {
    const now = Date.now();
    for (const hostname of ['10.0.0.5', 'cctv.example.org', 'CCTV.Example.org']) {
      expect(decideCertificate({ hostname, chainDer: chainOf(site), pins: pins(site.fingerprint), nowMs: now }), hostname).toEqual({ accept: true });
    }
  });

  it('refuses a certificate of another site CA at the same address, naming the pinned one', () => {
    const d = decideCertificate({ hostname: '10.0.0.5', chainDer: chainOf(other), pins: pins(site.fingerprint), nowMs: Date.now() });
    expect(d).toMatchObject({ accept: false, why: expect.stringContaining(site.fingerprint) });
    expect(d).toMatchObject({ why: expect.stringContaining(other.fingerprint) });
  });

  it('refuses another site\'s leaf with the real site CA appended to the chain', () => {
    const forged = [chainOf(other)[0]!, der(site.caPem)];
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: forged, pins: pins(site.fingerprint), nowMs: Date.now() })).toMatchObject({ accept: false });
  });

  it('refuses a leaf that copies the site CA\'s name as its issuer but is signed by another key', async () => {
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const ca = new x509.X509Certificate(site.caPem);
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: '01',
      subject: 'CN=10.0.0.5',
      issuer: ca.subject,
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + DAY_MS),
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '10.0.0.5' }]), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])],
    });
    const chain = [Buffer.from(leaf.rawData), der(site.caPem)];
    expect(new X509Certificate(chain[0]!).checkIssued(new X509Certificate(chain[1]!))).toBe(true);
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: chain, pins: pins(site.fingerprint), nowMs: Date.now() })).toMatchObject({ accept: false });
  });

  it('refuses the site\'s own certificate for a host it does not name, and any host without a pin', () => {
    const chain = chainOf(site);
    const withOther = new Map([...pins(site.fingerprint), ['10.0.0.6', site.fingerprint]]);
    expect(decideCertificate({ hostname: '10.0.0.6', chainDer: chain, pins: withOther, nowMs: Date.now() })).toMatchObject({ accept: false, why: expect.stringContaining('does not name 10.0.0.6') });
    expect(decideCertificate({ hostname: 'example.org', chainDer: chain, pins: pins(site.fingerprint), nowMs: Date.now() })).toMatchObject({ accept: false, why: expect.stringContaining('no site engine is pinned') });
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: chain, pins: new Map(), nowMs: Date.now() })).toMatchObject({ accept: false });
  });

  it('refuses outside the validity of the server certificate, the CA presented as a server, and an empty or unreadable chain', () => {
    const p = pins(site.fingerprint);
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: chainOf(site), pins: p, nowMs: site.serverNotAfterMs + 1000 })).toMatchObject({ accept: false, why: expect.stringContaining('not valid now') });
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: chainOf(site), pins: p, nowMs: Date.now() - 3 * DAY_MS })).toMatchObject({ accept: false });
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: [der(site.caPem)], pins: p, nowMs: Date.now() })).toMatchObject({ accept: false });
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: [], pins: p, nowMs: Date.now() })).toMatchObject({ accept: false });
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: [Buffer.from('not a certificate')], pins: p, nowMs: Date.now() })).toMatchObject({ accept: false });
    // Leaf alone, without its CA: nothing to check the signature against.
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: chainOf(site).slice(0, 1), pins: p, nowMs: Date.now() })).toMatchObject({ accept: false });
  });

  it('reads the chain as Electron presents it (PEM, linked by issuerCert), stopping at a loop', () => {
    const [leafPem, caPem] = pemBlocks(site.certChainPem) as [string, string];
    const ca: PresentedCertificate = { data: caPem };
    const leaf: PresentedCertificate = { data: leafPem, issuerCert: ca };
    expect(chainOfPresented(leaf).map((b) => b.toString('base64'))).toEqual(chainOf(site).map((b) => b.toString('base64')));
    ca.issuerCert = leaf;
    expect(chainOfPresented(leaf)).toHaveLength(2);
    expect(decideCertificate({ hostname: '10.0.0.5', chainDer: chainOfPresented(leaf), pins: pins(site.fingerprint), nowMs: Date.now() })).toEqual({ accept: true });
    expect(chainOfPresented({ data: 'garbage' })).toEqual([]);
  });
});
