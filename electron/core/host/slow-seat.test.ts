// A seat that does not read its events (docs/design/site-engine.md "Events and slow seats"): the
// host stops its events and closes that socket once more than 4 MiB wait to be sent, instead of
// buffering without end, and the seat beside it keeps receiving its events and answers. A real
// engine and a real host on 127.0.0.1 with real WebSocket clients; only the event source is a
// stand-in that pushes large events fast (the engine's own events are small and few:
// docs/design/events.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Engine } from '../engine';
import { silentLogger } from '../logger';
import { startTestEngine, type TestEngine } from '../testing/harness';
import { stubRendererDir } from '../testing/host-process';
import { startHost, type Host } from './server';
import { MAX_BUFFERED_BYTES } from './socket';

let t: TestEngine;
let host: Host;
const unsubscribed = new Set<string>();
const timers: NodeJS.Timeout[] = [];
const EVENT = { type: 'stand-in', padding: 'x'.repeat(64 * 1024) };

beforeAll(async () => {
  t = await startTestEngine();
  const engine: Engine = {
    ...t.engine,
    subscribe: (connectionId: string, push: (event: never) => void) => {
      let seq = 0;
      const timer = setInterval(() => push({ ...EVENT, seq: ++seq, atMs: Date.now() } as never), 4);
      timers.push(timer);
      return () => {
        clearInterval(timer);
        unsubscribed.add(connectionId);
      };
    },
  } as Engine;
  host = await startHost({ engine, logger: silentLogger, rendererDir: stubRendererDir(), port: 0 });
});
afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  await host?.close();
  await t?.dispose();
});

function open(): Promise<WebSocket> {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ws?seat=${encodeURIComponent(host.seatKey)}`, { origin: host.origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('a slow seat', () => {
  it('is closed past the bound while the seat beside it keeps its events and its answers', { timeout: 60_000 }, async () => {
    expect(MAX_BUFFERED_BYTES).toBe(4 * 1024 * 1024);
    const slow = await open();
    const fast = await open();
    slow.pause(); // reads nothing from now on
    let lastEventAtMs = Date.now();
    let maxGapMs = 0;
    let events = 0;
    fast.on('message', (data: Buffer) => {
      if (!data.toString('utf8', 0, 10).startsWith('{"event"')) return;
      const now = Date.now();
      maxGapMs = Math.max(maxGapMs, now - lastEventAtMs);
      lastEventAtMs = now;
      events++;
    });
    const startedMs = Date.now();
    while (unsubscribed.size === 0 && Date.now() - startedMs < 40_000) await new Promise((r) => setTimeout(r, 100));
    const closedAfterMs = Date.now() - startedMs;
    // The other seat goes on as before.
    await new Promise((r) => setTimeout(r, 1500));
    expect(unsubscribed.size, 'the slow seat was closed').toBe(1);
    // Its events stop when the bound is passed, not only when its socket is finally gone.
    expect(closedAfterMs).toBeLessThan(4000);
    // The fast seat still answers a command at once, and was never the one closed.
    const answeredIn = Date.now();
    const answer = new Promise<string>((resolve) => {
      const onMessage = (data: Buffer) => {
        const text = data.toString('utf8');
        if (text.startsWith('{"id":7,')) {
          fast.off('message', onMessage);
          resolve(text);
        }
      };
      fast.on('message', onMessage);
    });
    fast.send(JSON.stringify({ id: 7, name: 'setup.status', payload: {} }));
    expect(JSON.parse(await answer)).toEqual({ id: 7, result: { ok: true, value: { needsSetup: true } } });
    console.log(`slow seat closed after ${closedAfterMs} ms; the other seat got ${events} events, longest gap ${maxGapMs} ms, answered in ${Date.now() - answeredIn} ms`);
    expect(fast.readyState).toBe(WebSocket.OPEN);
    expect(events).toBeGreaterThan(100);
    expect(maxGapMs).toBeLessThan(1000);
    slow.terminate();
    fast.close();
  });
});
