// `npm run host -- --data-dir DIR [--port N]`: the engine headless on 127.0.0.1 (see server.ts).
// `--fake-clock` (tests only) adds POST /__test__/clock/advance?ms=N so idle locks and lockouts can
// be tested without waiting; it is never available in the desktop app.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OffsetClock, systemClock, type Clock } from '../clock';
import { createEngine } from '../engine';
import { createJsonLogger } from '../logger';
import { startHost } from './server';

async function main() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      'renderer-dir': { type: 'string', default: path.resolve(import.meta.dirname, '../../../dist/renderer') },
      'fake-clock': { type: 'boolean', default: false },
      ffmpeg: { type: 'string' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'];
  const port = Number(values.port);
  if (!dataDir || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('usage: npm run host -- --data-dir DIR [--port N] [--ffmpeg PATH]\n');
    process.exit(2);
  }
  const logger = createJsonLogger();
  const offset = values['fake-clock'] ? new OffsetClock(systemClock) : null;
  const clock: Clock = offset ?? systemClock;
  // ffmpeg: --ffmpeg, then CONSOLE_FFMPEG_PATH, then PATH.
  const engine = await createEngine({ clock, dataDir: path.resolve(dataDir), logger, ffmpeg: { configured: values.ffmpeg ?? process.env.CONSOLE_FFMPEG_PATH ?? null } });
  const host = await startHost({
    engine,
    logger,
    rendererDir: values['renderer-dir'],
    port,
    extraRoutes: offset
      ? (req, res) => {
          const url = new URL(req.url ?? '/', 'http://x');
          if (req.method !== 'POST' || url.pathname !== '/__test__/clock/advance') return false;
          const ms = Number(url.searchParams.get('ms'));
          if (!Number.isFinite(ms) || ms < 0) res.writeHead(400).end();
          else {
            offset.advance(ms);
            res.writeHead(204).end();
          }
          return true;
        }
      : undefined,
  });
  process.stdout.write(`Operator console engine (host mode) for data in ${path.resolve(dataDir)}\nOpen: ${host.url}\n`);
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

main().catch((err: unknown) => {
  process.stderr.write(`host failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
