// Once per Playwright run: the journeys' host (e2e/host-entry.ts) bundled with esbuild, so each
// journey's engine starts in well under a second instead of spending 2-3 s of CPU in tsx compiling
// the engine. Written inside the repository (node_modules/.cache) so that its packages, native
// ones included, resolve as from the sources; removed when the run ends. fixtures.ts starts the
// bundle when E2E_HOST_BUNDLE names one, and the sources under tsx otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const REPO = path.resolve(import.meta.dirname, '..');

export default async function globalSetup(): Promise<() => void> {
  fs.mkdirSync(path.join(REPO, 'node_modules/.cache'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(REPO, 'node_modules/.cache/e2e-host-'));
  const outfile = path.join(dir, 'host-entry.mjs');
  await build({
    entryPoints: [path.join(REPO, 'e2e/host-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Native and lazily required packages stay outside.
    external: ['better-sqlite3', 'keytar', 'node-onvif'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  process.env.E2E_HOST_BUNDLE = outfile;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
