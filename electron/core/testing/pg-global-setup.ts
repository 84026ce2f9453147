// Vitest global set-up of the `postgres` project (vitest.config.ts): one throwaway PostgreSQL
// cluster for the run; every test engine gets a database of its own in it (testing/harness.ts).
import { startPgCluster, type PgCluster } from './pg-cluster';

let cluster: PgCluster | null = null;

export async function setup(): Promise<void> {
  cluster = await startPgCluster();
  process.env.CONSOLE_TEST_POSTGRES = cluster.url;
}

export function teardown(): void {
  cluster?.stop();
  cluster = null;
}
