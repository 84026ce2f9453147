// Vite config of the renderer (docs/design/overview.md §2): a plain DOM bundle, loaded by Electron from file:// and
// served by the headless host, hence the relative base.
// Built two ways: `vite build --config vite.renderer.config.ts` writes dist/renderer (served by the
// host); Electron Forge's Vite plugin loads this file with `forgeConfigSelf` set and expects the
// bundle in .vite/renderer/<name> (electron/main/app-url.ts), so the output follows the caller.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ConfigEnv } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Forge adds its own fields to the config env. */
function forgeRendererName(env: ConfigEnv): string | null {
  const self: unknown = Reflect.get(env, 'forgeConfigSelf');
  if (typeof self !== 'object' || self === null) return null;
  const name: unknown = Reflect.get(self, 'name');
  return typeof name === 'string' && name ? name : null;
}

export default defineConfig((env) => {
  const forgeName = forgeRendererName(env);
  return {
    root: path.join(here, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: forgeName ? path.join(here, '.vite', 'renderer', forgeName) : path.join(here, 'dist', 'renderer'),
      emptyOutDir: true,
      target: 'chrome130',
      sourcemap: true,
      chunkSizeWarningLimit: 1500,
    },
  };
});
