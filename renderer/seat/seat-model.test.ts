import { describe, expect, it } from 'vitest';
import { enrolOutcome, formatFingerprint, minutesLeft, seatStatus } from './seat-model';

const FP = 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12';

describe('enrolment answers in words', () => {
  it('an enrolment is parsed with the contract', () => {
    expect(enrolOutcome(200, { seatId: 3, name: 'Desk 2', room: 'Control room', fingerprint: FP })).toEqual({ ok: true, enrolled: { seatId: 3, name: 'Desk 2', room: 'Control room', fingerprint: FP } });
    expect(enrolOutcome(200, { seatId: 3, name: 'Desk 2', room: 'Control room', fingerprint: 'short' })).toEqual({ ok: false, refusal: 'unknown', minutes: null });
  });

  it('every refusal the engine gives has its own wording: by reason, else by status', () => {
    const cases: [number, unknown, string][] = [
      [403, { message: 'x', reason: 'bad-code' }, 'bad-code'],
      [410, { message: 'x', reason: 'expired-code' }, 'expired-code'],
      [409, { message: 'x', reason: 'used-code' }, 'used-code'],
      [403, { message: 'x', reason: 'revoked' }, 'revoked'],
      [400, { message: 'x', reason: 'malformed' }, 'malformed'],
      [410, 'garbage', 'expired-code'],
      [409, null, 'used-code'],
      [421, { message: 'x', reason: 'wrong-name' }, 'wrong-name'],
      [500, { message: 'x' }, 'unknown'],
    ];
    for (const [status, body, refusal] of cases) expect(enrolOutcome(status, body)).toMatchObject({ ok: false, refusal });
  });

  it('too many wrong codes says how long to wait; no answer at all says so', () => {
    expect(enrolOutcome(429, { message: 'Too many wrong enrolment codes from this address. Try again in 7 minutes.', reason: 'too-many' })).toEqual({ ok: false, refusal: 'too-many', minutes: 7 });
    expect(enrolOutcome(null, null)).toEqual({ ok: false, refusal: 'unreachable', minutes: null });
  });
});

describe('seats list', () => {
  const base = { revokedAtMs: null, enrolledAtMs: null, codeExpiresAtMs: 1000 };
  it('names a seat\'s state', () => {
    expect(seatStatus(base, 999)).toBe('waiting');
    expect(seatStatus(base, 1001)).toBe('expired');
    expect(seatStatus({ ...base, enrolledAtMs: 500 }, 5000)).toBe('enrolled');
    expect(seatStatus({ ...base, enrolledAtMs: 500, revokedAtMs: 900 }, 5000)).toBe('revoked');
  });

  it('shows the fingerprint in groups of four and minutes left', () => {
    expect(formatFingerprint(FP.toUpperCase())).toBe('ab12 cd34 ef56 ab12 cd34 ef56 ab12 cd34 ef56 ab12 cd34 ef56 ab12 cd34 ef56 ab12');
    expect(minutesLeft(15 * 60_000, 0)).toBe(15);
    expect(minutesLeft(60_001, 0)).toBe(2);
    expect(minutesLeft(0, 5)).toBe(0);
  });
});
