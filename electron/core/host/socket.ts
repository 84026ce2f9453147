// One seat's socket on the host (docs/design/overview.md §2 "Transports", docs/design/site-engine.md):
// command messages `{ id, name, payload }` answered `{ id, result }` in order, and events the engine
// pushes as `{ event }` frames. A seat that does not read its events fast enough is closed (1013)
// rather than buffered without end, so one slow seat never holds memory or time of the others.
import type { WebSocket } from 'ws';
import { CLOSE_TOO_SLOW } from '../../../shared/contract/seats';
import type { WireResponse } from '../../../shared/transport';
import type { Connection } from '../dispatcher';
import type { Engine } from '../engine';
import type { Logger } from '../logger';
import type { Guard } from './http-guard';

/** Bytes a socket may have waiting to be sent before the engine gives up on it. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/**
 * A `{ tick }` frame this often, so a browser seat (which cannot send or see WebSocket pings) notices
 * an engine gone silent — a cut cable closes nothing — when ticks stop (renderer/api/ws-transport.ts).
 */
export const TICK_MS = 5000;

export function attachSocket(o: { ws: WebSocket; connection: Connection; engine: Engine; guard: Guard; logger: Logger; onClose?: () => void }): void {
  const { ws, connection, engine, guard, logger } = o;
  const connectionId = connection.id;
  // Calls on one socket run in order, as IPC calls from one window do. Each link catches its own
  // failure: a rejected link would be an unhandled rejection, which ends the process.
  let chain: Promise<void> = Promise.resolve();
  let tooSlow = false;
  let unsubscribe: (() => void) | null = null;
  const stopEvents = () => {
    const u = unsubscribe;
    unsubscribe = null;
    u?.();
  };
  const send = (text: string): boolean => {
    if (ws.readyState !== ws.OPEN || tooSlow) return false;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      tooSlow = true;
      stopEvents();
      guard.log('closed a socket that fell behind', { connectionId, bufferedBytes: ws.bufferedAmount });
      ws.close(CLOSE_TOO_SLOW, 'too slow: events fell behind; reconnect');
      // A peer that reads nothing never completes the closing handshake either.
      setTimeout(() => ws.terminate(), 5000).unref();
      return false;
    }
    ws.send(text);
    return true;
  };

  ws.on('message', (data, isBinary) => {
    chain = chain
      .then(async () => {
        let id: unknown = null;
        let response: WireResponse['result'];
        try {
          if (isBinary) throw new Error('binary frame');
          const msg: unknown = JSON.parse(rawText(data));
          if (msg === null || typeof msg !== 'object' || !('id' in msg) || !('name' in msg)) throw new Error('not a request');
          id = msg.id;
          response = await engine.dispatch(connection, msg.name, 'payload' in msg ? msg.payload : undefined);
        } catch {
          response = { ok: false, error: { kind: 'InvalidArgument', message: 'Malformed message: expected {id, name, payload} as JSON.' } };
        }
        send(JSON.stringify({ id: typeof id === 'number' && Number.isSafeInteger(id) ? id : null, result: response }));
      })
      .catch((err: unknown) => {
        guard.log('socket message failed', { connectionId, error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' });
        ws.terminate();
      });
  });

  // Events (docs/design/events.md): subscribed once the connection exists, filtered by the engine
  // per connection's session.
  try {
    unsubscribe = engine.subscribe(connectionId, (event) => {
      send(JSON.stringify({ event }));
    });
  } catch (err) {
    logger.error('event subscription failed', { connectionId, error: err });
  }

  let tick = 0;
  const ticker = setInterval(() => send(JSON.stringify({ tick: ++tick })), TICK_MS);
  ticker.unref();

  ws.on('close', () => {
    clearInterval(ticker);
    stopEvents();
    o.onClose?.();
    chain = chain.then(() => engine.disconnect(connectionId)).catch((err: unknown) => logger.error('disconnect failed', { error: err }));
  });
  // Protocol errors (bad frames, oversized messages): ws closes the socket; logged, never thrown.
  ws.on('error', (err) => guard.log('socket error', { connectionId, error: err.message.slice(0, 200) }));
}

/** A message's text, whatever ws delivered (one Buffer, fragments, an ArrayBuffer). */
function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
