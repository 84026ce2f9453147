// A Node entry point bundled into one file with esbuild, for tests that start it as a child process
// many times: Node loads the bundle in well under a second where tsx spends 2-3 s of CPU compiling
// the engine in every child. The bundle is written inside the repository (node_modules/.cache) so
// that its packages, native ones included, resolve as from the sources.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const REPO = path.resolve(import.meta.dirname, '../../..');

export interface BundledEntry {
  /** The bundle, to run as `node FILE ...args`. */
  file: string;
  /** Removes the bundle and its directory. */
  remove(): void;
}

/** Bundles `entry` (a path to a .ts file) as an ES module for Node 22. */
export async function bundleEntry(entry: string): Promise<BundledEntry> {
  fs.mkdirSync(path.join(REPO, 'node_modules/.cache'), { recursive: true });
  const name = path.basename(entry, path.extname(entry));
  const dir = fs.mkdtempSync(path.join(REPO, `node_modules/.cache/${name}-`));
  const file = path.join(dir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Native and lazily required packages stay outside.
    external: ['better-sqlite3', 'keytar', 'node-onvif'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
