// The relay's answers to camera challenges: Digest per RFC 2617 and RFC 7616 (their published
// examples), the strongest offered challenge chosen, nonce counts, and UTF-8 credentials.
import { describe, expect, it } from 'vitest';
import { digestResponse, parseChallenges, RtspAuthenticator } from './rtsp-auth';

function params(header: string): Record<string, string> {
  return parseChallenges([header])[0]!.params;
}

describe('Digest and Basic for the relay', () => {
  it('matches the RFC 2617 and RFC 7616 examples', () => {
    expect(
      digestResponse({ hash: 'md5', sess: false, username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: '00000001', cnonce: '0a4f113b' }),
    ).toBe('6629fae49393a05397450978507c4ef1');
    const rfc7616 = { sess: false, username: 'Mufasa', password: 'Circle of Life', realm: 'http-auth@example.org', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' } as const;
    expect(digestResponse({ ...rfc7616, hash: 'md5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...rfc7616, hash: 'sha256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('reads several challenges, quoted commas and escapes included', () => {
    const c = parseChallenges(['Basic realm="a, b", Digest realm="cam \\"1\\"", nonce="n,1", qop="auth,auth-int", stale=TRUE', 'Digest realm=x, nonce=y, algorithm=SHA-256']);
    expect(c.map((x) => x.scheme)).toEqual(['basic', 'digest', 'digest']);
    expect(c[0]!.params.realm).toBe('a, b');
    expect(c[1]!.params).toEqual({ realm: 'cam "1"', nonce: 'n,1', qop: 'auth,auth-int', stale: 'TRUE' });
    expect(c[2]!.params.algorithm).toBe('SHA-256');
  });

  it('takes the strongest challenge it can answer, counts nonce uses, and restarts the count on a new nonce', () => {
    const a = new RtspAuthenticator('op', 'pw');
    expect(a.takeChallenge(['Basic realm="cam"', 'Digest realm="cam", nonce="n1", qop="auth"', 'Digest realm="cam", nonce="n2", algorithm=SHA-256, qop="auth-int"'])).toEqual({ ok: true, stale: false });
    expect(a.scheme).toBe('digest');
    const first = params(a.authorization('DESCRIBE', 'rtsp://cam/x')!);
    expect(first).toMatchObject({ username: 'op', realm: 'cam', nonce: 'n1', uri: 'rtsp://cam/x', qop: 'auth', nc: '00000001' });
    expect(first.response).toBe(digestResponse({ hash: 'md5', sess: false, username: 'op', password: 'pw', realm: 'cam', nonce: 'n1', method: 'DESCRIBE', uri: 'rtsp://cam/x', qop: 'auth', nc: '00000001', cnonce: first.cnonce! }));
    expect(params(a.authorization('SETUP', 'rtsp://cam/x/t=0')!).nc).toBe('00000002');
    expect(a.takeChallenge(['Digest realm="cam", nonce="n3", qop="auth", stale=true'])).toEqual({ ok: true, stale: true });
    expect(params(a.authorization('PLAY', 'rtsp://cam/x')!)).toMatchObject({ nonce: 'n3', nc: '00000001' });
  });

  it('answers Digest without qop, and refuses challenges it cannot answer', () => {
    const a = new RtspAuthenticator('op', 'pw');
    a.takeChallenge(['Digest realm="r", nonce="n", opaque="o"']);
    const p = params(a.authorization('OPTIONS', '*')!);
    expect(p.qop).toBeUndefined();
    expect(p.nc).toBeUndefined();
    expect(p.opaque).toBe('o');
    expect(p.response).toBe(digestResponse({ hash: 'md5', sess: false, username: 'op', password: 'pw', realm: 'r', nonce: 'n', method: 'OPTIONS', uri: '*', qop: null, cnonce: '' }));
    expect(new RtspAuthenticator('op', 'pw').takeChallenge(['Digest realm="r", nonce="n", qop="auth-int"', 'Negotiate', 'Digest realm="r", nonce="n", algorithm=SHA-512-256'])).toEqual({ ok: false, stale: false });
  });

  it('sends UTF-8 credentials with URL and header characters untouched', () => {
    const password = 'Zażółć-gęślą:ja/źń#%@ x';
    const basic = new RtspAuthenticator('op', password);
    basic.takeChallenge(['Basic realm="cam"']);
    const value = basic.authorization('DESCRIBE', 'rtsp://cam/x')!;
    expect(Buffer.from(value.slice('Basic '.length), 'base64').toString('utf8')).toBe(`op:${password}`);
    const digest = new RtspAuthenticator('zoë "q"', password);
    digest.takeChallenge(['Digest realm="cam", nonce="n"']);
    const header = digest.authorization('DESCRIBE', 'rtsp://cam/x')!;
    // The header is latin1 on the wire: the user name's UTF-8 bytes, quotes escaped.
    expect(Buffer.from(header, 'latin1').toString('utf8')).toContain('username="zoë \\"q\\""');
    expect(header).not.toContain(password);
  });
});
