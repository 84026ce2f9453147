// The ONVIF adapter's PTZ calls (docs/design/ptz.md) against the test responder: the PTZ service
// and the profile are found (GetCapabilities, or GetServices), calls carry what the console means,
// the device's answers are untrusted input as the probe's are (bounded, cleaned, in words, within
// their time limits), and a closed session leaves no socket open.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { ptzFailure } from '../ptz/ptz-errors';
import { OnvifError } from './onvif-error';
import { createPtzConnector, durationOf, type PtzDevice } from './onvif-ptz';
import { startResponder, type OnvifResponder, type ResponderConfig } from './testing/onvif-responder';

const PASSWORD = 'Ptz-Pa55-word';
let device: OnvifResponder | undefined;
let ptz: PtzDevice | undefined;
afterEach(async () => {
  await ptz?.close();
  ptz = undefined;
  await device?.close();
  device = undefined;
});

const connector = createPtzConnector({ requestTimeoutMs: 1_000, connectTimeoutMs: 4_000, maxPresets: 50, maxResponseBytes: 128 * 1024 });

async function connect(cfg: Partial<ResponderConfig>, profileToken: string | null = 'ch1_main'): Promise<PtzDevice> {
  device = await startResponder({ user: 'operator', password: PASSWORD, ptz: true, ...cfg });
  ptz = await connector.connect({ xaddr: device.deviceUrl, username: 'operator', password: PASSWORD, profileToken });
  return ptz;
}

/** The device sees every socket of the console closed (the close reaches it within moments). */
async function closed(d: OnvifResponder): Promise<void> {
  for (let i = 0; i < 20 && d.openConnections > 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(d.openConnections).toBe(0);
}

async function refusal(p: Promise<unknown>): Promise<OnvifError> {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OnvifError);
  expect((err as OnvifError).message).not.toContain(PASSWORD);
  return err as OnvifError;
}

describe('ONVIF PTZ: finding the service and steering', () => {
  it('a Digest-only device: the PTZ service and the streamed profile are found; moves carry velocities and a timeout', async () => {
    const d = await connect({ auth: 'digest', channels: 2 }, 'ch2_main');
    expect(d.profileToken).toBe('ch2_main');
    expect([d.homeSupported, d.maxPresets]).toEqual([true, 100]);
    await d.continuousMove({ pan: 0.5, tilt: -1.7, zoom: Number.NaN }, 2000);
    await d.stop();
    const [move] = device!.callsOf('ContinuousMove');
    expect(move?.digest).toBe('MD5');
    expect(move?.body).toMatch(/<tptz:ProfileToken>ch2_main<\/tptz:ProfileToken>/);
    // Out of range and not-a-number are clamped and zeroed before they reach the camera.
    expect(move?.body).toMatch(/<tt:PanTilt x="0.5" y="-1"\/><tt:Zoom x="0"\/>/);
    expect(move?.body).toContain('<tptz:Timeout>PT2S</tptz:Timeout>');
    expect(device!.callsOf('Stop')[0]?.body).toContain('<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom>');
    // One clock read and one Digest challenge for the session, not per call.
    expect(device!.callsOf('GetSystemDateAndTime')).toHaveLength(1);
    expect(durationOf(250)).toBe('PT0.25S');
  });

  it('the profile streamed without PTZ: the first profile that has it; GetServices when GetCapabilities faults', async () => {
    const d = await connect({ faults: { GetCapabilities: { status: 500, codes: ['s:Receiver', 'ter:ActionNotSupported'], reason: 'deprecated' } } }, 'no-such-profile');
    expect(d.profileToken).toBe('ch1_main');
    expect(device!.callsOf('GetServices')).toHaveLength(1);
  });

  it('a device without a PTZ service is refused in words', async () => {
    device = await startResponder({ user: 'operator', password: PASSWORD, ptz: false });
    const e = await refusal(connector.connect({ xaddr: device.deviceUrl, username: 'operator', password: PASSWORD, profileToken: 'ch1_main' }));
    expect([e.kind, e.message]).toEqual(['unsupported', 'The camera offers no ONVIF PTZ (pan-tilt-zoom) service.']);
    await closed(device);
  });

  it('wrong credentials say what the device demanded', async () => {
    device = await startResponder({ user: 'operator', password: PASSWORD, ptz: true, auth: 'digest' });
    const e = await refusal(connector.connect({ xaddr: device.deviceUrl, username: 'operator', password: 'wrong', profileToken: null }));
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('HTTP Digest');
  });
});

describe('ONVIF PTZ: answers are untrusted input', () => {
  it('preset names are cleaned and bounded, the password never echoed, bad and duplicate tokens dropped', async () => {
    const d = await connect({
      presets: [
        { token: '1', name: `Gate\u0000\u001b[31m ${PASSWORD} ${'x'.repeat(500)}` },
        { token: '1', name: 'duplicate' },
        { token: 'bad\u0001token', name: 'control characters' },
        { token: 't'.repeat(65), name: 'too long a token' },
        { token: '2', name: '' },
      ],
    });
    const presets = await d.presets();
    expect(presets.map((p) => p.token)).toEqual(['1', '2']);
    expect(presets[0]!.name.length).toBeLessThanOrEqual(65);
    expect(presets[0]!.name).not.toContain(PASSWORD);
    // eslint-disable-next-line no-control-regex -- no control character may reach a screen
    expect(presets[0]!.name).not.toMatch(/[\u0000-\u001f]/);
    expect(presets[1]!.name).toBe('2'); // nameless: shown by its token
  });

  it('more presets than the console reads is refused rather than shown in part', async () => {
    const d = await connect({ presets: Array.from({ length: 51 }, (_, i) => ({ token: String(i + 1), name: `P${i + 1}` })) });
    const e = await refusal(d.presets());
    expect([e.kind, e.message]).toEqual(['unsupported', 'The camera reports 51 presets; the console reads at most 50.']);
  });

  it('an oversized, a garbled or a trickled answer is an error naming the call; the session goes on', async () => {
    const d = await connect({ hugeBytes: { GetPresets: 300 * 1024 }, garbage: { GetStatus: '<not-soap>' }, trickle: ['Stop'] });
    expect([(await refusal(d.presets())).message]).toEqual(["The device's answer to GetPresets is larger than 128 KiB."]);
    expect((await refusal(d.status())).kind).toBe('malformed');
    const stopped = await refusal(d.stop());
    expect([stopped.kind, stopped.message]).toEqual(['timeout', 'The device did not answer Stop within 1 s.']);
    await d.continuousMove({ pan: 0, tilt: 0.2, zoom: 0 }, 1000);
    expect(device!.callsOf('ContinuousMove')).toHaveLength(1);
  });

  it('a fault keeps its codes: a preset that is gone is NotFound for the seat, a full camera says so', async () => {
    const d = await connect({
      faults: {
        GotoPreset: { status: 400, codes: ['s:Sender', 'ter:InvalidArgVal', 'ter:NoToken'], reason: `no such preset ${PASSWORD}` },
        SetPreset: { status: 400, codes: ['s:Receiver', 'ter:Action', 'ter:TooManyPresets'], reason: 'full' },
      },
    });
    const gone = await refusal(d.gotoPreset('7'));
    expect(ptzFailure(gone, silentLogger, 1)).toEqual({ ok: false, error: { kind: 'NotFound', message: 'The camera has no such preset (it may have been removed).' } });
    const full = await refusal(d.setPreset('Gate'));
    expect(ptzFailure(full, silentLogger, 1)).toEqual({ ok: false, error: { kind: 'FailedPrecondition', message: 'The camera holds no more presets: remove one first.' } });
    const status = await d.status();
    expect(status).toEqual({ pan: 0.25, tilt: -0.5, zoom: 0.1, moving: true });
  });

  it('vendor prefixes do not matter; close() leaves no socket open', async () => {
    const d = await connect({ vendorPrefixes: true, presets: [{ token: 'a', name: 'Alpha' }] });
    expect(await d.presets()).toEqual([{ token: 'a', name: 'Alpha' }]);
    expect(await d.setPreset('Beta')).toBe('2');
    await d.close();
    ptz = undefined;
    await closed(device!);
  });
});
