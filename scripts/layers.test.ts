// The layer rule itself is tested: a wrong import in each layer, or a test seam in production code,
// is an ESLint error (docs/design/overview.md §2).
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer imports', () => {
  it.each([
    ['shared/probe.ts', "import fs from 'node:fs'; export const x = fs;"],
    ['shared/probe.ts', "import { app } from 'electron'; export const x = app;"],
    ['shared/probe.ts', "import { createEngine } from '../electron/core/engine'; export const x = createEngine;"],
    ['electron/core/probe.ts', "import { app } from 'electron'; export const x = app;"],
    ['electron/core/probe.ts', "import { x } from '../../renderer/App'; export const y = x;"],
    ['renderer/probe.ts', "import fs from 'node:fs'; export const x = fs;"],
    ['renderer/probe.ts', "import { ipcRenderer } from 'electron'; export const x = ipcRenderer;"],
    ['renderer/probe.ts', "import Database from 'better-sqlite3'; export const x = Database;"],
    ['renderer/probe.ts', "import { createEngine } from '../electron/core/engine'; export const x = createEngine;"],
    ['electron/preload/probe.ts', "import fs from 'node:fs'; export const x = fs;"],
    // No test seam in what users run.
    ['electron/core/probe.ts', "import { startTestEngine } from './testing/harness'; export const x = startTestEngine;"],
    ['electron/core/host/probe.ts', "import { startSimulator } from '../../../tools/camera-sim/client'; export const x = startSimulator;"],
    ['electron/core/probe.ts', "import { collectErrors } from '../../e2e/fixtures'; export const x = collectErrors;"],
    ['renderer/probe.ts', "import { x } from './testing/fake'; export const y = x;"],
  ])('%s: %s is refused', async (file, code) => {
    expect(await errorsFor(file, code)).not.toEqual([]);
  });

  it.each([
    ['electron/core/probe.ts', "import fs from 'node:fs'; export const x = fs;"],
    ['renderer/probe.ts', "import { COMMANDS } from '../shared/contract'; export const x = COMMANDS;"],
    ['electron/main/probe.ts', "import { app } from 'electron'; export const x = app;"],
    ['electron/core/probe.test.ts', "import { startTestEngine } from './testing/harness'; export const x = startTestEngine;"],
    ['electron/core/testing/probe.ts', "import { startSimulator } from '../../../tools/camera-sim/client'; export const x = startSimulator;"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await errorsFor(file, code)).toEqual([]);
  });
});
