// A PTZ refusal in the interface language. The engine's messages are English and meant for logs
// (renderer/i18n/error-text.ts); here the operator reads what happened to the camera: who holds it,
// that control was lost, that the camera did not answer. The engine's own words stay in the title.
import type { CommandError } from '../../shared/result';

/** The command of the seat that failed. */
export type PtzOp = 'acquire' | 'takeOver' | 'move' | 'preset' | 'home' | 'save' | 'release';

/** The key under ptz.errors, or null for the generic errors.kinds wording. */
export function ptzErrorKey(op: PtzOp, error: CommandError, heldByOther: boolean): string | null {
  if (error.kind === 'Unavailable') return 'unavailable';
  if (error.kind === 'FailedPrecondition') {
    if (op === 'takeOver') return heldByOther ? 'takeOverRefused' : 'generic';
    if (heldByOther) return 'held';
    if (op === 'move') return 'lost';
    if (op === 'home') return 'noHome';
    return 'generic';
  }
  if (error.kind === 'AlreadyExists' && op === 'save') return 'presetExists';
  if (error.kind === 'NotFound' && op === 'preset') return 'noPreset';
  if (error.kind === 'PermissionDenied') return 'notAllowed';
  return null;
}
