// Who may take a PTZ camera from whom (docs/design/ptz.md): a free camera is granted; the holder's
// own session keeps it; a higher role (supervisor > reviewer > guard), or the same user at another
// seat, takes it over only when asking for it; an equal or lower role never does.
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/roles';
import { decideAcquire, mayTake, type PtzCaller, type PtzHolder } from './ptz-control';

const STEERING: Role[] = ['guard', 'reviewer', 'supervisor'];
let n = 0;
const caller = (role: Role, userId = ++n): PtzCaller => ({ sessionId: `s${++n}`, connectionId: `c${n}`, userId, username: `u${userId}`, displayName: `U ${userId}`, role });
const holding = (c: PtzCaller): PtzHolder => ({ ...c, sinceMs: 0, lastCommandAtMs: 0 });

describe('PTZ: who takes the camera', () => {
  it('a free camera is granted to any steering role, and the holder keeps its own', () => {
    for (const role of STEERING) {
      expect(decideAcquire(null, caller(role), false)).toEqual({ kind: 'granted', previous: null });
      const me = caller(role);
      expect(decideAcquire(holding(me), me, false)).toEqual({ kind: 'granted', previous: null });
    }
  });

  it('every pair of roles: only a higher one takes over, and only when asking', () => {
    const rank = { guard: 1, reviewer: 2, supervisor: 3 } as Record<Role, number>;
    for (const held of STEERING) {
      for (const asking of STEERING) {
        const h = holding(caller(held));
        const c = caller(asking);
        const higher = rank[asking] > rank[held];
        expect(decideAcquire(h, c, false)).toEqual({ kind: 'refused', holder: h, canTakeOver: higher });
        expect(decideAcquire(h, c, true)).toEqual(higher ? { kind: 'granted', previous: h } : { kind: 'refused', holder: h, canTakeOver: false });
        expect(mayTake(h, c)).toBe(higher);
      }
    }
  });

  it('the same user at another seat takes it over, whatever the role', () => {
    const first = caller('guard', 77);
    const second = caller('guard', 77);
    expect(decideAcquire(holding(first), second, false)).toMatchObject({ kind: 'refused', canTakeOver: true });
    expect(decideAcquire(holding(first), second, true)).toMatchObject({ kind: 'granted' });
  });
});
