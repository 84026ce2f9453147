// The seat's node with the database away (docs/design/scale.md "Seats on any node"): session
// changes wait in order and are retried, and a grant is refused within its time limit, never hung
// on the outage (a live.open must answer). The database here is an address nothing listens on.
import { describe, expect, it } from 'vitest';
import type { Session } from '../auth/sessions';
import { silentLogger } from '../logger';
import { siteKysely, sitePool } from '../store/postgres';
import { SiteMedia } from './site-media';

describe('site media with the database away', () => {
  it('keeps session changes queued, answers written() within its limit and refuses grants', async () => {
    const db = siteKysely(sitePool('postgres://console@127.0.0.1:9/none'));
    const media = new SiteMedia({ db, node: 'a', logger: silentLogger, nowMs: () => Date.now(), nodeAliveMs: 5000, retryMs: 100 });
    try {
      media.record({ id: 's1', userId: 1, username: 'guard.gosia', role: 'guard', parked: false } as Session, 'started');
      const t0 = performance.now();
      expect(await media.written(400)).toBe(false);
      expect(performance.now() - t0).toBeLessThan(1500);
      await expect(media.grant({ node: 'b', connectionId: 'c1', sessionId: 's1', userId: 1, username: 'guard.gosia', cameraId: 1, stream: 'main' })).rejects.toThrow(/cannot write its sessions/);
      // A check it cannot make refuses (fail closed), naming why.
      const standing = await media.standing(['v1']);
      expect(standing.get('v1')).toEqual({ ok: false, why: 'session not checked (database unavailable)' });
    } finally {
      await media.stop();
      await db.destroy();
    }
  }, 20_000);
});
