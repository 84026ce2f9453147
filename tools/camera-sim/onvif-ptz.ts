// ONVIF PTZ service (ver20) of a simulated camera started with PTZ: ContinuousMove with velocities
// and a timeout, Stop, AbsoluteMove, RelativeMove, presets (GetPresets, SetPreset, GotoPreset,
// RemovePreset), home (GotoHomePosition, SetHomePosition), GetStatus, and the node and
// configuration a client reads first. Positions and velocities are ONVIF's generic spaces: pan and
// tilt in [-1, 1], zoom in [0, 1], velocities in [-1, 1].
//
// The camera's state is a motion segment (position p0 at time t0, velocity v in units per second,
// until tEnd): GetStatus evaluates it here, and the media server evaluates the same segment at
// each frame's capture time to draw the window (ptz_scene.py). Moves to a position (absolute,
// relative, preset, home) are immediate: the next frame shows the new window.
import { SoapFault, escapeXml, tag, unescapeXml } from './soap';

export const PTZ_PATH = '/onvif/ptz_service';
export const PTZ_NAMESPACE = 'http://www.onvif.org/ver20/ptz/wsdl';
/** Velocity 1 pans or tilts 1 unit a second (the whole range in 2 s); zoom velocity 1 zooms 0.5 a second. */
export const PAN_TILT_UNITS_PER_S = 1;
export const ZOOM_UNITS_PER_S = 0.5;
/** A ContinuousMove without a Timeout stops after this (the configuration's DefaultPTZTimeout). */
export const DEFAULT_MOVE_TIMEOUT_MS = 5_000;
export const MAX_PRESETS = 32;
export const PRESET_NAME_MAX = 64;

export type Vec3 = [pan: number, tilt: number, zoom: number];

export interface PtzSegment {
  p0: Vec3;
  /** Units per second. */
  v: Vec3;
  t0: number;
  tEnd: number | null;
}

interface Preset {
  token: string;
  name: string;
  position: Vec3;
}

const LIMITS: readonly (readonly [number, number])[] = [
  [-1, 1],
  [-1, 1],
  [0, 1],
];
const SPACE = {
  panTiltPosition: 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace',
  zoomPosition: 'http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace',
  panTiltVelocity: 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace',
  zoomVelocity: 'http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace',
  panTiltTranslation: 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace',
  zoomTranslation: 'http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace',
  panTiltSpeed: 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace',
  zoomSpeed: 'http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace',
};
const PROFILE_TOKENS = new Set(['Profile_main', 'Profile_sub']);
export const PTZ_ACTIONS = new Set([
  'GetServiceCapabilities', 'GetNodes', 'GetNode', 'GetConfigurations', 'GetConfiguration', 'GetStatus', 'ContinuousMove', 'Stop',
  'AbsoluteMove', 'RelativeMove', 'GetPresets', 'SetPreset', 'RemovePreset', 'GotoPreset', 'GotoHomePosition', 'SetHomePosition',
]);

const clamp = (v: number, [lo, hi]: readonly [number, number]): number => Math.min(hi, Math.max(lo, v));
const invalid = (code: string, reason: string) => new SoapFault(400, 'Sender', ['ter:InvalidArgVal', `ter:${code}`], reason);

/** Position of a segment at time t (per axis, clamped to its range). */
export function positionAt(s: PtzSegment, tMs: number): Vec3 {
  const t = s.tEnd === null ? tMs : Math.min(tMs, s.tEnd);
  const dt = Math.max(0, (t - s.t0) / 1000);
  return [0, 1, 2].map((i) => clamp(s.p0[i]! + s.v[i]! * dt, LIMITS[i]!)) as Vec3;
}

/** xs:duration as ONVIF uses it (PT1S, PT0.5S, PT1M30S, P1DT2H); undefined when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [d, h, mi, s] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) as [number, number, number, number];
  return Math.round(((d * 24 + h) * 60 + mi) * 60_000 + s * 1000);
}

/** The x (and y) attributes of the first `<PanTilt .../>` or `<Zoom .../>` inside `xml`. */
function vector(xml: string | undefined, local: 'PanTilt' | 'Zoom', fault: string): { x: number; y: number } | undefined {
  if (xml === undefined) return undefined;
  const m = new RegExp(`<(?:[\\w.-]+:)?${local}\\b([^>]*?)/?>`).exec(xml);
  if (!m) return undefined;
  const attr = (name: string): number | undefined => {
    const a = new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`).exec(m[1] ?? '');
    if (!a) return undefined;
    const n = Number(a[1]);
    if (a[1]!.trim() === '' || !Number.isFinite(n)) throw invalid(fault, `${local} ${name} is not a number`);
    return n;
  };
  const x = attr('x');
  if (x === undefined) throw invalid(fault, `${local} has no x`);
  if (local === 'Zoom') return { x, y: 0 };
  const y = attr('y');
  if (y === undefined) throw invalid(fault, 'PanTilt has no y');
  return { x, y };
}

function fmt(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

function range(min: number, max: number): string {
  return `<tt:Min>${min}</tt:Min><tt:Max>${max}</tt:Max>`;
}

export function ptzConfigurationXml(element = 'tt:PTZConfiguration'): string {
  return (
    `<${element} token="PTZConfig_1"><tt:Name>PTZ</tt:Name><tt:UseCount>2</tt:UseCount><tt:NodeToken>PTZNode_1</tt:NodeToken>` +
    `<tt:DefaultAbsolutePantTiltPositionSpace>${SPACE.panTiltPosition}</tt:DefaultAbsolutePantTiltPositionSpace>` +
    `<tt:DefaultAbsoluteZoomPositionSpace>${SPACE.zoomPosition}</tt:DefaultAbsoluteZoomPositionSpace>` +
    `<tt:DefaultContinuousPanTiltVelocitySpace>${SPACE.panTiltVelocity}</tt:DefaultContinuousPanTiltVelocitySpace>` +
    `<tt:DefaultContinuousZoomVelocitySpace>${SPACE.zoomVelocity}</tt:DefaultContinuousZoomVelocitySpace>` +
    `<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="${SPACE.panTiltSpeed}"/><tt:Zoom x="1" space="${SPACE.zoomSpeed}"/></tt:DefaultPTZSpeed>` +
    `<tt:DefaultPTZTimeout>PT${DEFAULT_MOVE_TIMEOUT_MS / 1000}S</tt:DefaultPTZTimeout>` +
    `<tt:PanTiltLimits><tt:Range><tt:URI>${SPACE.panTiltPosition}</tt:URI><tt:XRange>${range(-1, 1)}</tt:XRange><tt:YRange>${range(-1, 1)}</tt:YRange></tt:Range></tt:PanTiltLimits>` +
    `<tt:ZoomLimits><tt:Range><tt:URI>${SPACE.zoomPosition}</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:Range></tt:ZoomLimits>` +
    `</${element}>`
  );
}

function nodeXml(element: string): string {
  const space = (name: string, uri: string, x: string, y?: string) =>
    `<tt:${name}><tt:URI>${uri}</tt:URI><tt:XRange>${x}</tt:XRange>${y ? `<tt:YRange>${y}</tt:YRange>` : ''}</tt:${name}>`;
  return (
    `<${element} token="PTZNode_1" FixedHomePosition="false"><tt:Name>PTZ</tt:Name><tt:SupportedPTZSpaces>` +
    space('AbsolutePanTiltPositionSpace', SPACE.panTiltPosition, range(-1, 1), range(-1, 1)) +
    space('AbsoluteZoomPositionSpace', SPACE.zoomPosition, range(0, 1)) +
    space('RelativePanTiltTranslationSpace', SPACE.panTiltTranslation, range(-2, 2), range(-2, 2)) +
    space('RelativeZoomTranslationSpace', SPACE.zoomTranslation, range(-1, 1)) +
    space('ContinuousPanTiltVelocitySpace', SPACE.panTiltVelocity, range(-1, 1), range(-1, 1)) +
    space('ContinuousZoomVelocitySpace', SPACE.zoomVelocity, range(-1, 1)) +
    `<tt:PanTiltSpeedSpace><tt:URI>${SPACE.panTiltSpeed}</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:PanTiltSpeedSpace>` +
    `<tt:ZoomSpeedSpace><tt:URI>${SPACE.zoomSpeed}</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:ZoomSpeedSpace>` +
    `</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>${MAX_PRESETS}</tt:MaximumNumberOfPresets>` +
    `<tt:HomeSupported>true</tt:HomeSupported></${element}>`
  );
}

function positionXml(p: Vec3, element = 'tt:Position'): string {
  return `<${element}><tt:PanTilt x="${fmt(p[0])}" y="${fmt(p[1])}" space="${SPACE.panTiltPosition}"/><tt:Zoom x="${fmt(p[2])}" space="${SPACE.zoomPosition}"/></${element}>`;
}

/** One camera's PTZ: state, presets and the SOAP operations. `apply` hands each new segment to the picture. */
export class SimulatedPtz {
  private segment: PtzSegment;
  private readonly presets = new Map<string, Preset>();
  private home: Vec3 = [0, 0, 0];
  private nextToken = 1;

  constructor(
    private readonly apply: (segment: PtzSegment) => Promise<void>,
    private readonly nowMs: () => number = () => Date.now(),
  ) {
    this.segment = { p0: [0, 0, 0], v: [0, 0, 0], t0: nowMs(), tEnd: null };
  }

  /** For the control API and tests. */
  state(): { position: Vec3; moving: boolean; segment: PtzSegment; presets: { token: string; name: string; position: Vec3 }[]; home: Vec3 } {
    const now = this.nowMs();
    return { position: this.position(now), moving: this.moving(now).some(Boolean), segment: this.segment, presets: [...this.presets.values()], home: this.home };
  }

  private position(now = this.nowMs()): Vec3 {
    return positionAt(this.segment, now);
  }

  private moving(now: number): [boolean, boolean] {
    const s = this.segment;
    if (s.tEnd !== null && now >= s.tEnd) return [false, false];
    const p = this.position(now);
    const axis = (i: number) => s.v[i] !== 0 && !(s.v[i]! > 0 ? p[i]! >= LIMITS[i]![1] : p[i]! <= LIMITS[i]![0]);
    return [axis(0) || axis(1), axis(2)];
  }

  private async set(segment: PtzSegment): Promise<void> {
    this.segment = segment;
    try {
      await this.apply(segment);
    } catch (e) {
      throw new SoapFault(500, 'Receiver', ['ter:Action', 'ter:ActionFailed'], `The picture did not follow: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private jump(p: Vec3): Promise<void> {
    return this.set({ p0: p.map((v, i) => clamp(v, LIMITS[i]!)) as Vec3, v: [0, 0, 0], t0: this.nowMs(), tEnd: null });
  }

  private static profile(xml: string): void {
    const token = tag(xml, 'ProfileToken');
    if (token === undefined || !PROFILE_TOKENS.has(token)) throw invalid('NoProfile', `No profile ${token ?? '(none)'}`);
  }

  private preset(xml: string): Preset {
    const token = unescapeXml(tag(xml, 'PresetToken') ?? '');
    const p = this.presets.get(token);
    if (!p) throw invalid('NoToken', `No preset ${token || '(none)'}`);
    return p;
  }

  /** The answer's body for a PTZ action (PTZ_ACTIONS). */
  async handle(action: string, xml: string): Promise<string> {
    switch (action) {
      case 'GetServiceCapabilities':
        return `<tptz:GetServiceCapabilitiesResponse><tptz:Capabilities EFlip="false" Reverse="false" GetCompatibleConfigurations="false" MoveStatus="true" StatusPosition="true"/></tptz:GetServiceCapabilitiesResponse>`;
      case 'GetNodes':
        return `<tptz:GetNodesResponse>${nodeXml('tptz:PTZNode')}</tptz:GetNodesResponse>`;
      case 'GetNode':
        if (tag(xml, 'NodeToken') !== 'PTZNode_1') throw invalid('NoEntity', 'No such PTZ node');
        return `<tptz:GetNodeResponse>${nodeXml('tptz:PTZNode')}</tptz:GetNodeResponse>`;
      case 'GetConfigurations':
        return `<tptz:GetConfigurationsResponse>${ptzConfigurationXml('tptz:PTZConfiguration')}</tptz:GetConfigurationsResponse>`;
      case 'GetConfiguration':
        if (tag(xml, 'PTZConfigurationToken') !== 'PTZConfig_1') throw invalid('NoConfig', 'No such PTZ configuration');
        return `<tptz:GetConfigurationResponse>${ptzConfigurationXml('tptz:PTZConfiguration')}</tptz:GetConfigurationResponse>`;
    }
    SimulatedPtz.profile(xml);
    const now = this.nowMs();
    switch (action) {
      case 'GetStatus': {
        const [pt, z] = this.moving(now);
        return (
          `<tptz:GetStatusResponse><tptz:PTZStatus>${positionXml(this.position(now))}<tt:MoveStatus><tt:PanTilt>${pt ? 'MOVING' : 'IDLE'}</tt:PanTilt>` +
          `<tt:Zoom>${z ? 'MOVING' : 'IDLE'}</tt:Zoom></tt:MoveStatus><tt:UtcTime>${new Date(now).toISOString()}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`
        );
      }
      case 'ContinuousMove': {
        const velocity = tag(xml, 'Velocity');
        const pt = vector(velocity, 'PanTilt', 'InvalidVelocity') ?? { x: 0, y: 0 };
        const z = vector(velocity, 'Zoom', 'InvalidVelocity') ?? { x: 0, y: 0 };
        if ([pt.x, pt.y, z.x].some((v) => Math.abs(v) > 1)) throw invalid('InvalidVelocity', 'Velocities are in [-1, 1]');
        const timeoutText = tag(xml, 'Timeout');
        const timeoutMs = timeoutText === undefined ? DEFAULT_MOVE_TIMEOUT_MS : parseDurationMs(timeoutText);
        if (timeoutMs === undefined || timeoutMs <= 0) throw invalid('InvalidArgVal', 'Timeout is not a positive xs:duration');
        await this.set({
          p0: this.position(now),
          v: [pt.x * PAN_TILT_UNITS_PER_S, pt.y * PAN_TILT_UNITS_PER_S, z.x * ZOOM_UNITS_PER_S],
          t0: now,
          tEnd: now + timeoutMs,
        });
        return '<tptz:ContinuousMoveResponse/>';
      }
      case 'Stop': {
        const stopPt = (tag(xml, 'PanTilt') ?? 'true') !== 'false';
        const stopZ = (tag(xml, 'Zoom') ?? 'true') !== 'false';
        const v = this.moving(now).some(Boolean) ? this.segment.v : ([0, 0, 0] as Vec3);
        await this.set({ p0: this.position(now), v: [stopPt ? 0 : v[0], stopPt ? 0 : v[1], stopZ ? 0 : v[2]], t0: now, tEnd: this.segment.tEnd });
        return '<tptz:StopResponse/>';
      }
      case 'AbsoluteMove': {
        const position = tag(xml, 'Position');
        const pt = vector(position, 'PanTilt', 'InvalidPosition');
        const z = vector(position, 'Zoom', 'InvalidPosition');
        const cur = this.position(now);
        const next: Vec3 = [pt?.x ?? cur[0], pt?.y ?? cur[1], z?.x ?? cur[2]];
        if (next.some((v, i) => v < LIMITS[i]![0] || v > LIMITS[i]![1])) throw invalid('InvalidPosition', 'Position out of range');
        await this.jump(next);
        return '<tptz:AbsoluteMoveResponse/>';
      }
      case 'RelativeMove': {
        const translation = tag(xml, 'Translation');
        const pt = vector(translation, 'PanTilt', 'InvalidTranslation') ?? { x: 0, y: 0 };
        const z = vector(translation, 'Zoom', 'InvalidTranslation') ?? { x: 0, y: 0 };
        const cur = this.position(now);
        await this.jump([cur[0] + pt.x, cur[1] + pt.y, cur[2] + z.x]);
        return '<tptz:RelativeMoveResponse/>';
      }
      case 'GetPresets':
        return `<tptz:GetPresetsResponse>${[...this.presets.values()]
          .map((p) => `<tptz:Preset token="${escapeXml(p.token)}"><tt:Name>${escapeXml(p.name)}</tt:Name>${positionXml(p.position, 'tt:PTZPosition')}</tptz:Preset>`)
          .join('')}</tptz:GetPresetsResponse>`;
      case 'SetPreset': {
        const nameText = tag(xml, 'PresetName');
        const name = nameText === undefined ? undefined : unescapeXml(nameText).trim();
        if (name !== undefined && (name === '' || name.length > PRESET_NAME_MAX)) throw invalid('InvalidPresetName', `A preset name has 1 to ${PRESET_NAME_MAX} characters`);
        const tokenText = tag(xml, 'PresetToken');
        const existing = tokenText === undefined ? undefined : this.preset(xml);
        if (name !== undefined && [...this.presets.values()].some((p) => p.name === name && p !== existing)) throw invalid('PresetExist', `A preset named ${name} exists`);
        if (!existing && this.presets.size >= MAX_PRESETS) throw new SoapFault(400, 'Receiver', ['ter:Action', 'ter:TooManyPresets'], `At most ${MAX_PRESETS} presets`);
        const token = existing?.token ?? String(this.nextToken++);
        this.presets.set(token, { token, name: name ?? existing?.name ?? `Preset ${token}`, position: this.position(now) });
        return `<tptz:SetPresetResponse><tptz:PresetToken>${escapeXml(token)}</tptz:PresetToken></tptz:SetPresetResponse>`;
      }
      case 'RemovePreset':
        this.presets.delete(this.preset(xml).token);
        return '<tptz:RemovePresetResponse/>';
      case 'GotoPreset':
        await this.jump(this.preset(xml).position);
        return '<tptz:GotoPresetResponse/>';
      case 'GotoHomePosition':
        await this.jump(this.home);
        return '<tptz:GotoHomePositionResponse/>';
      case 'SetHomePosition':
        this.home = this.position(now);
        return '<tptz:SetHomePositionResponse/>';
      default:
        throw new SoapFault(400, 'Sender', ['ter:InvalidArgVal', 'ter:ActionNotSupported'], `${action} is not supported by the simulator`);
    }
  }
}
