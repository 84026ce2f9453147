// Vite config of the sandboxed preload (docs/design/overview.md §2 "electron/preload"), merged by Forge's Vite plugin
// over its defaults (CommonJS `.vite/build/preload.cjs`: a sandboxed preload cannot be an ES module).
// The command names are taken from the contract at build time, so the preload checks names without
// bundling zod and the schemas; the main process and the engine validate everything else.
import { tsImport } from 'tsx/esm/api';
import { defineConfig } from 'vite';
import type * as Contract from './shared/contract';

// Loaded through tsx rather than imported, so Vite's config loader does not bundle the contract.
const { COMMAND_NAMES }: typeof Contract = await tsImport('./shared/contract/index.ts', import.meta.url);

export default defineConfig({
  define: {
    __CONSOLE_COMMAND_NAMES__: JSON.stringify(COMMAND_NAMES),
  },
  build: {
    target: 'chrome140',
    rollupOptions: {
      // In a sandboxed preload only `electron` (and a few Node polyfills) can be required.
      external: ['electron'],
    },
  },
});
