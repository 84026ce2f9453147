// The address a person types for the site engine ends up in the page's CSP and in the certificate
// pins (docs/design/site-engine.md "The desktop app as a seat"): only https, a plain host and a
// port pass, so no typed character can add a CSP directive or source. The CSP of seat mode names
// exactly the engine's origin instead of the loopback media server; embedded mode's is unchanged.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, DEV_SERVER_CSP, PACKAGED_CSP } from './csp';
import { BadAddressError, parseSiteOrigin } from './site-origin';

describe('the site engine address', () => {
  it('accepts host:port, an https URL, IPv6 in brackets and DNS names, in one normal form', () => {
    expect(parseSiteOrigin('10.0.0.5:8443')).toEqual({ host: '10.0.0.5', port: 8443, origin: 'https://10.0.0.5:8443' });
    expect(parseSiteOrigin(' https://CCTV.Example.org:8443/ ').origin).toBe('https://cctv.example.org:8443');
    expect(parseSiteOrigin('[fd00::5]:8443')).toEqual({ host: 'fd00::5', port: 8443, origin: 'https://[fd00::5]:8443' });
    expect(parseSiteOrigin('cctv.example.org').origin).toBe('https://cctv.example.org:443');
  });

  it('refuses, in words, anything that could reach the CSP or is not the engine\'s https origin', () => {
    for (const hostile of [
      "10.0.0.5;script-src 'unsafe-inline'",
      '10.0.0.5:8443;connect-src *',
      'a,b:8443',
      'evil*.example.org',
      "cctv'.example.org",
      'http://10.0.0.5:8443',
      'ws://10.0.0.5:8443',
      'https://user:pw@10.0.0.5:8443',
      'https://10.0.0.5:8443/path',
      'https://10.0.0.5:8443/?q=1',
      'https://10.0.0.5:8443/#x',
      '10.0.0.5:0',
      '10.0.0.5:99999',
      '',
      '   ',
      'x'.repeat(400),
    ]) {
      expect(() => parseSiteOrigin(hostile), hostile).toThrow(BadAddressError);
    }
  });
});

describe('the page\'s CSP', () => {
  it('lets the embedded page open live sockets to the loopback media server, and nowhere else', () => {
    expect(PACKAGED_CSP).toContain("connect-src 'self' http://127.0.0.1:* ws://127.0.0.1:*;");
  });

  it('is unchanged in embedded mode', () => {
    expect(contentSecurityPolicy({ devServer: false, site: null })).toBe(PACKAGED_CSP);
    expect(contentSecurityPolicy({ devServer: true, site: null })).toBe(DEV_SERVER_CSP);
  });

  it('names exactly the site engine\'s origin for media and downloads in seat mode, and no loopback server', () => {
    const csp = contentSecurityPolicy({ devServer: false, site: parseSiteOrigin('10.0.0.5:8443') });
    const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));
    expect(directive('media-src')).toBe("media-src 'self' blob: https://10.0.0.5:8443");
    // Live tiles' fragment sockets go to the same engine, over TLS (docs/design/live-pipeline.md).
    expect(directive('connect-src')).toBe("connect-src 'self' https://10.0.0.5:8443 wss://10.0.0.5:8443");
    expect(csp).not.toContain('127.0.0.1');
    // Everything else is the embedded policy's.
    expect(csp.replaceAll('https://10.0.0.5:8443', 'http://127.0.0.1:*').replaceAll('wss://10.0.0.5:8443', 'ws://127.0.0.1:*')).toBe(PACKAGED_CSP);
    expect(contentSecurityPolicy({ devServer: false, site: parseSiteOrigin('[fd00::5]:8443') })).toContain("connect-src 'self' https://[fd00::5]:8443 wss://[fd00::5]:8443;");
  });

  it('refuses an origin that did not come from parseSiteOrigin', () => {
    expect(() => contentSecurityPolicy({ devServer: false, site: { host: 'x', port: 1, origin: "https://x:1; script-src 'unsafe-inline'" } })).toThrow();
  });

  it('names the site\'s other nodes too, where live views and recorded files of their cameras come from', () => {
    const csp = contentSecurityPolicy({ devServer: false, site: parseSiteOrigin('10.0.0.5:8443'), nodes: [parseSiteOrigin('10.0.0.6:8443'), parseSiteOrigin('rec-3.city.example:8443')] });
    const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));
    expect(directive('media-src')).toBe("media-src 'self' blob: https://10.0.0.5:8443 https://10.0.0.6:8443 https://rec-3.city.example:8443");
    expect(directive('connect-src')).toBe("connect-src 'self' https://10.0.0.5:8443 https://10.0.0.6:8443 https://rec-3.city.example:8443 wss://10.0.0.5:8443 wss://10.0.0.6:8443 wss://rec-3.city.example:8443");
    expect(() => contentSecurityPolicy({ devServer: false, site: parseSiteOrigin('10.0.0.5:8443'), nodes: [{ host: 'x', port: 1, origin: 'https://x:1 *' }] })).toThrow();
  });
});
