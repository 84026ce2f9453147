// Camera simulator: N cameras on 127.0.0.1 with RTSP (GStreamer, media_server.py), ONVIF, an
// optional WS-Discovery responder and a control API. See README.md.
//
//   npm run sim -- --cameras 16 [--port-base 8554] [--auth digest|basic|none] [--codec h264|h265] [--size 1280x720]
//                  [--user admin --password admin | --password-file F] [--faulty-onvif 3[,5]] [--ptz 2[,4]] [--discovery] [--verbose]
//
// When ready, prints ONE line of JSON on stdout: {"event":"ready", ...} (see ReadyInfo).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cameraUrn, DiscoveryResponder, inPrivateNetworkNamespace } from './discovery';
import { OnvifCamera, scopes, type AuthMode, type Codec, type PictureSize } from './onvif';
import type { PtzSegment } from './onvif-ptz';
import { parseArgs, type SimOptions } from './sim-options';

export interface CameraInfo {
  index: number;
  name: string;
  rtspMain: string;
  rtspSub: string;
  onvifUrl: string;
  user: string;
  password: string;
  /** Started with pan-tilt-zoom (an ONVIF PTZ service, its own moving picture). */
  ptz: boolean;
}

export interface ReadyInfo {
  event: 'ready';
  pid: number;
  mediaPid: number;
  rtspPort: number;
  controlPort: number;
  controlUrl: string;
  codec: Codec;
  auth: AuthMode;
  discovery: boolean;
  cameras: CameraInfo[];
}

function makeSnapshot(size: PictureSize): Buffer {
  const r = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size.width}x${size.height}:rate=1`, '-frames:v', '1', '-f', 'mjpeg', '-'],
    { maxBuffer: 16 << 20 },
  );
  if (r.status !== 0 || !r.stdout?.length) throw new Error(`ffmpeg could not make the snapshot JPEG: ${r.stderr?.toString() ?? r.error}`);
  return r.stdout;
}

interface MediaAck {
  event: 'ack';
  id: number;
  ok: boolean;
  error?: string;
  cameras?: { index: number; running: boolean; clients: number }[];
  frames?: number;
  packets?: Record<string, number>;
}

class MediaProcess {
  private nextId = 1;
  private pending = new Map<number, (a: MediaAck) => void>();
  private stderrTail: string[] = [];
  readonly exited: Promise<number | null>;
  rtspPort = 0;

  private constructor(readonly child: ChildProcessWithoutNullStreams, verbose: boolean) {
    child.stderr.setEncoding('utf8');
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (verbose) process.stderr.write(`${line}\n`);
      this.stderrTail.push(line);
      if (this.stderrTail.length > 40) this.stderrTail.shift();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get tail(): string {
    return this.stderrTail.join('\n');
  }

  static async start(o: SimOptions): Promise<MediaProcess> {
    const script = fileURLToPath(new URL('./media_server.py', import.meta.url));
    const python = process.env.CAMERA_SIM_PYTHON ?? '/usr/bin/python3';
    // The password goes to the media server as the first line on its stdin, not in its argv.
    const args = [script, '--cameras', String(o.cameras), '--port', String(o.portBase), '--auth', o.auth, '--user', o.user, '--password-stdin', '--codec', o.codec, '--width', String(o.size.width), '--height', String(o.size.height), '--address', o.address];
    if (o.ptz.length) args.push('--ptz', o.ptz.join(','));
    const child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined);
    child.stdin.write(`${JSON.stringify(o.password)}\n`);
    const mp = new MediaProcess(child, o.verbose);
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise<number>((resolve, reject) => {
      lines.on('line', (line) => {
        let msg: { event?: string; rtspPort?: number; id?: number; message?: string };
        try {
          msg = JSON.parse(line) as typeof msg;
        } catch {
          return;
        }
        if (msg.event === 'ready') resolve(msg.rtspPort ?? 0);
        else if (msg.event === 'ack' && typeof msg.id === 'number') {
          mp.pending.get(msg.id)?.(msg as MediaAck);
          mp.pending.delete(msg.id);
        } else if (msg.event === 'error') process.stderr.write(`[camera-sim] media error: ${msg.message}\n`);
      });
      child.once('exit', (code) => reject(new Error(`media server exited (${code}) before it was ready:\n${mp.tail}`)));
      child.once('error', reject);
    });
    mp.rtspPort = await ready;
    return mp;
  }

  command(cmd: Record<string, unknown>): Promise<MediaAck> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`media server did not answer ${JSON.stringify(cmd)}`));
      }, 5000);
      this.pending.set(id, (a) => {
        clearTimeout(timer);
        if (a.ok) resolve(a);
        else reject(new Error(a.error ?? 'media command failed'));
      });
      this.child.stdin.write(`${JSON.stringify({ ...cmd, id })}\n`);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const killed = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
    if (!killed) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

export interface Simulator {
  ready: ReadyInfo;
  stopCamera(index: number, mode?: 'stall' | 'close'): Promise<void>;
  startCamera(index: number): Promise<void>;
  status(): Promise<unknown>;
  close(): Promise<void>;
  exited: Promise<number | null>;
}

export async function runSimulator(o: SimOptions): Promise<Simulator> {
  if (o.discovery && !o.discoveryOnHost && !inPrivateNetworkNamespace()) {
    throw new Error(
      'refusing to start WS-Discovery: this process sees network interfaces other than lo. Run it inside ' +
        "`unshare -n sh -c 'ip link set lo up multicast on; ip route add 224.0.0.0/4 dev lo; ...'` (see README).",
    );
  }
  const snapshotJpeg = makeSnapshot(o.size);
  const media = await MediaProcess.start(o);
  const cleanup: (() => Promise<void>)[] = [() => media.stop()];
  try {
    const rtspBase = `rtsp://${o.address}:${media.rtspPort}`;
    const onvif: OnvifCamera[] = [];
    const running = new Map<number, boolean>();
    for (let i = 1; i <= o.cameras; i++) {
      const name = `cam${i}`;
      const cam = new OnvifCamera({
        index: i,
        name,
        port: o.portBase === 0 ? 0 : o.portBase + 100 + i,
        user: o.user,
        password: o.password,
        auth: o.auth,
        codec: o.codec,
        size: o.size,
        faulty: o.faultyOnvif.includes(i),
        rtspUrl: (stream) => `${rtspBase}/${name}/${stream}`,
        snapshot: () => snapshotJpeg,
        ...(o.ptz.includes(i) ? { ptz: (segment: PtzSegment) => media.command({ cmd: 'ptz', camera: i, segment }).then(() => undefined) } : {}),
      });
      await cam.listen();
      cleanup.push(() => cam.close());
      onvif.push(cam);
      running.set(i, true);
    }
    const cameras: CameraInfo[] = onvif.map((c) => ({
      index: c.cfg.index,
      name: c.cfg.name,
      rtspMain: `${rtspBase}/${c.cfg.name}/main`,
      rtspSub: `${rtspBase}/${c.cfg.name}/sub`,
      onvifUrl: c.deviceUrl,
      user: o.user,
      password: o.password,
      ptz: c.ptz !== undefined,
    }));

    let discovery: DiscoveryResponder | undefined;
    if (o.discovery) {
      discovery = new DiscoveryResponder(() =>
        onvif.filter((c) => running.get(c.cfg.index)).map((c) => ({ urn: cameraUrn(c.cfg.index), xaddr: c.deviceUrl, scopes: scopes(c.cfg.name) })),
      );
      await discovery.start();
      cleanup.push(() => discovery?.close() ?? Promise.resolve());
    }

    const camera = (index: number): OnvifCamera => {
      const c = onvif[index - 1];
      if (!c) throw new Error(`no camera ${index}`);
      return c;
    };
    const stopCamera = async (index: number, mode: 'stall' | 'close' = 'stall'): Promise<void> => {
      const c = camera(index);
      running.set(index, false);
      await media.command({ cmd: 'stop', camera: index, mode });
      await c.close();
    };
    const startCamera = async (index: number): Promise<void> => {
      const c = camera(index);
      await media.command({ cmd: 'start', camera: index });
      await c.listen();
      running.set(index, true);
    };
    const status = async (): Promise<unknown> => {
      const a = await media.command({ cmd: 'status' });
      return {
        rtspPort: media.rtspPort,
        frames: a.frames,
        packets: a.packets,
        cameras: cameras.map((c) => ({ ...c, running: running.get(c.index), rtspClients: a.cameras?.find((m) => m.index === c.index)?.clients ?? 0 })),
      };
    };

    const control = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const reply = (code: number, body: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
      const m = /^\/cameras\/(\d+)\/(stop|start)$/.exec(url.pathname);
      const ptzPath = /^\/cameras\/(\d+)\/ptz$/.exec(url.pathname);
      let work: Promise<unknown> | undefined;
      if (req.method === 'GET' && url.pathname === '/status') work = status();
      else if (req.method === 'GET' && ptzPath) {
        // The PTZ state as the camera sees it (position, motion segment, presets): for tests.
        work = Promise.resolve().then(() => {
          const state = camera(Number(ptzPath[1])).ptz?.state();
          if (!state) throw new Error(`no camera ${ptzPath[1]} with PTZ`);
          return state;
        });
      }
      else if (req.method === 'POST' && m) {
        const index = Number(m[1]);
        const modeParam = url.searchParams.get('mode');
        if (modeParam !== null && modeParam !== 'stall' && modeParam !== 'close') return reply(400, { error: 'mode must be stall or close' });
        work = (m[2] === 'stop' ? stopCamera(index, modeParam ?? 'stall') : startCamera(index)).then(() => ({ ok: true, index, running: running.get(index) }));
      }
      if (!work) return reply(404, { error: 'GET /status, POST /cameras/N/stop[?mode=stall|close], POST /cameras/N/start, GET /cameras/N/ptz' });
      work.then((body) => reply(200, body)).catch((e: unknown) => reply(/no camera/.test(String(e)) ? 404 : 500, { error: String(e) }));
    });
    await new Promise<void>((resolve, reject) => {
      control.once('error', reject);
      control.listen(o.portBase === 0 ? 0 : o.portBase + 99, '127.0.0.1', () => resolve());
    });
    cleanup.push(() => new Promise<void>((r) => control.close(() => r())));
    const controlPort = (control.address() as AddressInfo).port;

    const ready: ReadyInfo = {
      event: 'ready',
      pid: process.pid,
      mediaPid: media.child.pid ?? 0,
      rtspPort: media.rtspPort,
      controlPort,
      controlUrl: `http://127.0.0.1:${controlPort}`,
      codec: o.codec,
      auth: o.auth,
      discovery: o.discovery,
      cameras,
    };
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
      })());
    return { ready, stopCamera, startCamera, status, close, exited: media.exited };
  } catch (e) {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
    throw e;
  }
}

function parentOf(pid: number): number {
  try {
    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 1;
  }
}

/**
 * `npm run sim` starts npm -> sh -> node. npm does not pass SIGTERM through sh, so when npm alone
 * is killed we would be orphaned (with our GStreamer child). Exit when our parent or our parent's
 * parent goes away. CAMERA_SIM_DETACHED=1 disables this (for nohup-style use).
 */
function watchLauncher(onOrphaned: () => void): void {
  if (process.env.CAMERA_SIM_DETACHED === '1') return;
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  setInterval(() => {
    if (process.ppid !== parent || (grandparent !== 1 && parentOf(parent) !== grandparent)) onOrphaned();
  }, 1000).unref();
}

async function main(): Promise<void> {
  let opts: SimOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  let sim: Simulator | undefined;
  let stopping = false;
  const shutdown = async (code: number): Promise<never> => {
    stopping = true;
    await sim?.close();
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  try {
    sim = await runSimulator(opts);
  } catch (e) {
    process.stderr.write(`[camera-sim] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  void sim.exited.then((code) => {
    if (stopping) return;
    process.stderr.write(`[camera-sim] media server exited unexpectedly (${code})\n`);
    void shutdown(1);
  });
  watchLauncher(() => void shutdown(0));
  process.stdout.write(`${JSON.stringify(sim.ready)}\n`);
  const r = sim.ready;
  process.stderr.write(
    `[camera-sim] ${r.cameras.length} camera(s), ${r.codec}, auth ${r.auth} (user ${opts.user}): RTSP ${r.cameras[0]?.rtspMain.replace(/cam1\/main$/, 'camN/{main,sub}')}, ` +
      `ONVIF ${r.cameras[0]?.onvifUrl}${r.cameras.length > 1 ? ' ...' : ''}, control ${r.controlUrl}/status${r.discovery ? ', WS-Discovery on' : ''}\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
