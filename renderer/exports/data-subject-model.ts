// What the produce dialog asks for a data subject's package (docs/design/exports.md "Data-subject
// packages"; JON 19): the producer confirms that the redaction boxes cover every other person, or
// attests with a reason that nobody else is visible. The engine enforces the rule (R5); this only
// says what is missing before the round trip.
import type { RequestOf } from '../../shared/contract';
import { textLimits } from '../kit/contract-limits';

export const ATTESTATION_LIMITS = textLimits('exports.produce', 'attestation', 'reason');

export interface DataSubjectDraft {
  /** "I confirm the boxes cover every other person" (only offered with boxes, burn-in). */
  confirmBoxes: boolean;
  /** "Nobody other than the data subject is visible", with the reason. */
  attest: boolean;
  reason: string;
}

export const emptyDataSubjectDraft = (): DataSubjectDraft => ({ confirmBoxes: false, attest: false, reason: '' });

/** Whether the boxes can be confirmed: only burned-in boxes cover anybody. */
export const canConfirmBoxes = (mode: 'copy' | 'burn_in', boxCount: number): boolean => mode === 'burn_in' && boxCount > 0;

export type DataSubjectProblem = 'choose' | 'reason';

/** What still stops the package: neither statement made, or an attestation without a reason of the contract's length. */
export function dataSubjectProblem(mode: 'copy' | 'burn_in', boxCount: number, d: DataSubjectDraft): DataSubjectProblem | null {
  if (d.attest) {
    const n = d.reason.trim().length;
    return n >= ATTESTATION_LIMITS.min && n <= ATTESTATION_LIMITS.max ? null : 'reason';
  }
  return d.confirmBoxes && canConfirmBoxes(mode, boxCount) ? null : 'choose';
}

/** The request's data-subject fields (none for other bodies). */
export function dataSubjectFields(dataSubject: boolean, mode: 'copy' | 'burn_in', boxCount: number, d: DataSubjectDraft): Pick<RequestOf<'exports.produce'>, 'redactionsCoverOthers' | 'attestation'> {
  if (!dataSubject) return {};
  if (d.attest) return { attestation: { reason: d.reason.trim() } };
  return d.confirmBoxes && canConfirmBoxes(mode, boxCount) ? { redactionsCoverOthers: true } : {};
}
