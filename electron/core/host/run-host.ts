// Runs the engine headless with its host (server.ts) until SIGINT or SIGTERM: the shared body of
// `npm run host` (cli.ts) and of the e2e entry, which adds its test clock (e2e/host-entry.ts).
import path from 'node:path';
import type http from 'node:http';
import type { Clock } from '../clock';
import { createEngine } from '../engine';
import { createJsonLogger } from '../logger';
import { startHost } from './server';

export interface RunHostOptions {
  dataDir: string;
  port: number;
  rendererDir: string;
  /** ffmpeg: this path, then CONSOLE_FFMPEG_PATH, then PATH. */
  ffmpeg: string | null;
  clock: Clock;
  extraRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}

export async function runHost(o: RunHostOptions): Promise<void> {
  const logger = createJsonLogger();
  const dataDir = path.resolve(o.dataDir);
  const engine = await createEngine({ clock: o.clock, dataDir, logger, ffmpeg: { configured: o.ffmpeg ?? process.env.CONSOLE_FFMPEG_PATH ?? null } });
  const host = await startHost({ engine, logger, rendererDir: o.rendererDir, port: o.port, extraRoutes: o.extraRoutes });
  process.stdout.write(`Operator console engine (host mode) for data in ${dataDir}\nOpen: ${host.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** Parses `--data-dir DIR [--port N] [--ffmpeg PATH] [--renderer-dir DIR]`, or exits with the usage. */
export function hostArgs(values: { 'data-dir'?: string; port?: string; ffmpeg?: string; 'renderer-dir'?: string }, defaultRendererDir: string) {
  const dataDir = values['data-dir'];
  const port = Number(values.port ?? '0');
  if (!dataDir || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('usage: npm run host -- --data-dir DIR [--port N] [--ffmpeg PATH]\n');
    process.exit(2);
  }
  return { dataDir, port, ffmpeg: values.ffmpeg ?? null, rendererDir: values['renderer-dir'] ?? defaultRendererDir };
}

export const HOST_OPTIONS = {
  'data-dir': { type: 'string' },
  port: { type: 'string', default: '0' },
  'renderer-dir': { type: 'string' },
  ffmpeg: { type: 'string' },
} as const;
