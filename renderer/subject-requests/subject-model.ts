// What the register screen decides on its own from a request the engine sent (docs/design/subject-requests.md):
// the deadline's colour, the queue's flags, which steps a keeper may take next, and a fee typed in
// the interface language's form. The engine checks every step again (R5).
import type { SubjectRequestView } from '../../shared/contract';

type R = SubjectRequestView;

/** Badge colours of the deadline states: the same everywhere the deadline shows. */
export const DEADLINE_COLOURS: Readonly<Record<R['deadline']['state'], string>> = { ok: 'blue', near: 'orange', overdue: 'red', done: 'gray' };

export const STATUS_COLOURS: Readonly<Record<R['status'], string>> = { open: 'blue', decided: 'yellow', answered: 'gray' };

/** The dialogs of a request's steps. */
export type SubjectDialog = 'identity' | 'extend' | 'decide' | 'answer' | 'link' | 'viewing';

/** The row's mark in the list: red when overdue, amber when due by the end of the next working day. */
export function deadlineFlag(r: R): string | null {
  return r.deadline.state === 'overdue' ? 'red-6' : r.deadline.state === 'near' ? 'orange-5' : null;
}

/** How many requests shown are overdue or near their deadline (the queue's badges). */
export function flagCounts(requests: readonly R[]): { overdue: number; near: number } {
  return { overdue: requests.filter((r) => r.deadline.state === 'overdue').length, near: requests.filter((r) => r.deadline.state === 'near').length };
}

export interface NextSteps {
  identity: boolean;
  extend: boolean;
  decide: boolean;
  answer: boolean;
  link: boolean;
  /** Export requests can be linked only to a request for a copy. */
  linkExport: boolean;
  viewing: boolean;
}

/** The steps a keeper of the register (subjects.manage) may take on this request now. */
export function nextSteps(r: R, canManage: boolean): NextSteps {
  const open = canManage && r.status !== 'answered';
  const granted = r.decision?.outcome === 'granted' || r.decision?.outcome === 'partly';
  return {
    identity: open && r.identity === null,
    extend: open && r.deadline.extendable,
    decide: open && r.decision === null,
    answer: open && r.decision !== null,
    link: canManage,
    linkExport: canManage && r.kind === 'copy',
    viewing: canManage && granted && (r.kind === 'viewing' || r.kind === 'copy'),
  };
}

/**
 * A fee as typed ("50", "50.5", "50,50", "1 200,00") -> minor units (5000, 5050...), or null when it
 * is not a positive amount with at most two decimals.
 */
export function feeMinorFromInput(text: string): number | null {
  const s = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return minor > 0 ? minor : null;
}

/** A fee in the language's own form of the currency ("50,00 zł", "€10.00"). */
export function formatFee(amountMinor: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amountMinor / 100);
  } catch {
    return `${(amountMinor / 100).toFixed(2)} ${currency}`;
  }
}
