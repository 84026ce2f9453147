// A SOAP responder on 127.0.0.1 that answers like ONVIF devices met in the field do (see
// docs/design/onvif.md): HTTP Digest only, WS-UsernameToken only, both, either; a slow answer per
// call; N channels; a clock hours off that checks the token's Created from the first call; faults,
// garbage, oversized and trickled answers. It records every call and how many are still open, so a
// test can tell that nothing keeps running after a probe settles. Test seam only.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ptzAnswer } from './onvif-responder-ptz';

export type ResponderAuth = 'none' | 'token' | 'digest' | 'both' | 'either' | 'basic';
export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface ResponderFault {
  status: number;
  /** Code and subcodes, e.g. ['s:Sender', 'ter:InvalidArgVal', 'ter:NoProfile']. */
  codes: string[];
  reason: string;
}

export interface ResponderConfig {
  user: string;
  password: string;
  auth: ResponderAuth;
  /** Offered in this order, one WWW-Authenticate line each. */
  digestAlgorithms: DigestAlgorithm[];
  /** A nonce answers this many requests, then the device says stale=true. */
  digestNonceUses: number;
  /** Digest mode: a request that also carries a WS-UsernameToken is refused (NotAuthorized). */
  refuseTokenWithDigest: boolean;
  /** GetSystemDateAndTime needs no credentials (ONVIF Core: pre-auth). */
  preAuthTime: boolean;
  delayMs: number;
  channels: number;
  profilesPerChannel: 1 | 2;
  /** Device clock minus real clock; may be changed while running. */
  clockOffsetMs: number;
  /** How far a token's Created may be from the device's clock. */
  tokenToleranceMs: number;
  /** Vendor-style prefixes (SOAP-ENV, ns2, default namespaces) instead of s:/tt:/trt:. */
  vendorPrefixes: boolean;
  /** Answers GetCapabilities with a media XAddr on another host (a device behind NAT). */
  reportedHost: string | undefined;
  credentialsInStreamUri: boolean;
  faults: Partial<Record<string, ResponderFault>>;
  /** Raw 200 bodies per action. */
  garbage: Partial<Record<string, string>>;
  /** Actions answered with headers, then one byte every 200 ms, never finishing. */
  trickle: string[];
  /** Actions answered with a body of this many bytes (a valid envelope padded with a comment). */
  hugeBytes: Partial<Record<string, number>>;
  /** A PTZ service (docs/design/ptz.md): advertised in GetCapabilities and GetServices, a
   *  PTZConfiguration in every profile, and its calls answered (presets as given here). */
  ptz: boolean;
  presets: { token: string; name: string }[];
}

export interface RecordedCall {
  action: string;
  /** The Digest algorithm the request was signed with, if any. */
  digest: string | undefined;
  basic: boolean;
  token: boolean;
  protocol: string | undefined;
  /** The WS-UsernameToken's Created, as sent. */
  created: string | undefined;
  /** The SOAP body as sent (what a PTZ call asked for). */
  body: string;
}

const DEFAULTS: ResponderConfig = {
  user: 'admin',
  password: 'admin',
  auth: 'token',
  digestAlgorithms: ['MD5'],
  digestNonceUses: 1000,
  refuseTokenWithDigest: false,
  preAuthTime: true,
  delayMs: 0,
  channels: 1,
  profilesPerChannel: 2,
  clockOffsetMs: 0,
  tokenToleranceMs: 60_000,
  vendorPrefixes: false,
  reportedHost: undefined,
  credentialsInStreamUri: false,
  faults: {},
  garbage: {},
  trickle: [],
  hugeBytes: {},
  ptz: false,
  presets: [],
};

const REALM = 'onvif-responder';
const HASH = { 'MD5': 'md5', 'SHA-256': 'sha256' } as const;

function tagText(xml: string, local: string): string | undefined {
  return new RegExp(`<(?:[\\w.-]+:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${local}\\s*>`).exec(xml)?.[1]?.trim();
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly challenge: boolean,
    readonly stale = false,
  ) {
    super('refused');
  }
}

export class OnvifResponder {
  readonly cfg: ResponderConfig;
  readonly calls: RecordedCall[] = [];
  /** Called as each request arrives, before it is delayed or checked (to change the device mid-read). */
  onCall: ((action: string, call: RecordedCall) => void) | undefined;
  openRequests = 0;
  maxConcurrent = 0;
  private server: http.Server | undefined;
  private sockets = new Set<Socket>();
  private nonces = new Map<string, { algorithm: DigestAlgorithm; used: Set<string> }>();
  port = 0;

  constructor(cfg: Partial<ResponderConfig> = {}) {
    this.cfg = { ...DEFAULTS, ...cfg };
  }

  get deviceUrl(): string {
    return `http://127.0.0.1:${this.port}/onvif/device_service`;
  }

  /** Sockets the responder still holds open. */
  get openConnections(): number {
    return this.sockets.size;
  }

  callsOf(action: string): RecordedCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  async listen(): Promise<this> {
    // A client that hangs up mid-request must not become an unhandled rejection here.
    const server = http.createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.openRequests++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.openRequests);
    res.on('close', () => this.openRequests--);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const xml = Buffer.concat(chunks).toString('utf8');
    const action = /<(?:[\w.-]+:)?Body(?:\s[^>]*)?>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(xml)?.[1] ?? '';
    const security = tagText(xml, 'Security');
    const authorization = req.headers.authorization ?? '';
    const call: RecordedCall = {
      action,
      digest: /^Digest /i.test(authorization) ? (/algorithm="?([\w-]+)/i.exec(authorization)?.[1] ?? 'MD5') : undefined,
      basic: /^Basic /i.test(authorization),
      token: !!security,
      protocol: tagText(xml, 'Protocol'),
      created: security ? tagText(security, 'Created') : undefined,
      body: tagText(xml, 'Body') ?? '',
    };
    this.calls.push(call);
    this.onCall?.(action, call);
    if (this.cfg.delayMs > 0) await new Promise((r) => setTimeout(r, this.cfg.delayMs));
    if (res.destroyed) return;
    try {
      this.authenticate(action, xml, authorization);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      const headers: Record<string, string | string[]> = { 'content-type': 'application/soap+xml; charset=utf-8' };
      if (e.challenge) {
        headers['www-authenticate'] = this.cfg.auth === 'basic' ? [`Basic realm="${REALM}"`] : this.cfg.digestAlgorithms.map((a) => this.challenge(a, e.stale));
      }
      res.writeHead(e.status, headers).end(e.challenge ? '' : this.faultXml({ status: e.status, codes: ['s:Sender', 'ter:NotAuthorized'], reason: 'Sender not authorized' }));
      return;
    }
    this.answer(action, xml, res);
  }

  private challenge(algorithm: DigestAlgorithm, stale: boolean): string {
    const nonce = randomBytes(12).toString('hex');
    this.nonces.set(nonce, { algorithm, used: new Set() });
    return `Digest realm="${REALM}", qop="auth", nonce="${nonce}", opaque="c0ffee", algorithm=${algorithm}${stale ? ', stale=true' : ''}`;
  }

  /** 'ok', 'absent', 'bad' or 'stale' for the Authorization header. */
  private digestVerdict(header: string): 'ok' | 'absent' | 'bad' | 'stale' {
    const m = /^Digest\s+(.*)$/i.exec(header);
    if (!m) return 'absent';
    const p: Record<string, string> = {};
    for (const part of (m[1] ?? '').matchAll(/([\w*]+)=(?:"([^"]*)"|([^,\s]*))/g)) p[part[1] ?? ''] = part[2] ?? part[3] ?? '';
    if (p['username*']?.startsWith("UTF-8''")) p.username = decodeURIComponent(p['username*'].slice(7));
    const issued = this.nonces.get(p.nonce ?? '');
    if (!issued || p.username !== this.cfg.user || p.realm !== REALM || p.opaque !== 'c0ffee') return 'bad';
    if ((p.algorithm ?? 'MD5').toUpperCase() !== issued.algorithm || p.qop !== 'auth' || !p.nc || issued.used.has(p.nc)) return 'bad';
    const h = (s: string) => createHash(HASH[issued.algorithm]).update(s).digest('hex');
    const ha1 = h(`${this.cfg.user}:${REALM}:${this.cfg.password}`);
    const ha2 = h(`POST:${p.uri ?? ''}`);
    if (!safeEqual(h(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`), p.response ?? '')) return 'bad';
    if (issued.used.size >= this.cfg.digestNonceUses) return 'stale';
    issued.used.add(p.nc);
    return 'ok';
  }

  /** 'ok', 'absent' or 'bad' for a WS-UsernameToken, Created checked against the device's clock. */
  private tokenVerdict(xml: string): 'ok' | 'absent' | 'bad' {
    const security = tagText(xml, 'Security');
    if (!security) return 'absent';
    const given = tagText(security, 'Password') ?? '';
    const nonce = tagText(security, 'Nonce') ?? '';
    const created = tagText(security, 'Created') ?? '';
    if (tagText(security, 'Username') !== this.cfg.user) return 'bad';
    const createdMs = Date.parse(created);
    if (!Number.isFinite(createdMs) || Math.abs(createdMs - (Date.now() + this.cfg.clockOffsetMs)) > this.cfg.tokenToleranceMs) return 'bad';
    const expected = createHash('sha1')
      .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created), Buffer.from(this.cfg.password)]))
      .digest('base64');
    return safeEqual(given, expected) ? 'ok' : 'bad';
  }

  private authenticate(action: string, xml: string, authorization: string): void {
    const { auth } = this.cfg;
    if (auth === 'none') return;
    const token = this.tokenVerdict(xml);
    if (action === 'GetSystemDateAndTime' && this.cfg.preAuthTime) {
      // Pre-auth, but a token that is sent is checked (node-onvif signs this call with its own clock).
      if (token === 'bad' && auth !== 'digest') throw new Refusal(400, false);
      return;
    }
    // Digest is checked by the HTTP server, before SOAP is read.
    const digest = auth === 'token' ? 'absent' : this.digestVerdict(authorization);
    switch (auth) {
      case 'token':
        if (token !== 'ok') throw new Refusal(400, false);
        return;
      case 'digest':
        if (digest !== 'ok') throw new Refusal(401, true, digest === 'stale');
        if (this.cfg.refuseTokenWithDigest && token !== 'absent') throw new Refusal(400, false);
        return;
      case 'both':
        if (digest !== 'ok') throw new Refusal(401, true, digest === 'stale');
        if (token !== 'ok') throw new Refusal(400, false);
        return;
      case 'basic':
        if (authorization !== `Basic ${Buffer.from(`${this.cfg.user}:${this.cfg.password}`).toString('base64')}`) throw new Refusal(401, true);
        return;
      case 'either':
        if (digest === 'ok' || token === 'ok') return;
        if (token === 'bad') throw new Refusal(400, false);
        throw new Refusal(401, true, digest === 'stale');
    }
  }

  private ns(): { env: string; s: string; d: string; m: string; t: string } {
    const v = this.cfg.vendorPrefixes;
    const decl = v
      ? 'xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:ns1="http://www.onvif.org/ver10/device/wsdl" xmlns:ns2="http://www.onvif.org/ver10/media/wsdl" xmlns:ns3="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"'
      : 'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"';
    return v ? { env: decl, s: 'SOAP-ENV:', d: 'ns1:', m: 'ns2:', t: 'ns3:' } : { env: decl, s: 's:', d: 'tds:', m: 'trt:', t: 'tt:' };
  }

  private envelope(body: string): string {
    const n = this.ns();
    const ptz = this.cfg.ptz ? ` xmlns:${this.cfg.vendorPrefixes ? 'ns4' : 'tptz'}="http://www.onvif.org/ver20/ptz/wsdl"` : '';
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${n.s}Envelope ${n.env}${ptz}><${n.s}Header/><${n.s}Body>${body}</${n.s}Body></${n.s}Envelope>`;
  }

  private faultXml(f: ResponderFault): string {
    const s = this.ns().s;
    const [code, ...subs] = f.codes;
    let sub = '';
    for (const c of [...subs].reverse()) sub = `<${s}Subcode><${s}Value>${c}</${s}Value>${sub}</${s}Subcode>`;
    return this.envelope(`<${s}Fault><${s}Code><${s}Value>${code ?? 's:Receiver'}</${s}Value>${sub}</${s}Code><${s}Reason><${s}Text xml:lang="en">${escapeXml(f.reason)}</${s}Text></${s}Reason></${s}Fault>`);
  }

  private answer(action: string, xml: string, res: http.ServerResponse): void {
    const soap = { 'content-type': 'application/soap+xml; charset=utf-8' };
    const fault = this.cfg.faults[action];
    if (fault) {
      res.writeHead(fault.status, soap).end(this.faultXml(fault));
      return;
    }
    const garbage = this.cfg.garbage[action];
    if (garbage !== undefined) {
      res.writeHead(200, soap).end(garbage);
      return;
    }
    if (this.cfg.trickle.includes(action)) {
      res.writeHead(200, { ...soap, 'content-length': '100000' });
      const timer = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(timer));
      return;
    }
    let body: string;
    try {
      body = this.envelope(this.body(action, xml));
    } catch (e) {
      res.writeHead(400, soap).end(this.faultXml({ status: 400, codes: ['s:Sender', 'ter:InvalidArgVal', 'ter:NoProfile'], reason: String((e as Error).message) }));
      return;
    }
    const huge = this.cfg.hugeBytes[action];
    if (huge) body = body.replace('<?xml version="1.0" encoding="UTF-8"?>', `<?xml version="1.0" encoding="UTF-8"?><!--${'x'.repeat(huge)}-->`);
    res.writeHead(200, soap).end(body);
  }

  private profiles(): { token: string; name: string; width: number; height: number; channel: number; stream: number }[] {
    const out = [];
    for (let c = 1; c <= this.cfg.channels; c++) {
      out.push({ token: `ch${c}_main`, name: `Channel ${c} main`, width: 1920, height: 1080, channel: c, stream: 1 });
      if (this.cfg.profilesPerChannel === 2) out.push({ token: `ch${c}_sub`, name: `Channel ${c} sub`, width: 640, height: 360, channel: c, stream: 2 });
    }
    return out;
  }

  private body(action: string, xml: string): string {
    const { d, m, t } = this.ns();
    const host = this.cfg.reportedHost ?? `127.0.0.1:${this.port}`;
    switch (action) {
      case 'GetSystemDateAndTime': {
        const now = new Date(Date.now() + this.cfg.clockOffsetMs);
        return (
          `<${d}GetSystemDateAndTimeResponse><${d}SystemDateAndTime><${t}DateTimeType>Manual</${t}DateTimeType><${t}DaylightSavings>false</${t}DaylightSavings>` +
          `<${t}UTCDateTime><${t}Time><${t}Hour>${now.getUTCHours()}</${t}Hour><${t}Minute>${now.getUTCMinutes()}</${t}Minute><${t}Second>${now.getUTCSeconds()}</${t}Second></${t}Time>` +
          `<${t}Date><${t}Year>${now.getUTCFullYear()}</${t}Year><${t}Month>${now.getUTCMonth() + 1}</${t}Month><${t}Day>${now.getUTCDate()}</${t}Day></${t}Date></${t}UTCDateTime>` +
          `</${d}SystemDateAndTime></${d}GetSystemDateAndTimeResponse>`
        );
      }
      case 'GetDeviceInformation':
        return `<${d}GetDeviceInformationResponse><${d}Manufacturer>Responder &amp; Co</${d}Manufacturer><${d}Model>Encoder-${this.cfg.channels}</${d}Model><${d}FirmwareVersion>1.0</${d}FirmwareVersion><${d}SerialNumber>R1</${d}SerialNumber><${d}HardwareId>r</${d}HardwareId></${d}GetDeviceInformationResponse>`;
      case 'GetCapabilities':
        return `<${d}GetCapabilitiesResponse><${d}Capabilities><${t}Device><${t}XAddr>http://${host}/onvif/device_service</${t}XAddr></${t}Device><${t}Media><${t}XAddr>http://${host}/onvif/Media</${t}XAddr></${t}Media>${this.cfg.ptz ? `<${t}PTZ><${t}XAddr>http://${host}/onvif/PTZ</${t}XAddr></${t}PTZ>` : ''}</${d}Capabilities></${d}GetCapabilitiesResponse>`;
      case 'GetServices':
        return `<${d}GetServicesResponse><${d}Service><${d}Namespace>http://www.onvif.org/ver10/media/wsdl</${d}Namespace><${d}XAddr>http://${host}/onvif/Media</${d}XAddr></${d}Service>${this.cfg.ptz ? `<${d}Service><${d}Namespace>http://www.onvif.org/ver20/ptz/wsdl</${d}Namespace><${d}XAddr>http://${host}/onvif/PTZ</${d}XAddr></${d}Service>` : ''}</${d}GetServicesResponse>`;
      case 'GetProfiles':
        return `<${m}GetProfilesResponse>${this.profiles()
          .map(
            (p) =>
              `<${m}Profiles token="${p.token}" fixed="true"><${t}Name>${p.name}</${t}Name><${t}VideoEncoderConfiguration token="enc_${p.token}"><${t}Name>enc</${t}Name>` +
              `<${t}Encoding>H264</${t}Encoding><${t}Resolution><${t}Width>${p.width}</${t}Width><${t}Height>${p.height}</${t}Height></${t}Resolution></${t}VideoEncoderConfiguration>` +
              `${this.cfg.ptz ? `<${t}PTZConfiguration token="ptz${p.channel}"><${t}Name>ptz</${t}Name><${t}NodeToken>node${p.channel}</${t}NodeToken></${t}PTZConfiguration>` : ''}</${m}Profiles>`,
          )
          .join('')}</${m}GetProfilesResponse>`;
      case 'GetStreamUri': {
        const token = tagText(xml, 'ProfileToken');
        const p = this.profiles().find((x) => x.token === token);
        if (!p) throw new Error(`No profile ${token ?? ''}`);
        const auth = this.cfg.credentialsInStreamUri ? `${this.cfg.user}:${this.cfg.password}@` : '';
        return `<${m}GetStreamUriResponse><${m}MediaUri><${t}Uri>rtsp://${auth}127.0.0.1:554/Streaming/Channels/${p.channel}0${p.stream}</${t}Uri><${t}InvalidAfterConnect>false</${t}InvalidAfterConnect><${t}InvalidAfterReboot>false</${t}InvalidAfterReboot><${t}Timeout>PT0S</${t}Timeout></${m}MediaUri></${m}GetStreamUriResponse>`;
      }
      default:
        if (this.cfg.ptz) return ptzAnswer(action, tagText(xml, 'PresetToken'), this.cfg.presets, this.cfg.vendorPrefixes ? 'ns4:' : 'tptz:', this.ns().t);
        throw new Error(`${action} is not supported`);
    }
  }
}

export async function startResponder(cfg: Partial<ResponderConfig> = {}): Promise<OnvifResponder> {
  return new OnvifResponder(cfg).listen();
}
