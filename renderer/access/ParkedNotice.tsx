// What a parked account sees after signing in (docs/design/authorised-persons.md): its role and
// groups are not in force, because the grant waits for a second person, was refused or ran out.
// It may still report a suspected breach (top bar), change its password and sign out.
import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AccessState } from '../../shared/contract';

export function ParkedNotice({ state }: { state: Exclude<AccessState, 'granted'> }) {
  const { t } = useTranslation();
  return (
    <Alert color={state === 'pending' ? 'orange' : 'red'} title={t(`access.parked.${state}.title`)} maw={640} data-testid="parked-notice" data-state={state}>
      {t(`access.parked.${state}.text`)}
    </Alert>
  );
}
