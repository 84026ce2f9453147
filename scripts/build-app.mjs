#!/usr/bin/env node
// Builds main, preload and renderer into .vite/ exactly as `electron-forge package` does (same
// Vite plugin worker, same configs from forge.config.ts), without needing the Electron binary.
// Used to check the bundles in CI and by e2e/electron-smoke.test.ts.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(import.meta.url);
const worker = path.join(path.dirname(require.resolve('@electron-forge/plugin-vite')), 'subprocess-worker.js');

const { default: forgeConfig } = await tsImport(path.join(root, 'forge.config.ts'), import.meta.url);
const vite = forgeConfig.plugins.find((p) => p.name === 'vite');
if (!vite) throw new Error('forge.config.ts has no Vite plugin');
const pluginConfig = { build: vite.config.build, renderer: vite.config.renderer };

function run(kind, index, label) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker], {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        FORGE_VITE_PROJECT_DIR: root,
        FORGE_VITE_KIND: kind,
        FORGE_VITE_INDEX: String(index),
        FORGE_VITE_CONFIG: JSON.stringify(pluginConfig),
      },
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`building ${label} failed (exit ${code})`))));
  });
}

const only = process.argv[2]; // optional: "main" | "preload" | "renderer"
for (const [index, spec] of pluginConfig.build.entries()) {
  if (!only || only === (spec.target ?? 'main')) await run('build', index, spec.entry);
}
for (const [index, spec] of pluginConfig.renderer.entries()) {
  if (!only || only === 'renderer') await run('renderer', index, spec.name);
}
console.log(`built ${only ?? 'main, preload and renderer'} into .vite/`);
