#!/usr/bin/env node
// Security scan of the Electron layers (docs/design/overview.md §2: electron/main and electron/preload; the renderer is
// untrusted) with Doyensec's Electronegativity. Electronegativity parses TypeScript itself, so the
// sources are scanned, not the bundle. Writes reports/electronegativity.{json,csv} and fails on any
// HIGH finding that scripts/electronegativity-allow.json does not list with a reason.
//
// The two layers and renderer/index.html (for its CSP meta tag) are scanned in ONE run: the global
// checks (CSP, navigation limits, permission handler) look across files, and scanning the preload
// alone would report the main process' protections as missing.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');

const SCANNED = ['electron/main', 'electron/preload', 'renderer/index.html'];
/**
 * Not run: it downloads Electron's release list to flag outdated versions. That is dependency
 * freshness (npm outdated / update bot), needs the network, and would make CI results drift by date.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const reportsDir = path.join(root, 'reports');
const allowFile = path.join(root, 'scripts', 'electronegativity-allow.json');

function stageInput() {
  const stage = path.join(reportsDir, 'electronegativity-input');
  fs.rmSync(stage, { recursive: true, force: true });
  for (const rel of SCANNED) {
    const from = path.join(root, rel);
    if (!fs.existsSync(from)) throw new Error(`${rel} does not exist`);
    fs.cpSync(from, path.join(stage, rel), {
      recursive: true,
      filter: (src) => fs.statSync(src).isDirectory() || /\.(ts|tsx|js|mjs|cjs|html)$/.test(src),
    });
  }
  return stage;
}

function loadAllowList() {
  const entries = JSON.parse(fs.readFileSync(allowFile, 'utf8'));
  if (!Array.isArray(entries)) throw new Error(`${allowFile}: expected an array`);
  for (const [i, e] of entries.entries()) {
    for (const key of ['check', 'file', 'why']) {
      if (typeof e?.[key] !== 'string' || e[key].trim() === '') throw new Error(`${allowFile}[${i}]: "${key}" must be a non-empty string`);
    }
  }
  return entries;
}

function csvCell(value) {
  const s = String(value ?? '');
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const electronVersion = require('electron/package.json').version;
const allowList = loadAllowList();
const input = stageInput();

const result = await run({
  input,
  isRelative: true,
  electronVersionOverride: electronVersion,
  customScan: [],
  excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
  parserPlugins: [],
});

const findings = result.issues.map((i) => ({
  check: i.id,
  severity: i.severity.name,
  confidence: i.confidence.name,
  file: i.file.split(path.sep).join('/'),
  line: i.location.line,
  column: i.location.column,
  manualReview: Boolean(i.manualReview),
  description: i.description,
  url: i.shortenedURL,
}));
findings.sort((a, b) => b.severity.localeCompare(a.severity) || a.file.localeCompare(b.file) || a.line - b.line);

const isAllowed = (f) => allowList.some((a) => a.check === f.check && a.file === f.file);
const high = findings.filter((f) => f.severity === 'HIGH');
const blocking = high.filter((f) => !isAllowed(f));
const unused = allowList.filter((a) => !findings.some((f) => f.check === a.check && f.file === a.file));
// A file that could not be parsed was not checked at all: that fails the scan too.
const parseErrors = result.errors.filter((e) => !e.tolerable);

fs.mkdirSync(reportsDir, { recursive: true });
fs.writeFileSync(
  path.join(reportsDir, 'electronegativity.json'),
  JSON.stringify({ electronVersion, scanned: SCANNED, excludedChecks: EXCLUDED_CHECKS, findings, errors: result.errors, allowList }, null, 2) + '\n',
);
const columns = ['check', 'severity', 'confidence', 'file', 'line', 'column', 'manualReview', 'allowed', 'description', 'url'];
const rows = findings.map((f) => columns.map((c) => csvCell(c === 'allowed' ? (f.severity === 'HIGH' ? isAllowed(f) : '') : f[c])).join(','));
fs.writeFileSync(path.join(reportsDir, 'electronegativity.csv'), [columns.join(','), ...rows].join('\n') + '\n');
fs.rmSync(input, { recursive: true, force: true });

for (const f of findings) {
  const tag = f.severity === 'HIGH' ? (isAllowed(f) ? 'HIGH (allowed)' : 'HIGH') : f.severity;
  console.log(`  ${tag.padEnd(14)} ${f.check.padEnd(36)} ${f.file}:${f.line}:${f.column}${f.manualReview ? '  [review]' : ''}`);
}
for (const e of parseErrors) console.log(`  PARSE ERROR    ${e.file}: ${e.message}`);
for (const a of unused) console.log(`  note: allow-list entry ${a.check} ${a.file} matches no finding; remove it`);

const count = (sev) => findings.filter((f) => f.severity === sev).length;
const failed = blocking.length > 0 || parseErrors.length > 0;
console.log(
  `electronegativity: ${findings.length} findings (${count('HIGH')} high, ${count('MEDIUM')} medium, ${count('LOW')} low, ` +
    `${count('INFORMATIONAL')} info), ${high.length - blocking.length} high allow-listed, ${blocking.length} high not allowed, ` +
    `${parseErrors.length} parse errors -> ${failed ? 'FAIL' : 'PASS'} (reports/electronegativity.json, .csv)`,
);
process.exitCode = failed ? 1 : 0;
