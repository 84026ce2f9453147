// Lint, and the layer rule (docs/design/overview.md §2): dependencies point
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

/** What users run never contains a test seam: production code imports no test helpers (testing/),
 *  no simulator or tool (tools/) and no journey (e2e/). Tests and testing/ themselves may. */
const TEST_SEAMS = [{ group: ['**/testing/**', './testing/*', '**/tools/**', '**/e2e/**'], message: 'Production code imports no test helpers, tools or journeys (docs/design/overview.md §9).' }];
const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'];

/** The layer rule for a layer's files, with the test-seam rule added for its production files. */
function layer(files, patterns, extra = {}) {
  return [
    { files, ...extra, rules: { ...(extra.rules ?? {}), ...restrict(patterns) } },
    { files, ignores: TESTS, rules: restrict([...patterns, ...TEST_SEAMS]) },
  ];
}

const CORE_LAYER = [
  { group: ['electron', 'electron/*'], message: 'electron/core runs in plain Node: it never imports electron (docs/design/overview.md §2).' },
  { group: ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '../main/*', '../preload/*'], message: 'electron/core must not depend on outer layers (docs/design/overview.md §2).' },
];

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
  ...layer(['shared/**/*.ts'], [
    { group: NODE_BUILTINS, message: 'shared/ is pure: no Node APIs (docs/design/overview.md §2).' },
    { group: ['electron', 'electron/*', 'react', 'react-dom', ...NODE_ONLY_PACKAGES], message: 'shared/ is pure: no platform libraries (docs/design/overview.md §2).' },
    { group: ['**/electron/**', '../electron', '**/renderer/**', '../renderer'], message: 'shared/ must not depend on other layers (docs/design/overview.md §2).' },
  ]),
  // Tests in shared/ may drive the real engine.
  { files: ['shared/**/*.test.ts'], rules: { 'no-restricted-imports': 'off' } },
  ...layer(['electron/core/**/*.ts'], CORE_LAYER),
  ...layer(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    [
      { group: NODE_BUILTINS, message: 'The renderer is a web page: no Node APIs (docs/design/overview.md §2, R5).' },
      { group: ['electron', 'electron/*', ...NODE_ONLY_PACKAGES], message: 'The renderer talks only to window.consoleApi and media URLs (docs/design/overview.md §2).' },
      { group: ['**/electron/**', '../electron'], message: 'The renderer must not import the engine or the Electron layers (docs/design/overview.md §2).' },
    ],
    { plugins: { 'react-hooks': reactHooks }, rules: { ...reactHooks.configs.recommended.rules } },
  ),
  // Locale tests read files; they run in Node, not in the page.
  { files: ['renderer/**/*.test.ts'], rules: { 'no-restricted-imports': 'off' } },
  ...layer(['electron/preload/**/*.ts'], [
    { group: NODE_BUILTINS, message: 'The preload is sandboxed: only electron and the contract (docs/design/overview.md §2).' },
    { group: ['**/electron/core/**', '../core/*', '**/renderer/**'], message: 'The preload exposes the contract, nothing of the engine (docs/design/overview.md §2).' },
  ]),
  ...layer(['electron/main/**/*.ts'], [{ group: ['**/renderer/**'], message: 'Main must not import renderer code (docs/design/overview.md §2).' }]),
);
