// Turns an engine error into text in the interface language. The engine's messages are English
// and meant for logs; users see the translated kind, and for InvalidArgument each failing field
// (`newPassword: tooShort`) translated where the code is known.
import type { TFunction } from 'i18next';
import type { CommandError } from '../../shared/result';

const PASSWORD_FIELDS = new Set(['password', 'newPassword', 'initialPassword', 'temporaryPassword']);
const PASSWORD_PROBLEMS = new Set(['tooShort', 'containsUsername', 'common', 'repetitive', 'sameAsCurrent', 'reused']);
const KNOWN_FIELDS = new Set(['username', 'displayName', 'reason', 'name', 'description', 'currentPassword', 'basis']);
/** Fields of camera settings and sources (`settings.purpose`, `source.mainUrl`, ...), translated under errors.cameraFields. */
const CAMERA_FIELDS = new Set(['name', 'site', 'groupId', 'purpose', 'areaType', 'retentionDays', 'retentionReason', 'location', 'mainUrl', 'subUrl', 'xaddr', 'mainProfile', 'subProfile', 'username', 'password', 'homeNode']);

/** Fields of hold, storage and deletion requests (`items.0`, `reviewDateMs: past`), translated under errors.recordingFields. */
const RECORDING_FIELDS = new Set(['caseReference', 'legalBasis', 'requestingBody', 'reason', 'items', 'addItems', 'quotaBytes', 'freeSpaceFloorBytes', 'sweepIntervalMinutes', 'cameraId']);

/** Fields named in words when the engine refuses them (errors.fieldNames), wherever they appear. */
const LABELLED_FIELDS = new Set(['initialPassword', 'password', 'newPassword', 'temporaryPassword', 'note', 'title', 'text', 'reference', 'caseReference', 'legalBasis', 'requestingBody', 'bodyName', 'bodyReference', 'purpose', 'recipient', 'receivedBy', 'medium', 'site', 'location', 'confirmExport']);

/** The kind of rule broken, from the engine's check message: too short, too long, or not valid. */
function ruleOf(code: string): 'tooShort' | 'tooLong' | 'invalid' {
  if (/^too small|at least|too short|required/i.test(code)) return 'tooShort';
  if (/^too big|at most|too long/i.test(code)) return 'tooLong';
  return 'invalid';
}

export type ErrorContext = 'signIn' | 'unlock' | 'camera' | 'recording';
export const MIN_PASSWORD_LENGTH = 12;

function issueText(t: TFunction, issue: string, context?: ErrorContext): string {
  const colon = issue.indexOf(':');
  const field = colon >= 0 ? issue.slice(0, colon).trim() : '';
  const code = colon >= 0 ? issue.slice(colon + 1).trim() : issue.trim();
  if (context === 'camera') {
    const leaf = field.replace(/^(settings|source)\./, '');
    if (CAMERA_FIELDS.has(leaf)) return t(`errors.cameraFields.${leaf}`);
  }
  if (context === 'recording') {
    const head = field.split('.')[0] ?? '';
    if (head === 'reviewDateMs') return t(code === 'notLater' ? 'errors.recordingFields.reviewDateNotLater' : 'errors.recordingFields.reviewDateMs');
    if (head === 'fromMs' || head === 'toMs' || head === '(request)') return t('errors.recordingFields.range');
    if (RECORDING_FIELDS.has(head)) return t(`errors.recordingFields.${head}`);
  }
  if (PASSWORD_FIELDS.has(field) && PASSWORD_PROBLEMS.has(code)) {
    return t(`password.problems.${code}`, { min: MIN_PASSWORD_LENGTH });
  }
  if (PASSWORD_PROBLEMS.has(code)) return t(`password.problems.${code}`, { min: MIN_PASSWORD_LENGTH });
  if (KNOWN_FIELDS.has(field)) return t(`errors.fields.${field}`);
  // Otherwise the field's own name and the rule it broke, from the engine's check ("Too small: ...").
  const leaf = field.split('.').filter((p) => !/^\d+$/.test(p)).at(-1) ?? '';
  const rule = ruleOf(code);
  if (LABELLED_FIELDS.has(leaf)) return t('errors.fieldRule', { field: t(`errors.fieldNames.${leaf}`), rule: t(`errors.rules.${rule}`) });
  return t('errors.fields.other', { field: field || '—' });
}

/**
 * The engine's refusal while it is held by an unacknowledged audit.anchor alarm (its gate, see
 * docs/design/audit-chain.md "Anchor"). The contract gives the hold no error kind of its own, so it
 * is told from other FailedPrecondition answers by the gate's sentence; error-text.test.ts checks
 * this against the engine's own HELD_MESSAGE.
 */
const HELD_MESSAGE_START = 'The audit trail failed its start-up check';
export function isHeldRefusal(error: CommandError): boolean {
  return error.kind === 'FailedPrecondition' && error.message.startsWith(HELD_MESSAGE_START);
}

export function errorLines(t: TFunction, error: CommandError, context?: ErrorContext): string[] {
  if (isHeldRefusal(error)) return [t('errors.held')];
  if (error.kind === 'Unauthenticated' && context === 'signIn') return [t('errors.wrongCredentials')];
  if (error.kind === 'Unauthenticated' && context === 'unlock') return [t('errors.wrongPassword')];
  if (error.kind === 'InvalidArgument' && error.issues?.length) {
    return [...new Set(error.issues.map((issue) => issueText(t, issue, context)))];
  }
  // Camera administration: the engine answers PermissionDenied when the device refused the
  // credentials, Unavailable when it cannot be reached or read. Its message names the cause (which
  // authentication an ONVIF device demanded, what it answered), so an administrator sees it.
  if (context === 'camera' && error.kind === 'PermissionDenied') return [t('errors.camera.deviceAuth'), t('errors.camera.detail', { message: error.message })];
  if (context === 'camera' && (error.kind === 'Unavailable' || error.kind === 'NotFound')) {
    return [t(error.kind === 'Unavailable' ? 'errors.camera.deviceUnavailable' : 'errors.camera.notFound'), t('errors.camera.detail', { message: error.message })];
  }
  return [t(`errors.kinds.${error.kind}`)];
}
