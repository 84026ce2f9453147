// What a browser seat needs from the site engine besides its socket (docs/design/site-engine.md
// "Browser seats"): why its socket was refused (`GET /seat`, the same check with the same cookie),
// the site CA to install (`GET /site-ca.crt`), and a `{ tick }` frame every few seconds so a page
// notices an engine that went silent without closing. A real engine and a real TLS host on 127.0.0.1.
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SEAT_CHECK_PATH, SITE_CA_PATH } from '../../../shared/contract/seats';
import { silentLogger } from '../logger';
import { setUpAdmin, startTestEngine, type TestEngine } from '../testing/harness';
import { stubRendererDir } from '../testing/host-process';
import { startHost, type Host } from './server';
import { TICK_MS } from './socket';
import { loadTlsIdentity, siteNames, spkiFingerprint, type TlsIdentity } from './tls-identity';

let t: TestEngine;
let tls: TlsIdentity;
let site: Host;
let loopback: Host;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-seat-'));
  tls = await loadTlsIdentity(dir, siteNames('127.0.0.1', []));
  t = await startTestEngine(dir, { site: { fingerprint: tls.fingerprint } });
  site = await startHost({ engine: t.engine, logger: silentLogger, rendererDir: stubRendererDir(), port: 0, host: '127.0.0.1', tls, rendererOptional: true });
  loopback = await startHost({ engine: t.engine, logger: silentLogger, rendererDir: stubRendererDir(), port: 0 });
});
afterAll(async () => {
  await site?.close();
  await loopback?.close();
  await t?.dispose();
  if (t) fs.rmSync(t.dataDir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(`${site.origin}${path}`, { ca: tls.caPem, headers: { origin: site.origin, ...headers } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      })
      .on('error', reject);
  });
}

describe('a browser seat', () => {
  it('can download the site CA, and it is the CA the fingerprint names', async () => {
    const r = await get(SITE_CA_PATH);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/x-x509-ca-cert');
    expect(spkiFingerprint(r.body)).toBe(tls.fingerprint);
    expect(r.body).not.toMatch(/PRIVATE KEY/);
  });

  it('learns why its socket is refused: not enrolled, a credential that is no seat, revoked', async () => {
    const none = await get(SEAT_CHECK_PATH);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ reason: 'not-enrolled' });
    const forged = await get(SEAT_CHECK_PATH, { cookie: '__Host-oc_seat=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(forged.body).reason).toMatch(/not-enrolled|malformed/);
    const admin = await setUpAdmin(t);
    const seat = await admin.must('seats.register', { name: 'Desk 9', room: 'Hall' });
    const enrolled = await new Promise<{ credential: string }>((resolve, reject) => {
      const req = https.request(`${site.origin}/enrol`, { method: 'POST', ca: tls.caPem, headers: { 'content-type': 'application/json', origin: site.origin } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(JSON.parse(body) as { credential: string }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ code: seat.code, version: 'test' }));
    });
    const cookie = `__Host-oc_seat=${enrolled.credential}`;
    const ok = await get(SEAT_CHECK_PATH, { cookie });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ seat: { name: 'Desk 9', room: 'Hall', fingerprint: tls.fingerprint } });
    await admin.must('seats.revoke', { seatId: seat.seat.id, reason: 'the desk was moved out' });
    const revoked = await get(SEAT_CHECK_PATH, { cookie });
    expect(JSON.parse(revoked.body)).toMatchObject({ reason: 'revoked' });
  });

  it('hears a tick from the engine every few seconds, even with nothing else to say', { timeout: 30_000 }, async () => {
    const ws = new WebSocket(`${loopback.origin.replace('http', 'ws')}/ws?seat=${encodeURIComponent(loopback.seatKey)}`, { origin: loopback.origin });
    const ticks: number[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { tick?: number };
        if (typeof m.tick === 'number') ticks.push(Date.now());
        if (ticks.length === 2) resolve();
      });
      ws.once('error', reject);
    });
    ws.close();
    expect(ticks[1]! - ticks[0]!).toBeLessThan(TICK_MS * 2);
  });
});
