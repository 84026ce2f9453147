// What one node's lease round costs as a site grows (bench/scale.ts): CameraLeases
// (electron/core/nodes/camera-leases.ts) ticks once a second on every node, in one transaction that
// takes the site's write lock and reads every enabled camera and every lease of the site, then
// renews its own. The round's time is therefore lock time every other writer of the site waits
// behind, once per node per second. Measured with one node holding N cameras (rows written straight
// into a fresh database through the store; no engine, no ingest); with K nodes each round reads the
// same rows and renews N/K, so K rounds a second cost about K times this.
import { sql } from 'kysely';
import { silentLogger } from '../electron/core/logger';
import { CameraLeases } from '../electron/core/nodes/camera-leases';
import { openPostgresStore } from '../electron/core/store/postgres';
import { percentile, round, type Say } from './browser';

export interface LeaseRoundFigure {
  cameras: number;
  roundMsP50: number | null;
  roundMsMax: number | null;
}

export async function measureLeaseRounds(o: { url: string; counts: readonly number[]; rounds: number; say: Say }): Promise<LeaseRoundFigure[]> {
  const store = await openPostgresStore(o.url, { logger: silentLogger });
  const out: LeaseRoundFigure[] = [];
  try {
    const db = store.db;
    const groupId = (await db.insertInto('camera_groups').values({ name: 'Leases', description: '', created_at_ms: Date.now() }).returning('id').executeTakeFirstOrThrow()).id;
    let have = 0;
    const leases = new CameraLeases({ db, node: { name: 'bench-node-1', url: 'https://127.0.0.1:8443' }, logger: silentLogger, onChange: () => {} });
    for (const n of [...o.counts].sort((a, b) => a - b)) {
      o.say(`lease rounds: ${n} cameras on one node...`);
      while (have < n) {
        const batch = Math.min(1000, n - have);
        await db
          .insertInto('cameras')
          .values(
            Array.from({ length: batch }, (_, i) => ({
              name: `Lease ${have + i + 1}`,
              site: 'Bench',
              group_id: groupId,
              purpose: 'benchmark camera',
              area_type: 'public_space',
              retention_days: 14,
              retention_reason: null,
              location: '',
              location_confidential: 0,
              audio_enabled: 0,
              source_kind: 'rtsp',
              onvif_xaddr: null,
              main_profile: null,
              sub_profile: null,
              main_url: 'rtsp://127.0.0.1:9/none',
              sub_url: null,
              username: null,
              has_password: 0,
              enabled: 1,
              created_at_ms: Date.now(),
            })),
          )
          .execute();
        have += batch;
      }
      await sql`ANALYZE`.execute(db);
      await leases.tick(); // claims the new cameras
      const times: number[] = [];
      for (let i = 0; i < o.rounds; i++) {
        const t0 = performance.now();
        await leases.tick();
        times.push(performance.now() - t0);
      }
      const held = await db.selectFrom('camera_leases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(held.n) !== n) throw new Error(`lease rounds: ${held.n} leases held for ${n} cameras`);
      const f = { cameras: n, roundMsP50: round(percentile(times, 50), 2), roundMsMax: round(percentile(times, 100), 2) };
      o.say(`  ${n} cameras: a round takes ${f.roundMsP50} ms (max ${f.roundMsMax} ms)`);
      out.push(f);
    }
    await leases.stop();
    return out;
  } finally {
    await store.close();
  }
}
