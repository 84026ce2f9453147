// Who steers a PTZ camera (docs/design/ptz.md): one session at a time per camera. Pure rules, no
// I/O: the service (ptz-service.ts) keeps the holders and asks these functions.
import { PTZ_RANK } from '../../../shared/contract';
import type { Role } from '../../../shared/roles';

/** The session steering a camera. */
export interface PtzHolder {
  sessionId: string;
  connectionId: string;
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  sinceMs: number;
  lastCommandAtMs: number;
}

/** Who asks: a signed-in session. */
export type PtzCaller = Pick<PtzHolder, 'sessionId' | 'connectionId' | 'userId' | 'username' | 'displayName' | 'role'>;

export type AcquireDecision =
  /** `previous`: the session that loses the camera (taken over), null when it was free or already the caller's. */
  | { kind: 'granted'; previous: PtzHolder | null }
  /** `canTakeOver`: asking again with takeOver would succeed. */
  | { kind: 'refused'; holder: PtzHolder; canTakeOver: boolean };

/**
 * A free camera is granted; the caller's own session keeps it; a higher role (supervisor >
 * reviewer > guard) or the same user at another seat takes it over, but only when asking for it,
 * so nobody takes a camera by accident; an equal or higher role keeps it.
 */
export function decideAcquire(current: PtzHolder | null, caller: PtzCaller, takeOver: boolean): AcquireDecision {
  if (!current || current.sessionId === caller.sessionId) return { kind: 'granted', previous: null };
  if (!outranks(caller, current)) return { kind: 'refused', holder: current, canTakeOver: false };
  return takeOver ? { kind: 'granted', previous: current } : { kind: 'refused', holder: current, canTakeOver: true };
}

/** The caller may take the camera from this holder (given takeOver): a higher role, or themselves elsewhere. */
export function outranks(caller: Pick<PtzCaller, 'userId' | 'role'>, holder: Pick<PtzHolder, 'userId' | 'role'>): boolean {
  return caller.userId === holder.userId || PTZ_RANK[caller.role] > PTZ_RANK[holder.role];
}

/** Whether the caller could have the camera now (free, theirs, or theirs to take over). */
export function mayTake(current: PtzHolder | null, caller: PtzCaller): boolean {
  return decideAcquire(current, caller, true).kind === 'granted';
}

/** Why the caller may not steer it, in words (the holder's name is what the seat shows anyway). */
export function heldMessage(holder: PtzHolder, canTakeOver: boolean): string {
  const who = `${holder.displayName} (${holder.role})`;
  return canTakeOver ? `${who} is steering this camera; take it over to steer it.` : `${who} is steering this camera; it stays with them until they release it or leave it idle.`;
}
