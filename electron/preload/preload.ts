// The renderer's only door to the engine (docs/design/overview.md §2 "electron/preload"): `window.consoleApi.call`,
// limited to the contract's command names. ipcRenderer itself is never exposed.
import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../../shared/result';
import { IPC_CHANNEL, type ConsoleApi } from '../../shared/transport';

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
};

contextBridge.exposeInMainWorld('consoleApi', consoleApi);
