// When a stream counts as stalled: a slow first picture is not a stall (docs/design/live-pipeline.md "Ingest"). A camera whose
// first fragment comes after the stall limit must become live, not be killed and restarted at the
// same slow start forever (which is what CI saw: a tile stuck on "No video for 3 s"). Real ffmpeg
// processes stand in for the camera connection: they write real fragmented MP4 after a delay.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createJsonLogger } from '../logger';
import { StreamIngest, type IngestStatus, type SpawnFn } from './ingest';
import { encodeFmp4 } from '../testing/ffmpeg-fixtures';

let dir: string;
let clip: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-timing-'));
  clip = path.join(dir, 'clip.mp4');
  fs.writeFileSync(clip, encodeFmp4(20));
});

afterAll(() => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const groups: number[] = [];

/** A "camera" that is silent for `delayS`, then plays the clip in real time for `playS`, then stays
 * silent. Its own process group, so the test can end the shell and its children together. */
function camera(delayS: number, playS: number): SpawnFn {
  const play = `ffmpeg -hide_banner -loglevel error -re -i '${clip}' -t ${playS} -c copy -f mp4 -movflags +frag_keyframe+empty_moov+default_base_moof -frag_duration 200000 pipe:1`;
  return () => {
    const child = spawn('sh', ['-c', `sleep ${delayS}; ${play}; exec sleep 60`], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    if (child.pid) groups.push(child.pid);
    return child;
  };
}

/** A "camera" that accepts the connection and never sends anything. */
const silent: SpawnFn = () => spawn('sleep', ['60'], { stdio: ['pipe', 'pipe', 'pipe'] });

function run(spawnFn: SpawnFn, opts: { stallMs: number; connectTimeoutMs?: number; backoffInitialMs?: number }) {
  const seen: IngestStatus[] = [];
  let fragments = 0;
  const ingest = new StreamIngest({
    label: 'test',
    url: () => Promise.resolve('rtsp://127.0.0.1:9/unused'),
    ffmpeg: { path: 'unused' },
    clock: new ManualClock(1_800_000_000_000),
    logger: createJsonLogger(() => {}),
    onInit: () => {},
    onFragment: () => (fragments += 1),
    onEnd: () => {},
    onStatus: (s) => seen.push(s),
    backoffInitialMs: 60_000,
    spawnFn,
    ...opts,
  });
  ingest.start();
  return { ingest, seen, fragments: () => fragments };
}

async function until(what: string, ok: () => boolean, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ingest timing', () => {
  it('a first picture later than the stall limit is a slow start, not a stall', { timeout: 30_000 }, async () => {
    const r = run(camera(4.5, 3), { stallMs: 3000 });
    try {
      await until('live', () => r.ingest.current.state === 'live', 15_000);
      expect(r.seen.map((s) => s.state)).toEqual(['connecting', 'live']);
      expect(r.ingest.current.attempts).toBe(1);
    } finally {
      r.ingest.stop();
    }
  });

  it('no picture at all within the connect limit: the tile says so, and the engine retries', { timeout: 30_000 }, async () => {
    const r = run(silent, { stallMs: 3000, connectTimeoutMs: 5000, backoffInitialMs: 1000 });
    try {
      await until('gave up on the first picture', () => r.ingest.current.state === 'unreachable', 12_000);
      expect(r.ingest.current.detail).toBe('The camera sent no picture within 5 s of connecting.');
      expect(r.fragments()).toBe(0);
      await until('a second attempt', () => r.ingest.current.attempts === 2, 5_000);
    } finally {
      r.ingest.stop();
    }
  });

  it('a picture that stops after it has started is a stall after the stall limit', { timeout: 30_000 }, async () => {
    const r = run(camera(0, 2), { stallMs: 3000 });
    try {
      await until('live', () => r.ingest.current.state === 'live', 10_000);
      const liveAt = Date.now();
      await until('stalled', () => r.seen.some((s) => s.state === 'stalled'), 12_000);
      expect(Date.now() - liveAt).toBeGreaterThanOrEqual(3000);
      expect(r.seen.find((s) => s.state === 'stalled')?.detail).toBe('No video for 3 s.');
    } finally {
      r.ingest.stop();
    }
  });
});
