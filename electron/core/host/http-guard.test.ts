// The guard of the engine's HTTP servers (http-guard.ts): a handler that throws or rejects costs
// only its own request (400 for the client's fault, 500 for ours, or a closed socket once the
// answer has begun), and the failure is logged once, without the tokens or the seat key of the URL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../logger';
import { exchange } from '../testing/fuzz-http';
import { guardServer, HttpError, loggablePath } from './http-guard';

const TOKEN = 'Zk3xQ9_vLr2-Hs8WmNcT4bYp';
const SEAT = 'seat-key-that-must-not-be-logged';
const lines: string[] = [];
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer();
  const guard = guardServer(server, 'test server', createJsonLogger((l) => lines.push(l)));
  server.on(
    'request',
    guard.requests(async (req, res) => {
      const url = req.url ?? '';
      if (url.startsWith('/sync')) throw new Error(`failed for ${url}`);
      if (url.startsWith('/nul')) throw Object.assign(new TypeError('path has NUL'), { code: 'ERR_INVALID_ARG_VALUE' });
      if (url.startsWith('/teapot')) throw new HttpError(418, 'no');
      await new Promise((r) => setTimeout(r, 5));
      if (url.startsWith('/midway')) {
        res.writeHead(200, { 'Content-Length': 100 });
        res.write('x'.repeat(10));
        throw new Error('disk went away');
      }
      throw new Error(`async failure for ${url}`);
    }),
  );
  server.on(
    'upgrade',
    guard.upgrades((req) => {
      void new URL(req.url ?? '', 'http://[');
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const get = (target: string, extra = '') => exchange(port, Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`, 'latin1'), 'wait', undefined, 1000);

describe('the HTTP guard', () => {
  it('answers 500 to a handler that throws or rejects, 400 when the input was at fault, and keeps serving', async () => {
    expect(await get(`/sync/live/1/sub/${TOKEN}/index.m3u8?seat=${SEAT}`)).toBe('HTTP/1.1 500 Internal Server Error');
    expect(await get(`/async/vod/1/${TOKEN}/index.m3u8?seat=${SEAT}`)).toBe('HTTP/1.1 500 Internal Server Error');
    expect(await get('/nul')).toBe('HTTP/1.1 400 Bad Request');
    expect(await get('/teapot')).toMatch(/^HTTP\/1\.1 418/);
    expect(await get('/ws', 'Upgrade: websocket\r\nConnection: Upgrade\r\n')).toBe('HTTP/1.1 400 Bad Request');
  });

  it('closes the socket when the answer had begun', async () => {
    const s = await new Promise<string>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/midway' }, (res) => {
        res.on('data', () => {});
        res.on('error', (e) => resolve(`error ${e.message}`));
        res.on('end', () => resolve('end'));
      });
      req.on('error', (e) => resolve(`error ${e.message}`));
    });
    expect(s).toMatch(/^error/);
  });

  it('answers malformed HTTP with 400 or 431 on that socket only', async () => {
    expect(await exchange(port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nX: \x00\r\n\r\n', 'latin1'), 'wait', undefined, 1000)).toBe('HTTP/1.1 400 Bad Request');
    expect(await get('/', `X-Pad: ${'a'.repeat(20_000)}\r\n`)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(await get('/sync')).toBe('HTTP/1.1 500 Internal Server Error');
  });

  it('logs each server-side failure once, with neither tokens nor the seat key', () => {
    const failures = lines.filter((l) => l.includes('failed'));
    expect(failures.length).toBe(4);
    for (const l of lines) {
      expect(l).not.toContain(TOKEN);
      expect(l).not.toContain(SEAT);
    }
    expect(failures.join('\n')).toContain('/sync/live/1/sub/***/index.m3u8');
    expect(loggablePath(`/live/1/sub/${TOKEN}/x?seat=${SEAT}`)).toBe('/live/1/sub/***/x');
    expect(loggablePath('/a\r\n{"level":"error"}')).not.toMatch(/[\r\n]/);
  });
});
