// Whether an account's role and groups are in force (docs/design/authorised-persons.md): granted
// (with its end when it has one), waiting for a second person, refused, or run out.
import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AccessState } from '../../shared/contract';
import { formatDate } from '../kit/format-time';

const COLOURS: Record<AccessState, string> = { granted: 'green', pending: 'orange', refused: 'red', expired: 'gray' };

export function AccessStateBadge({ state, validUntilMs }: { state: AccessState; validUntilMs: number | null }) {
  const { t } = useTranslation();
  if (state === 'granted') {
    return validUntilMs === null ? null : (
      <Text size="xs" c="dimmed" data-testid="user-access" data-state={state}>
        {t('access.state.grantedUntil', { date: formatDate(validUntilMs) })}
      </Text>
    );
  }
  return (
    <Badge variant="light" color={COLOURS[state]} tt="none" data-testid="user-access" data-state={state}>
      {t(`access.state.${state}`)}
    </Badge>
  );
}
