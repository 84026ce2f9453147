// The engine's store: the site's PostgreSQL database when one is given (`--database`,
// docs/design/scale.md), else the embedded SQLite file in the data directory.
import type { Logger } from '../logger';
import { openStore, prepareDataDir, type Store } from './db';
import { openPostgresStore } from './postgres';

export async function openEngineStore(dataDir: string, o: { database?: string; node?: string; logger: Logger }): Promise<Store> {
  if (!o.database) return openStore(dataDir, { logger: o.logger });
  prepareDataDir(dataDir, { logger: o.logger });
  return openPostgresStore(o.database, { logger: o.logger, node: o.node });
}
