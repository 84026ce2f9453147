// Where the renderer comes from, and the one test of "is this our own page" that navigation guards,
// the IPC sender check and the CSP share (docs/design/overview.md §2: the renderer is untrusted; only our page may call).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface AppPage {
  /** What the main window loads. */
  readonly url: string;
  /** True for our page only: same dev-server origin, or the same index.html on disk (hash and query ignored). */
  isAppUrl(candidate: string): boolean;
  readonly isDevServer: boolean;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function resolveAppPage(buildDir: string): AppPage {
  // `typeof` keeps this safe even if the bundler left the constant undefined in a packaged build.
  const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    return { url: devServerUrl, isDevServer: true, isAppUrl: (candidate) => parse(candidate)?.origin === origin };
  }
  const indexFile = path.join(buildDir, '..', 'renderer', MAIN_WINDOW_VITE_NAME, 'index.html');
  return {
    url: pathToFileURL(indexFile).href,
    isDevServer: false,
    isAppUrl(candidate) {
      const url = parse(candidate);
      return url?.protocol === 'file:' && url.host === '' && fileURLToPath(url) === indexFile;
    },
  };
}
