// RTSP/1.0 wire format for the local relay (docs/design/live-pipeline.md "Credential relay"):
// a streaming parser that tells text messages (requests and responses, either direction) apart from
// interleaved `$` binary frames, and passes the frames through without copying or buffering them.
// Headers are handled as latin1 so that every byte survives a parse and re-serialisation unchanged.

export interface RtspMessage {
  /** "DESCRIBE rtsp://... RTSP/1.0" or "RTSP/1.0 200 OK". */
  startLine: string;
  /** In wire order, names as sent. */
  headers: [string, string][];
  body: Buffer;
}

export class RtspProtocolError extends Error {}

export interface RtspParserLimits {
  /** A start line plus headers larger than this closes the connection (a peer spewing garbage). */
  maxHeaderBytes: number;
  maxBodyBytes: number;
}

export const DEFAULT_RTSP_LIMITS: RtspParserLimits = { maxHeaderBytes: 64 * 1024, maxBodyBytes: 1024 * 1024 };

const REQUEST_LINE = /^[A-Za-z_][A-Za-z0-9_-]* \S+ RTSP\/\d\.\d$/;
const STATUS_LINE = /^RTSP\/\d\.\d \d{3}(?: [^\r\n]*)?$/;
const DOLLAR = 0x24;
const EMPTY = Buffer.alloc(0);

/**
 * Splits one direction of an RTSP connection. `onData` receives interleaved frames (header and
 * payload) as they arrive, possibly in pieces, always in stream order relative to `onMessage`.
 * `push` throws RtspProtocolError on anything that is neither (the caller closes the connection).
 */
export class RtspStreamParser {
  private pending: Buffer = EMPTY;
  private passRemaining = 0;

  constructor(
    private readonly onMessage: (m: RtspMessage) => void,
    private readonly onData: (bytes: Buffer) => void,
    private readonly limits: RtspParserLimits = DEFAULT_RTSP_LIMITS,
  ) {}

  /** Between two units: no interleaved frame or message is half through (a writer may insert one). */
  get atBoundary(): boolean {
    return this.passRemaining === 0 && this.pending.length === 0;
  }

  /** Bytes held back waiting for the rest of a message (bounded by the limits). */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  push(chunk: Buffer): void {
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = EMPTY;
    let off = 0;
    // Consecutive frames of a chunk go out as one slice: one write per read, not one per RTP
    // packet (a camera sending 1400-byte packets puts dozens in every read).
    let dataStart = -1;
    const flushData = () => {
      if (dataStart >= 0 && off > dataStart) this.onData(buf.subarray(dataStart, off));
      dataStart = -1;
    };
    while (off < buf.length) {
      if (this.passRemaining > 0) {
        const n = Math.min(this.passRemaining, buf.length - off);
        if (dataStart < 0) dataStart = off;
        this.passRemaining -= n;
        off += n;
        continue;
      }
      const first = buf[off];
      if (first === DOLLAR) {
        if (buf.length - off < 4) break;
        this.passRemaining = 4 + buf.readUInt16BE(off + 2);
        continue;
      }
      flushData();
      // Stray line ends between messages are tolerated (some cameras send an extra CRLF).
      if (first === 0x0d || first === 0x0a) {
        off += 1;
        continue;
      }
      const used = this.message(buf, off);
      if (used === 0) break;
      off += used;
    }
    flushData();
    if (off < buf.length) this.pending = Buffer.from(buf.subarray(off));
  }

  /** Parses one text message at `off`; returns the bytes it used, or 0 when it is not complete yet. */
  private message(buf: Buffer, off: number): number {
    const window = buf.subarray(off, Math.min(buf.length, off + this.limits.maxHeaderBytes + 4));
    const crlf = window.indexOf('\r\n\r\n');
    const lf = window.indexOf('\n\n');
    let headerEnd: number;
    let sepLen: number;
    if (crlf >= 0 && (lf < 0 || crlf < lf)) [headerEnd, sepLen] = [crlf, 4];
    else if (lf >= 0) [headerEnd, sepLen] = [lf, 2];
    else {
      if (window.length > this.limits.maxHeaderBytes) throw new RtspProtocolError(`RTSP header block larger than ${this.limits.maxHeaderBytes} bytes`);
      // A peer that sends no line end at all in what should be a start line is not speaking RTSP.
      if (window.length >= 256 && window.subarray(0, 256).indexOf('\n') < 0) throw new RtspProtocolError('not RTSP: no line end in the first 256 bytes');
      return 0;
    }
    const lines = window.subarray(0, headerEnd).toString('latin1').split(/\r?\n/);
    const startLine = lines.shift() ?? '';
    if (!REQUEST_LINE.test(startLine) && !STATUS_LINE.test(startLine)) throw new RtspProtocolError('not RTSP: bad start line');
    const headers: [string, string][] = [];
    for (const line of lines) {
      if (/^[ \t]/.test(line) && headers.length > 0) {
        // Obsolete line folding: continues the previous header's value.
        const last = headers[headers.length - 1]!;
        last[1] = `${last[1]} ${line.trim()}`;
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) throw new RtspProtocolError('not RTSP: bad header line');
      headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
    const lengthText = headerValue(headers, 'content-length');
    const bodyBytes = lengthText === undefined ? 0 : Number(lengthText);
    if (!Number.isInteger(bodyBytes) || bodyBytes < 0) throw new RtspProtocolError('bad Content-Length');
    if (bodyBytes > this.limits.maxBodyBytes) throw new RtspProtocolError(`RTSP body larger than ${this.limits.maxBodyBytes} bytes`);
    const bodyStart = off + headerEnd + sepLen;
    if (buf.length < bodyStart + bodyBytes) return 0;
    this.onMessage({ startLine, headers, body: Buffer.from(buf.subarray(bodyStart, bodyStart + bodyBytes)) });
    return headerEnd + sepLen + bodyBytes;
  }
}

export function isResponse(m: RtspMessage): boolean {
  return m.startLine.startsWith('RTSP/');
}

/** Status code of a response. */
export function statusOf(m: RtspMessage): number {
  return Number(m.startLine.split(' ')[1]);
}

/** [method, uri, version] of a request. */
export function requestParts(m: RtspMessage): [string, string, string] {
  const [method = '', uri = '', version = ''] = m.startLine.split(' ');
  return [method, uri, version];
}

export function headerValue(headers: [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

export function headerValues(headers: [string, string][], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

/** Replaces the first header of that name (keeping its place) or appends it; removes duplicates. */
export function setHeader(headers: [string, string][], name: string, value: string): [string, string][] {
  const lower = name.toLowerCase();
  const at = headers.findIndex(([k]) => k.toLowerCase() === lower);
  if (at < 0) return [...headers, [name, value]];
  return headers.flatMap(([k, v], i): [string, string][] => (i === at ? [[k, value]] : k.toLowerCase() === lower ? [] : [[k, v]]));
}

export function removeHeaders(headers: [string, string][], ...names: string[]): [string, string][] {
  const lower = new Set(names.map((n) => n.toLowerCase()));
  return headers.filter(([k]) => !lower.has(k.toLowerCase()));
}

/** The message as bytes; Content-Length always matches the body. */
export function serialize(m: RtspMessage): Buffer {
  const headers = m.body.length > 0 || headerValue(m.headers, 'content-length') !== undefined ? setHeader(m.headers, 'Content-Length', String(m.body.length)) : m.headers;
  const head = `${m.startLine}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return m.body.length > 0 ? Buffer.concat([Buffer.from(head, 'latin1'), m.body]) : Buffer.from(head, 'latin1');
}

/** A header value holding UTF-8 text, as the latin1 string this module writes byte for byte. */
export function utf8Header(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
