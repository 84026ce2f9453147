// Once per Playwright run: the journeys' host (e2e/host-entry.ts) bundled with esbuild
// (electron/core/testing/bundle-entry.ts), so each journey's engine starts in well under a second
// instead of spending 2-3 s of CPU in tsx compiling the engine; removed when the run ends.
// fixtures.ts starts the bundle when E2E_HOST_BUNDLE names one, and the sources under tsx otherwise.
import path from 'node:path';
import { bundleEntry } from '../electron/core/testing/bundle-entry';

export default async function globalSetup(): Promise<() => void> {
  const bundle = await bundleEntry(path.resolve(import.meta.dirname, 'host-entry.ts'));
  process.env.E2E_HOST_BUNDLE = bundle.file;
  return bundle.remove;
}
