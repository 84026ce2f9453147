// `npm run bench:seats -- [--json] [--seats 8] [--browser-seats 2] [--cameras 4] [--seconds 60]`: a
// room of seats on one site engine (docs/design/site-engine.md), measured as the room would feel it.
//
// Two network namespaces joined by a veth pair (electron/core/testing/netns.ts; needs root): the
// site engine (`npm run engine`, TLS with its own CA, secrets as the systemd unit keeps them) and
// the camera simulator in one, and in the other this script again as the seats' side. Every seat
// enrols with its own one-time code, pins the site CA, signs in as a guard of its own whose saved
// wall is 2x2 sub streams, and reaches the engine only across the link (10.77.0.1:8443):
//   - --browser-seats of them are Debian's Chromium (one browser context each, the CA pinned by its
//     SPKI) showing the wall with hls.js;
//   - the others pull the same four streams as a player does, without decoding (StreamSeat below).
// A seat's Chromium decodes four pictures in software (no GPU here); eight of them on this
// machine's two cores took 173 % of it and starved everything else, engine included, so the
// figures described the test machine, not the engine: on a real room each seat is its own PC.
//
// Measured once every seat plays, for --seconds:
//   - latencyMsP95: glass to glass (rVFC display time - capture time burned in by the simulator) of
//     every tile of every Chromium seat, bench/page-probe.ts; the worst seat's p95;
//   - streamSeatPartGapMsP95: the longest p95 gap between parts arriving at a stream seat;
//   - commandRttMsP95: `session.status` from a reviewer's Node seat (seat-client) every 250 ms;
//   - eventDeliveryMsP95: the reviewer creates an incident on one camera every 5 s; from sending
//     the command to each seat receiving `incident.created` on its socket (a page's socket, or a
//     stream seat's), over every seat and incident;
//   - engineCpuPercentPerSeat: the engine's process tree (node and its ffmpeg) with the seats
//     watching, minus the same before any seat opened (recording only), per seat; % of one core.
// CPU of the simulator and of the seats' side is reported apart: on a 2-core machine they compete
// with the engine (docs/benchmarks.md says what was seen).
import { approveWaiting, SETUP_BASIS } from '../electron/core/testing/grant-approval';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { requestSeatCode } from '../electron/core/host/local-admin';
import { connect, enrol, fetchMedia, pinnedAgent, type SeatClient } from '../electron/core/seat-client';
import { ENGINE_IP, makeNetPair, netnsUnavailable, type NetPair } from '../electron/core/testing/netns';
import { startEngine } from '../electron/core/testing/site-engine-fixture';
import { startSimulator } from '../tools/camera-sim/client';
import type { LatencySample } from './page-probe';
import { waitMainStreamsLive } from './engine-setup';
import { machine } from './proc-cpu';
import { CHROMIUM, CHROMIUM_ARGS, Cleanup, cpuPercent, ensureRenderer, machineBusyMs, percentile, probe, probeScript, REPO, round, sayer, sleep, treeCpu, type Say } from './browser';

const { values } = parseArgs({
  options: {
    seats: { type: 'string', default: '8' },
    'browser-seats': { type: 'string', default: '2' },
    cameras: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '60' },
    json: { type: 'boolean', default: false },
  },
});
const say = sayer(values.json);
const PORT = 8443;
const ORIGIN = `https://${ENGINE_IP}:${PORT}`;
const ADMIN = { username: 'bench.admin', displayName: 'Bench Administrator', password: 'Quiet-Harbour-Lantern-42' };
const REVIEWER = { username: 'bench.reviewer', displayName: 'Bench Reviewer', temp: 'Amber-Signal-Tower-19', password: 'Silent-Copper-Bridge-73' };
const guardOf = (i: number) => ({ username: `bench.guard${i + 1}`, displayName: `Bench Guard ${i + 1}`, temp: 'Amber-Signal-Tower-19', password: 'Silent-Copper-Bridge-73' });
const TILE_VIDEO = '[data-testid=wall-tile] [data-testid=tile-video]';

/** What the engine's side hands the seats' side (this script again, inside the seats' namespace). */
interface DriverInput {
  seats: number;
  browserSeats: number;
  seconds: number;
  fingerprint: string;
  setupCode: string;
  cameras: { rtspMain: string; rtspSub: string; name: string }[];
}

/** Lines the seats' side prints for the engine's side: JSON, one per line. */
type DriverLine = { op: 'say'; text: string } | { op: 'baseline-start' } | { op: 'baseline-end' } | { op: 'measure-start' } | { op: 'measure-end' } | { op: 'result'; result: Record<string, unknown> };

// --- the engine's side (the root namespace: starts everything, reads CPU) ----------------------

async function engineSide(): Promise<void> {
  const seats = Number(values.seats);
  const browserSeats = Math.min(seats, Number(values['browser-seats']));
  const cameras = Number(values.cameras);
  const seconds = Number(values.seconds);
  if (!(seats >= 1) || !(browserSeats >= 0) || !(cameras >= 1) || !(seconds > 0)) throw new Error('--seats, --cameras and --seconds must be positive');
  const why = netnsUnavailable();
  if (why) throw new Error(`bench:seats runs the engine and the seats in network namespaces of their own: ${why}`);
  const cleanup = new Cleanup();
  try {
    ensureRenderer(say);
    const pair: NetPair = makeNetPair();
    cleanup.add('namespaces', () => pair.dispose());
    const inEngineNs = (command: string, args: string[], opts: Parameters<NetPair['spawnIn']>[3]) => pair.spawnIn(pair.engineNs, command, args, opts);

    say(`starting the camera simulator (${cameras} cameras) and the site engine in ${pair.engineNs}...`);
    const sim = await startSimulator({ cameras, auth: 'none', spawner: inEngineNs });
    cleanup.add('simulator', () => sim.close());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-seats-'));
    cleanup.add('data dir', () => fs.rmSync(dataDir, { recursive: true, force: true }));
    // Secrets as the systemd unit keeps them: sealed under a key in $CREDENTIALS_DIRECTORY.
    const creds = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-seats-creds-'));
    cleanup.add('credentials', () => fs.rmSync(creds, { recursive: true, force: true }));
    fs.writeFileSync(path.join(creds, 'secrets-key'), randomBytes(32), { mode: 0o600 });
    const engine = await startEngine({ spawner: inEngineNs, dataDir, listen: `${ENGINE_IP}:${PORT}`, entry: 'cli', extraArgs: ['--secrets', 'credential'], env: { CREDENTIALS_DIRECTORY: creds } });
    cleanup.add('engine', async () => {
      if (engine.child.exitCode !== null || engine.child.signalCode !== null) return;
      engine.child.kill('SIGTERM');
      await engine.exited;
    });
    const engineTree = () => treeCpu(engine.child.pid!);
    const simTree = () => treeCpu(sim.pid);
    const setupCode = (await requestSeatCode(dataDir, 'Bench set-up', 'Engine room')).code;

    const input: DriverInput = { seats, browserSeats, seconds, fingerprint: engine.fingerprint, setupCode, cameras: sim.cameras.map((c) => ({ rtspMain: c.rtspMain, rtspSub: c.rtspSub, name: c.name })) };
    const driver = pair.spawnIn(pair.seatNs, process.execPath, ['--import', 'tsx', path.join(REPO, 'bench/seats.ts')], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BENCH_SEATS_DRIVER: JSON.stringify(input) },
    });
    cleanup.add('seats', () => {
      if (driver.exitCode === null && driver.signalCode === null) driver.kill('SIGTERM');
    });
    let driverErr = '';
    driver.stderr!.on('data', (d: Buffer) => {
      driverErr = (driverErr + d.toString()).slice(-20_000);
    });

    let baseline: { at: number; engine: Map<number, number> } | null = null;
    let recordingOnlyPercent: number | null = null;
    let start: { at: number; engine: Map<number, number>; sim: Map<number, number>; seats: Map<number, number>; machineMs: number } | null = null;
    let cpu: Record<string, number> | null = null;
    let result: Record<string, unknown> | null = null;
    const lines = createInterface({ input: driver.stdout! });
    const done = new Promise<void>((resolve, reject) => {
      driver.once('exit', (code) => (result ? resolve() : reject(new Error(`the seats' side exited (${code}) without a result:\n${driverErr}`))));
    });
    lines.on('line', (text) => {
      let m: DriverLine;
      try {
        m = JSON.parse(text) as DriverLine;
      } catch {
        return;
      }
      if (m.op === 'say') say(m.text);
      // The engine recording with every user set up and no seat open yet.
      else if (m.op === 'baseline-start') baseline = { at: performance.now(), engine: engineTree() };
      else if (m.op === 'baseline-end' && baseline) recordingOnlyPercent = cpuPercent(baseline.engine, engineTree(), performance.now() - baseline.at);
      else if (m.op === 'measure-start') {
        start = { at: performance.now(), engine: engineTree(), sim: simTree(), seats: treeCpu(driver.pid!), machineMs: machineBusyMs() };
      } else if (m.op === 'measure-end' && start) {
        const wall = performance.now() - start.at;
        cpu = {
          enginePercent: cpuPercent(start.engine, engineTree(), wall),
          simulatorPercent: cpuPercent(start.sim, simTree(), wall),
          seatsPercent: cpuPercent(start.seats, treeCpu(driver.pid!), wall),
          machinePercent: round(((machineBusyMs() - start.machineMs) / wall) * 100, 1)!,
        };
      } else if (m.op === 'result') result = m.result;
    });
    await done;
    if (!result || !cpu || recordingOnlyPercent === null) throw new Error('the seats\' side ended before measuring');
    const c = cpu as Record<string, number>;
    const idle = recordingOnlyPercent as number;
    const out = {
      seats,
      browserSeats,
      cameras,
      ...(result as Record<string, unknown>),
      // What the seats add to the engine: its tree with them watching, minus recording alone.
      engineCpuPercentPerSeat: round((c.enginePercent! - idle) / seats, 1),
      cpu: { ...c, engineRecordingOnlyPercent: idle },
      machine: machine(),
    };
    say(JSON.stringify(out, null, 2));
    if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await cleanup.run();
  }
}

// --- the seats' side (inside the seats' namespace) --------------------------------------------

async function seatsSide(input: DriverInput): Promise<void> {
  const emit = (m: DriverLine) => process.stdout.write(`${JSON.stringify(m)}\n`);
  const tell: Say = (text) => emit({ op: 'say', text });
  const cleanup = new Cleanup();
  try {
    const setup = await nodeSeat(input.setupCode, input.fingerprint, 'bench set-up');
    cleanup.add('set-up seat', () => setup.client.close());
    const must = setup.must;
    await must('setup.createAdmin', ADMIN);
    await must('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    const version = ((await must('commitment.get', { language: 'en' })) as { version: string }).version;
    await must('commitment.accept', { version });
    const groupId = ((await must('groups.create', { name: 'Bench', description: 'Benchmark cameras' })) as { id: number }).id;
    const cameraIds: number[] = [];
    for (const c of input.cameras) {
      const added = (await must('cameras.add', {
        settings: { name: c.name, site: 'Bench', groupId, purpose: 'benchmark camera', areaType: 'public_space', retentionDays: 14, retentionReason: null, location: '', locationConfidential: false },
        source: { kind: 'rtsp', mainUrl: c.rtspMain, subUrl: c.rtspSub },
        username: null,
        password: null,
      })) as { id: number };
      cameraIds.push(added.id);
    }
    const wall = cameraIds.slice(0, 4);
    const users = [REVIEWER, ...Array.from({ length: input.seats }, (_, i) => guardOf(i))];
    for (const [i, u] of users.entries()) {
      await must('users.create', { username: u.username, displayName: u.displayName, role: i === 0 ? 'reviewer' : 'guard', groupIds: [groupId], language: 'en', initialPassword: u.temp, basis: SETUP_BASIS });
    }
    await approveWaiting(must, users.map((u) => u.username), () => must('auth.signIn', { username: ADMIN.username, password: ADMIN.password }));
    const codes: string[] = [];
    for (let i = 0; i < input.seats; i++) codes.push(((await must('seats.register', { name: `Desk ${i + 1}`, room: 'Control room' })) as { code: string }).code);
    const reviewerCode = ((await must('seats.register', { name: 'Reviewer desk', room: 'Back office' })) as { code: string }).code;
    await must('auth.signOut', {});
    // First sign-in of every user done on the set-up seat: new password, commitment, the guards' walls.
    for (const [i, u] of users.entries()) {
      await must('auth.signIn', { username: u.username, password: u.temp });
      await must('auth.changePassword', { currentPassword: u.temp, newPassword: u.password });
      await must('commitment.accept', { version });
      if (i > 0) await must('walls.save', { name: 'default', layout: 4, tiles: wall });
      await must('auth.signOut', {});
    }
    await must('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    await waitMainStreamsLive(must, cameraIds.length);
    await must('auth.signOut', {});
    tell(`set up: ${cameraIds.length} cameras recording, ${input.seats} guards and a reviewer; the engine records with no seat for 15 s`);
    emit({ op: 'baseline-start' });
    await sleep(15_000);
    emit({ op: 'baseline-end' });

    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${Buffer.from(input.fingerprint, 'hex').toString('base64')}`] });
    cleanup.add('chromium', () => browser.close());
    const pages: Page[] = [];
    for (let i = 0; i < input.browserSeats; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      await context.addInitScript({ content: await probeScript() });
      await context.addInitScript({ content: EVENT_RECORDER });
      const page = await openSeat(context, codes[i]!, guardOf(i));
      pages.push(page);
      tell(`seat ${i + 1}/${input.seats} (Chromium) enrolled and signed in`);
    }
    const streamSeats: StreamSeat[] = [];
    for (let i = input.browserSeats; i < input.seats; i++) {
      const seat = await StreamSeat.open(codes[i]!, input.fingerprint, guardOf(i), wall);
      cleanup.add(`stream seat ${i + 1}`, () => seat.close());
      streamSeats.push(seat);
      tell(`seat ${i + 1}/${input.seats} (stream puller) enrolled, signed in, pulling ${wall.length} sub streams`);
    }
    for (const [i, page] of pages.entries()) await waitWallPlaying(page, wall.length, `seat ${i + 1}`);
    tell('every seat plays or pulls its 2x2 wall; settling 10 s');
    await sleep(10_000);

    const reviewer = await nodeSeat(reviewerCode, input.fingerprint, 'bench reviewer');
    cleanup.add('reviewer seat', () => reviewer.client.close());
    await reviewer.must('auth.signIn', { username: REVIEWER.username, password: REVIEWER.password });

    for (const page of pages) await probe(page, 'startLatency', TILE_VIDEO, 500);
    for (const seat of streamSeats) seat.startMeasuring();
    emit({ op: 'measure-start' });
    const rtts: number[] = [];
    const sent = new Map<number, number>();
    const endAt = Date.now() + input.seconds * 1000;
    let nextIncidentAt = Date.now() + 2000;
    while (Date.now() < endAt) {
      const t0 = performance.now();
      const r = await reviewer.client.call('session.status', {});
      rtts.push(performance.now() - t0);
      if (!r.ok) throw new Error(`session.status failed: ${r.error.message}`);
      if (Date.now() >= nextIncidentAt) {
        nextIncidentAt += 5000;
        const now = Date.now();
        const incident = await reviewer.must('incidents.create', { cameraIds: [wall[0]!], fromMs: now - 60_000, toMs: now - 30_000, category: 'other', title: 'Bench incident', note: '' });
        sent.set((incident as { id: number }).id, now);
      }
      await sleep(250);
    }
    emit({ op: 'measure-end' });
    await sleep(2000); // the last incident's events
    const perSeat: Record<string, unknown>[] = [];
    const deliveries: number[] = [];
    let missed = 0;
    for (const page of pages) {
      const { samples, failures, stalls } = await probe(page, 'stopLatency');
      const lat = samples.map((x: LatencySample) => x.latencyMs);
      perSeat.push({ kind: 'chromium', p50: round(percentile(lat, 50)), p95: round(percentile(lat, 95)), samples: lat.length, undecodable: failures, stalls: stalls.length });
      const got = await page.evaluate(() => (window as unknown as { __benchEvents: { incidentId: number; atMs: number }[] }).__benchEvents);
      for (const [id, at] of sent) {
        const e = got.find((x) => x.incidentId === id);
        if (e) deliveries.push(e.atMs - at);
        else missed++;
      }
    }
    for (const seat of streamSeats) {
      const r = seat.stop();
      perSeat.push({ kind: 'stream', partGapMsP95: round(percentile(r.gaps, 95)), partGapMsMax: round(percentile(r.gaps, 100)), parts: r.parts, partFailures: r.failures });
      for (const [id, at] of sent) {
        const e = r.events.get(id);
        if (e !== undefined) deliveries.push(e - at);
        else missed++;
      }
    }
    const browserP95 = perSeat.filter((x) => x.kind === 'chromium').map((x) => x.p95 as number | null);
    emit({
      op: 'result',
      result: {
        // Glass to glass needs a decoder: the Chromium seats' worst p95 (the stream seats load the engine alike).
        latencyMsP95: browserP95.length ? Math.max(...browserP95.map((x) => x ?? Infinity)) : null,
        commandRttMsP95: round(percentile(rtts, 95), 1),
        eventDeliveryMsP95: round(percentile(deliveries, 95)),
        streamSeatPartGapMsP95: round(percentile(perSeat.filter((x) => x.kind === 'stream').map((x) => x.partGapMsP95 as number), 100)),
        perSeat,
        commandRttMsP50: round(percentile(rtts, 50), 1),
        commands: rtts.length,
        incidents: sent.size,
        eventsMissed: missed,
        eventDeliveryMsMax: round(percentile(deliveries, 100)),
      },
    });
  } finally {
    await cleanup.run();
  }
}

/** Records, in each page, when its socket received `incident.created` (before the renderer sees it). */
const EVENT_RECORDER = `(() => {
  const seen = [];
  Object.defineProperty(window, '__benchEvents', { value: seen });
  const Original = window.WebSocket;
  window.WebSocket = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (m) => {
        if (typeof m.data !== 'string' || !m.data.includes('incident.created')) return;
        try {
          const e = JSON.parse(m.data).event;
          if (e && e.type === 'incident.created') seen.push({ incidentId: e.incidentId, atMs: Date.now() });
        } catch {}
      });
    }
  };
})();`;

/**
 * A seat without a screen: enrolled and signed in like the others, it opens the 2x2 wall's views
 * (live.open) and pulls each sub stream as an LL-HLS player does, part after part through the
 * preload hint (the engine holds the request until the part exists), reads live.status as a wall
 * does, and hears pushed events on its socket. It loads the engine as a seat would; it measures the
 * gaps between parts arriving (200 ms apart when delivery keeps up) and when events arrive.
 */
class StreamSeat {
  private measuring = false;
  private stopped = false;
  private readonly gaps: number[] = [];
  private parts = 0;
  private failures = 0;
  private readonly events = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  private constructor(private readonly seat: { client: SeatClient; must: (name: string, payload: unknown) => Promise<unknown> }) {}

  static async open(code: string, fingerprint: string, guard: { username: string; password: string }, cameraIds: number[]): Promise<StreamSeat> {
    let self: StreamSeat | null = null;
    const seat = await nodeSeat(code, fingerprint, 'bench stream seat', (event) => self?.onEvent(event));
    self = new StreamSeat(seat);
    await seat.must('auth.signIn', { username: guard.username, password: guard.password });
    const agent = await pinnedAgent(ORIGIN, fingerprint);
    const viewIds: string[] = [];
    for (const cameraId of cameraIds) {
      const view = (await seat.must('live.open', { cameraId, stream: 'sub' })) as { viewId: string; url: string };
      viewIds.push(view.viewId);
      void self.pull(view.url, fingerprint, agent);
    }
    self.timer = setInterval(() => void seat.client.call('live.status', { viewIds }), 10_000);
    return self;
  }

  private onEvent(event: unknown): void {
    const e = event as { type?: string; incidentId?: number };
    if (e.type === 'incident.created' && typeof e.incidentId === 'number' && !this.events.has(e.incidentId)) this.events.set(e.incidentId, Date.now());
  }

  private async pull(playlistUrl: string, fingerprint: string, agent: Awaited<ReturnType<typeof pinnedAgent>>): Promise<void> {
    let next: number | null = null;
    let lastAt = 0;
    while (!this.stopped) {
      try {
        if (next === null) {
          const playlist = await fetchMedia(playlistUrl, fingerprint, { agent });
          const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part\/(\d+)\.m4s"/.exec(playlist.body.toString('utf8'));
          if (playlist.status !== 200 || !hint) throw new Error(`playlist: HTTP ${playlist.status}`);
          next = Number(hint[1]);
        }
        const part = await fetchMedia(new URL(`part/${next}.m4s`, playlistUrl).href, fingerprint, { agent });
        if (part.status !== 200) throw new Error(`part ${next}: HTTP ${part.status}`);
        const now = performance.now();
        if (this.measuring) {
          if (lastAt > 0) this.gaps.push(now - lastAt);
          this.parts++;
        }
        lastAt = now;
        next++;
      } catch {
        if (this.stopped) return;
        if (this.measuring) this.failures++;
        next = null; // start again from the playlist, as a player would after an error
        await sleep(500);
      }
    }
  }

  startMeasuring(): void {
    this.measuring = true;
  }

  stop(): { gaps: number[]; parts: number; failures: number; events: Map<number, number> } {
    this.measuring = false;
    return { gaps: this.gaps, parts: this.parts, failures: this.failures, events: this.events };
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.seat.client.close();
  }
}

async function nodeSeat(code: string, fingerprint: string, version: string, onEvent?: (event: unknown) => void): Promise<{ client: SeatClient; must: (name: string, payload: unknown) => Promise<unknown> }> {
  const e = await enrol(ORIGIN, code, fingerprint, version);
  const client = connect(ORIGIN, e.seatId, e.credential, e.fingerprint, { version, ...(onEvent ? { onEvent } : {}) });
  await client.ready();
  return {
    client,
    must: async (name, payload) => {
      const r = await client.call(name, payload);
      if (!r.ok) throw new Error(`${name} failed: ${r.error.kind}: ${r.error.message}`);
      return r.value;
    },
  };
}

/** A browser seat: the enrolment screen with its one-time code, then the guard's sign-in and wall. */
async function openSeat(context: BrowserContext, code: string, guard: { username: string; password: string }): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/`);
  await page.getByTestId('enrol-code').fill(code);
  await page.getByTestId('enrol-submit').click();
  await page.getByTestId('enrol-continue').click();
  await page.getByTestId('signin-username').fill(guard.username);
  await page.getByTestId('signin-password').fill(guard.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('wall-grid').waitFor({ timeout: 30_000 });
  return page;
}

async function waitWallPlaying(page: Page, tiles: number, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const playing = await page.evaluate(() => {
      const w = (window as unknown as { __wall?: { tiles(): { playingDateMs: number | null; frozen: boolean; single: boolean }[] } }).__wall;
      return (w?.tiles() ?? []).filter((t) => !t.single && t.playingDateMs !== null && !t.frozen).length;
    });
    if (playing >= tiles) return;
    if (Date.now() > deadline) throw new Error(`${name}: only ${playing}/${tiles} tiles playing after 60 s`);
    await sleep(500);
  }
}

// Both sides are this file: the seats' side is started inside its namespace with its input in the environment.
if (process.env.BENCH_SEATS_DRIVER) {
  await seatsSide(JSON.parse(process.env.BENCH_SEATS_DRIVER) as DriverInput);
} else {
  await engineSide();
}
