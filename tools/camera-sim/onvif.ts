// Minimal ONVIF device + media service for one simulated camera (Profile S subset that
// node-onvif's init() and a typical VMS need), WS-UsernameToken authentication, an
// HTTP-authenticated JPEG snapshot, and for a camera started with PTZ the PTZ service (onvif-ptz.ts).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PTZ_ACTIONS, PTZ_NAMESPACE, PTZ_PATH, SimulatedPtz, ptzConfigurationXml, type PtzSegment } from './onvif-ptz';
import { SoapFault, escapeXml, tag } from './soap';

export type AuthMode = 'digest' | 'basic' | 'none';
export type Codec = 'h264' | 'h265';

export interface OnvifCameraConfig {
  index: number;
  name: string;
  port: number; // 0 = any free port
  user: string;
  password: string;
  auth: AuthMode;
  codec: Codec;
  /** The main stream's picture (the video source's size); the sub stream is half of it each way. */
  size: PictureSize;
  faulty: boolean;
  rtspUrl: (stream: 'main' | 'sub') => string;
  snapshot: () => Buffer;
  /** A PTZ camera: hands each new motion segment to its picture (onvif-ptz.ts). Absent: no PTZ service. */
  ptz?: (segment: PtzSegment) => Promise<void>;
}

export const DEVICE_PATH = '/onvif/device_service';
export const MEDIA_PATH = '/onvif/media_service';
export const SNAPSHOT_PATH = '/onvif/snapshot';
const REALM = 'camera-sim';

const NS = [
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope"',
  'xmlns:tt="http://www.onvif.org/ver10/schema"',
  'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"',
  'xmlns:trt="http://www.onvif.org/ver10/media/wsdl"',
  'xmlns:ter="http://www.onvif.org/ver10/error"',
].join(' ');

export interface PictureSize {
  width: number;
  height: number;
}

const PROFILES = {
  main: { token: 'Profile_main', scale: 1, bitrate: 2000, quality: 5 },
  sub: { token: 'Profile_sub', scale: 2, bitrate: 512, quality: 3 },
} as const;
type StreamKind = keyof typeof PROFILES;

// ONVIF Core: operations of access class PRE_AUTH may be called without credentials.
const PRE_AUTH = new Set(['GetSystemDateAndTime', 'GetCapabilities', 'GetServices', 'GetWsdlUrl', 'GetServiceCapabilities']);

/** `ptz`: a PTZ camera's answers declare the PTZ service's namespace too. */
function envelope(body: string, ptz = false): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<s:Envelope ${NS}${ptz ? ` xmlns:tptz="${PTZ_NAMESPACE}"` : ''}><s:Body>${body}</s:Body></s:Envelope>`;
}

function faultXml(f: SoapFault): string {
  let sub = '';
  for (const code of [...f.subcodes].reverse()) sub = `<s:Subcode><s:Value>${code}</s:Value>${sub}</s:Subcode>`;
  return envelope(
    `<s:Fault><s:Code><s:Value>s:${f.code}</s:Value>${sub}</s:Code>` +
      `<s:Reason><s:Text xml:lang="en">${escapeXml(f.message)}</s:Text></s:Reason></s:Fault>`,
  );
}

function bodyAction(xml: string): string | undefined {
  const m = /<(?:[\w.-]+:)?Body(?:\s[^>]*)?>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(xml);
  return m?.[1];
}

/** Checks a WS-Security UsernameToken (PasswordDigest or PasswordText). */
export function checkUsernameToken(xml: string, user: string, password: string, now = Date.now()): 'ok' | 'missing' | 'bad' {
  const security = tag(xml, 'Security');
  if (!security) return 'missing';
  const username = tag(security, 'Username');
  const pwMatch = /<(?:[\w.-]+:)?Password(\s[^>]*)?>([\s\S]*?)<\/(?:[\w.-]+:)?Password\s*>/.exec(security);
  if (username === undefined || !pwMatch) return 'missing';
  if (username !== user) return 'bad';
  const attrs = pwMatch[1] ?? '';
  const given = (pwMatch[2] ?? '').trim();
  if (/PasswordText/.test(attrs)) return safeEqual(given, password) ? 'ok' : 'bad';
  const nonce = tag(security, 'Nonce');
  const created = tag(security, 'Created');
  if (nonce === undefined || created === undefined) return 'bad';
  const t = Date.parse(created);
  if (!Number.isFinite(t) || Math.abs(t - now) > 5 * 60_000) return 'bad';
  const expected = createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
  return safeEqual(given, expected) ? 'ok' : 'bad';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

export class OnvifCamera {
  private server: http.Server | undefined;
  private sockets = new Set<Socket>();
  private nonces = new Set<string>();
  port: number;
  /** The PTZ service of a camera started with PTZ (its state outlives a power cut of the simulation). */
  readonly ptz: SimulatedPtz | undefined;

  constructor(readonly cfg: OnvifCameraConfig) {
    this.port = cfg.port;
    this.ptz = cfg.ptz ? new SimulatedPtz(cfg.ptz) : undefined;
  }

  get deviceUrl(): string {
    return `http://127.0.0.1:${this.port}${DEVICE_PATH}`;
  }

  private get mediaUrl(): string {
    return `http://127.0.0.1:${this.port}${MEDIA_PATH}`;
  }

  private get ptzUrl(): string {
    return `http://127.0.0.1:${this.port}${PTZ_PATH}`;
  }

  async listen(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops answering at all (connections are cut, new ones refused), like a camera without power. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === SNAPSHOT_PATH) return this.snapshot(req, res);
      const soapPaths = this.ptz ? [DEVICE_PATH, MEDIA_PATH, PTZ_PATH] : [DEVICE_PATH, MEDIA_PATH];
      if (req.method !== 'POST' || !soapPaths.includes(url.pathname)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > 1_000_000) {
          res.writeHead(413).end();
          return;
        }
        chunks.push(chunk as Buffer);
      }
      const xml = Buffer.concat(chunks).toString('utf8');
      let status = 200;
      let out: string;
      try {
        out = envelope(await this.soap(xml), this.ptz !== undefined);
      } catch (e) {
        const f = e instanceof SoapFault ? e : new SoapFault(500, 'Receiver', ['ter:Action'], String(e));
        status = f.httpStatus;
        out = faultXml(f);
      }
      res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8' }).end(out);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
    }
  }

  private async soap(xml: string): Promise<string> {
    const action = bodyAction(xml);
    if (!action) throw new SoapFault(400, 'Sender', ['ter:WellFormed'], 'No SOAP body');
    if (this.cfg.faulty) {
      throw new SoapFault(500, 'Receiver', ['ter:Action', 'ter:ActionFailed'], `Simulated device failure (${action})`);
    }
    if (this.cfg.auth !== 'none' && action !== 'GetSystemDateAndTime') {
      const verdict = checkUsernameToken(xml, this.cfg.user, this.cfg.password);
      if (verdict === 'bad' || (verdict === 'missing' && !PRE_AUTH.has(action))) {
        throw new SoapFault(401, 'Sender', ['ter:NotAuthorized'], 'Sender not authorized');
      }
    }
    switch (action) {
      case 'GetSystemDateAndTime':
        return this.getSystemDateAndTime();
      case 'GetCapabilities':
        return this.getCapabilities();
      case 'GetServices':
        return this.getServices();
      case 'GetDeviceInformation':
        return (
          `<tds:GetDeviceInformationResponse><tds:Manufacturer>Operator Console</tds:Manufacturer>` +
          `<tds:Model>CameraSim</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion>` +
          `<tds:SerialNumber>SIM-${String(this.cfg.index).padStart(6, '0')}</tds:SerialNumber>` +
          `<tds:HardwareId>camera-sim</tds:HardwareId></tds:GetDeviceInformationResponse>`
        );
      case 'GetScopes':
        return `<tds:GetScopesResponse>${scopes(this.cfg.name)
          .map((s) => `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${s}</tt:ScopeItem></tds:Scopes>`)
          .join('')}</tds:GetScopesResponse>`;
      case 'GetProfiles':
        return `<trt:GetProfilesResponse>${this.profileXml('main', 'Profiles')}${this.profileXml('sub', 'Profiles')}</trt:GetProfilesResponse>`;
      case 'GetProfile':
        return `<trt:GetProfileResponse>${this.profileXml(this.profileOf(xml), 'Profile')}</trt:GetProfileResponse>`;
      case 'GetVideoSources':
        return (
          `<trt:GetVideoSourcesResponse><trt:VideoSources token="VideoSource_1"><tt:Framerate>25</tt:Framerate>` +
          `<tt:Resolution><tt:Width>${this.cfg.size.width}</tt:Width><tt:Height>${this.cfg.size.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`
        );
      case 'GetStreamUri':
        return this.getStreamUri(xml);
      case 'GetSnapshotUri': {
        const kind = this.profileOf(xml);
        return (
          `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>http://127.0.0.1:${this.port}${SNAPSHOT_PATH}?profile=${kind}</tt:Uri>` +
          `<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>` +
          `<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`
        );
      }
      default:
        if (this.ptz && PTZ_ACTIONS.has(action)) return this.ptz.handle(action, xml);
        throw new SoapFault(400, 'Sender', ['ter:InvalidArgVal', 'ter:ActionNotSupported'], `${action} is not supported by the simulator`);
    }
  }

  private getSystemDateAndTime(): string {
    const d = new Date();
    return (
      `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>` +
      `<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>` +
      `<tt:UTCDateTime><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute>` +
      `<tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year>` +
      `<tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime>` +
      `</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
    );
  }

  private getCapabilities(): string {
    return (
      `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
      `<tt:Device><tt:XAddr>${this.deviceUrl}</tt:XAddr><tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve>` +
      `<tt:DiscoveryBye>false</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup>` +
      `<tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>` +
      `<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System></tt:Device>` +
      `<tt:Media><tt:XAddr>${this.mediaUrl}</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast>` +
      `<tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
      (this.ptz ? `<tt:PTZ><tt:XAddr>${this.ptzUrl}</tt:XAddr></tt:PTZ>` : '') +
      `</tds:Capabilities></tds:GetCapabilitiesResponse>`
    );
  }

  private getServices(): string {
    const svc = (ns: string, xaddr: string) =>
      `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${xaddr}</tds:XAddr>` +
      `<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`;
    return (
      `<tds:GetServicesResponse>${svc('http://www.onvif.org/ver10/device/wsdl', this.deviceUrl)}` +
      `${svc('http://www.onvif.org/ver10/media/wsdl', this.mediaUrl)}${this.ptz ? svc(PTZ_NAMESPACE, this.ptzUrl) : ''}</tds:GetServicesResponse>`
    );
  }

  private profileOf(xml: string): StreamKind {
    const token = tag(xml, 'ProfileToken');
    for (const kind of ['main', 'sub'] as const) if (PROFILES[kind].token === token) return kind;
    throw new SoapFault(400, 'Sender', ['ter:InvalidArgVal', 'ter:NoProfile'], `No profile ${token ?? '(none)'}`);
  }

  private profileXml(kind: StreamKind, element: string): string {
    const p = PROFILES[kind];
    const { width, height } = this.cfg.size;
    const enc = this.cfg.codec === 'h265' ? 'H265' : 'H264';
    const codecXml =
      this.cfg.codec === 'h265'
        ? ''
        : `<tt:H264><tt:GovLength>25</tt:GovLength><tt:H264Profile>Baseline</tt:H264Profile></tt:H264>`;
    return (
      `<trt:${element} token="${p.token}" fixed="true"><tt:Name>${kind}</tt:Name>` +
      `<tt:VideoSourceConfiguration token="VideoSourceConfig_1"><tt:Name>VideoSourceConfig_1</tt:Name><tt:UseCount>2</tt:UseCount>` +
      `<tt:SourceToken>VideoSource_1</tt:SourceToken><tt:Bounds x="0" y="0" width="${width}" height="${height}"/></tt:VideoSourceConfiguration>` +
      `<tt:VideoEncoderConfiguration token="VideoEncoder_${kind}"><tt:Name>VideoEncoder_${kind}</tt:Name><tt:UseCount>1</tt:UseCount>` +
      `<tt:Encoding>${enc}</tt:Encoding><tt:Resolution><tt:Width>${width / p.scale}</tt:Width><tt:Height>${height / p.scale}</tt:Height></tt:Resolution>` +
      `<tt:Quality>${p.quality}</tt:Quality><tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit>` +
      `<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${p.bitrate}</tt:BitrateLimit></tt:RateControl>${codecXml}` +
      `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port>` +
      `<tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast><tt:SessionTimeout>PT60S</tt:SessionTimeout>` +
      `</tt:VideoEncoderConfiguration>${this.ptz ? ptzConfigurationXml() : ''}</trt:${element}>`
    );
  }

  private getStreamUri(xml: string): string {
    const kind = this.profileOf(xml);
    const protocol = (tag(xml, 'Protocol') ?? 'RTSP').toUpperCase();
    const stream = tag(xml, 'Stream') ?? 'RTP-Unicast';
    // RTSP, or UDP meaning "RTP/UDP negotiated through RTSP": both are the plain rtsp:// URL.
    if (stream !== 'RTP-Unicast' || (protocol !== 'RTSP' && protocol !== 'UDP' && protocol !== 'TCP')) {
      throw new SoapFault(400, 'Sender', ['ter:InvalidArgVal', 'ter:InvalidStreamSetup'], `${stream}/${protocol} is not supported`);
    }
    return (
      `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${escapeXml(this.cfg.rtspUrl(kind))}</tt:Uri>` +
      `<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>` +
      `<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`
    );
  }

  private snapshot(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.cfg.faulty) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('simulated failure\n');
      return;
    }
    if (this.cfg.auth !== 'none' && !this.httpAuthorized(req)) {
      const challenge =
        this.cfg.auth === 'digest'
          ? `Digest realm="${REALM}", qop="auth", nonce="${this.newNonce()}", algorithm=MD5`
          : `Basic realm="${REALM}"`;
      res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'text/plain' }).end('unauthorized\n');
      return;
    }
    const jpeg = this.cfg.snapshot();
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.length }).end(jpeg);
  }

  private newNonce(): string {
    const n = randomBytes(16).toString('hex');
    this.nonces.add(n);
    if (this.nonces.size > 1000) this.nonces.delete(this.nonces.values().next().value as string);
    return n;
  }

  private httpAuthorized(req: http.IncomingMessage): boolean {
    const h = req.headers.authorization ?? '';
    if (this.cfg.auth === 'basic') {
      const m = /^Basic\s+(\S+)/i.exec(h);
      return !!m && safeEqual(Buffer.from(m[1] ?? '', 'base64').toString(), `${this.cfg.user}:${this.cfg.password}`);
    }
    const m = /^Digest\s+(.*)$/i.exec(h);
    if (!m) return false;
    const p: Record<string, string> = {};
    for (const part of (m[1] ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[part[1] ?? ''] = part[2] ?? part[3] ?? '';
    if (p.username !== this.cfg.user || !p.nonce || !this.nonces.has(p.nonce)) return false;
    const ha1 = md5(`${this.cfg.user}:${REALM}:${this.cfg.password}`);
    const ha2 = md5(`${req.method ?? 'GET'}:${p.uri ?? ''}`);
    const expected = p.qop ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
    return safeEqual(expected, p.response ?? '');
  }
}

export function scopes(name: string): string[] {
  return [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/Profile/Streaming',
    `onvif://www.onvif.org/name/${name.replace(/\s/g, '_')}`,
    'onvif://www.onvif.org/hardware/CameraSim',
    'onvif://www.onvif.org/location/simulator',
  ];
}
