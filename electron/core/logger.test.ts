// Secrets never reach a log (docs/design/threat-model.md): URL userinfo with any of `@ : / # %` in
// the password, and fields named like secrets.
import { describe, expect, it } from 'vitest';
import { redact } from './logger';

describe('redact', () => {
  it('strips URL userinfo up to the last @ before the host, whatever the password holds', () => {
    for (const password of ['p@ss/w:rd#1%', 'a/b@c', 'x%40y', 'Zażółć@/#']) {
      const out = redact(`connect rtsp://cam.user:${password}@10.0.0.7:554/stream failed`) as string;
      expect(out).toBe('connect rtsp://***@10.0.0.7:554/stream failed');
    }
  });

  it('redacts fields named like secrets at any depth', () => {
    expect(redact({ a: { password: 'x', nested: [{ token: 'y' }] }, ok: 'z' })).toEqual({ a: { password: '[redacted]', nested: [{ token: '[redacted]' }] }, ok: 'z' });
  });
});
