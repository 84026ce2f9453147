// The engine machine's own way in (docs/design/site-engine.md "The first seat"): a Unix socket in
// the data directory (DATA/engine.sock, 0600 in the 0700 directory: only the engine's user and root
// reach it) through which `npm run engine:seat-code` asks the running engine for an enrolment code.
// It exists because the first seat must enrol before any administrator can sign in anywhere, and
// so that a site whose administrators' seats were all revoked is not locked out. Each code it
// issues is audited as registered by the engine machine's operator.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger';
import type { SeatsService } from '../seats/seats-service';

export const LOCAL_SOCKET = 'engine.sock';
const MAX_REQUEST_BYTES = 4096;

export interface SeatCode {
  seatId: number;
  name: string;
  code: string;
  codeExpiresAtMs: number;
  fingerprint: string;
}

export async function startLocalAdmin(o: { dataDir: string; seats: Pick<SeatsService, 'registerLocally'>; logger: Logger }): Promise<{ close(): Promise<void> }> {
  const file = path.join(o.dataDir, LOCAL_SOCKET);
  // Left by an engine that did not stop cleanly; nothing else lives under this name.
  fs.rmSync(file, { force: true });
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.setTimeout(5000, () => socket.destroy());
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.length > MAX_REQUEST_BYTES) return socket.destroy();
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      void answer(text.slice(0, nl)).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
  });
  const answer = async (line: string): Promise<SeatCode | { message: string }> => {
    try {
      const req = JSON.parse(line) as { op?: unknown; name?: unknown; room?: unknown };
      const name = typeof req.name === 'string' ? req.name.normalize('NFC').trim() : '';
      const room = typeof req.room === 'string' ? req.room.normalize('NFC').trim() : '';
      if (req.op !== 'seat-code' || !/^[^\p{Cc}\p{Cf}]{1,64}$/u.test(name) || !/^[^\p{Cc}\p{Cf}]{1,64}$/u.test(room)) {
        return { message: 'expected { "op": "seat-code", "name": 1-64 characters, "room": 1-64 characters }' };
      }
      const r = await o.seats.registerLocally(name, room);
      if (!r.ok) return { message: r.message };
      return { seatId: r.seat.id, name: r.seat.name, code: r.code, codeExpiresAtMs: r.codeExpiresAtMs, fingerprint: r.fingerprint };
    } catch (err) {
      o.logger.error('local seat code failed', { error: err });
      return { message: 'the engine could not make a code; see its log' };
    }
  };
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(file, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(previous);
  }
  fs.chmodSync(file, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/** Asks the engine running on `dataDir` for a seat's enrolment code (the engine:seat-code command). */
export function requestSeatCode(dataDir: string, name: string, room: string, timeoutMs = 10_000): Promise<SeatCode> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path.join(dataDir, LOCAL_SOCKET));
    let text = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('the engine did not answer')));
    socket.on('connect', () => socket.write(`${JSON.stringify({ op: 'seat-code', name, room })}\n`));
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
    socket.on('end', () => {
      try {
        const reply = JSON.parse(text) as SeatCode | { message: string };
        if ('code' in reply) resolve(reply);
        else reject(new Error(reply.message));
      } catch {
        reject(new Error('the engine answered something that is not a code'));
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? `no site engine is running on ${dataDir}` : err.code === 'EACCES' ? `only the engine's user or root may ask for a code (${err.code})` : err.message)),
    );
  });
}
