// The site's TLS identity (docs/design/site-engine.md "TLS and pinning"): a CA made once and kept,
// a server certificate re-issued when the names change or its end nears, keys private, and a CA
// that lost its key is an error rather than a silent new site that every seat would refuse.
import { openTestStore } from '../testing/harness';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TempDirs } from '../testing/temp-dirs';
import { loadTlsIdentity, siteNames, spkiFingerprint } from './tls-identity';

const dirs = new TempDirs('tls-id-');
const tmp = dirs.make;
afterAll(dirs.removeAll);
const DAY_MS = 86_400_000;

describe('site TLS identity', () => {
  it('keeps the CA (and so the fingerprint) while the server certificate follows the names', async () => {
    const dir = tmp();
    const a = await loadTlsIdentity(dir, siteNames('10.77.0.1', ['engine.site.local']));
    expect(a.action).toBe('created');
    expect(a.fingerprint).toBe(spkiFingerprint(a.caPem));
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const leaf = new X509Certificate(a.certChainPem);
    expect(leaf.checkIP('10.77.0.1')).toBe('10.77.0.1');
    expect(leaf.checkHost('engine.site.local')).toBe('engine.site.local');
    expect(leaf.verify(new X509Certificate(a.caPem).publicKey)).toBe(true);
    expect(new X509Certificate(a.caPem).publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });

    const same = await loadTlsIdentity(dir, siteNames('10.77.0.1', ['engine.site.local']));
    expect(same.action).toBe('kept');
    expect(same.certChainPem).toBe(a.certChainPem);

    const renamed = await loadTlsIdentity(dir, siteNames('10.77.0.1', ['engine.site.local', 'cctv.example.org']));
    expect(renamed.action).toBe('issued');
    expect(renamed.fingerprint).toBe(a.fingerprint);
    expect(new X509Certificate(renamed.certChainPem).checkHost('cctv.example.org')).toBe('cctv.example.org');
    // A name removed is a new certificate too: the old one would still be presented for it.
    expect((await loadTlsIdentity(dir, siteNames('10.77.0.1', []))).action).toBe('issued');
    // Near its end: re-issued with the same CA.
    const later = await loadTlsIdentity(dir, siteNames('10.77.0.1', []), Date.now() + 700 * DAY_MS);
    expect(later).toMatchObject({ action: 'issued', fingerprint: a.fingerprint });
  });

  it('keeps keys 0600 in a 0700 folder the store also keeps private', async () => {
    const dir = tmp();
    await loadTlsIdentity(dir, siteNames('127.0.0.1', []));
    const tls = path.join(dir, 'tls');
    fs.chmodSync(tls, 0o755);
    fs.chmodSync(path.join(tls, 'server.key'), 0o644);
    const store = await openTestStore(dir);
    await store.close();
    expect(fs.statSync(tls).mode & 0o777).toBe(0o700);
    await loadTlsIdentity(dir, siteNames('127.0.0.1', []));
    for (const f of fs.readdirSync(tls)) expect(fs.statSync(path.join(tls, f)).mode & 0o777, f).toBe(0o600);
  });

  it('refuses to make a new CA when the CA key is missing beside its certificate', async () => {
    const dir = tmp();
    await loadTlsIdentity(dir, siteNames('127.0.0.1', []));
    fs.rmSync(path.join(dir, 'tls', 'ca.key'));
    await expect(loadTlsIdentity(dir, siteNames('127.0.0.1', []))).rejects.toThrow(/incomplete .*ca\.key is missing.*restore it/);
  });

  it('refuses names that are not DNS names', () => {
    expect(() => siteNames('10.0.0.5', ['bad name'])).toThrow(/not a DNS name/);
  });
});
