// The text fields of the dialogs and screens that send something (a reason, a note, a case
// reference, an enrolment code): the value goes in and comes out as plain text, `problem` is what
// is wrong with it (false or nothing: no problem; the caller decides when to show it, usually once
// the user tried to send), and `limit` takes the maximum length from the contract's own request
// field (contract-limits.ts; the engine checks again, R5) instead of a copied number.
import { TextInput, Textarea, type TextInputProps, type TextareaProps } from '@mantine/core';
import type { CommandName } from '../../shared/contract';
import { requestLimits } from './contract-limits';

interface TextFieldOwnProps {
  testId?: string;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the field in red; false, null or undefined: nothing is wrong (or not yet shown). */
  problem?: string | false | null;
  /** The request field the text fills: its maximum length limits what can be typed. */
  limit?: readonly [CommandName, ...string[]];
}

type Own = keyof TextFieldOwnProps | 'error';

function fieldProps({ testId, value, onChange, problem, limit }: TextFieldOwnProps) {
  return {
    'data-testid': testId,
    value,
    onChange: (event: { currentTarget: { value: string } }) => onChange(event.currentTarget.value),
    error: problem || undefined,
    ...(limit ? { maxLength: requestLimits(...limit).max } : {}),
  };
}

/** One line of text. */
export function TextField({ testId, value, onChange, problem, limit, ...input }: TextFieldOwnProps & Omit<TextInputProps, Own>) {
  return <TextInput {...input} {...fieldProps({ testId, value, onChange, problem, limit })} />;
}

/** Several lines of text; grows with what is written (from `minRows`, default 2). */
export function TextAreaField({ testId, value, onChange, problem, limit, minRows = 2, ...input }: TextFieldOwnProps & Omit<TextareaProps, Own>) {
  return <Textarea autosize minRows={minRows} {...input} {...fieldProps({ testId, value, onChange, problem, limit })} />;
}
