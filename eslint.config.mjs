// Lint, and the layer rule (DESIGN §2, HOUSE-STYLE "Layers you can see"): dependencies point
// inward. shared/ is pure; electron/core never imports electron; the renderer never imports Node
// or the engine. A wrong import fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTINS = [
  'node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream', 'util', 'worker_threads', 'url', 'events', 'buffer', 'zlib', 'dgram', 'tls',
];
const NODE_ONLY_PACKAGES = ['better-sqlite3', 'keytar', 'ws', 'kysely', 'kysely/*', 'electron-store', 'node-onvif'];

function restrict(patterns) {
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', '.vite', '.tools', 'reports', 'test-results', 'playwright-report', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js', 'scripts/**', 'bench/**', 'e2e/**', 'electron/**', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict([
      { group: NODE_BUILTINS, message: 'shared/ is pure: no Node APIs (DESIGN §2).' },
      { group: ['electron', 'electron/*', 'react', 'react-dom', ...NODE_ONLY_PACKAGES], message: 'shared/ is pure: no platform libraries (DESIGN §2).' },
      { group: ['**/electron/**', '../electron', '**/renderer/**', '../renderer'], message: 'shared/ must not depend on other layers (DESIGN §2).' },
    ]),
  },
  // Tests in shared/ may drive the real engine.
  { files: ['shared/**/*.test.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['electron/core/**/*.ts'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'electron/core runs in plain Node: it never imports electron (DESIGN §2).' },
      { group: ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '../main/*', '../preload/*'], message: 'electron/core must not depend on outer layers (DESIGN §2).' },
    ]),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        { group: NODE_BUILTINS, message: 'The renderer is a web page: no Node APIs (DESIGN §2, R5).' },
        { group: ['electron', 'electron/*', ...NODE_ONLY_PACKAGES], message: 'The renderer talks only to window.consoleApi and media URLs (DESIGN §2).' },
        { group: ['**/electron/**', '../electron'], message: 'The renderer must not import the engine or the Electron layers (DESIGN §2).' },
      ]),
    },
  },
  // Locale tests read files; they run in Node, not in the page.
  { files: ['renderer/**/*.test.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict([
      { group: NODE_BUILTINS, message: 'The preload is sandboxed: only electron and the contract (DESIGN §2).' },
      { group: ['**/electron/core/**', '../core/*', '**/renderer/**'], message: 'The preload exposes the contract, nothing of the engine (DESIGN §2).' },
    ]),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict([{ group: ['**/renderer/**'], message: 'Main must not import renderer code (DESIGN §2).' }]),
  },
);
