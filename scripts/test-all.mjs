// `npm test`: every check of the project, in order, ending with one plain line
// `N passed, N failed, N skipped` read from the runners' JSON reports (CI reads that line).
// Stages: type check per layer, lint (including the layer import rule), Vitest (unit, property,
// keychain, host), renderer build, Playwright (Chromium against host mode), Electronegativity.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, 'reports');
fs.mkdirSync(reports, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const LAYERS = ['shared', 'electron/core', 'electron/main', 'electron/preload', 'renderer', 'e2e', 'scripts', 'tools/camera-sim'];

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function run(label, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${label}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  process.stdout.write(`=== ${label}: exit ${r.status ?? r.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return r.status === 0;
}

function check(label, ok) {
  if (ok) passed += 1;
  else {
    failed += 1;
    failures.push(label);
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

// The simulator's timecode decoder also runs in the page: it must compile with no DOM or Node types.
check('typecheck tools/camera-sim timecode (no DOM, no Node)', run('typecheck timecode', bin('tsc'), ['-p', 'tools/camera-sim/tsconfig.timecode.json']));
for (const layer of LAYERS) {
  const config = path.join(layer, 'tsconfig.json');
  if (!fs.existsSync(path.join(root, config))) {
    check(`typecheck ${layer}: ${config} missing`, false);
    continue;
  }
  check(`typecheck ${layer}`, run(`typecheck ${layer}`, bin('tsc'), ['-p', config]));
}

if (process.argv.includes('--typecheck-only')) {
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
}

check('lint', run('lint (eslint, layer rules)', bin('eslint'), ['--max-warnings', '0', '.']));

const vitestJson = path.join(reports, 'vitest.json');
fs.rmSync(vitestJson, { force: true });
// Inside a private D-Bus session with a throwaway keyring: camera passwords use the real keychain.
const vitestOk = run('vitest', path.join(root, 'scripts/with-keyring.sh'), [bin('vitest'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  for (const file of v.testResults ?? []) {
    for (const a of file.assertionResults ?? []) {
      if (a.status === 'failed') failures.push(`vitest: ${a.fullName} (${path.relative(root, file.name)})\n    ${firstLines(a.failureMessages?.join('\n') ?? '')}`);
    }
    // A file whose hooks failed (a beforeAll in a describe, afterAll) marks its tests skipped, not
    // failed: count the file as one failure, with its own message, so it cannot pass unseen.
    const failedHere = (file.assertionResults ?? []).some((a) => a.status === 'failed');
    if (file.status === 'failed' && !failedHere) {
      failed += 1;
      failures.push(`vitest: ${path.relative(root, file.name)} (the file failed outside its tests)\n    ${firstLines(file.message ?? '', 12)}`);
    }
  }
  // Anything else that failed the run without a failed test or file (a crash of vitest itself).
  if (!vitestOk && v.numFailedTests === 0 && !(v.testResults ?? []).some((f) => f.status === 'failed')) check('vitest run (failed outside any test file)', false);
} else check('vitest produced no report', false);

const built = run('build renderer', bin('vite'), ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn']);
check('build renderer', built);

const pwJson = path.join(reports, 'playwright.json');
fs.rmSync(pwJson, { force: true });
if (built) {
  // Also inside a throwaway keyring: camera passwords entered in the UI go to the real keychain.
  const pwOk = run('playwright (Chromium against host mode)', path.join(root, 'scripts/with-keyring.sh'), [bin('playwright'), 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  const p = readJson(pwJson);
  if (p?.stats) {
    passed += p.stats.expected + (p.stats.flaky ?? 0);
    failed += p.stats.unexpected;
    skipped += p.stats.skipped;
    if (!pwOk && p.stats.unexpected === 0) check('playwright run (errors outside tests)', false);
    for (const t of playwrightFailures(p)) failures.push(t);
  } else check('playwright produced no report', false);
}

check('electronegativity', run('electronegativity (Electron configuration scan)', process.execPath, ['scripts/electronegativity.mjs']));

/** The first lines of a failure message, ANSI colours removed: enough to see why in a CI log. */
function firstLines(message, lines = 6) {
  // eslint-disable-next-line no-control-regex
  return message.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim() !== '').slice(0, lines).join('\n    ');
}

/** Unexpected Playwright results, each with its title and the first lines of its error. */
function playwrightFailures(report) {
  const out = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const error = (test.results ?? []).flatMap((r) => r.errors ?? []).map((e) => e.message ?? '').join('\n');
        out.push(`playwright: ${[...titles, spec.title].join(' > ')} (${spec.file}:${spec.line})\n    ${firstLines(error)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title].filter(Boolean));
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  return out;
}

process.stdout.write('\n');
for (const f of failures) process.stdout.write(`FAILED: ${f}\n`);
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exitCode = failed > 0 ? 1 : 0;
