// The audit log in words (R4, KRK §5.3.4): the engine stores codes (an action such as
// `exports.decide`, a target such as `camera#3`, the actor `anonymous`) and keeps them, byte for
// byte, in the hash chain and the CSV report; the audit screen shows what they mean in the
// interface language, and keeps the code at hand for those who search by it. A code this console
// does not know (an engine newer than the seat) is shown as the engine wrote it.
import type { TFunction } from 'i18next';
import { ALARM_KIND_NAMES, COMMAND_NAMES, ENGINE_AUDIT_ACTIONS, PLAYBACK_REASONS, accessReviewReference, exportNumber, incidentNumber, type AuditEntryView } from '../../shared/contract';
import { formatDateTime, formatRange, localTimesIn } from '../kit/format-time';

/** Every action the engine can write: any command (a refused call is audited under its name even
 *  when the command's own calls are not) and the engine's own events. */
export const AUDIT_ACTIONS: readonly string[] = [...COMMAND_NAMES, ...ENGINE_AUDIT_ACTIONS];
const KNOWN_ACTIONS = new Set(AUDIT_ACTIONS);

/** The interface string of an action; codes are nested by their dots (`audit.actions.exports.decide`). */
export const actionKey = (action: string): string => `audit.actions.${action}`;

type Entry = Pick<AuditEntryView, 'action' | 'details' | 'reason'>;

/** The request the dispatcher recorded with the entry (absent on refused calls, or when bounded). */
function recordedRequest(details: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(details);
    if (typeof parsed !== 'object' || parsed === null || !('request' in parsed)) return null;
    const request = parsed.request;
    return typeof request === 'object' && request !== null && !Array.isArray(request) ? (request as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** An export decision's reason is stored as "approve: words" or "reject: words" (shared/contract/exports.ts). */
const DECISION = /^(approve|reject): ([\s\S]*)$/;

/** Which way an export decision went, when the entry says so. */
function decision(entry: Entry): 'approve' | 'reject' | null {
  if (entry.action !== 'exports.decide') return null;
  const approve = recordedRequest(entry.details)?.approve;
  if (typeof approve === 'boolean') return approve ? 'approve' : 'reject';
  const m = entry.reason ? DECISION.exec(entry.reason) : null;
  return m ? (m[1] as 'approve' | 'reject') : null;
}

/**
 * The action in words, or null when this console has none for it (then the code is shown). Where
 * the entry says which way a command went (an export approved or rejected, a camera switched on or
 * off), the words say it too.
 */
export function auditActionWords(t: TFunction, entry: Entry): string | null {
  if (!KNOWN_ACTIONS.has(entry.action)) return null;
  const decided = decision(entry);
  if (decided) return t(decided === 'approve' ? 'audit.actionAs.exportApproved' : 'audit.actionAs.exportRejected');
  if (entry.action === 'cameras.setEnabled') {
    const enabled = recordedRequest(entry.details)?.enabled;
    if (typeof enabled === 'boolean') return t(enabled ? 'audit.actionAs.cameraEnabled' : 'audit.actionAs.cameraDisabled');
  }
  return t(actionKey(entry.action));
}

/**
 * The reason in words: a playback reason's category (stored as its key) in the interface language;
 * an export decision's reason without its `approve:`/`reject:` code, which the action's words say.
 */
export function auditReasonWords(t: TFunction, entry: Entry): string {
  const reason = entry.reason ?? '';
  if (entry.action === 'playback.open') {
    const m = /^([a-z_]+): ([\s\S]*)$/.exec(reason);
    if (m && (PLAYBACK_REASONS as readonly string[]).includes(m[1]!)) return `${t(`playback.reasons.${m[1]}`)}: ${m[2]}`;
  }
  if (entry.action === 'exports.decide') {
    const m = DECISION.exec(reason);
    if (m) return m[2]!;
  }
  return reason;
}

/** Actors that are not people: the engine itself, and callers before anyone signed in. */
const ACTORS: Readonly<Record<string, string>> = {
  anonymous: 'audit.actors.anonymous',
  system: 'audit.actors.system',
  // The engine machine's own socket (seats registered there: electron/core/seats).
  'engine-machine': 'audit.actors.engineMachine',
};

export interface ActorWords {
  text: string;
  /** True when the text words a code (not a person's user name). */
  worded: boolean;
}

/** The actor in words: a user name as it is; the engine, a caller before sign-in or a seat in words. */
export function auditActorWords(t: TFunction, actor: string): ActorWords {
  const key = ACTORS[actor];
  if (key) return { text: t(key), worded: true };
  // A seat enrolling: `seat:<name>@<address>`, or `seat:?@<address>` when its code was refused.
  const seat = /^seat:([\s\S]+)@([^@]*)$/.exec(actor);
  if (seat) {
    const [, name, address] = seat as unknown as [string, string, string];
    return { text: name === '?' ? t('audit.actors.unknownSeat', { address }) : t('audit.actors.seat', { name, address }), worded: true };
  }
  return { text: actor, worded: false };
}

/** Targets that are a fixed word. */
const FIXED_TARGETS: Readonly<Record<string, string>> = {
  engine: 'engine',
  recordings: 'recordings',
  storage: 'storage',
  'deletion-log': 'deletionLog',
  'audit-log': 'auditLog',
  'playback-sessions': 'playbackSessions',
  network: 'network',
  exports: 'exports',
  holds: 'holds',
  incidents: 'incidents',
  'incident-categories': 'incidentCategories',
  site: 'site',
  'settings:security': 'securitySettings',
  'privacy-masks': 'privacyMasks',
  breaches: 'breaches',
  'access-register:pdf': 'accessRegisterPdf',
  'access-register:csv': 'accessRegisterCsv',
  'access-reviews': 'accessReviews',
  'subject-requests': 'subjectRequests',
};

/** An ISO instant as the engine writes it into a target. */
const ISO = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z`;

/** A random id (session, playback session) shortened: the full one is in the cell's title. */
const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

const instant = (iso: string): number | null => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
};

interface TargetShape {
  pattern: RegExp;
  words: (t: TFunction, m: RegExpExecArray) => string | null;
}

/** The shapes the contract's `target` functions and the engine's own appends write. */
const TARGET_SHAPES: readonly TargetShape[] = [
  { pattern: /^camera#(\d+)$/, words: (t, m) => t('audit.targets.camera', { id: m[1] }) },
  {
    pattern: new RegExp(`^camera#(\\d+) (${ISO})$`),
    words: (t, m) => {
      const atMs = instant(m[2]!);
      return atMs === null ? null : t('audit.targets.cameraAt', { id: m[1], at: formatDateTime(atMs) });
    },
  },
  {
    pattern: new RegExp(`^cameras:(\\d+(?:,\\d+)*) (${ISO})\\.\\.(${ISO})$`),
    words: (t, m) => {
      const fromMs = instant(m[2]!);
      const toMs = instant(m[3]!);
      const ids = m[1]!.split(',');
      return fromMs === null || toMs === null ? null : t('audit.targets.camerasRange', { count: ids.length, ids: ids.join(', '), range: formatRange(fromMs, toMs) });
    },
  },
  { pattern: /^camera:([\s\S]+)$/, words: (t, m) => t('audit.targets.cameraNamed', { name: m[1] }) },
  { pattern: /^user#(\d+)$/, words: (t, m) => t('audit.targets.userNo', { id: m[1] }) },
  { pattern: /^user:([\s\S]+)$/, words: (t, m) => t('audit.targets.user', { name: m[1] }) },
  { pattern: /^group#(\d+)$/, words: (t, m) => t('audit.targets.groupNo', { id: m[1] }) },
  { pattern: /^group:([\s\S]+)$/, words: (t, m) => t('audit.targets.group', { name: m[1] }) },
  { pattern: /^alarm#(\d+)$/, words: (t, m) => t('audit.targets.alarmNo', { id: m[1] }) },
  { pattern: /^audit-log#(\d+)$/, words: (t, m) => t('audit.targets.auditLogUpTo', { seq: m[1] }) },
  { pattern: /^onvif:([\s\S]+)$/, words: (t, m) => t('audit.targets.onvif', { address: m[1] }) },
  // An export request is named by its body and their reference before it has a number.
  { pattern: /^body:([\s\S]*) ref:([\s\S]*)$/, words: (t, m) => t('audit.targets.exportRequestFrom', { body: m[1], reference: m[2] }) },
  { pattern: /^export#(\d+)$/, words: (t, m) => t('audit.targets.exportRequest', { number: exportNumber(Number(m[1])) }) },
  { pattern: /^case:([\s\S]+)$/, words: (t, m) => t('audit.targets.holdCase', { reference: m[1] }) },
  { pattern: /^hold#(\d+)$/, words: (t, m) => t('audit.targets.holdNo', { id: m[1] }) },
  { pattern: /^breach#(\d+)$/, words: (t, m) => t('audit.targets.breach', { reference: `BR-${m[1]}` }) },
  { pattern: /^grant#(\d+)$/, words: (t, m) => t('audit.targets.grant', { id: m[1] }) },
  { pattern: /^access-review#(\d+)$/, words: (t, m) => t('audit.targets.accessReview', { reference: accessReviewReference(Number(m[1])) }) },
  { pattern: /^subject-request#(\d+)$/, words: (t, m) => t('audit.targets.subjectRequest', { reference: `DSR-${m[1]}` }) },
  { pattern: /^subject-requests:(pdf|csv)$/, words: (t, m) => t('audit.targets.subjectRegister', { format: m[1]!.toUpperCase() }) },
  { pattern: /^incident#(\d+)$/, words: (t, m) => t('audit.targets.incident', { number: incidentNumber(Number(m[1])) }) },
  { pattern: /^incident#(\d+) hold#(\d+)$/, words: (t, m) => t('audit.targets.incidentHold', { number: incidentNumber(Number(m[1])), holdId: m[2] }) },
  { pattern: /^playback:([\s\S]+)$/, words: (t, m) => t('audit.targets.playback', { id: shortId(m[1]!) }) },
  { pattern: /^session:([\s\S]+)$/, words: (t, m) => t('audit.targets.session', { id: shortId(m[1]!) }) },
  { pattern: /^room:([\s\S]+) wall:([\s\S]+)$/, words: (t, m) => t('audit.targets.roomWall', { room: m[1], name: m[2] }) },
  // A seat is named when it is registered and numbered afterwards.
  { pattern: /^seat:(\d+)$/, words: (t, m) => t('audit.targets.seatNo', { id: m[1] }) },
  { pattern: /^seat:([\s\S]+)$/, words: (t, m) => t('audit.targets.seat', { name: m[1] }) },
  { pattern: /^node:([\s\S]+)$/, words: (t, m) => t('audit.targets.node', { name: m[1] }) },
];

/** An alarm's kind as a target (alarm.raised, alarm.cleared): `storage.full` -> `storage_full`. */
export const alarmKindKey = (kind: string): string => `audit.targets.alarmKinds.${kind.replace(/\./g, '_')}`;

/**
 * The target in words in the interface language. Instants are shown in local time; a shape this
 * console does not know is shown as the engine wrote it (its instants in local time).
 */
export function auditTargetWords(t: TFunction, target: string): string {
  const fixed = FIXED_TARGETS[target];
  if (fixed) return t(`audit.targets.fixed.${fixed}`);
  if ((ALARM_KIND_NAMES as readonly string[]).includes(target)) return t('audit.targets.alarmKind', { kind: t(alarmKindKey(target)) });
  for (const shape of TARGET_SHAPES) {
    const m = shape.pattern.exec(target);
    const words = m ? shape.words(t, m) : null;
    if (words !== null) return words;
  }
  return localTimesIn(target);
}
