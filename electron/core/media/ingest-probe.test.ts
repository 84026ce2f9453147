// ffmpeg's quick probe for copied streams (ingest.ts ffmpegInputArgs; docs/design/live-pipeline.md
// "Cold start"): real ffmpeg through the real relay to the camera simulator. A camera whose SDP carries
// its parameter sets goes live with the quick probe, its first fragment a keyframe and its init segment
// naming the codec; a run that ends without an init segment turns the quick probe off for the runs
// after it, so a camera that needs the full probe still comes up.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { systemClock } from '../clock';
import { silentLogger } from '../logger';
import type { InitSegment } from './fmp4';
import { ffmpegArgs, ffmpegInputArgs, StreamIngest, type SpawnFn } from './ingest';
import { RtspRelay } from './rtsp-relay';

const QUICK = ['-analyzeduration', '1'];
const has = (args: readonly string[], part: readonly string[]) => args.some((_, i) => part.every((p, j) => args[i + j] === p));

describe('the quick probe of copied streams', () => {
  let sim: SimulatorHandle;
  let relay: RtspRelay;
  const running: StreamIngest[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 1, auth: 'none', size: SMALL_PICTURE });
    relay = await RtspRelay.start({ logger: silentLogger });
  }, 60_000);
  afterAll(async () => {
    for (const i of running) i.stop();
    await relay?.close();
    await sim?.close();
  });

  /** An ingest whose ffmpeg runs are real, each argv kept. */
  function ingest(url: string) {
    const argvs: string[][] = [];
    const inits: InitSegment[] = [];
    let fragments = 0;
    let firstIndependent: boolean | null = null;
    const spawnFn: SpawnFn = (cmd, args) => {
      argvs.push([...args]);
      return spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    };
    const i = new StreamIngest({
      label: 'probe-test',
      url: () => Promise.resolve(url),
      relay,
      ffmpeg: { path: 'ffmpeg' },
      clock: systemClock,
      logger: silentLogger,
      onInit: (init) => inits.push(init),
      onFragment: (f) => {
        fragments += 1;
        firstIndependent ??= f.independent;
      },
      onEnd: () => {},
      onStatus: () => {},
      spawnFn,
      stallMs: 3000,
      connectTimeoutMs: 4000,
      backoffInitialMs: 300,
      backoffMaxMs: 1000,
    });
    running.push(i);
    i.start();
    return { i, argvs, inits, fragments: () => fragments, firstIndependent: () => firstIndependent };
  }

  async function until(what: string, ok: () => boolean, timeoutMs: number) {
    const end = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('only copied streams probe quickly: not a transcode, not the masked encoder', () => {
    expect(has(ffmpegArgs('rtsp://x', false, true), QUICK)).toBe(true);
    expect(has(ffmpegArgs('rtsp://x', true, true), QUICK)).toBe(false);
    expect(has(ffmpegArgs('rtsp://x', false, false), QUICK)).toBe(false);
    expect(has(ffmpegInputArgs('rtsp://x', true), QUICK)).toBe(false);
  });

  it('a camera that announces its parameter sets goes live with the quick probe: keyframe first, codec named', { timeout: 30_000 }, async () => {
    const r = ingest(sim.cameras[0]!.rtspSub ?? sim.cameras[0]!.rtspMain);
    await until('live', () => r.i.current.state === 'live' && r.fragments() >= 5, 20_000);
    expect(r.argvs).toHaveLength(1);
    expect(has(r.argvs[0]!, QUICK)).toBe(true);
    expect(r.inits[0]).toMatchObject({ codec: 'avc1', codecString: expect.stringMatching(/^avc1\.[0-9a-f]{6}$/) });
    expect(r.inits[0]!.width).toBeGreaterThan(0);
    expect(r.firstIndependent()).toBe(true);
    r.i.stop();
  });

  it('a run that ends without an init segment turns the quick probe off for the runs after it', { timeout: 30_000 }, async () => {
    // Nothing answers there: the first run ends with no init segment, as one whose camera needs the full probe would.
    const r = ingest('rtsp://127.0.0.1:9/nothing');
    await until('a second run', () => r.argvs.length >= 2, 20_000);
    expect(has(r.argvs[0]!, QUICK)).toBe(true);
    expect(has(r.argvs[1]!, QUICK)).toBe(false);
    r.i.stop();
  });
});
