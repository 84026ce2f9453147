// Seats of the site engine (shared/contract/seats.ts, docs/design/site-engine.md).
import type { SEAT_COMMANDS } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { SeatsService } from './seats-service';

export function createSeatHandlers(d: { seats: SeatsService }): HandlersOf<typeof SEAT_COMMANDS> {
  return {
    'seats.register': async (r, ctx) => {
      const out = await d.seats.register(r.name, r.room, requireSession(ctx).username);
      return out.ok ? ok({ seat: out.seat, code: out.code, codeExpiresAtMs: out.codeExpiresAtMs, fingerprint: out.fingerprint }) : fail(out.kind, out.message);
    },
    'seats.list': async () => ok({ seats: await d.seats.list(), fingerprint: d.seats.fingerprint }),
    'seats.revoke': async (r, ctx) => {
      const out = await d.seats.revoke(r.seatId, r.reason, requireSession(ctx).username);
      return out.ok ? ok({ seat: out.seat, closedConnections: out.closedConnections }) : fail(out.kind, out.message);
    },
  };
}
