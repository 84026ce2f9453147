// Hardening of every web contents and of the default session (docs/design/overview.md §2: the renderer is untrusted).
// Follows Electron's security checklist: CSP, no navigation or new windows away from our page,
// no <webview>, no permissions, sandboxed renderers; and, for a seat of a site engine, TLS that
// trusts only the pinned site CA (docs/design/site-engine.md "The desktop app as a seat").
import { app, session, type WebContents } from 'electron';
import type { Logger } from '../core/logger';
import type { AppPage } from './app-url';
import { chainOfPresented, decideCertificate, VERIFY_ACCEPT, VERIFY_REFUSE } from './cert-pin';
import { contentSecurityPolicy } from './csp';
import type { SiteOrigin } from './site-origin';
import { wallOfWindow } from '../../shared/wall-window';

/**
 * Session-wide rules: CSP on every response (electron/main/csp.ts: the site engine's origin in seat
 * mode, the loopback media server otherwise), and no permission (camera, mic, notifications...) ever granted.
 */
export function hardenDefaultSession(page: AppPage, logger: Logger, site: () => { origin: SiteOrigin; nodes: readonly SiteOrigin[] } | null): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const s = site();
    const csp = contentSecurityPolicy({ devServer: page.isDevServer, site: s?.origin ?? null, nodes: s?.nodes ?? [] });
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

/**
 * Every certificate Chromium meets (the renderer's media and downloads from the site engine) is
 * decided by the pin (electron/main/cert-pin.ts): accepted only when it chains to the site CA pinned
 * for that host, refused otherwise, whatever the system's trust store says. `pins` is read on every
 * decision; a pin is only ever added in a run (leaving a site restarts the app), so no earlier
 * answer Chromium caches can outlive it.
 */
export function pinSiteCertificates(pins: () => ReadonlyMap<string, string>, logger: Logger): void {
  session.defaultSession.setCertificateVerifyProc((request, callback) => {
    const decision = decideCertificate({ hostname: request.hostname, chainDer: chainOfPresented(request.certificate), pins: pins(), nowMs: Date.now() });
    if (!decision.accept) logger.warn('refused a TLS certificate', { host: request.hostname.slice(0, 100), why: decision.why });
    callback(decision.accept ? VERIFY_ACCEPT : VERIFY_REFUSE);
  });
}

/**
 * Applies to every web contents the app ever creates, including ones we did not create on purpose.
 * The one new window a page may ask for is our own page naming a wall (shared/wall-window.ts): it
 * is refused as a page-made window and opened by `openWallWindow`, a console window made by us.
 */
export function hardenAllWebContents(page: AppPage, logger: Logger, openWallWindow: (url: string) => void = () => undefined): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      logger.warn('blocked a <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (page.isAppUrl(url) && wallOfWindow(url) !== null) openWallWindow(url);
      else logger.warn('blocked a new window', { url: url.slice(0, 200) });
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
