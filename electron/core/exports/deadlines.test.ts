// Working-day deadlines of export requests for Poland, Lithuania and Czechia across weekends and
// public holidays (docs/design/exports.md; JON 20, BRN 16.4). Expected instants are the end of the last day
// in the site's local time, written out in UTC (CET = UTC+1, CEST = UTC+2, EET = UTC+2, EEST = UTC+3).
import { describe, expect, it } from 'vitest';
import { addCalendarMonths, addWorkingDays, deadlineState, extendedDeadline, isWorkingDayAt, publicHolidays, requestDeadline } from './deadlines';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const police = { bodyType: 'police' as const, urgent: false };

describe('working days', () => {
  it('PL: 11 November and the weekend do not count; the day of receipt does not either', () => {
    // Received Monday 9 Nov: 10, (11 holiday), 12, 13, (weekend), 16, 17.
    expect(iso(addWorkingDays(at('2026-11-09T09:00:00Z'), 5, 'PL'))).toBe('2026-11-17T22:59:59.999Z');
    // Received on a Saturday: Monday is the first working day.
    expect(iso(addWorkingDays(at('2026-11-07T12:00:00Z'), 5, 'PL'))).toBe('2026-11-16T22:59:59.999Z');
  });

  it("PL: the site's local day decides (00:30 in Warsaw is already the next day)", () => {
    // 23:30 UTC on Monday 9 Nov is 00:30 on Tuesday 10 Nov in Warsaw.
    expect(iso(addWorkingDays(at('2026-11-09T23:30:00Z'), 5, 'PL'))).toBe('2026-11-18T22:59:59.999Z');
    expect(iso(addWorkingDays(at('2026-11-09T22:30:00Z'), 5, 'PL'))).toBe('2026-11-17T22:59:59.999Z');
  });

  it('PL: Christmas Eve (a public holiday from 2025), Christmas, New Year', () => {
    expect(publicHolidays('PL', 2026).has('2026-12-24')).toBe(true);
    // Received Wednesday 23 Dec: (24, 25, 26, 27), 28, 29, 30, 31, (1 Jan, 2, 3), 4 Jan.
    expect(iso(requestDeadline({ ...police, receivedAtMs: at('2026-12-23T10:00:00Z') }, 'PL'))).toBe('2027-01-04T22:59:59.999Z');
    // Urgent police request: one working day, Monday 28 Dec.
    expect(iso(requestDeadline({ ...police, urgent: true, receivedAtMs: at('2026-12-23T10:00:00Z') }, 'PL'))).toBe('2026-12-28T22:59:59.999Z');
  });

  it('PL and CZ: Easter Monday; Good Friday only in CZ', () => {
    // Received Thursday 2 Apr (CEST). PL: 3, (6 Easter Monday), 7, 8, 9, 10.
    expect(iso(requestDeadline({ ...police, receivedAtMs: at('2026-04-02T08:00:00Z') }, 'PL'))).toBe('2026-04-10T21:59:59.999Z');
    // CZ: (3 Velký pátek), (6), 7, 8, 9, 10, 13.
    expect(iso(requestDeadline({ ...police, receivedAtMs: at('2026-04-02T08:00:00Z') }, 'CZ'))).toBe('2026-04-13T21:59:59.999Z');
    expect(isWorkingDayAt(at('2026-04-06T10:00:00Z'), 'PL')).toBe(false);
    expect(isWorkingDayAt(at('2026-04-06T10:00:00Z'), 'LT')).toBe(false);
    expect(isWorkingDayAt(at('2026-04-03T10:00:00Z'), 'PL')).toBe(true);
    expect(isWorkingDayAt(at('2026-04-03T10:00:00Z'), 'CZ')).toBe(false);
  });

  it('LT: 16 February and 11 March, in Vilnius time', () => {
    // Received Friday 13 Feb: (14, 15, 16 holiday), 17, 18, 19, 20, 23. EET = UTC+2.
    expect(iso(requestDeadline({ ...police, receivedAtMs: at('2026-02-13T10:00:00Z') }, 'LT'))).toBe('2026-02-23T21:59:59.999Z');
    // The same request in Poland: 16 Feb is a working day there.
    expect(iso(requestDeadline({ ...police, receivedAtMs: at('2026-02-13T10:00:00Z') }, 'PL'))).toBe('2026-02-20T22:59:59.999Z');
    // Urgent prosecutor's request received Tuesday 10 Mar: (11 holiday), Thursday 12.
    expect(iso(requestDeadline({ bodyType: 'prosecutor', urgent: true, receivedAtMs: at('2026-03-10T10:00:00Z') }, 'LT'))).toBe('2026-03-12T21:59:59.999Z');
    // 22:30 UTC on 10 Mar is already 11 Mar in Vilnius (a holiday): the first working day is 12 Mar.
    expect(iso(requestDeadline({ bodyType: 'prosecutor', urgent: true, receivedAtMs: at('2026-03-10T22:30:00Z') }, 'LT'))).toBe('2026-03-12T21:59:59.999Z');
  });

  it('CZ: 28 September, 28 October, 17 November', () => {
    // Received Friday 25 Sep: (28 holiday), 29, 30, 1 Oct, 2, 5. CEST.
    expect(iso(requestDeadline({ ...police, receivedAtMs: at('2026-09-25T10:00:00Z') }, 'CZ'))).toBe('2026-10-05T21:59:59.999Z');
    // Urgent court request received Tuesday 27 Oct: (28 holiday), Thursday 29 (CET after 25 Oct).
    expect(iso(requestDeadline({ bodyType: 'court', urgent: true, receivedAtMs: at('2026-10-27T10:00:00Z') }, 'CZ'))).toBe('2026-10-29T22:59:59.999Z');
    // Urgent police request received Monday 16 Nov: (17 holiday), Wednesday 18.
    expect(iso(requestDeadline({ bodyType: 'police', urgent: true, receivedAtMs: at('2026-11-16T10:00:00Z') }, 'CZ'))).toBe('2026-11-18T22:59:59.999Z');
  });

  it('only police, prosecutors and courts get the one-day urgent deadline', () => {
    const friday = at('2026-11-06T10:00:00Z');
    expect(iso(requestDeadline({ bodyType: 'police', urgent: true, receivedAtMs: friday }, 'PL'))).toBe('2026-11-09T22:59:59.999Z');
    // Another authority marked urgent: still five working days (9, 10, 12, 13, 16).
    expect(iso(requestDeadline({ bodyType: 'other_authority', urgent: true, receivedAtMs: friday }, 'PL'))).toBe('2026-11-16T22:59:59.999Z');
    expect(iso(requestDeadline({ bodyType: 'internal', urgent: true, receivedAtMs: friday }, 'PL'))).toBe('2026-11-16T22:59:59.999Z');
  });

  it('refuses a non-positive number of days', () => {
    expect(() => addWorkingDays(0, 0, 'PL')).toThrow(RangeError);
  });
});

describe('data subject requests: one calendar month, extendable by one or two (BRN 16.4)', () => {
  it('month end: 31 January -> 28 February (29 in a leap year)', () => {
    const jan31 = at('2026-01-31T10:00:00Z');
    expect(iso(requestDeadline({ bodyType: 'data_subject', urgent: false, receivedAtMs: jan31 }, 'PL'))).toBe('2026-02-28T22:59:59.999Z');
    expect(iso(addCalendarMonths(at('2028-01-31T10:00:00Z'), 1, 'Europe/Warsaw'))).toBe('2028-02-29T22:59:59.999Z');
    // Urgent makes no difference for a data subject.
    expect(iso(requestDeadline({ bodyType: 'data_subject', urgent: true, receivedAtMs: jan31 }, 'CZ'))).toBe('2026-02-28T22:59:59.999Z');
  });

  it('calendar days, not working days: a deadline may fall on a weekend or holiday', () => {
    // Received 11 Oct 2026 -> 11 Nov 2026 (a PL holiday), end of that day.
    expect(iso(requestDeadline({ bodyType: 'data_subject', urgent: false, receivedAtMs: at('2026-10-11T10:00:00Z') }, 'PL'))).toBe('2026-11-11T22:59:59.999Z');
  });

  it('extension counts from the receipt: Jan 31 + 1 + 1 -> 31 March, + 1 + 2 -> 30 April (CEST)', () => {
    const jan31 = at('2026-01-31T10:00:00Z');
    expect(iso(extendedDeadline(jan31, 1, 'Europe/Warsaw'))).toBe('2026-03-31T21:59:59.999Z');
    expect(iso(extendedDeadline(jan31, 2, 'Europe/Warsaw'))).toBe('2026-04-30T21:59:59.999Z');
    expect(iso(extendedDeadline(jan31, 2, 'Europe/Vilnius'))).toBe('2026-04-30T20:59:59.999Z');
  });

  it('year end: 15 December -> 15 January', () => {
    expect(iso(addCalendarMonths(at('2026-12-15T10:00:00Z'), 1, 'Europe/Prague'))).toBe('2027-01-15T22:59:59.999Z');
  });
});

describe('deadline state on the queue', () => {
  // Received Monday 9 Nov (PL): due at the end of Tuesday 17 Nov.
  const due = requestDeadline({ ...police, receivedAtMs: at('2026-11-09T09:00:00Z') }, 'PL');

  it('ok, near (due by the end of the next working day), overdue', () => {
    expect(deadlineState(due, false, at('2026-11-12T10:00:00Z'), 'PL')).toBe('ok');
    // Friday 13: the next working day is Monday 16, before the deadline.
    expect(deadlineState(due, false, at('2026-11-13T10:00:00Z'), 'PL')).toBe('ok');
    expect(deadlineState(due, false, at('2026-11-16T10:00:00Z'), 'PL')).toBe('near');
    expect(deadlineState(due, false, at('2026-11-17T22:00:00Z'), 'PL')).toBe('near');
    expect(deadlineState(due, false, at('2026-11-17T23:00:00Z'), 'PL')).toBe('overdue');
  });

  it('a decided request is done: the deadline is for the decision (JON 20)', () => {
    expect(deadlineState(due, true, at('2026-12-01T10:00:00Z'), 'PL')).toBe('done');
  });
});
