// The camera simulator's ONVIF service (tools/camera-sim/onvif.ts, used by the namespace tests and
// the demo) keeps working with the console's own SOAP client: profiles, stream URIs without
// credentials, a wrong password, a device that faults everything.
import { afterEach, describe, expect, it } from 'vitest';
import { OnvifCamera } from '../../../tools/camera-sim/onvif';
import { createOnvifClient, OnvifError } from './onvif';
import { MESSAGES } from './onvif-soap';

const PASSWORD = 'On@vif:p/ss#%';
let camera: OnvifCamera | undefined;
afterEach(async () => {
  await camera?.close();
  camera = undefined;
});

async function simCamera(faulty = false): Promise<OnvifCamera> {
  camera = new OnvifCamera({
    index: 1,
    name: 'cam1',
    port: 0,
    user: 'onvif.admin',
    password: PASSWORD,
    auth: 'digest',
    codec: 'h264',
    size: { width: 1280, height: 720 },
    faulty,
    rtspUrl: (stream) => `rtsp://127.0.0.1:8554/cam1/${stream}`,
    snapshot: () => Buffer.alloc(0),
  });
  await camera.listen();
  return camera;
}

const client = createOnvifClient({ requestTimeoutMs: 3_000, probeTimeoutMs: 8_000 });

describe('ONVIF: the camera simulator read by the console client', () => {
  it('reads maker, model, both profiles and their RTSP URLs', async () => {
    const cam = await simCamera();
    const info = await client.probe(cam.deviceUrl, 'onvif.admin', PASSWORD);
    expect(info).toEqual({
      manufacturer: 'Operator Console',
      model: 'CameraSim',
      profiles: [
        { token: 'Profile_main', name: 'main', encoding: 'H264', width: 1280, height: 720, rtspUrl: 'rtsp://127.0.0.1:8554/cam1/main' },
        { token: 'Profile_sub', name: 'sub', encoding: 'H264', width: 640, height: 360, rtspUrl: 'rtsp://127.0.0.1:8554/cam1/sub' },
      ],
    });
  });

  it('a wrong password is a WS-UsernameToken refusal; a faulty device is a fault, not a password problem', async () => {
    const cam = await simCamera();
    const wrong = await client.probe(cam.deviceUrl, 'onvif.admin', 'wrong').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OnvifError);
    expect([(wrong as OnvifError).kind, (wrong as OnvifError).message]).toEqual(['auth', MESSAGES.tokenRefused]);
    await cam.close();
    const faulty = await simCamera(true);
    const err = await client.probe(faulty.deviceUrl, 'onvif.admin', PASSWORD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnvifError);
    expect((err as OnvifError).kind).toBe('fault');
    expect((err as OnvifError).message).toMatch(/^The device answered GetDeviceInformation with a SOAP fault \(Receiver\/Action\/ActionFailed\): Simulated device failure/);
  });
});
