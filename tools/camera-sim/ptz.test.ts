// The simulator's PTZ camera: the ONVIF PTZ service is advertised only on cameras started with PTZ,
// its commands move the picture (read from the pixels with ptz-scene.ts, decoded from the real RTSP
// stream), a move without refresh stops at its timeout, and cameras without PTZ keep their picture.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PICTURE, startSimulator, type CameraInfo, type SimulatorHandle } from './client';
import { startFrameReader, type FrameReader, type I420Frame } from './frame-reader';
import { DEFAULT_MOVE_TIMEOUT_MS, parseDurationMs, PTZ_NAMESPACE } from './onvif-ptz';
import { readWindow, type WindowReading } from './ptz-scene';
import { sleep } from './test-helpers';

const W = 640;
const H = 360;
const TT = 'xmlns:tt="http://www.onvif.org/ver10/schema"';

function envelope(body: string, user?: string, password?: string): string {
  let header = '';
  if (user !== undefined) {
    const nonce = randomBytes(16);
    const created = new Date().toISOString();
    const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password ?? '')])).digest('base64');
    header =
      `<Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken>` +
      `<Username>${user}</Username><Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</Password>` +
      `<Nonce>${nonce.toString('base64')}</Nonce><Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${created}</Created>` +
      `</UsernameToken></Security>`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tptz="${PTZ_NAMESPACE}" ${TT}><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

async function call(cam: CameraInfo, body: string, path = cam.onvifUrl, signed = true): Promise<{ status: number; text: string }> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: signed ? envelope(body, cam.user, cam.password) : envelope(body) });
  return { status: res.status, text: await res.text() };
}

const ptzUrl = (cam: CameraInfo) => cam.onvifUrl.replace('device_service', 'ptz_service');
const P = '<tptz:ProfileToken>Profile_main</tptz:ProfileToken>';
const ptz = async (cam: CameraInfo, op: string, inner = '') => {
  const r = await call(cam, `<tptz:${op}>${P}${inner}</tptz:${op}>`, ptzUrl(cam));
  if (r.status !== 200) throw new Error(`${op}: HTTP ${r.status} ${r.text}`);
  return r.text;
};
const velocity = (pan: number, tilt: number, zoom: number, timeout = 'PT5S') =>
  `<tptz:Velocity><tt:PanTilt x="${pan}" y="${tilt}"/><tt:Zoom x="${zoom}"/></tptz:Velocity><tptz:Timeout>${timeout}</tptz:Timeout>`;
const position = (pan: number, tilt: number, zoom: number) => `<tptz:Position><tt:PanTilt x="${pan}" y="${tilt}"/><tt:Zoom x="${zoom}"/></tptz:Position>`;

describe('simulated PTZ camera', () => {
  let sim: SimulatorHandle;
  let reader: FrameReader;
  let fixed: FrameReader;
  let cam: CameraInfo;
  let plain: CameraInfo;
  const rtsp = (c: CameraInfo) => c.rtspMain.replace('rtsp://', `rtsp://${c.user}:${c.password}@`);
  /** Where the picture looks once a frame captured after now shows it. */
  const settled = async (r = reader): Promise<WindowReading> => {
    const after = Date.now() + 50;
    const f = await r.next((x) => (x.capturedAtMs ?? 0) > after, 5000);
    return readWindow(f.data, W, H);
  };

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, ptz: [2], size: SMALL_PICTURE });
    plain = sim.cameras[0]!;
    cam = sim.cameras[1]!;
    reader = startFrameReader(rtsp(cam), W, H);
    fixed = startFrameReader(rtsp(plain), W, H);
    await reader.next(() => true, 15_000);
    await fixed.next(() => true, 15_000);
  });
  afterAll(async () => {
    await reader?.stop();
    await fixed?.stop();
    await sim?.close();
  });

  it('advertises the PTZ service (capabilities, services, profiles) only on the camera started with PTZ', async () => {
    expect(cam.ptz).toBe(true);
    expect(plain.ptz).toBe(false);
    const caps = await call(cam, '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>', cam.onvifUrl, false);
    expect(caps.text).toContain(`<tt:PTZ><tt:XAddr>${ptzUrl(cam)}</tt:XAddr></tt:PTZ>`);
    expect((await call(cam, '<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>', cam.onvifUrl, false)).text).toContain(PTZ_NAMESPACE);
    expect((await call(cam, '<trt:GetProfiles/>')).text).toMatch(/<tt:PTZConfiguration token="PTZConfig_1">.*<tt:NodeToken>PTZNode_1<\/tt:NodeToken>/s);

    expect((await call(plain, '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>', plain.onvifUrl, false)).text).not.toContain('PTZ');
    expect((await call(plain, '<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>', plain.onvifUrl, false)).text).not.toContain(PTZ_NAMESPACE);
    expect((await call(plain, '<trt:GetProfiles/>')).text).not.toContain('PTZConfiguration');
    const refused = await call(plain, `<tptz:GetStatus>${P}</tptz:GetStatus>`);
    expect(refused.text).toContain('ter:ActionNotSupported');
    expect((await fetch(ptzUrl(plain), { method: 'POST', body: envelope(`<tptz:GetStatus>${P}</tptz:GetStatus>`) })).status).toBe(404);
  });

  it('PTZ calls need the credentials like every other call', async () => {
    const r = await call(cam, `<tptz:GetStatus>${P}</tptz:GetStatus>`, ptzUrl(cam), false);
    expect(r.status).toBe(401);
    expect(r.text).toContain('ter:NotAuthorized');
  });

  it('a continuous move pans the picture until Stop; the picture then stays', async () => {
    await ptz(cam, 'AbsoluteMove', position(-0.5, 0, 0));
    const before = await settled();
    expect(before.pan).toBeCloseTo(-0.5, 1);
    await ptz(cam, 'ContinuousMove', velocity(0.5, 0, 0));
    await sleep(600);
    await ptz(cam, 'Stop', '<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom>');
    const stopped = await settled();
    // about 0.3 units at 0.5 units a second for 0.6 s, whatever the call overheads
    expect(stopped.pan - before.pan).toBeGreaterThan(0.2);
    expect(stopped.pan - before.pan).toBeLessThan(0.6);
    expect(Math.abs(stopped.tilt - before.tilt)).toBeLessThan(0.03);
    await sleep(400);
    const later = await settled();
    expect(Math.abs(later.pan - stopped.pan)).toBeLessThan(0.02);
    const status = await ptz(cam, 'GetStatus');
    expect(status).toContain('<tt:PanTilt>IDLE</tt:PanTilt>');
    const state = await sim.ptzState(2);
    expect(Math.abs(state.position[0] - later.pan)).toBeLessThan(0.03);
  });

  it('zooming in narrows the window; absolute moves put it where asked (read from the pixels)', async () => {
    for (const [p, t, z] of [
      [0.5, -0.5, 0.5],
      [-1, 1, 1],
      [0, 0, 0],
    ] as const) {
      await ptz(cam, 'AbsoluteMove', position(p, t, z));
      const r = await settled();
      expect(r.pan).toBeCloseTo(p, 1);
      expect(r.tilt).toBeCloseTo(t, 1);
      expect(r.zoom).toBeCloseTo(z, 1);
    }
    await ptz(cam, 'ContinuousMove', velocity(0, 0, 1));
    await sleep(500);
    await ptz(cam, 'Stop');
    expect((await settled()).zoom).toBeGreaterThan(0.15);
  });

  it('a move nobody refreshes stops at its timeout (the camera never keeps spinning)', async () => {
    await ptz(cam, 'AbsoluteMove', position(-0.8, 0, 0));
    await ptz(cam, 'ContinuousMove', velocity(1, 0, 0, 'PT0.4S'));
    expect(await ptz(cam, 'GetStatus')).toContain('<tt:PanTilt>MOVING</tt:PanTilt>');
    await sleep(700);
    const a = await settled();
    await sleep(300);
    const b = await settled();
    expect(a.pan).toBeGreaterThan(-0.6); // it moved about 0.4
    expect(a.pan).toBeLessThan(-0.2);
    expect(Math.abs(b.pan - a.pan)).toBeLessThan(0.02);
    expect(await ptz(cam, 'GetStatus')).toContain('<tt:PanTilt>IDLE</tt:PanTilt>');
  });

  it('presets: saved with a name, listed, gone to, removed; names are unique; home can be set and gone to', async () => {
    await ptz(cam, 'AbsoluteMove', position(0.6, 0.4, 0.3));
    const token = /<tptz:PresetToken>([^<]+)</.exec(await ptz(cam, 'SetPreset', '<tptz:PresetName>Gate &amp; car park</tptz:PresetName>'))?.[1];
    expect(token).toBeTruthy();
    expect(await ptz(cam, 'GetPresets')).toContain('<tt:Name>Gate &amp; car park</tt:Name>');
    const dup = await call(cam, `<tptz:SetPreset>${P}<tptz:PresetName>Gate &amp; car park</tptz:PresetName></tptz:SetPreset>`, ptzUrl(cam));
    expect(dup.text).toContain('ter:PresetExist');
    await ptz(cam, 'AbsoluteMove', position(-0.6, -0.4, 0));
    await ptz(cam, 'GotoPreset', `<tptz:PresetToken>${token}</tptz:PresetToken>`);
    const there = await settled();
    expect(there.pan).toBeCloseTo(0.6, 1);
    expect(there.tilt).toBeCloseTo(0.4, 1);
    expect(there.zoom).toBeCloseTo(0.3, 1);
    await ptz(cam, 'RemovePreset', `<tptz:PresetToken>${token}</tptz:PresetToken>`);
    expect((await call(cam, `<tptz:GotoPreset>${P}<tptz:PresetToken>${token}</tptz:PresetToken></tptz:GotoPreset>`, ptzUrl(cam))).text).toContain('ter:NoToken');

    await ptz(cam, 'AbsoluteMove', position(-0.3, 0.2, 0.1));
    await ptz(cam, 'SetHomePosition');
    await ptz(cam, 'AbsoluteMove', position(0.9, -0.9, 0.9));
    await ptz(cam, 'GotoHomePosition');
    const home = await settled();
    expect(home.pan).toBeCloseTo(-0.3, 1);
    expect(home.tilt).toBeCloseTo(0.2, 1);
  });

  it('refuses bad requests with ONVIF faults', async () => {
    expect((await call(cam, `<tptz:ContinuousMove>${P}${velocity(2, 0, 0)}</tptz:ContinuousMove>`, ptzUrl(cam))).text).toContain('ter:InvalidVelocity');
    expect((await call(cam, `<tptz:AbsoluteMove>${P}${position(0, 0, 1.5)}</tptz:AbsoluteMove>`, ptzUrl(cam))).text).toContain('ter:InvalidPosition');
    expect((await call(cam, `<tptz:GetStatus><tptz:ProfileToken>nope</tptz:ProfileToken></tptz:GetStatus>`, ptzUrl(cam))).text).toContain('ter:NoProfile');
    expect((await call(cam, `<tptz:ContinuousMove>${P}${velocity(0.1, 0, 0, 'soon')}</tptz:ContinuousMove>`, ptzUrl(cam))).status).toBe(400);
    expect(parseDurationMs('PT0.5S')).toBe(500);
    expect(parseDurationMs('PT1M30S')).toBe(90_000);
    expect(parseDurationMs('PT')).toBeUndefined();
    expect(DEFAULT_MOVE_TIMEOUT_MS).toBeGreaterThan(0);
  });

  it('the camera without PTZ keeps its own picture (colour bars), whatever the PTZ camera does', async () => {
    const frame: I420Frame = await fixed.next((f) => f.capturedAtMs !== null, 5000);
    // colour bars: the U plane has the bars' own few values, not a ramp
    const u = frame.data.subarray(W * H, W * H + (W / 2) * (H / 2));
    const row = u.subarray((H / 4) * (W / 2), (H / 4 + 1) * (W / 2));
    expect(new Set(row).size).toBeLessThan(24);
  });
});
