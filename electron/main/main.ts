// Composition root of the desktop app (docs/design/overview.md §2 "Processes and layers", §8): app lifecycle,
// the console window, the IPC transport, and the engine the window talks to: hosted in-process
// ("embedded", §8 "One seat"), or a site engine reached as an enrolled seat over TLS with its CA
// pinned (docs/design/site-engine.md "The desktop app as a seat"). Thin on purpose: the decisions
// live in modules without Electron (connection-settings, desktop-setup, command-router, cert-pin,
// csp), tested in plain Node.
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, type WebContents } from 'electron';
import { systemClock } from '../core/clock';
import { createEngine } from '../core/engine';
import { createJsonLogger } from '../core/logger';
import { learnSiteNodes, type Enrolment } from '../core/seat-client';
import { createKeytarSecretStore } from '../core/secrets/secret-store';
import { DATABASE_FILE } from '../core/store/db';
import type { DesktopOutcome, DesktopStatus, LinkRefusal } from '../../shared/transport';
import { resolveAppPage } from './app-url';
import { CommandRouter, embeddedBackend, refusedBackend, siteBackend } from './command-router';
import { ConnectionSettings, type SiteRecord } from './connection-settings';
import { DesktopSetup } from './desktop-setup';
import { registerCommandChannel, registerDesktopChannel, windowSink, type SenderCheck } from './ipc';
import { installMenu } from './menu';
import { hardenAllWebContents, hardenDefaultSession, pinSiteCertificates } from './security';
import { parseSiteOrigin, type SiteOrigin } from './site-origin';
import { DEFAULT_SIZE, openSeatSettings, WindowStateStore } from './window-state';

const logger = createJsonLogger();
const page = resolveAppPage(import.meta.dirname);
const consoleWindows = new Set<WebContents>();
const router = new CommandRouter();
const secrets = createKeytarSecretStore();
/** In seat mode, the site engine's origin and its other nodes' (docs/design/scale.md "Seats on any
 *  node"): the page's CSP names them and Chromium's TLS pins the site CA for each. */
let site: { origin: SiteOrigin; nodes: readonly SiteOrigin[]; fingerprint: string } | null = null;
/** How often a seat asks its engine for the site's other nodes. */
const NODES_REFRESH_MS = 60_000;
/** Set while an engine or a seat is being started; quit waits for it. */
let starting: Promise<unknown> | undefined;

// One console per user session: a second start focuses the first window instead of opening the
// database twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  // A wall on a second monitor: a second console window of our own (its own engine session). A
  // page asking for more than a few (the renderer is untrusted) is refused.
  hardenAllWebContents(page, logger, (url) => {
    if (!windowStates) return;
    if (wallWindows.size >= MAX_WALL_WINDOWS) return logger.warn('refused another wall window', { open: wallWindows.size });
    const win = openConsoleWindow(windowStates, { stateKey: 'wall', url });
    wallWindows.add(win);
    win.on('closed', () => wallWindows.delete(win));
  });
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', onWillQuit);
  app.whenReady().then(start, (err: unknown) => fatal(err));
}

function relaunch(): Promise<DesktopOutcome<null>> {
  setTimeout(() => {
    app.relaunch();
    app.quit();
  }, 0);
  return Promise.resolve({ ok: true, value: null });
}

const dataDir = () => path.join(app.getPath('userData'), 'data');
/** Where each kind of window was last (the console, a wall window); read once the app is ready. */
let windowStates: WindowStateStore | null = null;
/** Wall windows open now; a monitoring desk has a few monitors, not dozens. */
const wallWindows = new Set<BrowserWindow>();
const MAX_WALL_WINDOWS = 4;
const refuse = (refusal: 'failed' | 'engine-failed' | 'keychain' | 'revoked' | 'not-enrolled', message: string) => ({ ok: false as const, refusal, message });

async function start(): Promise<void> {
  const seatSettings = openSeatSettings();
  const connection = new ConnectionSettings(seatSettings);
  const setup = new DesktopSetup({ settings: connection, secrets, version: `desktop ${app.getVersion()}`.slice(0, 64), nowMs: () => Date.now() });
  hardenDefaultSession(page, logger, () => site);
  // The site CA's fingerprint for the engine's host and every node's (nodes are only ever added in a run).
  pinSiteCertificates(() => {
    const s = site;
    return new Map(s ? [s.origin, ...s.nodes].map((o) => [o.host, s.fingerprint]) : []);
  }, logger);
  installMenu({ developer: !app.isPackaged });
  const check: SenderCheck = { isConsoleWindow: (contents) => consoleWindows.has(contents), isAppUrl: page.isAppUrl, logger };
  registerCommandChannel(router, check);

  const startEmbedded = async () => {
    const engine = await track(
      createEngine({
        clock: systemClock,
        dataDir: dataDir(),
        logger,
        // ffmpeg: CONSOLE_FFMPEG_PATH if set, then a copy packaged in resources/ffmpeg, then PATH.
        ffmpeg: { configured: process.env.CONSOLE_FFMPEG_PATH ?? null, bundledDir: path.join(process.resourcesPath, 'ffmpeg') },
      }),
    );
    router.setBackend(embeddedBackend(engine, logger));
  };
  const startSite = (enrolment: Enrolment, record: SiteRecord) => {
    const origin = parseSiteOrigin(record.address);
    // The nodes learnt in earlier runs first: started while the node it enrolled at is down, the seat
    // can still move to another (docs/design/scale.md "A seat's node dies").
    const known = connection.siteNodes().flatMap((text) => {
      try {
        return [parseSiteOrigin(text)];
      } catch {
        return [];
      }
    });
    site = { origin, nodes: known, fingerprint: record.fingerprint };
    // The site's other nodes, learnt now and every minute (from the node it enrolled at, or while
    // that one is down from a node already known): the same site CA is pinned for their hosts
    // (added, never removed in a run: a decision Chromium cached must not outlive its pin).
    const learnNodes = async () => {
      try {
        const learnt = await learnSiteNodes(enrolment, site?.nodes.map((n) => n.origin) ?? []);
        const nodes = learnt.nodes.flatMap((text) => {
          try {
            return [parseSiteOrigin(text)];
          } catch {
            logger.warn('ignored a node address the engine named', { address: text.slice(0, 100) });
            return [];
          }
        });
        if (!site || site.origin.origin !== origin.origin) return;
        site = { ...site, nodes: [...new Map([...site.nodes, ...nodes].map((n) => [n.origin, n])).values()] };
        connection.rememberSiteNodes(nodes.map((n) => n.origin));
      } catch (err) {
        logger.warn('the site’s other nodes could not be asked for (media they hold stays out of reach until the next try)', { error: err });
      }
    };
    void learnNodes();
    setInterval(() => void learnNodes(), NODES_REFRESH_MS).unref();
    router.setBackend(
      siteBackend({
        enrolment,
        version: `desktop ${app.getVersion()}`.slice(0, 64),
        logger,
        // A node that dies: the seat moves to another of the site's nodes (docs/design/scale.md).
        alternates: () => (site ? site.nodes.map((n) => n.origin) : []),
        onCredentialDead: (reason: LinkRefusal, message: string) =>
          void setup.credentialDead(reason, message).catch((err: unknown) => logger.error('forgetting a dead seat credential failed', { error: err })),
      }),
    );
  };
  // After a choice made at first start: the page starts again against the engine now in use.
  const reloadWindows = () => setTimeout(() => consoleWindows.forEach((c) => c.isDestroyed() || c.reload()), 0);
  const notChosenYet = (): DesktopOutcome<never> | null => (router.mode === null ? null : refuse('failed', 'This PC is already set up; change how it connects first.'));

  const useSite = async (): Promise<DesktopOutcome<null>> => {
    const loaded = await setup.loadSite();
    if (!loaded.ok) return refuse(loaded.reason === 'keychain' ? 'keychain' : loaded.reason === 'revoked' ? 'revoked' : 'not-enrolled', loaded.message);
    connection.chooseSite(loaded.site);
    startSite(loaded.enrolment, loaded.site);
    reloadWindows();
    return { ok: true, value: null };
  };

  // One set-up step at a time: two quick clicks must not start two engines on one database.
  let busy = false;
  const exclusive =
    <A extends unknown[]>(step: (...args: A) => Promise<DesktopOutcome<unknown>>) =>
    async (...args: A): Promise<DesktopOutcome<unknown>> => {
      if (busy) return refuse('failed', 'Another set-up step is still running.');
      busy = true;
      try {
        return await step(...args);
      } finally {
        busy = false;
      }
    };

  registerDesktopChannel(
    {
      status: (windowId): Promise<DesktopStatus> => Promise.resolve({ mode: router.mode, site: setup.site(), siteEnrolled: setup.siteEnrolled(), link: router.linkStatus(windowId) }),
      useEmbedded: exclusive(async () => {
        const taken = notChosenYet();
        if (taken) return taken;
        try {
          await startEmbedded();
        } catch (err) {
          logger.error('the embedded engine could not start', { error: err });
          return refuse('engine-failed', err instanceof Error ? err.message : String(err));
        }
        connection.chooseEmbedded();
        reloadWindows();
        return { ok: true, value: null };
      }),
      enrol: exclusive(async (_windowId: number, request: unknown) => {
        const taken = notChosenYet();
        if (taken) return taken;
        const r = await setup.enrol(request);
        if (!r.ok || !r.value.kept) return r;
        const used = await useSite();
        return used.ok ? r : used;
      }),
      keep: exclusive(async (_windowId: number, request: unknown) => {
        const taken = notChosenYet();
        if (taken) return taken;
        const r = await setup.keep(request);
        if (!r.ok) return r;
        return useSite();
      }),
      discard: (_windowId, request) => Promise.resolve(setup.discard(request)),
      useKeptSite: exclusive(async () => {
        const taken = notChosenYet();
        if (taken) return taken;
        return useSite();
      }),
      changeMode() {
        // Leaving a mode restarts the app: the engine closes cleanly (quit waits for it) and no
        // pin, CSP or TLS answer Chromium cached for the old site survives into the new choice.
        connection.clearChoice();
        return relaunch();
      },
      // After unlocking the keychain, say: the same choice, read again from the start.
      restart: () => relaunch(),
    },
    check,
  );
  const choice = connection.choice(fs.existsSync(path.join(dataDir(), DATABASE_FILE)));
  if (choice?.mode === 'embedded') {
    try {
      await startEmbedded();
    } catch (err) {
      fatal(err);
      return;
    }
  } else if (choice?.mode === 'site') {
    // Never fatal: the window says why (revoked, not in the keychain, the keychain locked) and how to go on.
    const loaded = await track(setup.loadSite());
    if (loaded.ok) startSite(loaded.enrolment, loaded.site);
    else router.setBackend(refusedBackend(loaded.reason, loaded.message));
  }
  windowStates = new WindowStateStore(seatSettings);
  openConsoleWindow(windowStates);
}

function track<T>(p: Promise<T>): Promise<T> {
  starting = p;
  return p;
}

function openConsoleWindow(windowState: WindowStateStore, opts: { stateKey: string; url: string } = { stateKey: 'main', url: page.url }): BrowserWindow {
  const saved = windowState.load(opts.stateKey);
  const win = new BrowserWindow({
    ...(saved?.bounds ?? DEFAULT_SIZE),
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#101113',
    title: 'Operator Console',
    webPreferences: {
      preload: path.join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      devTools: !app.isPackaged,
      spellcheck: false,
      // Middle-click must not open links in new windows (Electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  windowState.track(opts.stateKey, win);
  const contents = win.webContents;
  const windowId = contents.id;
  consoleWindows.add(contents);
  router.openWindow(windowId, windowSink(contents, page.isAppUrl));

  // A reload, a crash or a closed window ends the engine session of this window (it is audited there).
  contents.on('did-start-navigation', (event) => {
    if (event.isMainFrame && !event.isSameDocument) router.pageGone(windowId);
  });
  contents.on('render-process-gone', (_event, details) => {
    logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
    router.pageGone(windowId);
  });
  win.on('closed', () => {
    consoleWindows.delete(contents);
    router.closeWindow(windowId);
  });

  win.once('ready-to-show', () => {
    if (saved?.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(opts.url);
  return win;
}

// Quit waits for the engine to end sessions, write its last audit entries and close the store (or
// for the seat's sockets to close).
let quitState: 'running' | 'closing' | 'closed' = 'running';
function onWillQuit(event: Electron.Event): void {
  if (quitState === 'closed') return;
  event.preventDefault();
  if (quitState === 'closing') return;
  quitState = 'closing';
  (starting ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => router.close())
    .catch((err: unknown) => logger.error('engine did not close cleanly', { error: err }))
    .finally(() => {
      quitState = 'closed';
      app.quit();
    });
}

function fatal(err: unknown): void {
  logger.error('console could not start', { error: err });
  dialog.showErrorBox('Operator Console could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
}
