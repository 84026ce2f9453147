import onvif from 'node-onvif';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from './client';

function soap(body: string, user?: string, password?: string): string {
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
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

async function post(url: string, xml: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: xml });
  return { status: res.status, text: await res.text() };
}

describe('ONVIF device/media service', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 3, user: 'onvifuser', password: 'pa55', faultyOnvif: [3] });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('node-onvif init() succeeds; profiles, stream and snapshot URIs are right', async () => {
    const cam = sim.cameras[1]!;
    const device = new onvif.OnvifDevice({ xaddr: cam.onvifUrl, user: cam.user, pass: cam.password });
    const info = await device.init();
    expect(info).toMatchObject({ Manufacturer: 'Operator Console', Model: 'CameraSim', SerialNumber: 'SIM-000002' });
    expect(device.getUdpStreamUrl()).toBe(cam.rtspMain);
    expect(device.getUdpStreamUrl()).not.toMatch(/@/); // no credentials in the URI
    const profiles = device.getProfileList();
    expect(profiles.map((p) => [p.name, p.stream.rtsp])).toEqual([
      ['main', cam.rtspMain],
      ['sub', cam.rtspSub],
    ]);
    expect(profiles[0]!.video.encoder).toMatchObject({ resolution: { width: 1280, height: 720 }, framerate: 25, encoding: 'H264' });
    expect(profiles[1]!.video.encoder).toMatchObject({ resolution: { width: 640, height: 360 }, framerate: 25, encoding: 'H264' });
    expect(profiles[0]!.video.source?.bounds).toEqual({ width: 1280, height: 720, x: 0, y: 0 });
    device.changeProfile('Profile_sub');
    expect(device.getUdpStreamUrl()).toBe(cam.rtspSub);
    const snap = await device.fetchSnapshot(); // HTTP digest
    expect(snap.headers['content-type']).toBe('image/jpeg');
    expect(snap.body.subarray(0, 2).toString('hex')).toBe('ffd8');
  });

  it('rejects a wrong password with a ter:NotAuthorized SOAP fault', async () => {
    const cam = sim.cameras[0]!;
    const device = new onvif.OnvifDevice({ xaddr: cam.onvifUrl, user: cam.user, pass: 'nope' });
    await expect(device.init()).rejects.toThrow(/Unauthorized|not authorized/i);
    const res = await post(cam.onvifUrl, soap('<tds:GetDeviceInformation/>', cam.user, 'nope'));
    expect([400, 401]).toContain(res.status);
    expect(res.text).toMatch(/<s:Value>ter:NotAuthorized<\/s:Value>/);
    const anonymous = await post(cam.onvifUrl, soap('<tds:GetDeviceInformation/>'));
    expect(anonymous.text).toMatch(/ter:NotAuthorized/);
  });

  it('answers GetSystemDateAndTime without credentials and GetStreamUri per profile', async () => {
    const cam = sim.cameras[0]!;
    const t = await post(cam.onvifUrl, soap('<tds:GetSystemDateAndTime/>'));
    expect(t.status).toBe(200);
    expect(t.text).toContain(`<tt:Year>${new Date().getUTCFullYear()}</tt:Year>`);
    const media = cam.onvifUrl.replace('device_service', 'media_service');
    const uri = await post(
      media,
      soap('<trt:GetStreamUri><trt:StreamSetup><tt:Stream xmlns:tt="http://www.onvif.org/ver10/schema">RTP-Unicast</tt:Stream><tt:Transport xmlns:tt="http://www.onvif.org/ver10/schema"><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>Profile_sub</trt:ProfileToken></trt:GetStreamUri>', cam.user, cam.password),
    );
    expect(uri.text).toContain(`<tt:Uri>${cam.rtspSub}</tt:Uri>`);
    const http = await post(
      media,
      soap('<trt:GetStreamUri><trt:StreamSetup><tt:Stream xmlns:tt="http://www.onvif.org/ver10/schema">RTP-Unicast</tt:Stream><tt:Transport xmlns:tt="http://www.onvif.org/ver10/schema"><tt:Protocol>HTTP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>Profile_sub</trt:ProfileToken></trt:GetStreamUri>', cam.user, cam.password),
    );
    expect(http.status).toBe(400);
    expect(http.text).toContain('ter:InvalidStreamSetup');
    const services = await post(cam.onvifUrl, soap('<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>'));
    expect(services.text).toContain('http://www.onvif.org/ver10/media/wsdl');
  });

  it('a camera configured with --faulty-onvif answers SOAP faults for everything', async () => {
    const cam = sim.cameras[2]!;
    const device = new onvif.OnvifDevice({ xaddr: cam.onvifUrl, user: cam.user, pass: cam.password });
    await expect(device.init()).rejects.toThrow();
    const res = await post(cam.onvifUrl, soap('<tds:GetSystemDateAndTime/>'));
    expect(res.status).toBe(500);
    expect(res.text).toMatch(/<s:Fault>.*ter:ActionFailed/s);
  });
});
