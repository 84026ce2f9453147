// Field fault 1 (docs/design/onvif.md): a device that accepts only HTTP Digest on its SOAP service
// could not be added, and the console said the password was wrong although it was right. The
// client now answers the challenge, combines it with or replaces WS-UsernameToken as the device
// demands, and says in the error what the device demanded.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { createOnvifClient, OnvifError } from './onvif';
import { MESSAGES } from './onvif-soap';
import { startResponder, type OnvifResponder, type ResponderConfig } from './testing/onvif-responder';

const PASSWORD = 'Digest:pa55@word"#%';
let device: OnvifResponder | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

async function start(cfg: Partial<ResponderConfig>): Promise<OnvifResponder> {
  device = await startResponder({ user: 'operator', password: PASSWORD, channels: 2, ...cfg });
  return device;
}

async function failure(p: Promise<unknown>): Promise<OnvifError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OnvifError);
  const e = err as OnvifError;
  expect(e.message).not.toContain(PASSWORD);
  return e;
}

const client = createOnvifClient({ requestTimeoutMs: 3000, probeTimeoutMs: 8000 });

describe('ONVIF: a device that accepts only HTTP Digest on its SOAP service', () => {
  it('is read with the right password (the Digest challenge is answered, MD5)', async () => {
    const d = await start({ auth: 'digest', digestAlgorithms: ['MD5'] });
    const info = await client.probe(d.deviceUrl, 'operator', PASSWORD);
    expect(info.manufacturer).toBe('Responder & Co');
    expect(info.profiles.map((p) => [p.token, p.width, p.height, p.rtspUrl])).toEqual([
      ['ch1_main', 1920, 1080, 'rtsp://127.0.0.1:554/Streaming/Channels/101'],
      ['ch1_sub', 640, 360, 'rtsp://127.0.0.1:554/Streaming/Channels/102'],
      ['ch2_main', 1920, 1080, 'rtsp://127.0.0.1:554/Streaming/Channels/201'],
      ['ch2_sub', 640, 360, 'rtsp://127.0.0.1:554/Streaming/Channels/202'],
    ]);
    // One challenge, then the nonce is reused with a rising count: no second round trip per call.
    const signed = d.calls.filter((c) => c.action !== 'GetSystemDateAndTime');
    expect(signed.filter((c) => !c.digest)).toHaveLength(1);
    expect(signed.slice(1).every((c) => c.digest === 'MD5')).toBe(true);
  });

  it('the responder reproduces the field fault: node-onvif, sending only WS-UsernameToken, is refused', async () => {
    const d = await start({ auth: 'digest' });
    const nodeOnvif = createRequire(import.meta.url)('node-onvif') as {
      OnvifDevice: new (o: { xaddr: string; user: string; pass: string }) => { init(): Promise<unknown> };
    };
    await expect(new nodeOnvif.OnvifDevice({ xaddr: d.deviceUrl, user: 'operator', pass: PASSWORD }).init()).rejects.toThrow(/401|Unauthorized/);
    expect(d.calls.some((c) => c.digest)).toBe(false);
  });

  it('uses SHA-256 when the device offers it beside MD5, and SHA-256 alone works', async () => {
    const both = await start({ auth: 'digest', digestAlgorithms: ['MD5', 'SHA-256'] });
    await client.probe(both.deviceUrl, 'operator', PASSWORD);
    expect(new Set(both.calls.filter((c) => c.digest).map((c) => c.digest))).toEqual(new Set(['SHA-256']));
    await both.close();
    const sha = await start({ auth: 'digest', digestAlgorithms: ['SHA-256'] });
    const info = await client.probe(sha.deviceUrl, 'operator', PASSWORD);
    expect(info.profiles).toHaveLength(4);
  });

  it('answers a new challenge when the nonce goes stale in the middle of the read', async () => {
    const d = await start({ auth: 'digest', digestNonceUses: 2, channels: 4 });
    const info = await client.probe(d.deviceUrl, 'operator', PASSWORD);
    expect(info.profiles.every((p) => p.rtspUrl?.startsWith('rtsp://'))).toBe(true);
  });

  it('a user name outside ASCII is sent as username* (RFC 7616) and accepted', async () => {
    const d = await start({ auth: 'digest', user: 'operátor-łódź' });
    expect((await client.probe(d.deviceUrl, 'operátor-łódź', PASSWORD)).profiles).toHaveLength(4);
  });

  it('says the device requires HTTP Digest and refused the credentials when the password is wrong', async () => {
    const d = await start({ auth: 'digest' });
    const e = await failure(client.probe(d.deviceUrl, 'operator', 'wrong-password'));
    expect([e.kind, e.message]).toEqual(['auth', MESSAGES.digestRefused]);
  });

  it('a device demanding both Digest and WS-UsernameToken gets both, and names Digest when refusing', async () => {
    const d = await start({ auth: 'both', digestAlgorithms: ['SHA-256'] });
    await client.probe(d.deviceUrl, 'operator', PASSWORD);
    const streamCalls = d.callsOf('GetStreamUri');
    expect(streamCalls.length).toBe(4);
    expect(streamCalls.every((c) => c.digest === 'SHA-256' && c.token)).toBe(true);
    const e = await failure(client.probe(d.deviceUrl, 'operator', 'wrong-password'));
    expect([e.kind, e.message]).toEqual(['auth', MESSAGES.digestRefused]);
  });

  it('a Digest device that refuses a WS-UsernameToken beside Digest is read with Digest alone', async () => {
    const d = await start({ auth: 'digest', refuseTokenWithDigest: true });
    const info = await client.probe(d.deviceUrl, 'operator', PASSWORD);
    expect(info.profiles).toHaveLength(4);
    expect(d.callsOf('GetStreamUri').every((c) => c.digest && !c.token)).toBe(true);
  });

  it('a device accepting either scheme is read with WS-UsernameToken and never challenged', async () => {
    const d = await start({ auth: 'either' });
    await client.probe(d.deviceUrl, 'operator', PASSWORD);
    expect(d.calls.every((c) => !c.digest)).toBe(true);
  });

  it('a WS-UsernameToken-only device that refuses the password is reported as refusing the WS-UsernameToken', async () => {
    const d = await start({ auth: 'token' });
    const e = await failure(client.probe(d.deviceUrl, 'operator', 'wrong-password'));
    expect([e.kind, e.message]).toEqual(['auth', MESSAGES.tokenRefused]);
    // One clock re-read and one retry, not a loop.
    expect(d.callsOf('GetDeviceInformation')).toHaveLength(2);
  });

  it('without a user name, a device that demands one says so instead of "wrong password"', async () => {
    for (const auth of ['digest', 'token'] as const) {
      const d = await start({ auth });
      const e = await failure(client.probe(d.deviceUrl, '', ''));
      expect([e.kind, e.message]).toEqual(['auth', MESSAGES.credentialsNeeded]);
      await d.close();
    }
  });

  it('a device demanding HTTP Basic over plain HTTP is never sent the password, and the error says why', async () => {
    const d = await start({ auth: 'basic' });
    const e = await failure(client.probe(d.deviceUrl, 'operator', PASSWORD));
    expect([e.kind, e.message]).toEqual(['unsupported', MESSAGES.basicOverHttp]);
    expect(d.calls.some((c) => c.basic)).toBe(false);
  });

  it('never claims a wrong password for a fault, or for an account that lacks rights', async () => {
    const faulty = await start({ auth: 'digest', faults: { GetDeviceInformation: { status: 500, codes: ['s:Receiver', 'ter:Action', 'ter:ActionFailed'], reason: 'Internal error' } } });
    const e1 = await failure(client.probe(faulty.deviceUrl, 'operator', PASSWORD));
    expect(e1.kind).toBe('fault');
    expect(e1.message).toBe('The device answered GetDeviceInformation with a SOAP fault (Receiver/Action/ActionFailed): Internal error.');
    await faulty.close();
    const noRights = await start({ auth: 'digest', faults: { GetStreamUri: { status: 400, codes: ['s:Sender', 'ter:NotAuthorized'], reason: 'Sender not authorized' } } });
    const e2 = await failure(client.probe(noRights.deviceUrl, 'operator', PASSWORD));
    expect(e2.kind).toBe('forbidden');
    expect(e2.message).toMatch(/accepted the user name and password but refused GetStreamUri/);
  });
});
