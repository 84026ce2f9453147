// Test helper of host/malformed-request-ends-engine.test.ts: fast-check arbitraries of hostile HTTP
// requests, written as raw bytes over TCP (so nothing on the client side cleans them up), and of
// WebSocket messages and frames. Each request targets one surface of the engine: the page server
// and its socket upgrade, /live/... or /vod/... of the media server.
import net from 'node:net';
import fc from 'fast-check';

export interface Targets {
  hostPort: number;
  mediaPort: number;
  origin: string;
  seatKey: string;
  cameraId: number;
  liveToken: string;
  vodToken: string;
  recordingId: number;
  recordingBytes: number;
}

/** How the client behaves after writing: read the answer, reset, half-close, or drop on the first byte. */
export type Mode = 'wait' | 'rst' | 'half' | 'dropOnFirstByte';

export interface FuzzRequest {
  port: number;
  bytes: Buffer;
  mode: Mode;
  /** Written when the first bytes of the answer arrive (e.g. frames after a 101). */
  second?: Buffer;
}

/**
 * Sends raw bytes and returns the first line of the answer ('' if none within timeoutMs). Never
 * rejects: the server closing, resetting or never answering are all answers here.
 */
export function exchange(port: number, bytes: Buffer, mode: Mode, second?: Buffer, timeoutMs = 400): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      s.destroy();
      resolve(got.subarray(0, 200).toString('latin1').split(/\r?\n/)[0] ?? '');
    };
    const timer = setTimeout(done, timeoutMs);
    s.on('error', () => done());
    s.on('close', done);
    s.on('connect', () => {
      s.write(bytes, () => {
        if (mode === 'rst') {
          s.resetAndDestroy();
          done();
        } else if (mode === 'half') s.end();
      });
    });
    s.on('data', (d: Buffer) => {
      const first = got.length === 0;
      if (got.length < 4096) got = Buffer.concat([got, d]);
      if (mode === 'dropOnFirstByte') {
        s.resetAndDestroy();
        done();
        return;
      }
      if (second && !s.destroyed) {
        s.write(second);
        second = undefined;
      }
      // An answer has begun: give the server a moment with the rest (pipelined requests, frames
      // after a 101) rather than waiting for a keep-alive connection to close.
      if (first) setTimeout(done, 50);
    });
  });
}

/** Text as bytes one-to-one (raw NUL, raw overlong UTF-8); characters above U+00FF are UTF-8 encoded. */
function bytesOf(text: string): Buffer {
  // eslint-disable-next-line no-control-regex
  return Buffer.from(text.replace(/[^\u0000-\u00ff]/gu, (ch) => Buffer.from(ch, 'utf8').toString('latin1')), 'latin1');
}

/** Path pieces that trip decoders while the request line stays valid HTTP: NUL, traversal and
 *  overlong UTF-8 percent-encoded, broken escapes. */
const NASTY = [
  '%00', '%2e%2e', '%2E%2E%2F', '..', '.', '%2f', '%5c', '%c0%ae%c0%ae', '%c0%af', '%e0%80%ae', '%f0%80%80%ae', '%ed%a0%80',
  '%', '%z', '%2', '%%', '%ff', '%fe%ff', '%u2215', '%20', '%0d%0a', '~', ';', '//', '*', 'index.html', 'index.html%00',
  'index.html%00.png', 'assets', 'ws', 'live', 'vod', 'main', 'sub', 'index.m3u8', 'init-0.mp4', 'init-99999999999999999999.mp4',
  'part', 'seg', '0.m4s', 'rec', '1.mp4', '99999999999999999999',
];
/** Raw bytes a request line must not hold (NUL, raw overlong UTF-8, spaces, line breaks). */
const RAW = ['\x00', '\xc0\xae', '\xc0\xaf', '\xff\xfe', ' ', '\r\n', '\t', '\\', '\x7f'];
const segmentOf = (raw: boolean) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.~-]{0,70}$/) },
    { weight: raw ? 2 : 0, arbitrary: fc.constantFrom(...RAW) },
    { weight: raw ? 1 : 0, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: raw ? 1 : 0, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  );
const segmentsOf = (raw: boolean) => fc.array(segmentOf(raw), { maxLength: 8 }).map((s) => s.join('/'));
const longPath = fc.tuple(fc.constantFrom('a', '%2e%2e/', '%00', '/'), fc.constantFrom(300, 2000, 9000, 20_000, 70_000)).map(([p, n]) => p.repeat(Math.ceil(n / p.length)));
const number = fc.oneof(
  fc.constantFrom('', '-1', '0', '1', '2', '3', '1.5', '1e400', 'NaN', 'Infinity', '0x10', ' 1', '1 ', '+1', '9007199254740993', '99999999999999999999999', '%00', '٣'),
  fc.nat({ max: 40 }).map(String),
  fc.string({ maxLength: 8 }),
);
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom('_HLS_msn', '_HLS_msn', '_HLS_part', '_HLS_skip', 'seat', 'ms', '%00', ''), number), { maxLength: 4 })
      .map((kv) => `?${kv.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`),
  },
);
const rawQuery = fc.string({ unit: 'binary', maxLength: 20 }).map((q) => `?${q}`);
/** Methods in a well-formed request; a malformed one may have anything. */
const method = fc.oneof(
  { weight: 8, arbitrary: fc.constant('GET') },
  { weight: 3, arbitrary: fc.constantFrom('HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'SEARCH') },
);
const anyMethod = fc.oneof(method, fc.constantFrom('CONNECT', 'get', 'G ET', ''), fc.stringMatching(/^[A-Z]{1,12}$/), fc.string({ maxLength: 8 }));
const range = fc.oneof(
  fc.constantFrom('bytes=0-', 'bytes=0-0', 'bytes=-1', 'bytes=-', 'bytes=5-1', 'bytes=0-1,2-3', 'bytes=', 'items=0-1', 'bytes=1e3-2e3', 'bytes=99999999999999999999-', 'bytes=0-18446744073709551616', 'bytes= 0-1', 'bytes=0-9007199254740993'),
  fc.tuple(fc.nat(), fc.option(fc.nat())).map(([a, b]) => `bytes=${a}-${b ?? ''}`),
  fc.string({ maxLength: 20 }),
);
const wsKey = fc.oneof(fc.constant('dGhlIHNhbXBsZSBub25jZQ=='), fc.string({ maxLength: 30 }));

/** One header line (without its line ending), with a name and value HTTP allows. */
function header(t: Targets) {
  return fc.oneof(
    range.map((v) => `Range: ${v}`),
    fc.constantFrom(t.origin, 'null', 'http://evil.example', '', t.origin.replace('127.0.0.1', 'localhost')).map((v) => `Origin: ${v}`),
    fc.constantFrom('Upgrade: websocket', 'Upgrade: WebSocket', 'Upgrade: h2c', 'Upgrade: ', 'Connection: Upgrade', 'Connection: keep-alive, Upgrade', 'Connection: close', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 8', 'Sec-WebSocket-Version: x'),
    wsKey.map((k) => `Sec-WebSocket-Key: ${k}`),
    // Content-Length lies: more than is sent (the server waits for the rest), or less.
    fc.constantFrom(0, 1, 10, 100, 70_000, 1e9).map((n) => `Content-Length: ${n}`),
    fc.constantFrom('Transfer-Encoding: chunked', 'Content-Encoding: gzip', 'Content-Encoding: br', 'Accept-Encoding: br, gzip, *', 'Expect: 100-continue', 'Connection: keep-alive'),
    fc.constantFrom(100, 5000).map((n) => `X-Pad: ${'a'.repeat(n)}`),
  );
}

/** A header line HTTP does not allow, or one too big for the server. */
const badHeader = fc.oneof(
  number.map((n) => `Content-Length: ${n}`),
  fc.constantFrom('Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: identity', 'Transfer-Encoding: chunked, chunked', 'Host:', 'Host: evil.example', 'Content-Length: 1\r\nContent-Length: 2', ': x', 'X Y: z'),
  fc.constantFrom(17_000, 70_000).map((n) => `X-Pad: ${'a'.repeat(n)}`),
  fc.tuple(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 40 })).map(([k, v]) => `${k}: ${v}`),
);

/**
 * A request at `port`: mostly well-formed HTTP whose content is hostile (so it reaches the
 * handlers), else malformed in any part (so it exercises the parser and clientError).
 */
function request(port: number, target: (raw: boolean) => fc.Arbitrary<string>, t: Targets, fixed: fc.Arbitrary<string[]> = fc.constant([])): fc.Arbitrary<FuzzRequest> {
  const mode = fc.constantFrom<Mode>('wait', 'wait', 'wait', 'rst', 'half', 'dropOnFirstByte');
  const wellFormed = fc
    .record({ method, target: target(false), fixed, headers: fc.array(header(t), { maxLength: 4 }), body: fc.constantFrom('', '', '', 'x', '5\r\nabc\r\n0\r\n\r\n', 'x'.repeat(70_000)), mode })
    .map((r) => {
      const head = [`${r.method} ${r.target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...r.fixed, ...r.headers].join('\r\n');
      return { port, bytes: bytesOf(`${head}\r\n\r\n${r.body}`), mode: r.mode };
    });
  const malformed = fc
    .record({
      method: anyMethod,
      target: fc.oneof(target(true), rawQuery.map((q) => `/${q}`)),
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x', 'HTTP/9', ''),
      eol: fc.constantFrom('\r\n', '\n', '\r'),
      fixed,
      headers: fc.array(fc.oneof(header(t), badHeader), { maxLength: 5 }),
      many: fc.constantFrom(0, 0, 250).map((n) => Array.from({ length: n }, (_, i) => `X-H${i}: ${i}`)),
      body: fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('0\r\n\r\n', 'zz\r\nxx\r\n', 'x'.repeat(70_000))),
      mode,
      pipelined: fc.boolean(),
    })
    .map((r) => {
      const head = [`${r.method} ${r.target} ${r.version}`.trimEnd(), `Host: 127.0.0.1:${port}`, ...r.fixed, ...r.headers, ...r.many].join(r.eol);
      const one = `${head}${r.eol}${r.eol}${r.body}`;
      return { port, bytes: bytesOf(r.pipelined ? `${one}GET / HTTP/1.1${r.eol}Host: x${r.eol}${r.eol}` : one), mode: r.mode };
    });
  return fc.oneof({ weight: 4, arbitrary: wellFormed }, { weight: 1, arbitrary: malformed });
}

const garbage = (port: number): fc.Arbitrary<FuzzRequest> =>
  fc.record({ bytes: fc.uint8Array({ minLength: 1, maxLength: 3000 }), mode: fc.constantFrom<Mode>('wait', 'rst', 'half') }).map((r) => ({ port, bytes: Buffer.from(r.bytes), mode: r.mode }));

/** Requests at one surface: mostly well-aimed (valid prefixes and tokens), with noise and raw garbage. */
export function fuzzRequest(surface: 'static' | 'live' | 'vod', t: Targets): fc.Arbitrary<FuzzRequest> {
  const num = (raw: boolean) => (raw ? number : number.map(encodeURIComponent));
  const q = (raw: boolean) => (raw ? fc.oneof(query, rawQuery) : query);
  if (surface === 'static') {
    const target = (raw: boolean) =>
      fc.oneof(
        { weight: 5, arbitrary: fc.tuple(segmentsOf(raw), q(raw)).map(([p, qs]) => `/${p}${qs}`) },
        { weight: 1, arbitrary: fc.constantFrom('/', '/index.html', '/index.html%00', '/%2e%2e/%2e%2e/etc/passwd') },
        { weight: 1, arbitrary: longPath.map((p) => `/${p}`) },
        { weight: 1, arbitrary: fc.constantFrom('*', 'http://[::1', 'http://x/../../etc/passwd', '//', '/?', '', 'index.html', 'http://127.0.0.1/%00') },
      );
    const seat = fc.oneof({ weight: 3, arbitrary: fc.constant(encodeURIComponent(t.seatKey)) }, { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_%-]{0,40}$/) }, { weight: 1, arbitrary: fc.constantFrom('%00', '') });
    const wsPath = fc.oneof({ weight: 3, arbitrary: fc.constant('/ws') }, { weight: 1, arbitrary: fc.constantFrom('/ws/', '/WS', '/%00', '/ws%00', '//ws', 'http://[::1', 'http://x/ws') });
    const upgradeTarget = (raw: boolean) => fc.oneof({ weight: 3, arbitrary: fc.tuple(seat, wsPath).map(([k, p]) => `${p}?seat=${k}`) }, { weight: 1, arbitrary: target(raw) });
    // Mostly a complete handshake (so sockets are accepted and then fed), sometimes a part of one.
    const handshake = ['Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', `Origin: ${t.origin}`];
    const upgradeHeaders = fc.oneof({ weight: 3, arbitrary: fc.constant(handshake) }, { weight: 1, arbitrary: fc.subarray(handshake, { minLength: 2 }) });
    return fc.oneof(
      { weight: 5, arbitrary: request(t.hostPort, target, t) },
      { weight: 3, arbitrary: request(t.hostPort, upgradeTarget, t, upgradeHeaders) },
      { weight: 1, arbitrary: garbage(t.hostPort) },
    );
  }
  const cam = (raw: boolean) => fc.oneof({ weight: 4, arbitrary: fc.constant(String(t.cameraId)) }, { weight: 1, arbitrary: num(raw) });
  const badToken = fc.stringMatching(/^[A-Za-z0-9_-]{10,70}$/);
  if (surface === 'live') {
    const token = fc.oneof({ weight: 4, arbitrary: fc.constant(t.liveToken) }, { weight: 1, arbitrary: badToken });
    const tail = (raw: boolean) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant('index.m3u8') },
        { weight: 1, arbitrary: num(raw).map((n) => `init-${n}.mp4`) },
        { weight: 2, arbitrary: num(raw).map((n) => `part/${n}.m4s`) },
        { weight: 1, arbitrary: num(raw).map((n) => `seg/${n}.m4s`) },
        { weight: 1, arbitrary: segmentsOf(raw) },
      );
    const stream = fc.oneof({ weight: 4, arbitrary: fc.constant('sub') }, { weight: 1, arbitrary: fc.constantFrom('main', 'x', '') });
    const target = (raw: boolean) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.tuple(cam(raw), stream, token, tail(raw), q(raw)).map(([c, s, k, tl, qs]) => `/live/${c}/${s}/${k}/${tl}${qs}`) },
        { weight: 1, arbitrary: fc.tuple(segmentsOf(raw), q(raw)).map(([p, qs]) => `/live/${p}${qs}`) },
        { weight: 1, arbitrary: longPath.map((p) => `/live/${p}`) },
      );
    return fc.oneof({ weight: 6, arbitrary: request(t.mediaPort, target, t) }, { weight: 1, arbitrary: garbage(t.mediaPort) });
  }
  const token = fc.oneof({ weight: 4, arbitrary: fc.constant(t.vodToken) }, { weight: 1, arbitrary: badToken });
  const rec = (raw: boolean) => fc.oneof({ weight: 4, arbitrary: fc.constant(String(t.recordingId)) }, { weight: 1, arbitrary: num(raw) });
  const tail = (raw: boolean) => fc.oneof({ weight: 1, arbitrary: fc.constant('index.m3u8') }, { weight: 4, arbitrary: rec(raw).map((r) => `rec/${r}.mp4`) }, { weight: 1, arbitrary: segmentsOf(raw) });
  const target = (raw: boolean) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.tuple(cam(raw), token, tail(raw), q(raw)).map(([c, k, tl, qs]) => `/vod/${c}/${k}/${tl}${qs}`) },
      { weight: 1, arbitrary: longPath.map((p) => `/vod/${p}`) },
    );
  // A valid range of the recording, mostly, so bytes flow and can be cut off mid-stream.
  const validRange = fc.tuple(fc.nat({ max: Math.max(0, t.recordingBytes - 1) }), fc.option(fc.nat({ max: t.recordingBytes }))).map(([a, b]) => [`Range: bytes=${a}-${b === null ? '' : Math.max(a, b)}`]);
  return fc.oneof(
    { weight: 4, arbitrary: request(t.mediaPort, target, t, validRange) },
    { weight: 2, arbitrary: request(t.mediaPort, target, t) },
    { weight: 1, arbitrary: garbage(t.mediaPort) },
  );
}

export type WsFrames = { kind: 'raw'; bytes: Buffer; second?: Buffer } | { kind: 'messages'; messages: { data: Buffer | string; binary: boolean }[] };

/** WebSocket input on an accepted socket: well-formed frames with hostile content, or raw bytes as frames. */
export function wsFrames(t: Targets): fc.Arbitrary<WsFrames> {
  const deep = fc.constantFrom(10_000, 200_000).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
  const request = fc
    .record({ id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), name: fc.oneof(fc.constantFrom('setup.status', 'auth.signIn', 'users.list', 'live.open', '__proto__', 'constructor'), fc.string()), payload: fc.jsonValue() })
    .map((r) => JSON.stringify(r));
  const message = fc.oneof(
    request.map((data) => ({ data, binary: false })),
    fc.json().map((data) => ({ data, binary: false })),
    fc.string({ unit: 'binary', maxLength: 200 }).map((data) => ({ data, binary: false })),
    fc.uint8Array({ maxLength: 200 }).map((b) => ({ data: Buffer.from(b), binary: true })),
    deep.map((data) => ({ data, binary: false })),
    deep.map((d) => ({ data: `{"id":1,"name":"setup.status","payload":${d}}`, binary: false })),
    fc.constant({ data: 'x'.repeat(1024 * 1024 + 10), binary: false }),
  );
  const handshake = Buffer.from(
    `GET /ws?seat=${encodeURIComponent(t.seatKey)} HTTP/1.1\r\nHost: 127.0.0.1:${t.hostPort}\r\nOrigin: ${t.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    'latin1',
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.array(message, { minLength: 1, maxLength: 5 }).map((messages) => ({ kind: 'messages' as const, messages })) },
    {
      weight: 2,
      arbitrary: fc.record({ head: fc.uint8Array({ maxLength: 300 }), after: fc.uint8Array({ maxLength: 3000 }) }).map((r) => ({ kind: 'raw' as const, bytes: Buffer.concat([handshake, Buffer.from(r.head)]), second: Buffer.from(r.after) })),
    },
  );
}
