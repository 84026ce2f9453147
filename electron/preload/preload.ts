// The renderer's only door to the engine (docs/design/overview.md §2 "electron/preload"): `window.consoleApi.call`,
// limited to the contract's command names, `onEvent` for the events the engine pushes
// (docs/design/events.md), `onConnection` for the link to a site engine, and `desktop`, the app's
// set-up as a seat (docs/design/site-engine.md "The desktop app as a seat"). ipcRenderer itself is
// never exposed; main checks the sender and every request.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Result } from '../../shared/result';
import { IPC_CHANNEL, IPC_DESKTOP_CHANNEL, IPC_EVENT_CHANNEL, IPC_LINK_CHANNEL, type ConsoleApi, type DesktopApi, type DesktopOp, type LinkStatus } from '../../shared/transport';

const commandNames: ReadonlySet<string> = new Set(__CONSOLE_COMMAND_NAMES__);

/** One set-up operation: exactly the operation's name and one request cross the bridge. */
const desktopOp = (op: DesktopOp) => (request?: unknown) => ipcRenderer.invoke(IPC_DESKTOP_CHANNEL, op, request ?? null);

const desktop: DesktopApi = {
  status: desktopOp('status'),
  useEmbedded: desktopOp('useEmbedded'),
  enrol: desktopOp('enrol'),
  keep: desktopOp('keep'),
  discard: desktopOp('discard'),
  useKeptSite: desktopOp('useKeptSite'),
  changeMode: desktopOp('changeMode'),
  restart: desktopOp('restart'),
};

const consoleApi: ConsoleApi = {
  call(name, request) {
    if (typeof name !== 'string' || !commandNames.has(name)) {
      const refused: Result<never> = { ok: false, error: { kind: 'UnknownCommand', message: 'Unknown command.' } };
      return Promise.resolve(refused);
    }
    // Exactly two arguments cross the bridge; main checks the sender and the engine parses the payload.
    return ipcRenderer.invoke(IPC_CHANNEL, name, request);
  },
  onEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    // Only the event crosses the bridge, never the IPC event object; the renderer parses it.
    const forward = (_ipc: IpcRendererEvent, event: unknown) => listener(event as Parameters<typeof listener>[0]);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  },
  onConnection(listener) {
    if (typeof listener !== 'function') throw new TypeError('onConnection needs a function');
    const forward = (_ipc: IpcRendererEvent, status: unknown) => listener(status as LinkStatus);
    ipcRenderer.on(IPC_LINK_CHANNEL, forward);
    return () => void ipcRenderer.removeListener(IPC_LINK_CHANNEL, forward);
  },
  desktop,
};

contextBridge.exposeInMainWorld('consoleApi', consoleApi);
