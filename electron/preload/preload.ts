// The renderer's only door to the engine (docs/design/overview.md §2 "electron/preload"): `window.consoleApi.call`,
// limited to the contract's command names, and `onEvent` for the events the engine pushes
// (docs/design/events.md). ipcRenderer itself is never exposed.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Result } from '../../shared/result';
import { IPC_CHANNEL, IPC_EVENT_CHANNEL, type ConsoleApi } from '../../shared/transport';

const commandNames: ReadonlySet<string> = new Set(__CONSOLE_COMMAND_NAMES__);

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
};

contextBridge.exposeInMainWorld('consoleApi', consoleApi);
