// Test helpers for evidence packages (exports/production/production.test.ts, verify-tampering.test.ts): recording
// files as the recorder writes them, and `npm run export:verify` run as a court's expert would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { GopBuilder, packGops } from '../recording/gop-index';
import type { ScopeFile } from '../exports/production-types';
import { split } from './ffmpeg-fixtures';

const REPO = path.resolve(import.meta.dirname, '../../..');

/** A recording file as the recorder writes it: init + fragments, with its keyframe index. */
export function writeRecording(dir: string, startMs: number, bytes: Buffer): ScopeFile {
  const { init, fragments } = split(bytes);
  const b = new GopBuilder(init.timescale);
  let offset = init.bytes.length;
  for (const f of fragments) {
    b.add(offset, f.bytes.length, f.baseDecodeTime, f.durationTicks, f.independent);
    offset += f.bytes.length;
  }
  const file = path.join(dir, `${startMs}.mp4`);
  fs.writeFileSync(file, Buffer.concat([init.bytes, ...fragments.map((f) => f.bytes)]));
  const last = b.gops.at(-1)!;
  return { path: file, startMs, endMs: startMs + last.startRelMs + last.durationMs, initBytes: init.bytes.length, gops: packGops(b.gops) };
}

/** `npm run export:verify -- DIR ARGS...` in a child process: its exit code and everything it printed. */
export function verifyCli(dir: string, args: string[] = []): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/export-verify.ts', dir, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** `export:verify` of a package nobody touched: exit code 0, the signing key's fingerprint printed, and intact. */
export function expectVerifiesIntact(dir: string, fingerprint: string): void {
  const r = verifyCli(dir);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toContain(fingerprint);
  expect(r.out).toContain('RESULT: the package is intact');
}
