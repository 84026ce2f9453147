// The Electron IPC transport of the one command path (docs/design/overview.md §2 "One command path", "Transports"):
// one channel, callers checked like VS Code's ipcMain wrapper (our window, its main frame, our page),
// then the router hands the call to the engine inside the app or, in seat mode, to the site engine
// over the pinned socket (electron/main/command-router.ts); either engine's dispatcher parses,
// authorises, audits and never throws. A second channel carries the desktop set-up (first start,
// enrolment: electron/main/desktop-setup.ts), checked the same way.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Logger } from '../core/logger';
import { fail, type Result } from '../../shared/result';
import { DESKTOP_OPS, IPC_CHANNEL, IPC_DESKTOP_CHANNEL, IPC_EVENT_CHANNEL, IPC_LINK_CHANNEL, type DesktopOp } from '../../shared/transport';
import type { CommandRouter, WindowSink } from './command-router';

export interface SenderCheck {
  /** Is this one of the console's own windows? */
  isConsoleWindow(contents: WebContents): boolean;
  isAppUrl(url: string): boolean;
  logger: Logger;
}

/** Our window, its main frame, our page: nothing else may command the engine or set the app up. */
function trustedSender(event: IpcMainInvokeEvent, check: SenderCheck, channel: string): boolean {
  const frame = event.senderFrame;
  if (frame && frame.parent === null && check.isConsoleWindow(event.sender) && check.isAppUrl(frame.url)) return true;
  check.logger.warn('refused a message from an unexpected sender', { channel, url: frame?.url.slice(0, 200) ?? null, webContents: event.sender.id });
  return false;
}

export function registerCommandChannel(router: CommandRouter, check: SenderCheck): void {
  ipcMain.handle(IPC_CHANNEL, async (event, name: unknown, payload: unknown): Promise<Result<unknown>> => {
    if (!trustedSender(event, check, IPC_CHANNEL)) return fail('PermissionDenied', 'Only the console window may send commands.');
    return router.call(event.sender.id, name, payload);
  });
}

/** The desktop set-up's operations; each answers a value (DesktopOutcome or DesktopStatus), never throws. */
export type DesktopHandlers = { [K in DesktopOp]: (windowId: number, request: unknown) => Promise<unknown> };

export function registerDesktopChannel(handlers: DesktopHandlers, check: SenderCheck): void {
  const ops: ReadonlySet<string> = new Set(DESKTOP_OPS);
  ipcMain.handle(IPC_DESKTOP_CHANNEL, async (event, op: unknown, request: unknown): Promise<unknown> => {
    if (!trustedSender(event, check, IPC_DESKTOP_CHANNEL)) return { ok: false, refusal: 'failed', message: 'Only the console window may set this PC up.' };
    if (typeof op !== 'string' || !ops.has(op)) return { ok: false, refusal: 'failed', message: 'Unknown set-up operation.' };
    try {
      return await handlers[op as DesktopOp](event.sender.id, request);
    } catch (err) {
      check.logger.error('desktop set-up failed', { op, error: err });
      return { ok: false, refusal: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
  });
}

/**
 * What one window receives (docs/design/events.md; the link state): sent only while the window
 * shows our own page. A reload keeps the subscription (the engine filters by the session of the moment).
 */
export function windowSink(contents: WebContents, isAppUrl: (url: string) => boolean): WindowSink {
  const send = (channel: string, value: unknown) => {
    if (contents.isDestroyed() || !isAppUrl(contents.getURL())) return;
    contents.send(channel, value);
  };
  return { event: (e) => send(IPC_EVENT_CHANNEL, e), link: (s) => send(IPC_LINK_CHANNEL, s) };
}
