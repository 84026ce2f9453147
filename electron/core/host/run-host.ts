// Runs the engine headless with its host (server.ts) until SIGINT or SIGTERM: the shared body of
// `npm run host` (cli.ts, loopback), `npm run engine` (engine-cli.ts, the site engine with TLS and
// enrolled seats, docs/design/site-engine.md) and of the e2e entry, which adds its test clock
// (e2e/host-entry.ts).
//
// Stopping (SIGTERM from systemd, SIGINT): the host closes every socket, then the engine closes:
// recorders end their files at the last complete fragment and commit the index for exactly the
// bytes on disk, sessions end with an audit entry, the audit log drains and the database closes.
import path from 'node:path';
import type http from 'node:http';
import type { Clock } from '../clock';
import { createEngine } from '../engine';
import type { NodeIdentity } from '../nodes/camera-leases';
import { createJsonLogger } from '../logger';
import { createCredentialSecretStore, credentialKey } from '../secrets/credential-secret-store';
import { interfaceAddresses, type ListenAddress } from './listen';
import { startLocalAdmin } from './local-admin';
import { startHost } from './server';
import { loadTlsIdentity, siteNames, type TlsIdentity } from './tls-identity';

export interface RunHostOptions {
  dataDir: string;
  port: number;
  rendererDir: string;
  /** ffmpeg: this path, then CONSOLE_FFMPEG_PATH, then PATH. */
  ffmpeg: string | null;
  clock: Clock;
  extraRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** The site engine: TLS on this address with a certificate for it and these DNS names. Absent: loopback host mode. */
  site?: { listen: ListenAddress; names: readonly string[] };
  /** Where camera passwords and the signing key live: the OS keychain (default), or, for the
   *  service, sealed files under a systemd credential (secrets/credential-secret-store.ts). */
  secrets?: 'keychain' | 'credential';
  /** The site's PostgreSQL database, and this engine as one of its nodes (docs/design/scale.md). */
  database?: string;
  node?: NodeIdentity & { leaseMs?: number; renewMs?: number };
}

const RENEW_CHECK_MS = 24 * 3_600_000;

export async function runHost(o: RunHostOptions): Promise<void> {
  const logger = createJsonLogger();
  const dataDir = path.resolve(o.dataDir);
  const names = o.site ? siteNames(o.site.listen.host, o.site.names, interfaceAddresses()) : [];
  let tls: TlsIdentity | undefined = o.site ? await loadTlsIdentity(dataDir, names) : undefined;
  if (tls) logger.info('site TLS identity', { action: tls.action, fingerprint: tls.fingerprint, names: tls.names.map((n) => n.value) });
  const engine = await createEngine({
    clock: o.clock,
    dataDir,
    logger,
    ffmpeg: { configured: o.ffmpeg ?? process.env.CONSOLE_FFMPEG_PATH ?? null },
    ...(o.secrets === 'credential' ? { secrets: createCredentialSecretStore({ dataDir, key: credentialKey() }) } : {}),
    ...(tls ? { site: { fingerprint: tls.fingerprint, caPem: tls.caPem, secretsKey: tls.siteSecretsKey } } : {}),
    ...(o.database ? { database: o.database } : {}),
    ...(o.node ? { node: o.node } : {}),
  });
  const host = await startHost({
    engine,
    logger,
    rendererDir: o.rendererDir,
    port: o.site ? o.site.listen.port : o.port,
    ...(o.site ? { host: o.site.listen.host, tls, rendererOptional: true } : {}),
    extraRoutes: o.extraRoutes,
  });
  const localAdmin = tls ? await startLocalAdmin({ dataDir, seats: engine.seats, logger }) : null;
  if (tls) {
    process.stdout.write(
      `Operator console site engine for data in ${dataDir}\nListening: ${host.url} (TLS; names: ${tls.names.map((n) => n.value).join(', ')})\n` +
        `Site fingerprint: ${tls.fingerprint}\n(SHA-256 of the site CA's public key: compare it with what a seat shows when it enrols)\n` +
        `A seat's enrolment code, on this machine: npm run engine:seat-code -- --data-dir ${dataDir} --name NAME --room ROOM\n`,
    );
    // The server certificate is re-issued before it ends, without a restart; the CA stays.
    const renew = setInterval(() => {
      void loadTlsIdentity(dataDir, names)
        .then((next) => {
          if (next.action === 'kept') return;
          tls = next;
          host.setTls(next);
          logger.info('site server certificate re-issued', { notAfterMs: next.serverNotAfterMs });
        })
        .catch((err: unknown) => logger.error('site certificate renewal failed', { error: err }));
    }, RENEW_CHECK_MS);
    renew.unref();
  } else process.stdout.write(`Operator console engine (host mode) for data in ${dataDir}\nOpen: ${host.url}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await localAdmin?.close();
    await host.close();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
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
