import { List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH } from '../i18n/error-text';

/** The password policy as the core enforces it (JON 15.6), shown before the user types. */
export function PasswordRules() {
  const { t } = useTranslation();
  return (
    <div data-testid="password-rules">
      <Text size="xs" fw={600} c="dimmed" mb={2}>
        {t('password.rulesTitle')}
      </Text>
      <List size="xs" c="dimmed" spacing={0}>
        <List.Item>{t('password.ruleLength', { min: MIN_PASSWORD_LENGTH })}</List.Item>
        <List.Item>{t('password.ruleUsername')}</List.Item>
        <List.Item>{t('password.ruleCommon')}</List.Item>
      </List>
    </div>
  );
}
