// The deadlines of a data-subject request (docs/design/subject-requests.md "Deadlines"), pure
// functions of the request's facts, its country (fixed at receipt) and the engine's clock. The
// calendar arithmetic (working days of the country's public holidays, calendar months on the site's
// local calendar, the end of a local day) is electron/core/exports/deadlines.ts, reused here.
//
// - Poland and Czechia (GDPR art. 12(3); BRN 16.4): the requester is told within one calendar month
//   of receipt (Jan 31 -> Feb 28/29). A period whose last day is a Saturday, a Sunday or a public
//   holiday of the country ends with the next working day (Regulation (EEC, Euratom) No 1182/71
//   art. 3(4), which the EDPB's guidelines 01/2022 on the right of access apply to art. 12(3)). The
//   month may be extended ONCE by one or two further months, counted from receipt, and only if the
//   requester is told of it, with the reason, before the first month ends. After that it is too
//   late; a second extension is never possible.
// - Lithuania (JON 20): the data protection officer decides within 5 working days of receipt (the
//   day of receipt not counted), and the person is told by the next working day after the decision.
//   The procedure allows no extension.
import { FEE_CURRENCY, SUBJECT_TIME_MAX_SKEW_MS, type SubjectDeadlineState, type SubjectRequestView } from '../../../shared/contract';
import { COUNTRY_TIME_ZONE, WORKING_DAYS_TO_DECIDE, addCalendarMonths, addWorkingDays, deadlineState, type SiteCountry } from '../exports/deadlines';

/** JON 20: the person is told the decision no later than the next working day. */
export const WORKING_DAYS_TO_TELL = 1;

/**
 * The end of the period of `months` calendar months from receipt, on the site's calendar, as a data
 * subject's export request counts it (exports/deadlines.ts). The strict date, also on a weekend or a
 * holiday: Regulation 1182/71 art. 3(4) may extend such a period to the next working day, but an
 * answer on time by the strict date is on time by either reading (docs/design/subject-requests.md).
 */
export function monthsDeadline(country: SiteCountry, receivedAtMs: number, months: number): number {
  return addCalendarMonths(receivedAtMs, months, COUNTRY_TIME_ZONE[country]);
}

/** The deadline set at receipt: the month (PL, CZ) or the 5 working days to decide (LT). */
export function originalDeadline(country: SiteCountry, receivedAtMs: number): number {
  return country === 'LT' ? addWorkingDays(receivedAtMs, WORKING_DAYS_TO_DECIDE, country) : monthsDeadline(country, receivedAtMs, 1);
}

/** The deadline after an extension by one or two further months (GDPR art. 12(3)), counted from receipt. */
export function extendedUntil(country: SiteCountry, receivedAtMs: number, months: 1 | 2): number {
  return monthsDeadline(country, receivedAtMs, 1 + months);
}

export const feeCurrency = (country: SiteCountry): string => FEE_CURRENCY[country];

/** What the deadline of a request depends on. */
export interface DeadlineFacts {
  country: SiteCountry;
  receivedAtMs: number;
  originalDueMs: number;
  extendedUntilMs: number | null;
  decidedAtMs: number | null;
  answeredAtMs: number | null;
}

export type SubjectDeadline = SubjectRequestView['deadline'];

/** The deadline that runs at `nowMs` and where the request stands against it. */
export function subjectDeadline(f: DeadlineFacts, nowMs: number): SubjectDeadline {
  let phase: SubjectDeadline['phase'] = 'answer';
  let dueMs = f.extendedUntilMs ?? f.originalDueMs;
  let decidedLate = false;
  if (f.country === 'LT') {
    // JON 20: first the decision, then telling the person by the next working day after it.
    if (f.decidedAtMs === null) phase = 'decision';
    else {
      dueMs = addWorkingDays(f.decidedAtMs, WORKING_DAYS_TO_TELL, f.country);
      decidedLate = f.decidedAtMs > f.originalDueMs;
    }
  }
  const answered = f.answeredAtMs !== null;
  const state: SubjectDeadlineState = deadlineState(dueMs, answered, nowMs, f.country);
  return {
    phase,
    dueMs,
    state,
    originalDueMs: f.originalDueMs,
    decidedLate,
    answeredLate: answered && f.answeredAtMs! > dueMs,
    extendable: extensionRefusal(f, null, nowMs) === null,
  };
}

export interface Refusal {
  kind: 'FailedPrecondition' | 'InvalidArgument';
  message: string;
  issue?: string;
}

/**
 * Null when the deadline may be extended now, with the requester told at `toldAtMs` (null: only
 * whether an extension is still possible at all); else why not, in words.
 */
export function extensionRefusal(f: DeadlineFacts, toldAtMs: number | null, nowMs: number): Refusal | null {
  if (f.country === 'LT') {
    return { kind: 'FailedPrecondition', message: 'In Lithuania the procedure (JON 20) sets 5 working days to decide and the next working day to tell the person; it allows no extension.' };
  }
  if (f.answeredAtMs !== null) return { kind: 'FailedPrecondition', message: 'The request is answered: its deadline no longer runs.' };
  if (f.extendedUntilMs !== null) return { kind: 'FailedPrecondition', message: 'The deadline was extended once already; it cannot be extended a second time (GDPR art. 12(3)).' };
  if (nowMs > f.originalDueMs) return { kind: 'FailedPrecondition', message: 'The one-month deadline has passed: an extension had to be announced to the requester before it ended.' };
  if (toldAtMs === null) return null;
  if (toldAtMs > nowMs + SUBJECT_TIME_MAX_SKEW_MS) return { kind: 'InvalidArgument', message: 'The time the requester was told is in the future.', issue: 'toldRequesterAtMs: future' };
  if (toldAtMs < f.receivedAtMs) return { kind: 'InvalidArgument', message: 'The time the requester was told is before the request was received.', issue: 'toldRequesterAtMs: beforeReceipt' };
  if (toldAtMs > f.originalDueMs) return { kind: 'FailedPrecondition', message: 'The requester must be told of the extension and its reason before the one-month deadline ends.', issue: 'toldRequesterAtMs: afterDeadline' };
  return null;
}
