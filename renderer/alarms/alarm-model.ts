// What the shell's alarm strip, the held screen and the audit screen say about alarms
// (shared/contract/alarms.ts): which open alarms the strip shows, and each alarm worded in the
// interface language from its kind and params. The engine's English `message` is shown only for a
// kind this console does not know (a newer engine), or a row whose params are damaged.
import type { TFunction } from 'i18next';
import { ALARM_KINDS, type AlarmView, type AuditVerifyReport } from '../../shared/contract';
import { formatDateTime } from '../kit/format-time';

/** How often the strip asks for open alarms (alarms.list is not audited, R4). */
export const ALARM_POLL_MS = 30_000;
/** How often a held console asks whether the hold is over (the refusal of an unaudited call is not audited). */
export const HELD_POLL_MS = 10_000;

type Params = AlarmView['params'];

function isKnownKind(kind: string): kind is keyof typeof ALARM_KINDS {
  return Object.hasOwn(ALARM_KINDS, kind);
}

/** Conditions (storage full, recording failing) clear themselves and have their own banner and page. */
export function isCondition(kind: string): boolean {
  return isKnownKind(kind) && ALARM_KINDS[kind].acknowledgedWith === null;
}

/**
 * The open alarms the strip shows: events a person must acknowledge and kinds this console does not
 * know, critical first, newest first within a severity. While the engine is held, its audit.anchor
 * alarm is on the held screen instead.
 */
export function stripAlarms(alarms: readonly AlarmView[], held: boolean): AlarmView[] {
  const rank = (a: AlarmView) => (a.severity === 'critical' ? 0 : 1);
  return alarms
    .filter((a) => a.clearedAtMs === null && !isCondition(a.kind) && !(held && a.kind === 'audit.anchor'))
    .sort((a, b) => rank(a) - rank(b) || b.raisedAtMs - a.raisedAtMs);
}

/** The open audit.anchor alarm the held screen explains (the newest, should there be more). */
export function openAnchorAlarm(alarms: readonly AlarmView[] | null): AlarmView | null {
  return alarms?.filter((a) => a.kind === 'audit.anchor' && a.clearedAtMs === null).sort((a, b) => b.raisedAtMs - a.raisedAtMs)[0] ?? null;
}

const str = (p: Params, key: string): string | null => (typeof p[key] === 'string' ? (p[key] as string) : null);
const num = (p: Params, key: string): number | null => (typeof p[key] === 'number' && Number.isSafeInteger(p[key]) ? (p[key] as number) : null);

const ROLES_WORDED = new Set(['guard', 'reviewer', 'supervisor', 'administrator', 'auditor']);
const CHANGES_WORDED = new Set(['created', 'role_changed', 'groups_changed', 'reactivated']);

/** "Administrator admin.anna asked for access to footage for the account evil.sup as supervisor (new account, 0 camera groups); it takes effect once…". */
function grantText(t: TFunction, p: Params): string | null {
  const actor = str(p, 'actor');
  const username = str(p, 'username');
  const role = str(p, 'role');
  const change = str(p, 'change');
  const groups = num(p, 'groups');
  if (actor === null || username === null || role === null || change === null || groups === null) return null;
  return t('alarms.grant.text', {
    actor,
    username,
    roleAs: ROLES_WORDED.has(role) ? t(`alarms.grant.roleAs.${role}`) : t('alarms.grant.roleAsOther', { role }),
    change: CHANGES_WORDED.has(change) ? t(`alarms.grant.change.${change}`) : change,
    groups: t('alarms.grant.groups', { count: groups }),
  });
}

/**
 * What the audit trail's start-up check found, from the alarm's params (problem, anchorSeq,
 * logHeadSeq), or null when the problem is one this console does not know.
 */
export function anchorFindingText(t: TFunction, p: Params): string | null {
  const problem = str(p, 'problem');
  const anchorSeq = num(p, 'anchorSeq');
  const logHeadSeq = num(p, 'logHeadSeq');
  switch (problem) {
    case 'missing':
      return logHeadSeq === null ? null : t('alarms.anchor.finding.missing', { logHeadSeq });
    case 'unreadable':
      return t('alarms.anchor.finding.unreadable');
    case 'ahead':
      return anchorSeq === null || logHeadSeq === null ? null : t('alarms.anchor.finding.ahead', { fromSeq: logHeadSeq + 1, anchorSeq, logHeadSeq });
    case 'mismatch':
      return anchorSeq === null ? null : t('alarms.anchor.finding.mismatch', { anchorSeq });
    default:
      return null;
  }
}

/** A finding shown on its own: capitalised, ending in a full stop (the finding texts are clauses). */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed.charAt(0).toLocaleUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Why the access review is overdue (docs/design/access-review.md), from the alarm's params. */
function reviewOverdueText(t: TFunction, p: Params): string | null {
  const reason = str(p, 'reason');
  if (reason === 'open_too_long') {
    const reference = str(p, 'reference');
    const days = num(p, 'days');
    return reference === null || days === null ? null : t('alarms.reviewOverdue.open_too_long', { reference, days });
  }
  if (reason === 'not_opened') {
    const dueAtMs = num(p, 'dueAtMs');
    return dueAtMs === null ? null : t('alarms.reviewOverdue.not_opened', { at: formatDateTime(dueAtMs) });
  }
  return null;
}

export interface AlarmWording {
  /** Short name of the kind ("Access to footage asked for"). */
  title: string;
  /** The whole sentence, from the params. */
  text: string;
  /** Who may acknowledge it, when the viewer may not (null when the viewer may). */
  whoMay: string | null;
}

/** An alarm in the interface language, for the viewer `viewer` (the signed-in user name). */
export function alarmWording(t: TFunction, alarm: AlarmView, viewer: string): AlarmWording {
  let title: string;
  let text: string | null = null;
  let whoMay: string;
  switch (alarm.kind) {
    case 'access.footage_granted':
      title = t('alarms.kind.access_footage_granted');
      text = grantText(t, alarm.params);
      whoMay = t(alarm.params.username === viewer ? 'alarms.who.access_footage_granted_self' : 'alarms.who.access_footage_granted');
      break;
    case 'audit.anchor': {
      title = t('alarms.kind.audit_anchor');
      const finding = anchorFindingText(t, alarm.params) ?? str(alarm.params, 'found');
      text = finding === null ? null : t('alarms.anchor.text', { finding });
      whoMay = t('alarms.who.audit_anchor');
      break;
    }
    case 'access.review_overdue':
      title = t('alarms.kind.access_review_overdue');
      text = reviewOverdueText(t, alarm.params);
      whoMay = t('alarms.who.access_review_overdue');
      break;
    case 'breaches.deadline': {
      // A breach record a day before its 72-hour deadline (docs/design/breaches.md); words in locales/breaches.
      title = t('breaches.alarm.title');
      const reference = str(alarm.params, 'reference');
      const deadlineAtMs = num(alarm.params, 'deadlineAtMs');
      text = reference === null || deadlineAtMs === null ? null : t('breaches.alarm.text', { reference, deadline: formatDateTime(deadlineAtMs) });
      whoMay = t('breaches.alarm.whoMay');
      break;
    }
    default:
      title = t('alarms.kind.other');
      whoMay = t('alarms.who.other');
  }
  return { title, text: text ?? alarm.message, whoMay: alarm.canAcknowledge ? null : whoMay };
}

export type AcknowledgedBreak = AuditVerifyReport['acknowledgedBreaks'][number];

/**
 * What an acknowledged break found, in the interface language. The verification report gives the
 * engine's sentence (`found`); the acknowledged audit.anchor alarm it came from carries the same
 * sentence with the problem and sequence numbers as values, so the break is worded from that alarm
 * when it is among those listed, else the recorded sentence is shown as it is.
 */
export function breakFindingText(t: TFunction, b: AcknowledgedBreak, alarms: readonly AlarmView[]): string {
  const alarm = alarms.find((a) => a.kind === 'audit.anchor' && a.acknowledgedBy === b.acknowledgedBy && a.params.found === b.found);
  return (alarm && anchorFindingText(t, alarm.params)) ?? b.found;
}
