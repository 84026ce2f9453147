// Field fault 3 (docs/design/onvif.md): a device whose clock is hours off and which checks the
// WS-UsernameToken's Created from the first call could not be read (node-onvif signs
// GetSystemDateAndTime with our clock). GetSystemDateAndTime now goes unsigned (pre-auth), later
// calls are signed with the device's time, and an authentication fault re-reads the clock once.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { createOnvifClient, OnvifError } from './onvif';
import { MESSAGES } from './onvif-soap';
import { startResponder, type OnvifResponder, type ResponderConfig } from './testing/onvif-responder';

const HOUR_MS = 3_600_000;
let device: OnvifResponder | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

async function start(cfg: Partial<ResponderConfig>): Promise<OnvifResponder> {
  device = await startResponder({ user: 'operator', password: 'clock-pass', tokenToleranceMs: 30_000, ...cfg });
  return device;
}

const client = createOnvifClient({ requestTimeoutMs: 3000, probeTimeoutMs: 8000 });

/** How far each token's Created was from the device's clock when it arrived. */
function recordSkews(d: OnvifResponder): number[] {
  const skews: number[] = [];
  d.onCall = (_action, call) => {
    if (call.created) skews.push(Date.parse(call.created) - (Date.now() + d.cfg.clockOffsetMs));
  };
  return skews;
}

describe('ONVIF: a device whose clock is hours off and checks the token Created from the first call', () => {
  it('is read: the clock is asked unsigned and every later call is signed with the device time', async () => {
    for (const offsetMs of [5 * HOUR_MS, -7 * HOUR_MS - 17_000]) {
      const d = await start({ auth: 'token', clockOffsetMs: offsetMs });
      const skews = recordSkews(d);
      const info = await client.probe(d.deviceUrl, 'operator', 'clock-pass');
      expect(info.profiles.map((p) => p.token)).toEqual(['ch1_main', 'ch1_sub']);
      expect(d.calls[0]).toMatchObject({ action: 'GetSystemDateAndTime', token: false });
      expect(d.calls.slice(1).every((c) => c.token)).toBe(true);
      // Created is whole seconds and the device reports whole seconds: within about 2 s.
      expect(skews.length).toBe(d.calls.length - 1);
      expect(Math.max(...skews.map(Math.abs))).toBeLessThan(2_500);
      await d.close();
    }
  });

  it('the responder reproduces the field fault: node-onvif, signing its first call with our clock, is refused', async () => {
    const d = await start({ auth: 'token', clockOffsetMs: 5 * HOUR_MS });
    const nodeOnvif = createRequire(import.meta.url)('node-onvif') as {
      OnvifDevice: new (o: { xaddr: string; user: string; pass: string }) => { init(): Promise<unknown> };
    };
    const old = new nodeOnvif.OnvifDevice({ xaddr: d.deviceUrl, user: 'operator', pass: 'clock-pass' });
    await expect(old.init()).rejects.toThrow();
    expect(d.calls[0]).toMatchObject({ action: 'GetSystemDateAndTime', token: true });
  });

  it('a clock that jumps after it was read (twice): each refused call is retried once after re-reading the clock', async () => {
    const d = await start({ auth: 'both', clockOffsetMs: 0 });
    const jumps = new Map([
      ['GetDeviceInformation', 3 * HOUR_MS],
      ['GetProfiles', -2 * HOUR_MS],
    ]);
    d.onCall = (action) => {
      // The device's clock is stepped between our read and the first signed call, then again later.
      const offsetMs = jumps.get(action);
      jumps.delete(action);
      if (offsetMs !== undefined) d.cfg.clockOffsetMs = offsetMs;
    };
    const info = await client.probe(d.deviceUrl, 'operator', 'clock-pass');
    expect(info.profiles).toHaveLength(2);
    expect(d.callsOf('GetSystemDateAndTime')).toHaveLength(3);
    expect(d.callsOf('GetProfiles')).toHaveLength(2);
    expect(d.calls.map((c) => c.action).slice(0, 5)).toEqual([
      'GetSystemDateAndTime',
      'GetDeviceInformation', // no Digest yet: challenged
      'GetDeviceInformation', // Digest accepted, token refused (clock)
      'GetSystemDateAndTime', // re-read
      'GetDeviceInformation', // accepted
    ]);
  });

  it('with a wrong password the clock is re-read once, then the refusal is reported, not retried forever', async () => {
    const d = await start({ auth: 'token', clockOffsetMs: 4 * HOUR_MS });
    const err = await client.probe(d.deviceUrl, 'operator', 'wrong').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnvifError);
    expect([(err as OnvifError).kind, (err as OnvifError).message]).toEqual(['auth', MESSAGES.tokenRefused]);
    expect(d.callsOf('GetSystemDateAndTime')).toHaveLength(2);
    expect(d.callsOf('GetDeviceInformation')).toHaveLength(2);
  });

  it('a device that faults GetSystemDateAndTime is read with the clock from its HTTP Date header, or ours', async () => {
    const d = await start({ auth: 'token', faults: { GetSystemDateAndTime: { status: 500, codes: ['s:Receiver', 'ter:Action'], reason: 'not implemented' } } });
    const info = await client.probe(d.deviceUrl, 'operator', 'clock-pass');
    expect(info.profiles).toHaveLength(2);
  });

  it('a device that needs Digest even for GetSystemDateAndTime gets the challenge answered there too', async () => {
    const d = await start({ auth: 'digest', preAuthTime: false, clockOffsetMs: 2 * HOUR_MS });
    const info = await client.probe(d.deviceUrl, 'operator', 'clock-pass');
    expect(info.profiles).toHaveLength(2);
    expect(d.callsOf('GetSystemDateAndTime').map((c) => c.token)).toEqual([false, false]);
  });
});
