// Pan-tilt-zoom through ONVIF (docs/design/ptz.md, docs/design/onvif.md). One PtzDevice per camera
// while someone steers it: the SOAP session (device clock, Digest nonce) and its keep-alive socket
// are kept between calls, so a move costs one round trip. The device is untrusted as in the probe:
// every request has its own limit, answers are bounded in size and read with the strict XML
// reader, names and tokens from the device are cleaned and bounded, and every failure is an
// OnvifError in words (a SOAP fault keeps its codes, e.g. NoToken for a preset that is gone).
import { deviceText, OnvifError } from './onvif-error';
import { HttpTransport } from './onvif-http';
import { deviceAddress, serviceAddress } from './onvif-probe';
import { OnvifFaultError, SoapSession, type Operation } from './onvif-soap';
import { child, childrenNamed, escapeXml, findFirst, path, textOf, type XmlElement } from './onvif-xml';

export const PTZ_NAMESPACE = 'http://www.onvif.org/ver20/ptz/wsdl';

export interface PtzTarget {
  xaddr: string;
  username: string;
  password: string;
  /** The media profile the console streams (its main profile): used when it carries PTZ. */
  profileToken: string | null;
}

/** Generic velocity space: each in [-1, 1]. */
export interface PtzVelocity {
  pan: number;
  tilt: number;
  zoom: number;
}

export interface PtzPresetInfo {
  token: string;
  name: string;
}

export interface PtzPosition {
  /** Generic position space: pan and tilt in [-1, 1], zoom in [0, 1]; null when the device does not say. */
  pan: number | null;
  tilt: number | null;
  zoom: number | null;
  /** null when the device does not report its move status. */
  moving: boolean | null;
}

export interface PtzDevice {
  readonly profileToken: string;
  /** From the PTZ node; null when the device does not say. */
  readonly homeSupported: boolean | null;
  readonly maxPresets: number | null;
  continuousMove(v: PtzVelocity, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
  presets(): Promise<PtzPresetInfo[]>;
  gotoPreset(token: string): Promise<void>;
  /** Saves the current position under `name` (a new preset, or `token`'s); returns the preset's token. */
  setPreset(name: string, token?: string): Promise<string>;
  removePreset(token: string): Promise<void>;
  gotoHome(): Promise<void>;
  setHome(): Promise<void>;
  status(): Promise<PtzPosition>;
  /** Ends the session: open requests are cancelled and the socket closed. */
  close(): Promise<void>;
}

export interface PtzConnector {
  /** Finds the PTZ service and a profile with PTZ; OnvifError 'unsupported' when the camera has none. */
  connect(target: PtzTarget): Promise<PtzDevice>;
}

export interface PtzOptions {
  /** Limit for one request: a camera that takes longer to take a move is not steerable. */
  requestTimeoutMs: number;
  /** Limit for finding the service and profile when a session starts. */
  connectTimeoutMs: number;
  maxResponseBytes: number;
  /** More presets than this are refused rather than shown. */
  maxPresets: number;
  nowMs: () => number;
}

export const DEFAULT_PTZ_OPTIONS: PtzOptions = {
  requestTimeoutMs: 3_000,
  connectTimeoutMs: 8_000,
  maxResponseBytes: 1024 * 1024,
  maxPresets: 256,
  nowMs: () => Date.now(),
};

const DEVICE = (name: string): Operation => ({ service: 'device', name });
const MEDIA = (name: string): Operation => ({ service: 'media', name });
const PTZ = (name: string): Operation => ({ service: 'ptz', name });

/** A number for a request: finite, clamped to the range, at most 4 decimals. */
function num(v: number, lo: number, hi: number): string {
  const n = Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : 0;
  return String(Math.round(n * 10_000) / 10_000);
}

/** xs:duration in seconds, e.g. PT1.5S. */
export function durationOf(ms: number): string {
  return `PT${Math.max(0.001, Math.round(ms) / 1000)}S`;
}

function attrNumber(el: XmlElement | undefined, name: string): number | null {
  const raw = el?.attrs[name];
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

/** A token from the device: short and printable, or refused. */
function token(raw: string | undefined): string | null {
  const t = (raw ?? '').trim();
  // eslint-disable-next-line no-control-regex -- a token with control characters is not used
  return t && t.length <= 64 && !/[\u0000-\u001f\u007f]/.test(t) ? t : null;
}

async function services(session: SoapSession, device: URL): Promise<{ media: URL | undefined; ptz: URL | undefined }> {
  let media = '';
  let ptz = '';
  try {
    const caps = await session.call(DEVICE('GetCapabilities'), '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>');
    media = textOf(path(caps, 'Capabilities', 'Media', 'XAddr'));
    ptz = textOf(path(caps, 'Capabilities', 'PTZ', 'XAddr'));
  } catch (e) {
    if (!(e instanceof OnvifFaultError)) throw e;
  }
  if (!media || !ptz) {
    // Newer devices may answer only GetServices (ONVIF Core: GetCapabilities is deprecated).
    try {
      const list = await session.call(DEVICE('GetServices'), '<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>');
      const of = (ns: string) => textOf(child(childrenNamed(list, 'Service').find((s) => textOf(child(s, 'Namespace')) === ns), 'XAddr'));
      media ||= of('http://www.onvif.org/ver10/media/wsdl');
      ptz ||= of(PTZ_NAMESPACE);
    } catch (e) {
      if (!(e instanceof OnvifFaultError)) throw e;
    }
  }
  return { media: media ? serviceAddress(media, device) : undefined, ptz: ptz ? serviceAddress(ptz, device) : undefined };
}

/** The profile to steer with: the streamed one if it carries PTZ, else the first that does. */
function ptzProfile(profiles: XmlElement, preferred: string | null): { token: string; nodeToken: string | null } | undefined {
  const withPtz = childrenNamed(profiles, 'Profiles')
    .map((p) => ({ token: token(p.attrs.token), config: child(p, 'PTZConfiguration') }))
    .filter((p): p is { token: string; config: XmlElement } => p.token !== null && p.config !== undefined);
  const chosen = withPtz.find((p) => p.token === preferred) ?? withPtz[0];
  return chosen && { token: chosen.token, nodeToken: token(textOf(child(chosen.config, 'NodeToken'))) };
}

class OnvifPtzDevice implements PtzDevice {
  homeSupported: boolean | null = null;
  maxPresets: number | null = null;

  constructor(
    private readonly session: SoapSession,
    private readonly transport: HttpTransport,
    private readonly controller: AbortController,
    private readonly ptzUrl: URL,
    readonly profileToken: string,
    private readonly password: string,
    private readonly opts: PtzOptions,
  ) {}

  private call(name: string, inner = ''): Promise<XmlElement> {
    return this.session.call(PTZ(name), `<tptz:${name}><tptz:ProfileToken>${escapeXml(this.profileToken)}</tptz:ProfileToken>${inner}</tptz:${name}>`, true, this.ptzUrl);
  }

  async readNode(nodeToken: string | null): Promise<void> {
    try {
      const answer = nodeToken
        ? await this.session.call(PTZ('GetNode'), `<tptz:GetNode><tptz:NodeToken>${escapeXml(nodeToken)}</tptz:NodeToken></tptz:GetNode>`, true, this.ptzUrl)
        : await this.session.call(PTZ('GetNodes'), '<tptz:GetNodes/>', true, this.ptzUrl);
      const node = findFirst(answer, 'PTZNode');
      const home = textOf(child(node, 'HomeSupported'));
      this.homeSupported = home === 'true' ? true : home === 'false' ? false : null;
      const max = Number(textOf(child(node, 'MaximumNumberOfPresets')));
      this.maxPresets = Number.isInteger(max) && max >= 0 && max <= 100_000 ? max : null;
    } catch (e) {
      // What the node says is a hint for the screens; a device that faults it can still be steered.
      if (!(e instanceof OnvifFaultError)) throw e;
    }
  }

  async continuousMove(v: PtzVelocity, timeoutMs: number): Promise<void> {
    await this.call(
      'ContinuousMove',
      `<tptz:Velocity><tt:PanTilt x="${num(v.pan, -1, 1)}" y="${num(v.tilt, -1, 1)}"/><tt:Zoom x="${num(v.zoom, -1, 1)}"/></tptz:Velocity>` +
        `<tptz:Timeout>${durationOf(timeoutMs)}</tptz:Timeout>`,
    );
  }

  async stop(): Promise<void> {
    await this.call('Stop', '<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom>');
  }

  async presets(): Promise<PtzPresetInfo[]> {
    const all = childrenNamed(await this.call('GetPresets'), 'Preset');
    if (all.length > this.opts.maxPresets) {
      throw new OnvifError('unsupported', `The camera reports ${all.length} presets; the console reads at most ${this.opts.maxPresets}.`);
    }
    const seen = new Set<string>();
    const out: PtzPresetInfo[] = [];
    for (const p of all) {
      const t = token(p.attrs.token);
      if (!t || seen.has(t)) continue;
      seen.add(t);
      out.push({ token: t, name: deviceText(textOf(child(p, 'Name')), this.password, 64) || t });
    }
    return out;
  }

  async gotoPreset(presetToken: string): Promise<void> {
    await this.call('GotoPreset', `<tptz:PresetToken>${escapeXml(presetToken)}</tptz:PresetToken>`);
  }

  async setPreset(name: string, presetToken?: string): Promise<string> {
    const answer = await this.call(
      'SetPreset',
      `<tptz:PresetName>${escapeXml(name)}</tptz:PresetName>${presetToken ? `<tptz:PresetToken>${escapeXml(presetToken)}</tptz:PresetToken>` : ''}`,
    );
    const t = token(textOf(child(answer, 'PresetToken'))) ?? (presetToken || null);
    if (!t) throw new OnvifError('malformed', 'The camera saved the preset but did not say its token.');
    return t;
  }

  async removePreset(presetToken: string): Promise<void> {
    await this.call('RemovePreset', `<tptz:PresetToken>${escapeXml(presetToken)}</tptz:PresetToken>`);
  }

  async gotoHome(): Promise<void> {
    await this.call('GotoHomePosition');
  }

  async setHome(): Promise<void> {
    await this.call('SetHomePosition');
  }

  async status(): Promise<PtzPosition> {
    const s = child(await this.call('GetStatus'), 'PTZStatus');
    const pt = path(s, 'Position', 'PanTilt');
    const move = child(s, 'MoveStatus');
    const states = [textOf(child(move, 'PanTilt')), textOf(child(move, 'Zoom')), textOf(move)].filter(Boolean);
    return {
      pan: attrNumber(pt, 'x'),
      tilt: attrNumber(pt, 'y'),
      zoom: attrNumber(path(s, 'Position', 'Zoom'), 'x'),
      moving: states.length ? states.includes('MOVING') : null,
    };
  }

  async close(): Promise<void> {
    this.controller.abort(new OnvifError('timeout', 'The PTZ session has ended.'));
    await this.transport.close();
  }
}

export function createPtzConnector(overrides: Partial<PtzOptions> = {}): PtzConnector {
  const opts: PtzOptions = { ...DEFAULT_PTZ_OPTIONS, ...overrides };
  return {
    async connect(target) {
      const device = deviceAddress(target.xaddr);
      const controller = new AbortController();
      const transport = new HttpTransport(controller.signal, { requestTimeoutMs: opts.requestTimeoutMs, maxResponseBytes: opts.maxResponseBytes, maxSockets: 2 });
      const giveUp = setTimeout(() => {
        controller.abort(new OnvifError('timeout', `The camera did not finish answering within ${opts.connectTimeoutMs / 1000} s (${transport.answered} requests answered).`));
      }, opts.connectTimeoutMs);
      const session = new SoapSession({ deviceUrl: device, username: target.username, password: target.password, transport, nowMs: opts.nowMs });
      try {
        await session.readClock();
        const { media, ptz } = await services(session, device);
        if (!ptz) throw new OnvifError('unsupported', 'The camera offers no ONVIF PTZ (pan-tilt-zoom) service.');
        if (!media) throw new OnvifError('unsupported', 'The camera offers no ONVIF media service, so no profile to steer with.');
        const profile = ptzProfile(await session.call(MEDIA('GetProfiles'), '<trt:GetProfiles/>', true, media), target.profileToken);
        if (!profile) throw new OnvifError('unsupported', 'No media profile of the camera has a PTZ configuration.');
        const dev = new OnvifPtzDevice(session, transport, controller, ptz, profile.token, target.password, opts);
        await dev.readNode(profile.nodeToken);
        return dev;
      } catch (e) {
        controller.abort(new OnvifError('timeout', 'The PTZ connection was given up.'));
        await transport.close();
        if (e instanceof OnvifError) throw e;
        throw new OnvifError('malformed', `The camera's answers could not be read (${e instanceof Error ? e.name : 'error'}).`);
      } finally {
        clearTimeout(giveUp);
      }
    },
  };
}
