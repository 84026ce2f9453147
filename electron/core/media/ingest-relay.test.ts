// Camera passwords never reach ffmpeg's argv or environment (docs/design/live-pipeline.md
// "Credential relay"): every local user can read /proc/<pid>/cmdline. Real ffmpeg through the relay
// to the real camera simulator (GStreamer, Digest and Basic), with a password made of every
// character that breaks URLs and headers, non-ASCII letters included; the ingest's states
// (live, auth_failed, reconnecting) are the same as without the relay.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { withCredentials } from '../../../shared/cameras';
import { systemClock } from '../clock';
import { createJsonLogger } from '../logger';
import { StreamIngest, type IngestState } from './ingest';
import { RtspRelay, type RtspTarget } from './rtsp-relay';

const USER = 'operator';
const PASSWORD = 'Zażółć-gęślą:ja/źń#%@ x';

/** Every form the password could take in a process's argv or environment. */
const NEEDLES: [string, Buffer][] = [
  ['password', Buffer.from(PASSWORD, 'utf8')],
  ['percent-encoded', Buffer.from(encodeURIComponent(PASSWORD))],
  ['percent-encoded, lower-case hex', Buffer.from(encodeURIComponent(PASSWORD).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()))],
  ['user:password', Buffer.from(`${USER}:${PASSWORD}`, 'utf8')],
  ['base64 user:password', Buffer.from(Buffer.from(`${USER}:${PASSWORD}`, 'utf8').toString('base64'))],
  ['base64 password', Buffer.from(Buffer.from(PASSWORD, 'utf8').toString('base64'))],
  ['url-encoded user:password', Buffer.from(`${USER}:${encodeURIComponent(PASSWORD)}`)],
];

/** Reads cmdline and environ of every process of this user; returns where a needle shows. */
function scanProcesses(): { hits: string[]; filesRead: number } {
  const uid = process.getuid?.() ?? 0;
  const hits: string[] = [];
  let filesRead = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) !== uid) continue;
    } catch {
      continue; // exited meanwhile
    }
    for (const file of ['cmdline', 'environ']) {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(`/proc/${pid}/${file}`);
      } catch {
        continue;
      }
      filesRead += 1;
      for (const [name, needle] of NEEDLES) if (bytes.includes(needle)) hits.push(`pid ${pid} ${file}: ${name}`);
    }
  }
  return { hits, filesRead };
}

function ffmpegChildren(): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.includes('(ffmpeg)') && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
    } catch {
      return false;
    }
  });
}

async function until(what: string, ok: () => boolean, timeoutMs: number, last?: () => unknown) {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `; last ${JSON.stringify(last())}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(['digest', 'basic'] as const)('ingest through the relay, %s camera', (auth) => {
  let sim: SimulatorHandle;
  let relay: RtspRelay;
  const logLines: string[] = [];
  const logger = createJsonLogger((l) => logLines.push(l));
  const running: StreamIngest[] = [];

  function run(url: () => Promise<string | RtspTarget>, withRelay = true) {
    const states: IngestState[] = [];
    let fragments = 0;
    const ingest = new StreamIngest({
      label: `${auth}-test`,
      url,
      relay: withRelay ? relay : undefined,
      ffmpeg: { path: 'ffmpeg' },
      clock: systemClock,
      logger,
      onInit: () => {},
      onFragment: () => (fragments += 1),
      onEnd: () => {},
      onStatus: (s) => states.push(s.state),
      stallMs: 3000,
      backoffInitialMs: 500,
      backoffMaxMs: 2000,
    });
    running.push(ingest);
    ingest.start();
    return { ingest, states, fragments: () => fragments };
  }

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, auth, user: USER, password: PASSWORD, size: SMALL_PICTURE });
    relay = await RtspRelay.start({ logger });
  }, 60_000);

  afterAll(async () => {
    for (const i of running) i.stop();
    await relay?.close();
    await sim?.close();
  });

  it('streams main and sub with the password, and no process shows it in its argv or environment', { timeout: 60_000 }, async () => {
    const cam = sim.cameras[0]!;
    // Both shapes the engine may hand over: a target, and a URL with credentials (CamerasService.connectUrl).
    const main = run(() => Promise.resolve({ url: cam.rtspMain, username: USER, password: PASSWORD }));
    const sub = run(() => Promise.resolve(withCredentials(cam.rtspSub, USER, PASSWORD)));
    await until('both live with fragments', () => main.fragments() >= 10 && sub.fragments() >= 10, 30_000, () => [main.ingest.current, sub.ingest.current]);
    expect(main.states).toEqual(['connecting', 'live']);
    expect(sub.states).toEqual(['connecting', 'live']);

    // The scan reads what it must: both ffmpeg processes, their relay URLs, their environments.
    const ffmpegs = ffmpegChildren();
    expect(ffmpegs).toHaveLength(2);
    for (const pid of ffmpegs) {
      expect(fs.readFileSync(`/proc/${pid}/cmdline`).toString()).toContain(`rtsp://127.0.0.1:${relay.port}/`);
      expect(fs.readFileSync(`/proc/${pid}/environ`).toString()).toContain('PATH=');
    }
    const scan = scanProcesses();
    expect(scan.filesRead).toBeGreaterThan(4);
    expect(scan.hits).toEqual([]);
    for (const l of logLines) for (const [name, needle] of NEEDLES) expect(l.includes(needle.toString()), `${name} in ${l}`).toBe(false);
    main.ingest.stop();
    sub.ingest.stop();
  });

  it('a wrong password is still auth_failed, and retried at the slow pace', { timeout: 30_000 }, async () => {
    const wrong = run(() => Promise.resolve({ url: sim.cameras[1]!.rtspSub, username: USER, password: `${PASSWORD}!` }));
    await until('auth_failed', () => wrong.ingest.current.state === 'auth_failed', 15_000, () => wrong.ingest.current);
    expect(wrong.ingest.current.detail).toBe('The camera refused the user name or password.');
    await until('second attempt', () => wrong.ingest.current.attempts === 2, 5_000, () => wrong.ingest.current);
    expect(wrong.states.filter((s) => s === 'live')).toEqual([]);
    wrong.ingest.stop();
  });

  it('a camera that closes mid-stream: reconnecting, then live again, with no relay registration left behind', { timeout: 60_000 }, async () => {
    const r = run(() => Promise.resolve({ url: sim.cameras[1]!.rtspMain, username: USER, password: PASSWORD }));
    await until('live', () => r.ingest.current.state === 'live', 20_000, () => r.ingest.current);
    await sim.stopCamera(2, 'close');
    await until('reconnecting', () => r.ingest.current.state === 'reconnecting', 15_000, () => r.ingest.current);
    await sim.startCamera(2);
    await until('live again', () => r.ingest.current.state === 'live', 30_000, () => r.ingest.current);
    expect(r.ingest.current.attempts).toBeGreaterThanOrEqual(2);
    expect(relay.stats.registrations).toBe(1);
    r.ingest.stop();
    await until('registrations closed', () => relay.stats.registrations === 0 && relay.stats.connections === 0, 5_000, () => relay.stats);
  });

  it('without a relay passed in, the process-wide relay carries the stream', { timeout: 30_000 }, async () => {
    const r = run(() => Promise.resolve(withCredentials(sim.cameras[0]!.rtspSub, USER, PASSWORD)), false);
    await until('fragments', () => r.fragments() >= 5, 20_000, () => r.ingest.current);
    const [pid] = ffmpegChildren();
    expect(fs.readFileSync(`/proc/${pid}/cmdline`).toString()).toMatch(/rtsp:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}\/cam1\/sub/);
    expect(scanProcesses().hits).toEqual([]);
    r.ingest.stop();
  });
});
