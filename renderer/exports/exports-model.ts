// Pure logic of the export screens (docs/design/exports.md "Request, deadline, decision"-§3, §5): the request form's checks and the request it
// sends, the legal-basis examples per body type and site country, the deadline wording on the
// supervisors' queue, who may decide, and the production progress figures. The engine checks
// everything again (R5, R6); these only spare the user a round trip and say what is missing.
import {
  EXPORT_BODY_TYPES,
  EXPORT_STATUSES,
  SITE_COUNTRIES,
  type EngineEvent,
  type ExportBodyType,
  type ExportStatus,
  type ExportSummaryView,
  type ExportView,
  type RequestOf,
  type SessionView,
} from '../../shared/contract';
import { itemProblem, newItemRow, toHoldItems, type ItemRow } from '../holds/hold-form-model';
import { requestLimits, textLimits } from '../kit/contract-limits';
import { fromLocalDateTimeInput, startOfLocalDay, toLocalDateTimeSecondsInput } from '../kit/format-time';

/** The contract's bounds, read from its schemas. */
export const PURPOSE_LIMITS = textLimits('exports.create', 'purpose');
export const MAX_EXPORT_ITEMS = requestLimits('exports.create', 'items').max ?? 1;
export const MAX_REDACTIONS = requestLimits('exports.produce', 'redactions').max ?? 0;
/** The contract refines each range to at most 24 hours (a rule, not a bound a schema exposes). */
export const MAX_ITEM_MS = 24 * 3_600_000;
export const EXPORT_PAGE_SIZE = 100;

export type SiteCountry = (typeof SITE_COUNTRIES)[number];
export const isSiteCountry = (v: string | null): v is SiteCountry => (SITE_COUNTRIES as readonly (string | null)[]).includes(v);
export const isBodyType = (v: string | null): v is ExportBodyType => (EXPORT_BODY_TYPES as readonly (string | null)[]).includes(v);

export type StatusFilter = 'any' | ExportStatus;
export const isStatusFilter = (v: string | null): v is StatusFilter => v === 'any' || (EXPORT_STATUSES as readonly (string | null)[]).includes(v);

/** Urgency shortens the decision to one working day, and only for law enforcement and courts (JON 20). */
export const URGENT_BODY_TYPES: readonly ExportBodyType[] = ['police', 'prosecutor', 'court'];
export const urgencyApplies = (bodyType: ExportBodyType): boolean => URGENT_BODY_TYPES.includes(bodyType);

/**
 * The interface-string key of the legal-basis example for a body type: statutes differ per country
 * for authorities and courts; the GDPR and internal rules are the same everywhere.
 */
export function legalBasisExampleKey(bodyType: ExportBodyType, country: SiteCountry): string {
  if (bodyType === 'data_subject' || bodyType === 'internal') return `exports.basisExample.${bodyType}`;
  return `exports.basisExample.${country}.${bodyType}`;
}

export interface RequestForm {
  bodyType: ExportBodyType;
  bodyName: string;
  bodyReference: string;
  /** datetime-local */
  received: string;
  purpose: string;
  legalBasis: string;
  urgent: boolean;
  recipient: string;
  rows: ItemRow[];
}

export type RequestField = 'bodyName' | 'bodyReference' | 'received' | 'purpose' | 'legalBasis' | 'recipient' | 'items' | 'itemCount' | 'itemLength' | 'itemFuture';

/** The engine's allowance for clocks a little apart (a range may end at most this far past its now). */
export const FUTURE_SKEW_MS = 5_000;

/** What is missing or wrong, by field, in the order the form shows them. */
export function requestProblems(form: RequestForm, nowMs: number): RequestField[] {
  const problems: RequestField[] = [];
  if (!form.bodyName.trim()) problems.push('bodyName');
  if (!form.bodyReference.trim()) problems.push('bodyReference');
  const received = fromLocalDateTimeInput(form.received);
  // A written request cannot arrive in the future (a minute of slack for the clock's minute input).
  if (received === null || received > nowMs + 60_000) problems.push('received');
  if (form.purpose.trim().length < PURPOSE_LIMITS.min) problems.push('purpose');
  if (!form.legalBasis.trim()) problems.push('legalBasis');
  if (!form.recipient.trim()) problems.push('recipient');
  if (form.rows.length === 0 || form.rows.some((r) => itemProblem(r) !== null)) problems.push('items');
  if (form.rows.length > MAX_EXPORT_ITEMS) problems.push('itemCount');
  const items = toHoldItems(form.rows);
  if (items.some((i) => i.toMs - i.fromMs > MAX_ITEM_MS)) problems.push('itemLength');
  // Only recorded footage can be exported.
  if (items.some((i) => i.toMs > nowMs + FUTURE_SKEW_MS)) problems.push('itemFuture');
  return problems;
}

/** The exports.create request, or null while the form has problems. */
export function toCreateRequest(form: RequestForm, incidentId: number | null, nowMs: number): RequestOf<'exports.create'> | null {
  if (requestProblems(form, nowMs).length > 0) return null;
  const receivedAtMs = fromLocalDateTimeInput(form.received);
  if (receivedAtMs === null) return null;
  return {
    bodyType: form.bodyType,
    bodyName: form.bodyName.trim(),
    bodyReference: form.bodyReference.trim(),
    receivedAtMs,
    purpose: form.purpose.trim(),
    legalBasis: form.legalBasis.trim(),
    urgent: urgencyApplies(form.bodyType) && form.urgent,
    recipient: form.recipient.trim(),
    incidentId,
    items: toHoldItems(form.rows),
  };
}

/** An incident's footage for an export: a range as it is; a live mark from 2 minutes before to 3 after. */
export function incidentRange(incident: { startMs: number; endMs: number | null }): { fromMs: number; toMs: number } {
  if (incident.endMs !== null && incident.endMs > incident.startMs) return { fromMs: incident.startMs, toMs: incident.endMs };
  return { fromMs: incident.startMs - 2 * 60_000, toMs: incident.startMs + 3 * 60_000 };
}


/** Pre-filled ranges, to the second, ending no later than now (the engine refuses future footage). */
export function initialRows(items: readonly { cameraId: number; fromMs: number; toMs: number }[], nowMs: number): ItemRow[] {
  return items.flatMap((i) => {
    const toMs = Math.min(Math.ceil(i.toMs / 1000) * 1000, Math.floor(nowMs / 1000) * 1000);
    const fromMs = Math.floor(i.fromMs / 1000) * 1000;
    if (toMs <= fromMs) return [];
    return [{ ...newItemRow(toMs, String(i.cameraId)), from: toLocalDateTimeSecondsInput(fromMs), to: toLocalDateTimeSecondsInput(toMs) }];
  });
}

/** The interface string for an engine refusal of a request's field, when there is a specific one. */
export function createIssueKey(error: { kind: string; issues?: readonly string[] } | null): string | null {
  if (error?.kind !== 'InvalidArgument') return null;
  if (error.issues?.includes('items: future')) return 'exports.problems.itemFuture';
  if (error.issues?.includes('receivedAtMs: future')) return 'exports.problems.received';
  if (error.issues?.includes('receivedAtMs: beforeProduction')) return 'exports.problems.beforeProduction';
  return null;
}


/**
 * Monday-to-Friday days after `fromMs`'s day up to and including `toMs`'s day (negative when
 * `toMs` is earlier), in local time. Public holidays are not subtracted here: the engine computes
 * the deadline itself with the site country's holidays; this count only words the distance to it.
 */
export function weekdaysBetween(fromMs: number, toMs: number): number {
  const a = startOfLocalDay(fromMs);
  const b = startOfLocalDay(toMs);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  // setDate steps whole calendar days, whatever a DST change does to their length.
  for (const d = new Date(lo); ; ) {
    d.setDate(d.getDate() + 1);
    if (d.getTime() > hi) break;
    if (d.getDay() !== 0 && d.getDay() !== 6) count += 1;
  }
  return sign * count;
}

export type DeadlineWording = { key: 'done' } | { key: 'overdue'; days: number } | { key: 'today' } | { key: 'left'; days: number };

/** The words next to a deadline: done, overdue (by n working days), due today, or n working days left. */
export function deadlineWording(view: Pick<ExportSummaryView, 'deadlineMs' | 'deadlineState'>, nowMs: number): DeadlineWording {
  if (view.deadlineState === 'done') return { key: 'done' };
  if (view.deadlineState === 'overdue' || view.deadlineMs < nowMs) return { key: 'overdue', days: Math.max(0, -weekdaysBetween(nowMs, view.deadlineMs)) };
  const days = weekdaysBetween(nowMs, view.deadlineMs);
  return days <= 0 ? { key: 'today' } : { key: 'left', days };
}

/** Amber when near, red when overdue (the supervisors' queue, docs/design/exports.md "Request, deadline, decision"). */
export function deadlineColour(state: ExportSummaryView['deadlineState']): string {
  return state === 'overdue' ? 'red' : state === 'near' ? 'orange' : state === 'done' ? 'gray' : 'teal';
}

export const STATUS_COLOURS: Record<ExportStatus, string> = {
  pending: 'yellow',
  approved: 'teal',
  rejected: 'red',
  producing: 'blue',
  produced: 'green',
  failed: 'red',
  handed_over: 'gray',
};

/** R6: a supervisor decides only on someone else's pending request (the engine refuses otherwise). */
export function canDecide(view: Pick<ExportView, 'status' | 'requestedBy'>, session: Pick<SessionView, 'user' | 'permissions'>): boolean {
  return view.status === 'pending' && session.permissions.includes('exports.approve') && !isOwnRequest(view, session);
}

export function isOwnRequest(view: Pick<ExportView, 'requestedBy'>, session: Pick<SessionView, 'user'>): boolean {
  const by = view.requestedBy.trim().toLowerCase();
  return by === session.user.username.toLowerCase() || by === session.user.displayName.trim().toLowerCase();
}

/** BRN 16.4: only a data subject's request may be extended, once, while still undecided. */
export function canExtend(view: Pick<ExportView, 'status' | 'bodyType' | 'deadlineExtension'>, session: Pick<SessionView, 'permissions'>): boolean {
  return view.bodyType === 'data_subject' && view.status === 'pending' && view.deadlineExtension === null && session.permissions.includes('exports.approve');
}

/** Production after approval; again after a failure or a cancel (status back to failed/approved). */
export function canProduce(view: Pick<ExportView, 'status'>, session: Pick<SessionView, 'permissions'>): boolean {
  return (view.status === 'approved' || view.status === 'failed') && session.permissions.includes('exports.request');
}

export function canHandOver(view: Pick<ExportView, 'status'>, session: Pick<SessionView, 'permissions'>): boolean {
  return view.status === 'produced' && session.permissions.includes('exports.request');
}

/** Progress as a whole percent, 0..100. */
export function progressPercent(progress: number): number {
  if (!Number.isFinite(progress)) return 0;
  return Math.max(0, Math.min(100, Math.floor(progress * 100)));
}

/** Time left as minutes and seconds, rounded up to whole seconds; null when not known yet. */
export function etaParts(etaMs: number | null): { minutes: number; seconds: number } | null {
  if (etaMs === null || !Number.isFinite(etaMs) || etaMs < 0) return null;
  const total = Math.ceil(etaMs / 1000);
  return { minutes: Math.floor(total / 60), seconds: total % 60 };
}

/** The list's row is the summary of a full view. */
export function summaryOf(v: ExportView): ExportSummaryView {
  return {
    id: v.id,
    number: v.number,
    status: v.status,
    bodyType: v.bodyType,
    bodyName: v.bodyName,
    bodyReference: v.bodyReference,
    urgent: v.urgent,
    requestedBy: v.requestedBy,
    requestedAtMs: v.requestedAtMs,
    receivedAtMs: v.receivedAtMs,
    deadlineMs: v.deadlineMs,
    deadlineState: v.deadlineState,
    cameras: v.cameras,
  };
}

/** Handover media offered as quick picks (free text otherwise). */
export const MEDIUM_SUGGESTIONS = ['dvd', 'usb', 'download'] as const;

/** Events after which the exports list and the supervisors' queue are read again (docs/design/events.md). */
export const EXPORT_LIST_EVENTS = ['export.created', 'export.decided', 'export.deadlineExtended', 'export.production', 'export.handedOver'] as const;

/**
 * Whether an export event changes what the list shows: a production's progress does not (the
 * list shows the status, and every list read is audited), its start and its end do.
 */
export function listChanges(event: Extract<EngineEvent, { type: (typeof EXPORT_LIST_EVENTS)[number] }>): boolean {
  return event.type !== 'export.production' || event.state !== 'producing' || event.progress === 0;
}

/** Export events that concern the request `exportId` (its open drawer reads it again). */
export const EXPORT_EVENTS = EXPORT_LIST_EVENTS;
export function concernsExport(exportId: number, event: { exportId: number }): boolean {
  return event.exportId === exportId;
}
