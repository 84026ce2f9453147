// A seat as a child process, for tests that put seats on another host (a network namespace): the
// real Node seat client (electron/core/seat-client) driven by JSON lines on stdin, answering JSON
// lines on stdout.
//   { op: 'enrol', address, code, expected? }          -> { op: 'enrolled', enrolment } | { op: 'error', ... }
//   { op: 'connect', address, seatId, credential, fingerprint } -> { op: 'state', state, atMs } on every change
//   { op: 'call', id, name, payload }                   -> { op: 'result', id, result }
//   { op: 'media', id, url, fingerprint? }                          -> { op: 'media', id, status, bytes, text }
//   { op: 'raw', id, host, port, text }                -> { op: 'raw', id, answer } (plain TCP: what comes back in 3 s)
//   { op: 'nodes', id, address, credential, fingerprint } -> { op: 'nodes', id, nodes } | { op: 'nodes', id, error }
//   { op: 'exit' }
// Session ends are reported as { op: 'sessionEnded', why, atMs }.
import net from 'node:net';
import { createInterface } from 'node:readline';
import { enrol, SeatRefusedError } from '../seat-client/enrol';
import { fetchMedia, WrongSiteError } from '../seat-client/pinning';
import { learnSiteNodes, siteNodeOrigins } from '../seat-client/site-nodes';
import { connect, type SeatClient } from '../seat-client/seat-client';

const out = (msg: unknown): void => {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
};
let client: SeatClient | null = null;
let fingerprint = '';

type Op = Record<string, unknown> & { op: string };

async function handle(m: Op): Promise<void> {
  switch (m.op) {
    case 'enrol':
      try {
        out({ op: 'enrolled', enrolment: await enrol(String(m.address), String(m.code), m.expected === undefined ? undefined : String(m.expected), 'seat-child') });
      } catch (err) {
        out({
          op: 'error',
          kind: err instanceof WrongSiteError ? 'wrong-certificate' : err instanceof SeatRefusedError ? 'refused' : 'other',
          status: err instanceof SeatRefusedError ? err.status : null,
          reason: err instanceof SeatRefusedError ? err.reason : null,
          message: err instanceof Error ? err.message : String(err),
        });
      }
      return;
    case 'connect':
      fingerprint = String(m.fingerprint);
      client = connect(String(m.address), Number(m.seatId), String(m.credential), fingerprint, {
        version: 'seat-child',
        ...(Array.isArray(m.alternates) ? { alternates: () => (m.alternates as unknown[]).map(String) } : {}),
        onState: (state) => out({ op: 'state', state, atMs: Date.now() }),
        onSessionEnded: (why) => out({ op: 'sessionEnded', why, atMs: Date.now() }),
        onEvent: (event) => out({ op: 'event', event }),
      });
      return;
    case 'call':
      out({ op: 'result', id: m.id, result: client ? await client.call(String(m.name), m.payload) : { ok: false, error: { kind: 'Unavailable', message: 'not connected' } } });
      return;
    case 'media':
      try {
        const r = await fetchMedia(String(m.url), typeof m.fingerprint === 'string' ? m.fingerprint : fingerprint);
        out({ op: 'media', id: m.id, status: r.status, bytes: r.body.length, text: r.body.subarray(0, 2000).toString('utf8') });
      } catch (err) {
        out({ op: 'media', id: m.id, status: 0, bytes: 0, text: err instanceof Error ? err.message : String(err) });
      }
      return;
    case 'raw': {
      const answer = await new Promise<string>((resolve) => {
        let got = '';
        const s = net.connect(Number(m.port), String(m.host), () => s.write(String(m.text)));
        const done = () => resolve(got);
        s.on('data', (c: Buffer) => (got += c.toString('latin1')));
        s.on('close', done);
        s.on('error', done);
        setTimeout(() => s.destroy(), 3000);
      });
      out({ op: 'raw', id: m.id, answer });
      return;
    }
    case 'nodes':
      try {
        out({ op: 'nodes', id: m.id, nodes: await siteNodeOrigins({ address: String(m.address), credential: String(m.credential), fingerprint: String(m.fingerprint) }) });
      } catch (err) {
        out({ op: 'nodes', id: m.id, error: err instanceof Error ? err.message : String(err) });
      }
      return;
    case 'learn':
      try {
        out({ op: 'learn', id: m.id, ...(await learnSiteNodes({ address: String(m.address), credential: String(m.credential), fingerprint: String(m.fingerprint) }, (m.known as unknown[]).map(String))) });
      } catch (err) {
        out({ op: 'learn', id: m.id, error: err instanceof Error ? err.message : String(err) });
      }
      return;
    case 'exit':
      client?.close();
      process.exit(0);
  }
}

let chain = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  let m: Op;
  try {
    m = JSON.parse(line) as Op;
  } catch {
    return;
  }
  // Calls may overlap (a call waiting for a reconnect must not hold the next op); the rest in order.
  if (m.op === 'call' || m.op === 'media' || m.op === 'raw' || m.op === 'nodes' || m.op === 'learn') void handle(m);
  else chain = chain.then(() => handle(m));
});
process.stdin.on('end', () => process.exit(0));
out({ op: 'ready' });
