// The local RTSP relay (docs/design/live-pipeline.md "Credential relay") with real ffmpeg, the real
// camera simulator behind a strict camera front (Digest with qop and stale nonces, Basic, TLS), and
// peers that misbehave: tokens open one connection only, authentication is the relay's business
// (ffmpeg never sees a challenge), and no peer can crash the engine or leak the password.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PICTURE, startSimulator, type SimulatorHandle } from '../../../tools/camera-sim/client';
import { systemClock } from '../clock';
import { createJsonLogger } from '../logger';
import { StreamIngest, type IngestStatus } from './ingest';
import { RtspRelay, type RtspTarget } from './rtsp-relay';
import { startStrictCamera, type StrictCamera, type StrictCameraOptions } from '../testing/rtsp-strict-camera';

const USER = 'operator';
const PASSWORD = 'Zażółć-gęślą:ja/źń#%@ x';
const logLines: string[] = [];
let sim: SimulatorHandle;
let relay: RtspRelay;
let upstreamPort = 0;
let tlsFiles: { key: string; cert: string };
const cameras: StrictCamera[] = [];
const ingests: StreamIngest[] = [];

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, auth: 'none', size: SMALL_PICTURE });
  upstreamPort = Number(new URL(sim.cameras[0]!.rtspMain).port);
  relay = await RtspRelay.start({ logger: createJsonLogger((l) => logLines.push(l)), cameraConnectTimeoutMs: 1500, firstRequestTimeoutMs: 2000 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=camera', '-days', '1', '-keyout', `${dir}/k.pem`, '-out', `${dir}/c.pem`], { stdio: 'ignore' });
  tlsFiles = { key: fs.readFileSync(`${dir}/k.pem`, 'utf8'), cert: fs.readFileSync(`${dir}/c.pem`, 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

afterAll(async () => {
  for (const i of ingests) i.stop();
  for (const c of cameras) await c.close();
  await relay?.close();
  await sim?.close();
});

async function strictCamera(o: Partial<StrictCameraOptions> = {}): Promise<StrictCamera> {
  const c = await startStrictCamera({ upstreamPort, scheme: 'digest', username: USER, password: PASSWORD, ...o });
  cameras.push(c);
  return c;
}

function run(target: RtspTarget) {
  const states: IngestStatus[] = [];
  let fragments = 0;
  const ingest = new StreamIngest({
    label: 'relay-test',
    url: () => Promise.resolve(target),
    relay,
    ffmpeg: { path: 'ffmpeg' },
    clock: systemClock,
    logger: createJsonLogger((l) => logLines.push(l)),
    onInit: () => {},
    onFragment: () => (fragments += 1),
    onEnd: () => {},
    onStatus: (s) => states.push(s),
    backoffInitialMs: 500,
    backoffMaxMs: 2000,
  });
  ingests.push(ingest);
  ingest.start();
  return { ingest, states, fragments: () => fragments };
}

async function until(what: string, ok: () => boolean, timeoutMs: number, last?: () => unknown) {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `; last ${JSON.stringify(last())}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One raw RTSP exchange on a new connection: what came back, and whether the relay closed it. */
function rawExchange(url: string, request: Buffer | string, waitMs = 3000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const sock = net.connect(relay.port, '127.0.0.1');
    let text = '';
    let closed = false;
    sock.on('error', () => {});
    sock.on('connect', () => sock.write(typeof request === 'string' ? request.replaceAll('{url}', url) : request));
    sock.on('data', (d: Buffer) => (text += d.toString('latin1')));
    sock.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ text, closed });
    });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ text, closed });
    }, waitMs);
  });
}

const OPTIONS = 'OPTIONS {url} RTSP/1.0\r\nCSeq: 1\r\n\r\n';

describe('RTSP relay', () => {
  it('sees a TEARDOWN through when the camera answers it stale seconds after ffmpeg hung up', { timeout: 60_000 }, async () => {
    // A busy engine or a slow camera: the stale answer comes 3 s after ffmpeg's TEARDOWN and hang-up.
    const cam = await strictCamera({ slowStaleTeardownMs: 3000 });
    const r = run({ url: `rtsp://127.0.0.1:${cam.port}/cam1/main`, username: USER, password: PASSWORD });
    await until('live', () => r.ingest.current.state === 'live', 20_000, () => r.ingest.current);
    r.ingest.stop();
    await until('TEARDOWN', () => cam.log.some((e) => e.method === 'TEARDOWN' && e.outcome === 'ok'), 10_000, () => cam.log);
    expect(cam.log.filter((e) => e.method === 'TEARDOWN').map((e) => e.outcome)).toEqual(['stale', 'ok']);
  });

  it('answers Digest with qop=auth and nonce counts, renews stale nonces, and signs SETUP, PLAY, keepalives and TEARDOWN', { timeout: 60_000 }, async () => {
    const cam = await strictCamera({ qop: true, nonceUses: 3 });
    const r = run({ url: `rtsp://127.0.0.1:${cam.port}/cam1/main`, username: USER, password: PASSWORD });
    await until('live', () => r.ingest.current.state === 'live', 20_000, () => r.ingest.current);
    // ffmpeg keeps the session alive every 5 s (the simulator's 10 s session timeout): two keepalives.
    await until('two keepalives', () => cam.log.filter((e) => e.method === 'GET_PARAMETER' && e.outcome === 'ok').length >= 2, 20_000, () => cam.log);
    r.ingest.stop();
    // ffmpeg sends TEARDOWN and hangs up without waiting: the relay still sees it through, renewing
    // a stale nonce if need be, so the camera frees the session at once.
    await until('TEARDOWN', () => cam.log.some((e) => e.method === 'TEARDOWN' && e.outcome === 'ok'), 5_000, () => cam.log);
    expect(r.ingest.current.attempts).toBe(1);
    expect(r.states.map((s) => s.state)).toEqual(['connecting', 'live', 'idle']);
    expect(r.fragments()).toBeGreaterThan(30);
    expect(cam.log.filter((e) => e.outcome === 'refused')).toEqual([]);
    expect(cam.log.filter((e) => e.outcome === 'challenge')).toHaveLength(1);
    expect(cam.log.filter((e) => e.outcome === 'stale').length).toBeGreaterThanOrEqual(2);
    const signed = cam.log.filter((e) => e.outcome === 'ok');
    expect(new Set(signed.map((e) => e.method))).toEqual(new Set(['OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY', 'GET_PARAMETER', 'TEARDOWN']));
    expect(signed.every((e) => e.scheme === 'digest' && e.nc !== undefined)).toBe(true);
  });

  it('answers Digest SHA-256 without qop over rtsps:// (TLS to the camera, plain RTSP to ffmpeg)', { timeout: 40_000 }, async () => {
    const cam = await strictCamera({ algorithm: 'SHA-256', tls: tlsFiles });
    const r = run({ url: `rtsps://127.0.0.1:${cam.port}/cam1/sub`, username: USER, password: PASSWORD });
    await until('fragments', () => r.fragments() >= 10, 20_000, () => r.ingest.current);
    r.ingest.stop();
    expect(cam.log.filter((e) => e.outcome === 'refused')).toEqual([]);
    expect(cam.log.filter((e) => e.outcome === 'ok').every((e) => e.scheme === 'digest' && e.nc === undefined)).toBe(true);
  });

  it('answers Basic', { timeout: 40_000 }, async () => {
    const cam = await strictCamera({ scheme: 'basic' });
    const r = run({ url: `rtsp://127.0.0.1:${cam.port}/cam1/main`, username: USER, password: PASSWORD });
    await until('fragments', () => r.fragments() >= 10, 20_000, () => r.ingest.current);
    r.ingest.stop();
    expect(cam.log.filter((e) => e.outcome === 'ok').map((e) => e.scheme)).not.toContain(null);
    expect(cam.log.filter((e) => e.outcome === 'refused')).toEqual([]);
  });

  it('a refused password reaches ffmpeg as one final 401 (auth_failed), one failed attempt at the camera per connect', { timeout: 40_000 }, async () => {
    const cam = await strictCamera({ qop: true });
    const r = run({ url: `rtsp://127.0.0.1:${cam.port}/cam1/main`, username: USER, password: 'not the password' });
    await until('auth_failed', () => r.ingest.current.state === 'auth_failed', 15_000, () => r.ingest.current);
    expect(r.ingest.current.detail).toBe('The camera refused the user name or password.');
    r.ingest.stop();
    expect(cam.log.map((e) => e.outcome)).toEqual(['challenge', 'refused']);
  });

  it('refuses unknown tokens, and a token a second time, with 404 and a closed connection', { timeout: 30_000 }, async () => {
    const unknown = await rawExchange(`rtsp://127.0.0.1:${relay.port}/${randomBytes(24).toString('base64url')}/cam1/main`, OPTIONS);
    expect(unknown.text).toMatch(/^RTSP\/1\.0 404 Not Found\r\nCSeq: 1\r\n/);
    expect(unknown.closed).toBe(true);
    const cam = await strictCamera();
    const reg = relay.register({ url: `rtsp://127.0.0.1:${cam.port}/cam1/main`, username: USER, password: PASSWORD }, 'raw');
    const first = rawExchange(reg.url, OPTIONS, 10_000);
    await until('camera answered', () => cam.log.some((e) => e.outcome === 'ok'), 5_000);
    const second = await rawExchange(reg.url, OPTIONS);
    expect(second.text).toMatch(/^RTSP\/1\.0 404 Not Found/);
    expect(second.closed).toBe(true);
    // Closing the registration (its ffmpeg has exited) ends the connection it opened.
    reg.close();
    const firstResult = await first;
    expect(firstResult.text).toMatch(/^RTSP\/1\.0 200 OK\r\n/);
    expect(firstResult.text).not.toMatch(/WWW-Authenticate/i);
    expect(firstResult.closed).toBe(true);
    // A connection that names no token at all is closed after the first-request limit.
    expect((await rawExchange('', '', 5000)).closed).toBe(true);
  });

  it('another process with the relay URL (copied from ffmpeg’s argv) is refused, before and while ffmpeg is connected', { timeout: 30_000 }, async () => {
    const cam = await strictCamera();
    const reg = relay.register({ url: `rtsp://127.0.0.1:${cam.port}/cam1/sub`, username: USER, password: PASSWORD }, 'peer');
    // ffmpeg starts late under the pid the registration is bound to (sh execs it): the copier is first.
    const ffmpeg = spawn('sh', ['-c', `sleep 1.5; exec ffmpeg -hide_banner -loglevel error -rtsp_transport tcp -i '${reg.url}' -t 3 -c copy -f null -`], { stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => ffmpeg.once('exit', (code) => r(code)));
    reg.bindProcess(ffmpeg.pid!);
    const early = await rawExchange(reg.url, OPTIONS);
    expect(early.text).toMatch(/^RTSP\/1\.0 404 Not Found/);
    expect(early.closed).toBe(true);
    await until('ffmpeg got in', () => cam.log.some((e) => e.method === 'PLAY' && e.outcome === 'ok'), 10_000, () => cam.log);
    const late = await rawExchange(reg.url, OPTIONS);
    expect(late.text).toMatch(/^RTSP\/1\.0 404 Not Found/);
    expect(await exited).toBe(0);
    reg.close();
    expect(logLines.filter((l) => /connection from another process refused/.test(l)).length).toBeGreaterThanOrEqual(1);
  });

  it('garbage or endless headers from ffmpeg’s side close that connection only; streams through the relay go on', { timeout: 60_000 }, async () => {
    const cam = await strictCamera();
    const r = run({ url: `rtsp://127.0.0.1:${cam.port}/cam1/main`, username: USER, password: PASSWORD });
    await until('live', () => r.ingest.current.state === 'live', 20_000, () => r.ingest.current);
    const reg = relay.register({ url: `rtsp://127.0.0.1:${cam.port}/cam1/main`, username: USER, password: PASSWORD }, 'garbage');
    const attacks = [
      rawExchange('', randomBytes(200_000)),
      rawExchange('', `OPTIONS rtsp://127.0.0.1/x RTSP/1.0\r\n${'X-Junk: aaaaaaaa\r\n'.repeat(8000)}`),
      rawExchange(reg.url, `${OPTIONS}\u0000\u0001garbage after a good request${'\r\n'.repeat(3)}`.replaceAll('{url}', reg.url) + randomBytes(5000).toString('latin1')),
    ];
    for (const a of await Promise.all(attacks)) expect(a.closed).toBe(true);
    reg.close();
    const before = r.fragments();
    await until('still streaming', () => r.fragments() >= before + 10, 10_000);
    expect(r.ingest.current.attempts).toBe(1);
    r.ingest.stop();
  });

  it('a camera that spews garbage, endless headers or nothing: ffmpeg sees the end, the ingest says unreachable, the engine lives', { timeout: 60_000 }, async () => {
    const evil: net.Server[] = [];
    const serve = async (onConn: (s: net.Socket) => void) => {
      const server = net.createServer((s) => {
        s.on('error', () => {});
        onConn(s);
      });
      evil.push(server);
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
      return (server.address() as net.AddressInfo).port;
    };
    try {
      const spewer = await serve((s) => {
        const t = setInterval(() => s.writable && s.write(randomBytes(64 * 1024)), 20);
        s.on('close', () => clearInterval(t));
      });
      const endless = await serve((s) => {
        s.write('RTSP/1.0 200 OK\r\n');
        const t = setInterval(() => s.writable && s.write('X-Junk: aaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(200)), 10);
        s.on('close', () => clearInterval(t));
      });
      const silentTls = await serve(() => {}); // accepts TCP, never answers the TLS handshake
      const refused = await serve(() => {});
      evil.at(-1)!.close();
      for (const port of [spewer, endless]) {
        const r = run({ url: `rtsp://127.0.0.1:${port}/x`, username: USER, password: PASSWORD });
        await until('unreachable', () => r.ingest.current.state === 'unreachable', 15_000, () => r.ingest.current);
        r.ingest.stop();
      }
      const tlsReg = relay.register({ url: `rtsps://127.0.0.1:${silentTls}/x`, username: USER, password: PASSWORD }, 'tls');
      const timedOut = await rawExchange(tlsReg.url, OPTIONS);
      tlsReg.close();
      expect(timedOut.text).toMatch(/^RTSP\/1\.0 504 Connection timed out\r\nCSeq: 1\r\n/);
      const r = run({ url: `rtsp://127.0.0.1:${refused}/x`, username: USER, password: PASSWORD });
      await until('unreachable', () => r.ingest.current.state === 'unreachable', 15_000, () => r.ingest.current);
      expect(r.ingest.current.detail).toBe('The camera cannot be reached (connection refused).');
      r.ingest.stop();
    } finally {
      for (const s of evil) s.close();
    }
    // The relay still relays.
    const cam = await strictCamera();
    const ok = run({ url: `rtsp://127.0.0.1:${cam.port}/cam1/sub`, username: USER, password: PASSWORD });
    await until('fragments', () => ok.fragments() >= 5, 20_000, () => ok.ingest.current);
    ok.ingest.stop();
  });

  it('leaves no registration or connection behind, and logs no credential', async () => {
    for (const i of ingests) i.stop();
    // A registration ends when its ffmpeg has exited, which can be after its connection closed (an
    // ffmpeg given SIGTERM takes its time, and is killed after 2 s): wait for both.
    await until('connections and registrations closed', () => relay.stats.connections === 0 && relay.stats.registrations === 0, 5_000, () => relay.stats);
    expect(logLines.some((l) => /rtsp relay: connected to camera/.test(l))).toBe(true);
    const needles = [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(`${USER}:${PASSWORD}`).toString('base64'), 'not the password'];
    for (const l of logLines) for (const n of needles) expect(l.includes(n), l).toBe(false);
  });
});
