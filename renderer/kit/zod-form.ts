// The adapter between @mantine/form and the contract (forms validated by the
// contract's own schemas, renderer/kit/README.md): a form's values are turned into the command's request and checked by
// the command's own zod schema; each issue becomes an error on the field it belongs to, in the
// interface language. The engine checks the same schema again (R5): this only says what is
// wrong before a round trip.
import { useForm, type FormErrors, type UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';

export interface ContractCheck<Values> {
  /** The request's schema, e.g. `COMMANDS['users.create'].request`. */
  schema: z.core.$ZodType;
  /** The request the values stand for. */
  toRequest: (values: Values) => unknown;
  /** The form field an issue belongs to (null: none shows it); default: the last named key of its path. */
  fieldOf?: (path: readonly PropertyKey[]) => string | null;
  /** Interface-string keys for what a generic wording cannot explain (a format), by form field. */
  messages?: Readonly<Record<string, string>>;
}

const lastKey = (path: readonly PropertyKey[]): string | null => {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return null;
};

/** One issue in words: bounds come from the issue itself (the contract's numbers, never copies). */
export function issueText(t: TFunction, issue: z.core.$ZodIssue, formatKey?: string): string {
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? t('form.required') : t('form.tooShort', { min });
      if (issue.origin === 'array' || issue.origin === 'set') return t('form.tooFew', { min });
      return t('form.tooSmall', { min });
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return t('form.tooLong', { max });
      if (issue.origin === 'array' || issue.origin === 'set') return t('form.tooMany', { max });
      return t('form.tooBig', { max });
    }
    case 'invalid_type':
      return issue.input === null || issue.input === undefined ? t('form.required') : t(formatKey ?? 'form.invalid');
    default:
      return t(formatKey ?? 'form.invalid');
  }
}

/** The errors of the form's values by field, first issue per field; empty when the request is valid. */
export function contractErrors<Values>(values: Values, check: ContractCheck<Values>, t: TFunction): FormErrors {
  const result = z.safeParse(check.schema, check.toRequest(values));
  if (result.success) return {};
  const errors: FormErrors = {};
  for (const issue of result.error.issues) {
    const field = (check.fieldOf ?? lastKey)(issue.path);
    if (field === null || field in errors) continue;
    errors[field] = issueText(t, issue, check.messages?.[field]);
  }
  return errors;
}

/** For useForm's `validate`. */
export function contractValidator<Values>(check: ContractCheck<Values>, t: TFunction): (values: Values) => FormErrors {
  return (values) => contractErrors(values, check, t);
}

/** A @mantine/form form whose values are checked by the contract on submit (and a field again
 *  once it was wrong, as the user corrects it). */
export function useContractForm<Values extends Record<string, unknown>>(initialValues: Values, check: ContractCheck<Values>): UseFormReturnType<Values> {
  const { t } = useTranslation();
  return useForm<Values>({ mode: 'controlled', initialValues, validate: contractValidator(check, t) });
}
