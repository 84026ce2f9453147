// Deadlines of data-subject requests (docs/design/subject-requests.md "Deadlines"): the calendar
// month of PL and CZ (GDPR art. 12(3), BRN 16.4) on the site's local calendar, the strict date also on
// weekends and holidays (never later than the strict reading); the Lithuanian procedure's
// 5 working days to decide and next working day to tell (JON 20) across LT holidays; the extension
// only once and only before the month ends. Expected instants are written out by hand: the end of a
// local day is 23:59:59.999 local (UTC+1 / +2 in Warsaw and Prague, +2 / +3 in Vilnius).
import { describe, expect, it } from 'vitest';
import { extendedUntil, extensionRefusal, originalDeadline, subjectDeadline, type DeadlineFacts } from './deadlines';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

describe('PL and CZ: one calendar month, on the site’s calendar, the strict date also on weekends and holidays', () => {
  it('month ends: Jan 31 -> Feb 28 (a Saturday in 2026, a Sunday in 2027: the strict date stays), leap year Feb 29', () => {
    expect(originalDeadline('PL', at('2026-01-31T09:00:00Z'))).toBe(at('2026-02-28T22:59:59.999Z'));
    expect(originalDeadline('PL', at('2027-01-31T09:00:00Z'))).toBe(at('2027-02-28T22:59:59.999Z'));
    expect(originalDeadline('PL', at('2028-01-31T09:00:00Z'))).toBe(at('2028-02-29T22:59:59.999Z'));
    // Across the change to summer time: Mar 31 (CEST) -> Apr 30, a Thursday, stays.
    expect(originalDeadline('CZ', at('2026-03-31T08:00:00Z'))).toBe(at('2026-04-30T21:59:59.999Z'));
  });

  it('counts from the local day of receipt, not the UTC one (00:30 on Mar 1 in Warsaw is Feb 28 in UTC)', () => {
    expect(originalDeadline('PL', at('2026-02-28T23:30:00Z'))).toBe(at('2026-04-01T21:59:59.999Z'));
  });

  it('a last day on a public holiday stays: the console never shows a later date than the strict one', () => {
    // Nov 11: Polish Independence Day, a working day in Czechia.
    expect(originalDeadline('PL', at('2026-10-11T10:00:00Z'))).toBe(at('2026-11-11T22:59:59.999Z'));
    expect(originalDeadline('CZ', at('2026-10-11T10:00:00Z'))).toBe(at('2026-11-11T22:59:59.999Z'));
    // Nov 17: the Czech Struggle for Freedom and Democracy Day, a working day in Poland.
    expect(originalDeadline('CZ', at('2026-10-17T10:00:00Z'))).toBe(at('2026-11-17T22:59:59.999Z'));
    expect(originalDeadline('PL', at('2026-10-17T10:00:00Z'))).toBe(at('2026-11-17T22:59:59.999Z'));
    // Dec 24: a holiday in both countries, and still the last day.
    expect(originalDeadline('CZ', at('2026-11-24T09:00:00Z'))).toBe(at('2026-12-24T22:59:59.999Z'));
    expect(originalDeadline('PL', at('2026-11-24T09:00:00Z'))).toBe(at('2026-12-24T22:59:59.999Z'));
  });

  it('an extension by one or two further months counts from receipt, with the same rule for its last day', () => {
    const received = at('2026-01-31T09:00:00Z');
    expect(extendedUntil('PL', received, 1)).toBe(at('2026-03-31T21:59:59.999Z'));
    expect(extendedUntil('PL', received, 2)).toBe(at('2026-04-30T21:59:59.999Z'));
    // Jul 28 + 1 + 2 months = Oct 28, the Czech Independence Day -> Oct 29.
    expect(extendedUntil('CZ', at('2026-07-28T08:00:00Z'), 2)).toBe(at('2026-10-28T22:59:59.999Z'));
  });
});

describe('LT (JON 20): 5 working days to decide, the next working day to tell the person', () => {
  it('the day of receipt does not count; weekends and Lithuanian holidays (Nov 1-2, Dec 24-26) do not either', () => {
    // Friday Oct 30: Nov 2 (All Souls' Day) is a holiday -> Nov 3, 4, 5, 6, 9.
    expect(originalDeadline('LT', at('2026-10-30T08:00:00Z'))).toBe(at('2026-11-09T21:59:59.999Z'));
    // Monday Dec 21: 22, 23, (24, 25 holidays, weekend), 28, 29, 30.
    expect(originalDeadline('LT', at('2026-12-21T08:00:00Z'))).toBe(at('2026-12-30T21:59:59.999Z'));
  });

  const facts = (over: Partial<DeadlineFacts> = {}): DeadlineFacts => {
    const receivedAtMs = at('2026-12-21T08:00:00Z');
    return { country: 'LT', receivedAtMs, originalDueMs: originalDeadline('LT', receivedAtMs), extendedUntilMs: null, decidedAtMs: null, answeredAtMs: null, ...over };
  };

  it('before the decision the decision is due; after it, telling the person by the next working day', () => {
    expect(subjectDeadline(facts(), at('2026-12-22T08:00:00Z'))).toMatchObject({ phase: 'decision', dueMs: at('2026-12-30T21:59:59.999Z'), state: 'ok', extendable: false });
    // Decided on Wednesday Dec 23: Dec 24-27 are not working days -> Monday Dec 28.
    const decided = subjectDeadline(facts({ decidedAtMs: at('2026-12-23T10:00:00Z') }), at('2026-12-23T10:00:00Z'));
    expect(decided).toMatchObject({ phase: 'answer', dueMs: at('2026-12-28T21:59:59.999Z'), decidedLate: false });
    // Decided after the 5 working days: late, and the person is still told by the next working day.
    const late = subjectDeadline(facts({ decidedAtMs: at('2026-12-31T10:00:00Z') }), at('2026-12-31T10:00:00Z'));
    expect(late).toMatchObject({ phase: 'answer', decidedLate: true, dueMs: at('2027-01-04T21:59:59.999Z') });
  });

  it('overdue once the decision day has ended undecided; near from the working day before; done when answered', () => {
    expect(subjectDeadline(facts(), at('2026-12-29T08:00:00Z')).state).toBe('near');
    expect(subjectDeadline(facts(), at('2026-12-30T21:59:59.999Z')).state).toBe('near');
    expect(subjectDeadline(facts(), at('2026-12-30T22:00:00Z')).state).toBe('overdue');
    const answered = subjectDeadline(facts({ decidedAtMs: at('2026-12-29T08:00:00Z'), answeredAtMs: at('2027-01-05T08:00:00Z') }), at('2027-02-01T08:00:00Z'));
    expect(answered).toMatchObject({ state: 'done', answeredLate: true });
  });

  it('allows no extension', () => {
    expect(extensionRefusal(facts(), at('2026-12-22T08:00:00Z'), at('2026-12-22T08:00:00Z'))).toMatchObject({ kind: 'FailedPrecondition', message: expect.stringContaining('JON 20') });
  });
});

describe('the extension (GDPR art. 12(3), BRN 16.4): once, before the month ends, the requester told before it ends', () => {
  const receivedAtMs = at('2026-03-31T08:00:00Z');
  const originalDueMs = originalDeadline('PL', receivedAtMs);
  const facts = (over: Partial<DeadlineFacts> = {}): DeadlineFacts => ({ country: 'PL', receivedAtMs, originalDueMs, extendedUntilMs: null, decidedAtMs: null, answeredAtMs: null, ...over });

  it('is possible up to the last millisecond of the month, not after', () => {
    expect(extensionRefusal(facts(), originalDueMs - DAY, originalDueMs)).toBeNull();
    expect(subjectDeadline(facts(), originalDueMs).extendable).toBe(true);
    expect(extensionRefusal(facts(), originalDueMs - DAY, originalDueMs + 1)).toMatchObject({ kind: 'FailedPrecondition', message: expect.stringContaining('has passed') });
    expect(subjectDeadline(facts(), originalDueMs + 1)).toMatchObject({ extendable: false, state: 'overdue' });
  });

  it('is refused a second time, and once answered', () => {
    const extended = facts({ extendedUntilMs: extendedUntil('PL', receivedAtMs, 1) });
    expect(extensionRefusal(extended, receivedAtMs + DAY, receivedAtMs + 2 * DAY)).toMatchObject({ message: expect.stringContaining('second time') });
    // Mar 31 + 2 months = May 31, a Sunday: the strict date.
    expect(subjectDeadline(extended, receivedAtMs + 2 * DAY)).toMatchObject({ dueMs: at('2026-05-31T21:59:59.999Z'), extendable: false });
    expect(extensionRefusal(facts({ decidedAtMs: receivedAtMs + DAY, answeredAtMs: receivedAtMs + DAY }), receivedAtMs + DAY, receivedAtMs + 2 * DAY)).toMatchObject({ message: expect.stringContaining('answered') });
  });

  it('needs the requester told between receipt and the end of the month, not in the future', () => {
    const now = receivedAtMs + 10 * DAY;
    expect(extensionRefusal(facts(), now + 3_600_000, now)).toMatchObject({ kind: 'InvalidArgument', issue: 'toldRequesterAtMs: future' });
    expect(extensionRefusal(facts(), receivedAtMs - 1, now)).toMatchObject({ kind: 'InvalidArgument', issue: 'toldRequesterAtMs: beforeReceipt' });
    expect(extensionRefusal(facts(), now - DAY, now)).toBeNull();
  });
});
