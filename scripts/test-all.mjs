// `npm test`: every check of the project, ending with one plain line
// `N passed, N failed, N skipped` read from the runners' JSON reports (CI reads that line).
//
// Stages, ordered for a 2-core machine:
//   1. What needs only the CPU, side by side: the renderer build and Electronegativity, and
//      Vitest's `unit` project (two files at a time).
//   2. Vitest's `media` project, three files at a time with nothing else running (these files
//      mostly wait in real time for the simulator and child engines), then `timing`, one file at a
//      time: they measure durations on the wall clock (vitest.config.ts says which files and why);
//      beside them, at the lowest priority (nice 19), the type check of every layer (`tsc -b`) and
//      ESLint (including the layer import rule).
//   3. Vitest's `postgres` project: the engine's tests again on PostgreSQL (a throwaway cluster the
//      project starts and stops), two files at a time.
//   4. Playwright: the journeys in Debian's Chromium against host mode, those without the simulator
//      two at a time, then those with it, also two at a time (e2e/journeys.ts).
// Output of side-by-side stages is printed as each one ends; each stage ends with
// `=== label: exit N in T s`. A failing layer, a failing Vitest project, a runner that crashed or
// wrote no report each count as a failure, named in the summary.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, 'reports');
fs.mkdirSync(reports, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const withKeyring = path.join(root, 'scripts/with-keyring.sh');

/** Every type-checked project of tsconfig.json's references, and the name the summary gives it. */
const LAYERS = {
  'shared/tsconfig.json': 'shared',
  'shared/tsconfig.test.json': 'shared (tests)',
  'electron/core/tsconfig.json': 'electron/core',
  'electron/main/tsconfig.json': 'electron/main',
  'electron/preload/tsconfig.json': 'electron/preload',
  'renderer/tsconfig.json': 'renderer',
  'e2e/tsconfig.json': 'e2e',
  'scripts/tsconfig.json': 'scripts',
  'tools/camera-sim/tsconfig.json': 'tools/camera-sim',
  // The simulator's timecode decoder also runs in the page: it must compile with no DOM or Node types.
  'tools/camera-sim/tsconfig.timecode.json': 'tools/camera-sim timecode (no DOM, no Node)',
};

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

/**
 * Runs one stage. `live` streams its output; otherwise it is kept and printed when the stage ends,
 * so stages running side by side do not interleave their lines.
 */
function run(label, cmd, args, { env = {}, live = false, onOutput, niceness = 0 } = {}) {
  const started = Date.now();
  if (live) process.stdout.write(`\n=== ${label}\n`);
  // At a lower priority (nice): the static checks run beside the timing tests and must not take
  // the CPU those tests ask for.
  if (niceness > 0) [cmd, args] = ['nice', ['-n', String(niceness), cmd, ...args]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let output = '';
    const take = (stream, out) =>
      child[stream].on('data', (d) => {
        if (live) out.write(d);
        else output += d.toString();
      });
    take('stdout', process.stdout);
    take('stderr', process.stderr);
    const finish = (status) => {
      const text = onOutput ? onOutput(output) : output;
      if (!live) process.stdout.write(`\n=== ${label}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}`);
      process.stdout.write(`=== ${label}: exit ${status} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      resolve({ ok: status === 0, output });
    };
    child.once('error', (err) => {
      output += `${err.message}\n`;
      finish('error');
    });
    child.once('close', (code, signal) => finish(code ?? signal));
  });
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

/** Lines of `tsc -b --verbose` that only tell which project it is at. */
const TSC_PROGRESS = /^\S.* - (Projects in this build|Project '|Building project|Updating |Skipping build|Building ended)|^ {4}\* /;

/** Every layer with `tsc -b`, each file once; the errors are counted against the layer they belong to. */
async function typecheck(niceness = 0) {
  const r = await run('typecheck (tsc -b: every layer)', bin('tsc'), ['-b', '--verbose', '--pretty', 'false'], {
    niceness,
    onOutput: (out) => out.split(/\r?\n/).filter((l) => l.trim() !== '' && !TSC_PROGRESS.test(l)).join('\n'),
  });
  const inBuild = new Set();
  const withErrors = new Map();
  let current = null;
  let unattributed = 0;
  for (const line of r.output.split(/\r?\n/)) {
    const listed = /^ {4}\* (.+)$/.exec(line);
    if (listed) inBuild.add(listed[1].trim());
    const building = /Building project '(.+)'\.\.\./.exec(line);
    if (building) current = path.relative(root, building[1]).split(path.sep).join('/');
    const skippedBuild = /Skipping build of project '(.+?)'/.exec(line);
    if (skippedBuild) withErrors.set(path.relative(root, skippedBuild[1]).split(path.sep).join('/'), 'not checked: a project it references failed');
    if (/error TS\d+/.test(line)) {
      if (current) withErrors.set(current, withErrors.get(current) ?? 'type errors (above)');
      else unattributed += 1;
    }
  }
  for (const [config, name] of Object.entries(LAYERS)) {
    if (!fs.existsSync(path.join(root, config))) check(`typecheck ${name}: ${config} missing`, false);
    else if (!inBuild.has(config)) check(`typecheck ${name}: ${config} is not referenced by tsconfig.json`, false);
    else check(withErrors.has(config) ? `typecheck ${name}: ${withErrors.get(config)}` : `typecheck ${name}`, !withErrors.has(config));
  }
  for (const [config, why] of withErrors) if (!(config in LAYERS)) check(`typecheck ${config}: ${why}`, false);
  // A configuration error, or tsc itself failing, with nothing counted against a layer.
  if (!r.ok && withErrors.size === 0) check(`typecheck (tsc -b failed${unattributed ? ' with errors outside any project' : ''})`, false);
}

/** One Vitest project, inside a private D-Bus session with a throwaway keyring (camera passwords use the real keychain). */
async function vitest(project, live) {
  const json = path.join(reports, `vitest-${project}.json`);
  fs.rmSync(json, { force: true });
  const r = await run(`vitest ${project}`, withKeyring, [bin('vitest'), 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`], { live });
  const v = readJson(json);
  if (!v) return check(`vitest ${project} produced no report`, false);
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  for (const file of v.testResults ?? []) {
    for (const a of file.assertionResults ?? []) {
      if (a.status === 'failed') failures.push(`vitest ${project}: ${a.fullName} (${path.relative(root, file.name)})\n    ${firstLines(a.failureMessages?.join('\n') ?? '')}`);
    }
    // A file whose hooks failed (a beforeAll in a describe, afterAll) marks its tests skipped, not
    // failed: count the file as one failure, with its own message, so it cannot pass unseen.
    const failedHere = (file.assertionResults ?? []).some((a) => a.status === 'failed');
    if (file.status === 'failed' && !failedHere) {
      failed += 1;
      failures.push(`vitest ${project}: ${path.relative(root, file.name)} (the file failed outside its tests)\n    ${firstLines(file.message ?? '', 12)}`);
    }
  }
  // Anything else that failed the run without a failed test or file (a crash of vitest itself).
  if (!r.ok && v.numFailedTests === 0 && !(v.testResults ?? []).some((f) => f.status === 'failed')) check(`vitest ${project} run (failed outside any test file)`, false);
}

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

function summary() {
  process.stdout.write('\n');
  for (const f of failures) process.stdout.write(`FAILED: ${f}\n`);
}

if (process.argv.includes('--typecheck-only')) {
  await typecheck();
  summary();
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
}

// 1. CPU only, side by side.
let built = false;
await Promise.all([
  (async () => {
    built = (await run('build renderer', bin('vite'), ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'])).ok;
    check('build renderer', built);
    check('electronegativity', (await run('electronegativity (Electron configuration scan)', process.execPath, ['scripts/electronegativity.mjs'])).ok);
  })(),
  vitest('unit', false),
]);

// 2. Media tests, three at a time, with nothing else running. Then timing tests, one at a time:
// they mostly wait (the machine was 10-40 % busy while they ran), so the type check of every layer
// and ESLint run beside them at the lowest priority (nice 19), taking only the CPU the timing tests
// leave (they took ~100 core-seconds at the start, beside the unit tests).
await vitest('media', true);
await Promise.all([
  vitest('timing', true),
  typecheck(19),
  (async () => check('lint', (await run('lint (eslint, layer rules)', bin('eslint'), ['--max-warnings', '0', '.'], { niceness: 19 })).ok))(),
]);

// 3. The engine's tests on PostgreSQL (docs/design/scale.md), on their own: they start a cluster
// and an engine per test, and would slow the timing tests beside them.
await vitest('postgres', true);

// 4. Journeys: `screens` two at a time, then `media` two at a time (e2e/journeys.ts). Both inside a
// throwaway keyring: camera passwords entered in the UI go to the real keychain.
async function playwright(project, extraArgs = []) {
  const json = path.join(reports, `playwright-${project}.json`);
  fs.rmSync(json, { force: true });
  const pw = await run(`playwright ${project} (Chromium against host mode)`, withKeyring, [bin('playwright'), 'test', '--project', project, ...extraArgs, '--reporter=list,json'], { env: { PLAYWRIGHT_JSON_OUTPUT_NAME: json }, live: true });
  const p = readJson(json);
  if (!p?.stats) return check(`playwright ${project} produced no report`, false);
  passed += p.stats.expected + (p.stats.flaky ?? 0);
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
  if (!pw.ok && p.stats.unexpected === 0) check(`playwright ${project} run (errors outside tests)`, false);
  for (const t of playwrightFailures(p)) failures.push(t);
}
if (built) {
  await playwright('screens');
  await playwright('media', ['--no-deps']);
}

summary();
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exitCode = failed > 0 ? 1 : 0;
