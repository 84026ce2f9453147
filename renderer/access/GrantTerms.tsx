// What an administrator adds to a change of rights (docs/design/authorised-persons.md; KRK §5.4.4):
// the basis of the grant (an authorisation number or a document) and until when it is good. The
// engine decides whether the change waits for a second person and refuses a missing basis then.
import { Group, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { DateTimeInput } from '../kit/DateTimeInput';

export interface TermsValues {
  basis: string;
  /** A local date `YYYY-MM-DD`, or '' for open-ended. */
  validUntil: string;
}

export const NO_TERMS: TermsValues = { basis: '', validUntil: '' };

/** The request's part: a blank basis is left out (the engine keeps the earlier one, or asks for it);
 *  a date means to the end of that day on this seat's clock. */
export function termsRequest(v: TermsValues): { basis?: string; validUntilMs?: number | null } {
  const basis = v.basis.trim();
  return { ...(basis ? { basis } : {}), ...(v.validUntil ? { validUntilMs: new Date(`${v.validUntil}T23:59:59.999`).getTime() } : {}) };
}

export function GrantTermsFields({ basis, validUntil, onValidUntil, hint }: { basis: GetInputPropsReturnType; validUntil: string; onValidUntil: (v: string) => void; hint: string }) {
  const { t } = useTranslation();
  return (
    <Group grow align="flex-start">
      <TextInput data-testid="user-form-basis" label={t('access.terms.basis')} description={hint} placeholder={t('access.terms.basisExample')} {...basis} />
      <DateTimeInput kind="date" testId="user-form-valid-until" label={t('access.terms.validUntil')} description={t('access.terms.validUntilHint')} value={validUntil} onChange={onValidUntil} />
    </Group>
  );
}
