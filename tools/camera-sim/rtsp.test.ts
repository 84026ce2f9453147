import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from './client';
import { rtspRequest, sleep, startPull, waitFor } from './test-helpers';

const run = promisify(execFile);

async function ffprobe(url: string): Promise<{ codec: string; width: number; height: number; rate: string }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-timeout', '5000000', '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,width,height,r_frame_rate,has_b_frames', '-of', 'json', url], { timeout: 20_000 });
  const s = (JSON.parse(stdout) as { streams: { codec_name: string; width: number; height: number; r_frame_rate: string }[] }).streams[0];
  if (!s) throw new Error('no stream');
  return { codec: s.codec_name, width: s.width, height: s.height, rate: s.r_frame_rate };
}

describe('RTSP server (digest auth, 3 cameras)', () => {
  let sim: SimulatorHandle;
  const creds = (url: string, pw = 'pw') => url.replace('rtsp://', `rtsp://viewer:${pw}@`);
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 3, auth: 'digest', user: 'viewer', password: 'pw' });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('serves H.264 main 1280x720 and sub 640x360 at 25 fps on every camera', async () => {
    expect(await ffprobe(creds(sim.cameras[0]!.rtspMain))).toEqual({ codec: 'h264', width: 1280, height: 720, rate: '25/1' });
    expect(await ffprobe(creds(sim.cameras[2]!.rtspSub))).toEqual({ codec: 'h264', width: 640, height: 360, rate: '25/1' });
  });

  it('answers 401 with a Digest challenge without or with wrong credentials', async () => {
    const res = await rtspRequest(sim.cameras[0]!.rtspMain, 'DESCRIBE', { Accept: 'application/sdp' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Digest /);
    await expect(ffprobe(creds(sim.cameras[0]!.rtspMain, 'wrong'))).rejects.toThrow(/401/);
  });

  it('serves several TCP clients at once; stopping one camera stalls only its sessions; it restarts', async () => {
    const [c1, c2] = sim.cameras;
    const pulls = [startPull(creds(c1!.rtspMain)), startPull(creds(c1!.rtspMain)), startPull(creds(c1!.rtspSub)), startPull(creds(c2!.rtspMain))];
    try {
      // all four clients get going (a picture within a GOP or two; generous for a loaded machine)
      expect(await waitFor(() => pulls.every((p) => p.frames() > 25), 15_000), `frames ${pulls.map((p) => p.frames())}`).toBe(true);

      await sim.stopCamera(2);
      await sleep(1000);
      const cam2Frames = pulls[3]!.frames();
      const cam1Frames = pulls[0]!.frames();
      await sleep(1500);
      expect(pulls[3]!.frames() - cam2Frames).toBeLessThanOrEqual(1); // stalled
      // others unaffected: still advancing (a loaded 2-core CI machine may deliver well under 25 fps)
      expect(pulls[0]!.frames() - cam1Frames).toBeGreaterThan(3);
      await expect(ffprobe(creds(c2!.rtspMain))).rejects.toThrow(/404 Not Found/); // new sessions fail
      await expect(fetch(c2!.onvifUrl, { method: 'POST', body: '' })).rejects.toThrow(); // ONVIF off too

      await sim.startCamera(2);
      // the stalled session of the "power-cycled" camera is gone...
      expect(await Promise.race([pulls[3]!.exited.then(() => 'exited'), sleep(5000).then(() => 'still running')])).toBe('exited');
      // ...and new sessions work
      expect(await ffprobe(creds(c2!.rtspMain))).toMatchObject({ codec: 'h264', width: 1280 });
    } finally {
      for (const p of pulls) p.stop();
      // Whatever failed above, camera 2 runs again for the tests after this one.
      await sim.startCamera(2);
    }
  });

  it('stop with mode=close ends the sessions at once', async () => {
    const pull = startPull(creds(sim.cameras[2]!.rtspSub));
    try {
      expect(await waitFor(() => pull.frames() > 10, 15_000)).toBe(true);
      await sim.stopCamera(3, 'close');
      expect(await Promise.race([pull.exited.then(() => 'exited'), sleep(4000).then(() => 'still running')])).toBe('exited');
      await sim.startCamera(3);
      expect(await ffprobe(creds(sim.cameras[2]!.rtspSub))).toMatchObject({ width: 640 });
    } finally {
      pull.stop();
    }
  });

  it('reports status on the control API', async () => {
    const status = (await sim.status()) as { cameras: { index: number; running: boolean }[]; frames: number };
    expect(status.cameras.map((c) => c.running)).toEqual([true, true, true]);
    expect(status.frames).toBeGreaterThan(100);
    const bad = await fetch(`${sim.controlUrl}/cameras/9/stop`, { method: 'POST' });
    expect(bad.status).toBe(404);
  });
});
