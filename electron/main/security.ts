// Hardening of every web contents and of the default session (docs/design/overview.md §2: the renderer is untrusted).
// Follows Electron's security checklist: CSP, no navigation or new windows away from our page,
// no <webview>, no permissions, sandboxed renderers.
import { app, session, type WebContents } from 'electron';
import type { Logger } from '../core/logger';
import type { AppPage } from './app-url';

// Literal policies (not assembled at run time) so reviewers and Electronegativity can read them.
// Media and the engine's media server are on 127.0.0.1 with a random port (docs/design/overview.md §3); Mantine sets
// inline styles at run time; hls.js may run its demuxer in a worker created from a blob: URL.
export const PACKAGED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob: http://127.0.0.1:*; connect-src 'self' http://127.0.0.1:*; worker-src 'self' blob:; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** `electron-forge start` only: Vite's dev server injects an inline React-refresh preamble and talks HMR over ws://localhost. */
export const DEV_SERVER_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob: http://127.0.0.1:*; connect-src 'self' ws://localhost:* http://127.0.0.1:*; worker-src 'self' blob:; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Session-wide rules: CSP on every response, and no permission (camera, mic, notifications...) ever granted. */
export function hardenDefaultSession(page: AppPage, logger: Logger): void {
  const csp = page.isDevServer ? DEV_SERVER_CSP : PACKAGED_CSP;
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('permission request denied', { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** Applies to every web contents the app ever creates, including ones we did not create on purpose. */
export function hardenAllWebContents(page: AppPage, logger: Logger): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      logger.warn('blocked a <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      logger.warn('blocked a new window', { url: url.slice(0, 200) });
      return { action: 'deny' };
    });
    const guard = (event: { preventDefault(): void }, url: string) => {
      if (page.isAppUrl(url)) return;
      event.preventDefault();
      logger.warn('blocked navigation away from the console', { url: url.slice(0, 200) });
    };
    contents.on('will-navigate', (event) => guard(event, event.url));
    contents.on('will-redirect', (event) => guard(event, event.url));
  });
}
