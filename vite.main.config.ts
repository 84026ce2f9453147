// Vite config of the Electron main process (docs/design/overview.md §2 "electron/main"), merged by Forge's Vite plugin
// over its defaults. Output is ESM `.vite/build/main.js` (package.json "main"; the package is "type": "module").
import { defineConfig } from 'vite';

/** Native modules load their `.node` binaries at run time from node_modules (unpacked from the asar). */
export const NATIVE_EXTERNALS = ['better-sqlite3', 'keytar'];

export default defineConfig({
  build: {
    target: 'node22',
    sourcemap: true,
    lib: {
      entry: 'electron/main/main.ts',
      formats: ['es'],
      fileName: () => 'main.js',
    },
    rollupOptions: {
      external: ['electron', ...NATIVE_EXTERNALS],
    },
  },
});
