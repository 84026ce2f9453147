// One camera's PTZ calls go in order and moves coalesce (docs/design/ptz.md): against the test
// responder answering each call 80 ms late, a seat repeating its move many times never builds a
// backlog, and a stop is never overtaken by a move sent before it.
import { afterEach, describe, expect, it } from 'vitest';
import { createPtzConnector } from '../cameras/onvif-ptz';
import { startResponder, type OnvifResponder } from '../cameras/testing/onvif-responder';
import { PtzLane } from './ptz-lane';

let device: OnvifResponder | undefined;
let lane: PtzLane | undefined;
afterEach(async () => {
  await lane?.close();
  lane = undefined;
  await device?.close();
  device = undefined;
});

async function slowCamera(delayMs: number): Promise<PtzLane> {
  device = await startResponder({ ptz: true, auth: 'digest' });
  const ptz = await createPtzConnector().connect({ xaddr: device.deviceUrl, username: 'admin', password: 'admin', profileToken: null });
  device.cfg.delayMs = delayMs;
  lane = new PtzLane(ptz, 2000);
  return lane;
}

const calls = () => device!.calls.filter((c) => c.action === 'ContinuousMove' || c.action === 'Stop').map((c) => (c.action === 'Stop' ? 'stop' : /x="([-\d.]+)"/.exec(c.body)?.[1]));

describe('PTZ lane', () => {
  it('moves queued behind one on its way coalesce to the latest; a stop is never overtaken', async () => {
    const l = await slowCamera(80);
    const first = l.move({ pan: 0.1, tilt: 0, zoom: 0 });
    await new Promise((r) => setTimeout(r, 20)); // on its way to the camera
    const sent = [0.2, 0.3, 0.4, 0.5, 0.6].map((pan) => l.move({ pan, tilt: 0, zoom: 0 }));
    const stopped = l.stop();
    await Promise.all([first, ...sent, stopped]);
    // The moves queued behind the first were replaced by the stop before they were sent.
    expect(calls()).toEqual(['0.1', 'stop']);
    await l.move({ pan: 0.7, tilt: 0, zoom: 0 });
    const burst = [0.8, 0.9].map((pan) => l.move({ pan, tilt: 0, zoom: 0 }));
    await Promise.all(burst);
    expect(calls()).toEqual(['0.1', 'stop', '0.7', '0.9']);
    expect(l.moving).toBe(true);
  });

  it('the same move repeated is sent once while the camera’s timeout is fresh; a still move is a stop', async () => {
    const l = await slowCamera(0);
    for (let i = 0; i < 5; i++) await l.move({ pan: 0, tilt: -0.5, zoom: 0 });
    expect(calls()).toEqual(['0']);
    await l.move({ pan: 0, tilt: 0, zoom: 0 });
    expect(calls()).toEqual(['0', 'stop']);
    expect(l.moving).toBe(false);
  });

  it('after close, calls are refused rather than sent', async () => {
    const l = await slowCamera(0);
    await l.close();
    await expect(l.move({ pan: 1, tilt: 0, zoom: 0 })).rejects.toThrow(/closed/);
    lane = undefined;
  });
});
