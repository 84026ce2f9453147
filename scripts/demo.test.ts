// `npm run demo` is how an administrator practises and how a trainer shows a failure: what it prints
// must be enough to add a camera by hand (address, user name, password of the simulated cameras,
// a camera left out for the purpose) and to make a camera lose power and come back.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
let demo: ChildProcess | null = null;
let out = '';

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, 'dist/renderer/index.html'))) {
    const built = spawnSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`the renderer could not be built: ${built.stderr}`);
  }
  demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--cameras', '1', '--spare', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  demo.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  demo.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const until = Date.now() + 90_000;
  while (!out.includes('Stop with Ctrl+C.')) {
    if (demo.exitCode !== null) throw new Error(`the demo ended (${demo.exitCode}):\n${out}`);
    if (Date.now() > until) throw new Error(`the demo did not start within 90 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(async () => {
  if (!demo || demo.exitCode !== null) return;
  const ended = new Promise((r) => demo!.once('exit', r));
  process.kill(-demo.pid!, 'SIGINT');
  await Promise.race([ended, new Promise((r) => setTimeout(r, 15_000))]);
  if (demo.exitCode === null) process.kill(-demo.pid!, 'SIGKILL');
});

describe('npm run demo', () => {
  it('prints the simulated cameras with their addresses and password, one of them left to add by hand', () => {
    const password = /Camera user name (\S+), password (\S+)/.exec(out);
    expect(password, out).not.toBeNull();
    expect(password![1]).toBe('demo');
    expect(password![2]!.length).toBeGreaterThanOrEqual(10);
    expect(out).toMatch(/ 1\. Market square north\s+RTSP rtsp:\/\/127\.0\.0\.1:\d+\/cam1\/main {2}sub rtsp:\/\/127\.0\.0\.1:\d+\/cam1\/sub {2}ONVIF http:\/\/127\.0\.0\.1:\d+\/onvif\/device_service/);
    expect(out).toMatch(/ 2\. not added: practise adding it\s+RTSP rtsp:\/\/127\.0\.0\.1:\d+\/cam2\/main/);
    expect(out).toContain('Administration > Cameras > Add');
  });

  it('prints how to make a camera lose power and come back, and those commands work', async () => {
    const stop = /curl -X POST (http:\/\/127\.0\.0\.1:\d+\/cameras\/1\/stop)/.exec(out);
    const start = /curl -X POST (http:\/\/127\.0\.0\.1:\d+\/cameras\/1\/start)/.exec(out);
    const status = /status: curl (http:\/\/127\.0\.0\.1:\d+\/status)/.exec(out);
    expect(stop && start && status, out).toBeTruthy();
    const running = async () => ((await (await fetch(status![1]!)).json()) as { cameras: { index: number; running: boolean }[] }).cameras.find((c) => c.index === 1)?.running;
    expect(await running()).toBe(true);
    expect((await fetch(stop![1]!, { method: 'POST' })).ok).toBe(true);
    expect(await running()).toBe(false);
    expect((await fetch(start![1]!, { method: 'POST' })).ok).toBe(true);
    expect(await running()).toBe(true);
  });
});
