// The rule that splits Vitest into `unit`, `media` and `timing` (vitest.config.ts): a test file that
// starts the simulator, a host or engine in a child process, a network namespace or a display server
// is listed in MEDIA_TESTS or TIMING_TESTS, and one that measures event-loop blocking in TIMING_TESTS;
// so a new one cannot land in `unit` and starve (or be starved of) its timing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEDIA_TESTS, POSTGRES_ONLY, POSTGRES_TESTS, TIMING_TESTS } from '../vitest.config';

const root = path.resolve(import.meta.dirname, '..');
const TEST_DIRS = ['shared', 'electron', 'renderer', 'scripts', 'e2e', 'tools'];
/** This file names the patterns it looks for. */
const SELF = path.relative(root, import.meta.filename).split(path.sep).join('/');

/** What a file starts, recognised in its text or in the helpers it imports. */
const STARTS: [RegExp, string][] = [
  [/\bstartSimulator\s*\(/, 'the camera simulator'],
  [/\bstartHostProcess\s*\(/, 'a host in a child process'],
  [/crash-child|pressure-child|onvif-in-namespace/, 'an engine in a child process'],
  [/\bunshare\b/, 'a network or mount namespace'],
  [/\bXvfb\b/, 'a display server'],
  [/\bmonitorEventLoopDelay\b/, 'a measurement of event-loop blocking'],
];

/** Helpers followed through imports: test helpers, the simulator and the journeys' steps (never engine code). */
const isHelper = (rel: string) => /(^|\/)testing\//.test(rel) || rel.startsWith('tools/camera-sim/') || rel.startsWith('e2e/');

function testFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(rel);
      else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(rel);
    }
  };
  for (const dir of TEST_DIRS) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return out.sort();
}

function resolveImport(from: string, spec: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    if (fs.existsSync(path.join(root, candidate)) && fs.statSync(path.join(root, candidate)).isFile()) return candidate;
  }
  return null;
}

/** The reasons a test file belongs to `media`: what it, or a helper it imports, starts. */
function startedBy(file: string): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (rel: string) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    for (const [pattern, what] of STARTS) if (pattern.test(text)) found.add(`${what} (${rel})`);
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      const target = resolveImport(rel, m[1]!);
      if (target && isHelper(target)) visit(target);
    }
  };
  visit(file);
  return [...found];
}

describe('vitest projects', () => {
  const files = testFiles();

  it('every test file that starts the simulator, a child engine, a namespace or a display, or measures blocking, is a media test', () => {
    const missing = files.filter((f) => f !== SELF && !(f in MEDIA_TESTS) && !(f in TIMING_TESTS)).map((f) => ({ file: f, starts: startedBy(f) })).filter((f) => f.starts.length > 0);
    expect(missing, 'add these to MEDIA_TESTS or TIMING_TESTS in vitest.config.ts').toEqual([]);
  });

  it('every file that measures event-loop blocking runs alone (TIMING_TESTS)', () => {
    const sharing = files.filter((f) => f !== SELF && !(f in TIMING_TESTS) && startedBy(f).some((s) => s.startsWith('a measurement of event-loop blocking')));
    expect(sharing, 'move these to TIMING_TESTS in vitest.config.ts').toEqual([]);
  });

  it('every media and timing entry names a test file, and no file is in both', () => {
    expect([...Object.keys(MEDIA_TESTS), ...Object.keys(TIMING_TESTS)].filter((f) => !files.includes(f))).toEqual([]);
    expect(Object.keys(MEDIA_TESTS).filter((f) => f in TIMING_TESTS)).toEqual([]);
  });

  it('every PostgreSQL entry names a test file once, and none starts media or measures time (the project runs two at a time)', () => {
    expect(POSTGRES_TESTS.filter((f) => !files.includes(f))).toEqual([]);
    expect(POSTGRES_TESTS.filter((f, i) => POSTGRES_TESTS.indexOf(f) !== i)).toEqual([]);
    expect(POSTGRES_ONLY.filter((f) => !POSTGRES_TESTS.includes(f))).toEqual([]);
    expect(POSTGRES_TESTS.filter((f) => f in MEDIA_TESTS || f in TIMING_TESTS)).toEqual([]);
  });

  it('recognises what a file starts through the helpers it imports', () => {
    // host.test.ts starts its host through testing/host-process.ts; live.test.ts the simulator through tools/camera-sim/client.ts.
    expect(startedBy('electron/core/host/host.test.ts').join()).toContain('a host in a child process');
    expect(startedBy('electron/core/live/live.test.ts').join()).toContain('the camera simulator (tools/camera-sim/client.ts)');
    // The layer test only names the simulator inside code it lints.
    expect(startedBy('scripts/layers.test.ts')).toEqual([]);
  });
});
