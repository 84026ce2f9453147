// Every dialog that changes something with a stated reason (release or extend a hold, close or
// reopen an incident, decide on or extend an export, deactivate a user, disable a camera...): the
// reason's bounds and checks are the command's own (contract-limits.ts), the submit button waits
// until the reason passes them, and the engine writes the reason to the record's history and to
// the audit log (R4).
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandName, RequestOf, ResponseOf } from '../../shared/contract';
import type { ErrorContext } from '../i18n/error-text';
import { fieldAccepts, textLimits } from './contract-limits';
import { FormModal } from './FormModal';
import { TextAreaField } from './TextField';
import { useAction } from './use-action';

export interface ReasonModalProps<N extends CommandName> {
  /** The command sent; its request's `reason` (or `field`) sets the bounds. */
  command: N;
  /** The request's field that carries the stated reason, when it is not `reason` (an alarm's `note`). */
  field?: string;
  request: (reason: string) => RequestOf<N>;
  onDone: (value: ResponseOf<N>) => void;
  onClose: () => void;
  title: ReactNode;
  submitLabel: string;
  /** The reason field's label (default: "Reason"). */
  label?: string;
  /** Under the label; default: the minimum length and that the reason is logged. Gets `{{min}}`. */
  hintKey?: string;
  intro?: ReactNode;
  /** Shown above the reason (what is decided on, other choices). */
  children?: ReactNode;
  /** Shown below the reason (a confirmation, what happens next). */
  after?: ReactNode;
  /** Other conditions for the submit button (a confirmation ticked). */
  ready?: boolean;
  /** Called on submit before sending; false keeps the dialog open (the caller shows what is missing). */
  check?: () => boolean;
  submitColor?: string;
  size?: number;
  errorContext?: ErrorContext;
  testId?: string;
  formTestId?: string;
  inputTestId: string;
  submitTestId: string;
  errorTestId: string;
  cancelTestId?: string;
  contentAttributes?: Record<string, string>;
}

export function ReasonModal<N extends CommandName>({
  command,
  field = 'reason',
  request,
  onDone,
  onClose,
  label,
  hintKey = 'common.reasonHint',
  children,
  after,
  ready = true,
  check,
  inputTestId,
  ...frame
}: ReasonModalProps<N>) {
  const { t } = useTranslation();
  const action = useAction();
  const [reason, setReason] = useState('');
  const { min, max } = textLimits(command, field);
  const reasonOk = fieldAccepts(command, [field], reason);

  const submit = async () => {
    if (!reasonOk || !ready || (check && !check())) return;
    const value = await action.run(command, request(reason));
    if (value) onDone(value);
  };

  return (
    <FormModal {...frame} onClose={onClose} onSubmit={() => void submit()} busy={action.busy} error={action.error} submitDisabled={!reasonOk || !ready}>
      {children}
      <TextAreaField
        testId={inputTestId}
        label={label ?? t('common.reason')}
        description={t(hintKey, { min, max })}
        value={reason}
        onChange={setReason}
        minRows={3}
        limit={[command, field]}
        withAsterisk
        data-autofocus
      />
      {after}
    </FormModal>
  );
}
