// For the relay's tests only: a strict camera. An RTSP front (TCP, or TLS for rtsps://) that
// demands Digest (MD5 or SHA-256, with or without qop=auth) or Basic on every request, checks each
// nonce count, lets nonces go stale after a few uses, and forwards what it accepts, without the
// Authorization header, to an RTSP server without authentication (the camera simulator), so that
// real media flows. The GStreamer simulator itself offers neither qop nor stale nonces.
// Checks are written independently of media/rtsp-auth.ts (hashes computed here).
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { headerValue, isResponse, removeHeaders, requestParts, RtspStreamParser, serialize } from '../media/rtsp-message';

export interface StrictCameraOptions {
  upstreamPort: number;
  scheme: 'digest' | 'basic';
  algorithm?: 'MD5' | 'SHA-256';
  qop?: boolean;
  /** A nonce answers this many requests, then the camera says stale=true. */
  nonceUses?: number;
  /** The first correctly signed TEARDOWN is answered stale=true, this many ms late (a slow camera). */
  slowStaleTeardownMs?: number;
  username: string;
  password: string;
  tls?: { key: string; cert: string };
}

export interface StrictCameraEntry {
  method: string;
  /** 'ok': forwarded; 'challenge': 401 without credentials; 'stale': 401 stale=true; 'refused': wrong credentials. */
  outcome: 'ok' | 'challenge' | 'stale' | 'refused';
  scheme: string | null;
  nc?: string;
  problem?: string;
}

export interface StrictCamera {
  port: number;
  log: StrictCameraEntry[];
  close(): Promise<void>;
}

function authParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  return out;
}

export async function startStrictCamera(o: StrictCameraOptions): Promise<StrictCamera> {
  const log: StrictCameraEntry[] = [];
  const realm = 'strict-camera';
  const nonces = new Map<string, { uses: number; lastNc: number }>();
  let staleTeardownSent = false;
  const hashName = o.algorithm === 'SHA-256' ? 'sha256' : 'md5';
  const h = (s: Buffer | string) => createHash(hashName).update(s).digest('hex');
  const newNonce = () => {
    const n = randomBytes(12).toString('hex');
    nonces.set(n, { uses: 0, lastNc: 0 });
    return n;
  };
  const challenge = (stale: boolean): string[] => {
    if (o.scheme === 'basic') return [`Basic realm="${realm}"`];
    const qop = o.qop ? ', qop="auth"' : '';
    const alg = o.algorithm ? `, algorithm=${o.algorithm}` : '';
    // Basic offered too, first: a client must still pick Digest.
    return [`Basic realm="${realm}"`, `Digest realm="${realm}", nonce="${newNonce()}"${qop}${alg}${stale ? ', stale=true' : ''}`];
  };

  /** 'ok', or why this request gets a 401. */
  const check = (method: string, authorization: string | undefined): StrictCameraEntry => {
    const scheme = authorization?.split(' ', 1)[0]?.toLowerCase() ?? null;
    if (!authorization) return { method, outcome: 'challenge', scheme };
    if (o.scheme === 'basic') {
      const ok = scheme === 'basic' && Buffer.from(authorization.slice(6), 'base64').equals(Buffer.from(`${o.username}:${o.password}`, 'utf8'));
      return { method, outcome: ok ? 'ok' : 'refused', scheme };
    }
    if (scheme !== 'digest') return { method, outcome: 'refused', scheme, problem: 'not digest' };
    const p = authParams(authorization.slice(7));
    const nonce = nonces.get(p.nonce ?? '');
    if (!nonce) return { method, outcome: 'refused', scheme, problem: 'unknown nonce' };
    const user = Buffer.from(p.username ?? '', 'latin1');
    const ha1 = h(Buffer.concat([user, Buffer.from(`:${realm}:`), Buffer.from(o.password, 'utf8')]));
    const ha2 = h(Buffer.from(`${method}:${p.uri ?? ''}`, 'latin1'));
    let expected = h(`${ha1}:${p.nonce}:${ha2}`);
    let problem: string | undefined;
    if (o.qop) {
      const nc = parseInt(p.nc ?? '', 16);
      if (p.qop !== 'auth' || !p.cnonce || !Number.isInteger(nc)) problem = 'qop fields missing';
      else if (nc <= nonce.lastNc) problem = `nonce count ${p.nc} not above ${nonce.lastNc}`;
      else nonce.lastNc = nc;
      expected = h(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`);
    }
    if (!user.equals(Buffer.from(o.username, 'utf8')) || p.response !== expected || problem) return { method, outcome: 'refused', scheme, nc: p.nc, problem: problem ?? 'wrong response' };
    nonce.uses += 1;
    if (method === 'TEARDOWN' && o.slowStaleTeardownMs !== undefined && !staleTeardownSent) {
      staleTeardownSent = true;
      return { method, outcome: 'stale', scheme, nc: p.nc };
    }
    if (nonce.uses > (o.nonceUses ?? Infinity)) return { method, outcome: 'stale', scheme, nc: p.nc };
    return { method, outcome: 'ok', scheme, nc: p.nc };
  };

  const onConnection = (client: net.Socket) => {
    const upstream = net.connect(o.upstreamPort, '127.0.0.1');
    const injected: Buffer[] = [];
    const toClient = new RtspStreamParser(
      (m) => client.write(serialize(m)),
      (b) => client.write(b),
    );
    const flushInjected = () => {
      // Our own 401s go in only between two units of the camera's stream, never inside a frame.
      if (toClient.atBoundary) for (const b of injected.splice(0)) client.write(b);
    };
    upstream.on('data', (d: Buffer) => {
      toClient.push(d);
      flushInjected();
    });
    const fromClient = new RtspStreamParser(
      (m) => {
        if (isResponse(m)) return void upstream.write(serialize(m));
        const [method] = requestParts(m);
        const entry = check(method, headerValue(m.headers, 'authorization'));
        log.push(entry);
        if (entry.outcome === 'ok') return void upstream.write(serialize({ ...m, headers: removeHeaders(m.headers, 'authorization') }));
        const headers: [string, string][] = [['CSeq', headerValue(m.headers, 'cseq') ?? '0'], ...challenge(entry.outcome === 'stale').map((c): [string, string] => ['WWW-Authenticate', c])];
        const answer = serialize({ startLine: 'RTSP/1.0 401 Unauthorized', headers, body: Buffer.alloc(0) });
        const late = method === 'TEARDOWN' && entry.outcome === 'stale' ? o.slowStaleTeardownMs : undefined;
        if (late !== undefined) {
          setTimeout(() => {
            if (!client.destroyed) client.write(answer);
          }, late);
          return;
        }
        injected.push(answer);
        flushInjected();
      },
      (b) => upstream.write(b),
    );
    client.on('data', (d: Buffer) => {
      try {
        fromClient.push(d);
      } catch {
        client.destroy();
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  };
  const server = o.tls ? tls.createServer({ key: o.tls.key, cert: o.tls.cert }, onConnection) : net.createServer(onConnection);
  const sockets = new Set<net.Socket>();
  server.on(o.tls ? 'secureConnection' : 'connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    log,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
