// Data-subject packages (JON 19; R7; docs/design/exports.md "Data-subject packages"): a person's
// copy of their own footage must not identify anybody else. The engine refuses to produce one
// unless the producer either confirms that the redaction boxes (burned in) cover every other
// person, or attests, with a reason, that nobody other than the data subject is visible. What they
// stated is kept in the request's history, the audit entry (the command's reason) and the manifest.
import type { ExportBodyType, RedactionBox } from '../../../shared/contract';
import type { Refusal } from './export-requests';

/** What the producer stated with exports.produce (both optional in the request). */
export interface DataSubjectStatement {
  redactionsCoverOthers?: boolean;
  attestation?: { reason: string };
}

/** The basis a data-subject package was produced on, as the manifest and the history record it. */
export interface DataSubjectRecord {
  /** attested: nobody other than the data subject is visible; boxes_confirmed: the boxes cover every other person. */
  basis: 'attested' | 'boxes_confirmed';
  by: string;
  /** The attestation's reason (null when the boxes were confirmed). */
  reason: string | null;
  /** Redaction boxes burned in (also with an attestation: a box may cover a number plate). */
  redactionBoxes: number;
}

const refusal = (message: string): Refusal => ({ refused: 'FailedPrecondition', message });

/**
 * Null when the package may be produced, else why not, in words naming what to do. Checked before
 * an attempt is claimed or a hold placed, like every other refusal of exports.produce.
 */
export function dataSubjectRefusal(bodyType: ExportBodyType, mode: 'copy' | 'burn_in', redactions: readonly RedactionBox[], s: DataSubjectStatement): Refusal | null {
  // Boxes are only ever burned in: a copy listing boxes would claim a redaction it does not carry.
  if (mode === 'copy' && redactions.length > 0) return refusal('A copy cannot carry redaction boxes: produce the package with burn-in, or remove the boxes.');
  if (bodyType !== 'data_subject') {
    if (s.attestation || s.redactionsCoverOthers) return refusal('The confirmation about other people applies only to a data subject’s request; send the request without it.');
    return null;
  }
  if (s.attestation) return null;
  if (s.redactionsCoverOthers) {
    if (mode === 'copy' || redactions.length === 0) {
      return refusal('You confirmed that redaction boxes cover every other person, but the package has none: draw boxes over them and produce it with burn-in, or attest with a reason that nobody else is visible.');
    }
    return null;
  }
  return refusal(
    redactions.length > 0
      ? 'A data subject’s package (JON 19): confirm that the redaction boxes cover every person other than the data subject, or attest with a reason that nobody else is visible.'
      : 'A data subject’s package (JON 19) cannot be produced while people other than the data subject may be visible: cover them with redaction boxes (burn-in) and confirm it, or attest with a reason that nobody else is visible.',
  );
}

/** The record of an allowed data-subject package (null for other bodies). Call after dataSubjectRefusal. */
export function dataSubjectRecord(bodyType: ExportBodyType, actor: string, redactions: readonly RedactionBox[], s: DataSubjectStatement): DataSubjectRecord | null {
  if (bodyType !== 'data_subject') return null;
  return s.attestation
    ? { basis: 'attested', by: actor, reason: s.attestation.reason, redactionBoxes: redactions.length }
    : { basis: 'boxes_confirmed', by: actor, reason: null, redactionBoxes: redactions.length };
}
