// Only our own page may navigate the window or call the engine (docs/design/overview.md §2: the renderer is untrusted).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveAppPage } from './app-url';

const buildDir = path.join(path.sep, 'opt', 'Operator Console', 'resources', 'app.asar', '.vite', 'build');
const indexUrl = pathToFileURL(path.join(buildDir, '..', 'renderer', 'main_window', 'index.html')).href;

describe('resolveAppPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('packaged: accepts only the bundled index.html, whatever its hash or query', () => {
    vi.stubGlobal('MAIN_WINDOW_VITE_NAME', 'main_window');
    const page = resolveAppPage(buildDir);
    expect(page.isDevServer).toBe(false);
    expect(page.url).toBe(indexUrl);
    expect(page.isAppUrl(indexUrl)).toBe(true);
    expect(page.isAppUrl(`${indexUrl}#/playback?camera=3`)).toBe(true);
    for (const foreign of [
      'file:///etc/passwd',
      indexUrl.replace('index.html', 'other.html'),
      indexUrl.replace('main_window', 'main_window/../../../../../tmp'),
      indexUrl.replace('file://', 'file://evil.example'),
      'https://example.org/index.html',
      'http://127.0.0.1:8080/',
      'not a url',
      '',
    ]) {
      expect(page.isAppUrl(foreign), foreign).toBe(false);
    }
  });

  it('dev server: accepts its origin only', () => {
    vi.stubGlobal('MAIN_WINDOW_VITE_NAME', 'main_window');
    vi.stubGlobal('MAIN_WINDOW_VITE_DEV_SERVER_URL', 'http://localhost:5173');
    const page = resolveAppPage(buildDir);
    expect(page.isDevServer).toBe(true);
    expect(page.isAppUrl('http://localhost:5173/#/wall')).toBe(true);
    expect(page.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(page.isAppUrl('http://localhost.evil.example:5173/')).toBe(false);
    expect(page.isAppUrl(indexUrl)).toBe(false);
  });
});
