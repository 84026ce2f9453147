// The relay's RTSP framing: messages and interleaved frames mixed in either direction, split at any
// byte, come out whole and in order; a peer that sends garbage or endless headers is cut off.
import { describe, expect, it } from 'vitest';
import { RtspProtocolError, RtspStreamParser, serialize, setHeader, type RtspMessage } from './rtsp-message';

function frame(channel: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0x24;
  head[1] = channel;
  head.writeUInt16BE(payload.length, 2);
  return Buffer.concat([head, payload]);
}

function collect(chunks: Buffer[]) {
  const units: (RtspMessage | Buffer)[] = [];
  let data: Buffer[] = [];
  const flush = () => {
    if (data.length) units.push(Buffer.concat(data));
    data = [];
  };
  const p = new RtspStreamParser(
    (m) => {
      flush();
      units.push(m);
    },
    (b) => data.push(Buffer.from(b)),
  );
  for (const c of chunks) p.push(c);
  flush();
  return { units, atBoundary: p.atBoundary };
}

// A keepalive response arriving between media frames, an SDP body, a request from the camera,
// a frame whose payload looks like RTSP text and one that contains "$".
const sdp = Buffer.from('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\na=control:rtsp://cam/x/stream=0\r\n', 'latin1');
const stream = Buffer.concat([
  frame(0, Buffer.from('RTSP/1.0 200 OK\r\n\r\n')),
  Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 5\r\nSession: abc;timeout=10\r\n\r\n'),
  frame(1, Buffer.from([0x24, 0, 0, 0, 0x0d, 0x0a])),
  Buffer.from(`RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n`),
  sdp,
  frame(0, Buffer.alloc(1400, 7)),
  Buffer.from('GET_PARAMETER rtsp://cam/x RTSP/1.0\r\nCSeq: 9\r\n\r\n'),
  frame(0, Buffer.alloc(0)),
]);

describe('RTSP framing', () => {
  it('splits messages and interleaved frames the same at every chunk boundary', () => {
    const whole = collect([stream]);
    expect(whole.units.map((u) => (Buffer.isBuffer(u) ? `data ${u.length}` : u.startLine))).toEqual([
      'data 23',
      'RTSP/1.0 200 OK',
      'data 10',
      'RTSP/1.0 200 OK',
      'data 1404',
      'GET_PARAMETER rtsp://cam/x RTSP/1.0',
      'data 4',
    ]);
    expect((whole.units[3] as RtspMessage).body.equals(sdp)).toBe(true);
    for (let cut = 1; cut < stream.length; cut += 1) {
      const split = collect([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(split.units, `cut at ${cut}`).toEqual(whole.units);
    }
    const byteByByte = collect([...stream].map((b) => Buffer.from([b])));
    expect(byteByByte.units).toEqual(whole.units);
    expect(byteByByte.atBoundary).toBe(true);
  });

  it('re-serialises a message byte for byte, non-ASCII header bytes included, with Content-Length fixed', () => {
    const raw = Buffer.concat([Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 2\r\nX-Name: '), Buffer.from('Zażółć', 'utf8'), Buffer.from('\r\nContent-Length: 3\r\n\r\nabc')]);
    const [m] = collect([raw]).units as RtspMessage[];
    expect(serialize(m!).equals(raw)).toBe(true);
    const longer = serialize({ ...m!, headers: setHeader(m!.headers, 'CSeq', '7'), body: Buffer.from('abcdef') }).toString('latin1');
    expect(longer).toContain('CSeq: 7\r\n');
    expect(longer).toContain('Content-Length: 6\r\n\r\nabcdef');
  });

  it('cuts off a peer whose header block never ends (64 KiB)', () => {
    const p = new RtspStreamParser(() => {}, () => {});
    p.push(Buffer.from('OPTIONS rtsp://x/y RTSP/1.0\r\n'));
    const line = Buffer.from(`X-Junk: ${'a'.repeat(1000)}\r\n`);
    expect(() => {
      for (let i = 0; i < 70; i += 1) p.push(line);
    }).toThrow(RtspProtocolError);
  });

  it('cuts off garbage that is neither a message nor a frame, and absurd bodies', () => {
    const garbage = [
      Buffer.from('HELLO THERE\r\n\r\n'),
      Buffer.from('OPTIONS rtsp://x RTSP/1.0\r\nno colon here\r\n\r\n'),
      Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n'),
      Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n'),
      Buffer.alloc(300, 0xab),
    ];
    for (const g of garbage) expect(() => new RtspStreamParser(() => {}, () => {}).push(g), g.subarray(0, 30).toString('latin1')).toThrow(RtspProtocolError);
  });
});
