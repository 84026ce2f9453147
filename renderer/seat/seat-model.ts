// Pure parts of enrolment and seats administration (docs/design/site-engine.md "Enrolment").
import { enrolResponse, seatRefusal, type EnrolResponse, type SeatRefusal, type SeatView } from '../../shared/contract/seats';

/** The site fingerprint (64 hex digits) in groups of four, as a person reads it aloud and compares it. */
export function formatFingerprint(hex: string): string {
  return (hex.toLowerCase().match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * What the enrolment answer means, from its HTTP status and body (`{ message, reason }`, or the
 * enrolment). The body is parsed with the contract's schemas; a body that does not match is told
 * by its status alone.
 */
export type EnrolOutcome = { ok: true; enrolled: EnrolResponse } | { ok: false; refusal: EnrolRefusal; minutes: number | null };
/** Refusals of an enrolment the screen words; `unreachable` when no answer came, `unknown` for anything else. */
export type EnrolRefusal = Exclude<SeatRefusal, 'not-enrolled' | 'wrong-name'> | 'wrong-name' | 'unreachable' | 'unknown';

const BY_STATUS: Record<number, EnrolRefusal> = { 400: 'malformed', 403: 'bad-code', 409: 'used-code', 410: 'expired-code', 421: 'wrong-name', 429: 'too-many' };

export function enrolOutcome(status: number | null, body: unknown): EnrolOutcome {
  if (status === null) return { ok: false, refusal: 'unreachable', minutes: null };
  if (status === 200) {
    const parsed = enrolResponse.safeParse(body);
    return parsed.success ? { ok: true, enrolled: parsed.data } : { ok: false, refusal: 'unknown', minutes: null };
  }
  const refused = seatRefusal.safeParse(body);
  const reason = refused.success ? refused.data.reason : undefined;
  const refusal: EnrolRefusal = reason && reason !== 'not-enrolled' ? reason : (BY_STATUS[status] ?? 'unknown');
  // The only number a refusal carries that a person needs: how long to wait after too many wrong codes.
  const minutes = refusal === 'too-many' && refused.success ? Number(/(\d+) minute/.exec(refused.data.message)?.[1] ?? NaN) : NaN;
  return { ok: false, refusal, minutes: Number.isFinite(minutes) ? minutes : null };
}

/** What a seat's row says about it, in one word for the list. */
export type SeatStatus = 'revoked' | 'enrolled' | 'waiting' | 'expired';

export function seatStatus(seat: Pick<SeatView, 'revokedAtMs' | 'enrolledAtMs' | 'codeExpiresAtMs'>, nowMs: number): SeatStatus {
  if (seat.revokedAtMs !== null) return 'revoked';
  if (seat.enrolledAtMs !== null) return 'enrolled';
  return nowMs > seat.codeExpiresAtMs ? 'expired' : 'waiting';
}

/** Whole minutes until a code expires (0 once it has). */
export function minutesLeft(expiresAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((expiresAtMs - nowMs) / 60_000));
}
