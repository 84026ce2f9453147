#!/usr/bin/env node
// Builds the site engine as the service runs it (docs/design/site-engine.md "Installing"):
//   node scripts/build-engine.mjs OUT_DIR
// OUT_DIR/engine.mjs and OUT_DIR/seat-code.mjs: the engine and its local seat-code command, bundled
// with esbuild (no tsx, no dev dependencies at run time); OUT_DIR/node_modules: only the packages
// loaded at run time by name (native SQLite and keychain bindings, the ONVIF client) with their
// dependencies, copied from this checkout's node_modules as built here; OUT_DIR/renderer: the built
// renderer when there is one (browser seats), else nothing (Node seats bring their own).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = path.resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  process.stderr.write('usage: node scripts/build-engine.mjs OUT_DIR\n');
  process.exit(2);
}
/** Loaded by name at run time (native addons, a createRequire in the ONVIF client): not bundled. */
const EXTERNAL = ['better-sqlite3', 'keytar', 'node-onvif'];

fs.mkdirSync(out, { recursive: true });
await build({
  entryPoints: { engine: path.join(root, 'electron/core/host/engine-cli.ts'), 'seat-code': path.join(root, 'electron/core/host/seat-code-cli.ts') },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: EXTERNAL,
  // CommonJS dependencies inside the ESM bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});

/** A package and everything it depends on, resolved as Node would from `from` (nested first). */
function closure(name, from, seen) {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) {
      if (seen.has(candidate)) return;
      seen.add(candidate);
      const pkg = JSON.parse(fs.readFileSync(path.join(candidate, 'package.json'), 'utf8'));
      for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
        try {
          closure(dep, candidate, seen);
        } catch (err) {
          if (!(pkg.optionalDependencies && dep in pkg.optionalDependencies)) throw err;
        }
      }
      return;
    }
    if (dir === root || dir === path.dirname(dir)) throw new Error(`${name} is not installed under ${root} (run npm ci)`);
    dir = path.dirname(dir);
  }
}
const packages = new Set();
for (const name of EXTERNAL) closure(name, root, packages);
fs.rmSync(path.join(out, 'node_modules'), { recursive: true, force: true });
for (const dir of packages) {
  const target = path.join(out, path.relative(root, dir));
  fs.cpSync(dir, target, { recursive: true, dereference: true, filter: (src) => !/[\\/](deps|src|test|obj\.target)$/.test(src) });
}
fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify({ name: 'operator-console-engine', private: true, type: 'module' }, null, 2) + '\n');

const renderer = path.join(root, 'dist/renderer');
fs.rmSync(path.join(out, 'renderer'), { recursive: true, force: true });
if (fs.existsSync(path.join(renderer, 'index.html'))) fs.cpSync(renderer, path.join(out, 'renderer'), { recursive: true });
console.log(`built the site engine into ${out} (${packages.size} run-time packages${fs.existsSync(path.join(out, 'renderer')) ? ', renderer' : ', no renderer'})`);
