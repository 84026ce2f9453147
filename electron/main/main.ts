// Composition root of the standalone seat (docs/design/overview.md §2 "Processes and layers", §8 "One seat"): app
// lifecycle, the console window, the IPC transport, and the engine hosted in-process. Thin on purpose.
import path from 'node:path';
import { app, BrowserWindow, dialog, type WebContents } from 'electron';
import { systemClock } from '../core/clock';
import { createEngine, type Engine } from '../core/engine';
import { createJsonLogger } from '../core/logger';
import { resolveAppPage } from './app-url';
import { connectionOf, registerCommandChannel, subscribeWindowEvents } from './ipc';
import { installMenu } from './menu';
import { hardenAllWebContents, hardenDefaultSession } from './security';
import { DEFAULT_SIZE, WindowStateStore } from './window-state';

const logger = createJsonLogger();
const page = resolveAppPage(import.meta.dirname);
const consoleWindows = new Set<WebContents>();
/** Set once the engine is being created; quit waits for it. */
let engineReady: Promise<Engine> | undefined;

// One console per user session: a second start focuses the first window instead of opening the
// database twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  hardenAllWebContents(page, logger);
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

async function start(): Promise<void> {
  hardenDefaultSession(page, logger);
  installMenu({ developer: !app.isPackaged });
  engineReady = createEngine({
    clock: systemClock,
    dataDir: path.join(app.getPath('userData'), 'data'),
    logger,
    // ffmpeg: CONSOLE_FFMPEG_PATH if set, then a copy packaged in resources/ffmpeg, then PATH.
    ffmpeg: { configured: process.env.CONSOLE_FFMPEG_PATH ?? null, bundledDir: path.join(process.resourcesPath, 'ffmpeg') },
  });
  let engine: Engine;
  try {
    engine = await engineReady;
  } catch (err) {
    fatal(err);
    return;
  }
  registerCommandChannel({ engine, isConsoleWindow: (contents) => consoleWindows.has(contents), isAppUrl: page.isAppUrl, logger });
  openConsoleWindow(engine, new WindowStateStore());
}

function openConsoleWindow(running: Engine, windowState: WindowStateStore): void {
  const saved = windowState.load('main');
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
  windowState.track('main', win);
  const contents = win.webContents;
  const connection = connectionOf(contents);
  consoleWindows.add(contents);
  const unsubscribeEvents = subscribeWindowEvents(running, contents, page.isAppUrl);

  // A reload, a crash or a closed window ends the engine session of this window (it is audited there).
  const endSession = () => void running.disconnect(connection.id);
  contents.on('did-start-navigation', (event) => {
    if (event.isMainFrame && !event.isSameDocument) endSession();
  });
  contents.on('render-process-gone', (_event, details) => {
    logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
    endSession();
  });
  win.on('closed', () => {
    consoleWindows.delete(contents);
    unsubscribeEvents();
    endSession();
  });

  win.once('ready-to-show', () => {
    if (saved?.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(page.url);
}

// Quit waits for the engine to end sessions, write its last audit entries and close the store.
let quitState: 'running' | 'closing-engine' | 'engine-closed' = 'running';
function onWillQuit(event: Electron.Event): void {
  if (quitState === 'engine-closed' || !engineReady) return;
  event.preventDefault();
  if (quitState === 'closing-engine') return;
  quitState = 'closing-engine';
  engineReady
    .then((engine) => engine.close())
    .catch((err: unknown) => logger.error('engine did not close cleanly', { error: err }))
    .finally(() => {
      quitState = 'engine-closed';
      app.quit();
    });
}

function fatal(err: unknown): void {
  logger.error('console could not start', { error: err });
  dialog.showErrorBox('Operator Console could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
}
