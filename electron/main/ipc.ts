// The Electron IPC transport of the one command path (docs/design/overview.md §2 "One command path", "Transports"):
// one channel, callers checked like VS Code's ipcMain wrapper (our window, its main frame, our page),
// then everything goes to engine.dispatch, which parses, authorises, audits and never throws.
import { ipcMain, type WebContents } from 'electron';
import type { Connection } from '../core/dispatcher';
import type { Engine } from '../core/engine';
import type { Logger } from '../core/logger';
import { fail, type Result } from '../../shared/result';
import { IPC_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/transport';

/** One engine connection per window; the engine ends its session when the window goes away. */
export function connectionOf(contents: WebContents): Connection {
  return { id: `window:${contents.id}`, transport: 'ipc', peer: `local:window:${contents.id}` };
}

export interface CommandChannelDeps {
  engine: Engine;
  /** Is this one of the console's own windows? */
  isConsoleWindow(contents: WebContents): boolean;
  isAppUrl(url: string): boolean;
  logger: Logger;
}

export function registerCommandChannel(deps: CommandChannelDeps): void {
  const { engine, isConsoleWindow, isAppUrl, logger } = deps;
  ipcMain.handle(IPC_CHANNEL, async (event, name: unknown, payload: unknown): Promise<Result<unknown>> => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isConsoleWindow(event.sender) || !isAppUrl(frame.url)) {
      logger.warn('refused a command from an unexpected sender', { url: frame?.url.slice(0, 200) ?? null, webContents: event.sender.id });
      return fail('PermissionDenied', 'Only the console window may send commands.');
    }
    return engine.dispatch(connectionOf(event.sender), name, payload);
  });
}

/**
 * Pushed events for one window (docs/design/events.md): what the engine lets the session in this
 * window see goes to its page on a second channel, main to renderer only. Sent only while the window
 * shows our own page; a reload keeps the subscription (the engine filters by the session of the
 * moment). Returns the unsubscribe, for when the window closes.
 */
export function subscribeWindowEvents(engine: Engine, contents: WebContents, isAppUrl: (url: string) => boolean): () => void {
  return engine.subscribe(connectionOf(contents).id, (event) => {
    if (contents.isDestroyed() || !isAppUrl(contents.getURL())) return;
    contents.send(IPC_EVENT_CHANNEL, event);
  });
}
