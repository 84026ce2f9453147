// First run: create the first administrator (JON 15.6 password policy applies from the start).
import { useState, type FormEvent } from 'react';
import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { AuthFrame } from '../components/AuthFrame';
import { ErrorAlert } from '../components/ErrorAlert';
import { PasswordRules } from '../components/PasswordRules';
import { PreSignInLanguage } from '../components/PreSignInLanguage';

export function SetupScreen({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [error, setError] = useState<CommandError | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (password !== password2) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    const result = await api.call('setup.createAdmin', { username, displayName, password });
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };

  return (
    <AuthFrame title={t('setup.title')} aside={<PreSignInLanguage />} width={460} testId="setup-screen">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('setup.intro')}
          </Text>
          <TextInput
            data-testid="setup-username"
            label={t('setup.username')}
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            autoComplete="username"
            required
            autoFocus
          />
          <TextInput
            data-testid="setup-displayname"
            label={t('setup.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            required
          />
          <PasswordInput
            data-testid="setup-password"
            label={t('setup.password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="new-password"
            required
          />
          <PasswordInput
            data-testid="setup-password2"
            label={t('setup.password2')}
            value={password2}
            onChange={(e) => setPassword2(e.currentTarget.value)}
            autoComplete="new-password"
            error={mismatch ? t('password.mismatch') : undefined}
            required
          />
          <PasswordRules />
          <ErrorAlert error={error} testId="setup-error" />
          {mismatch && (
            <Alert color="red" py={6} data-testid="setup-mismatch">
              {t('password.mismatch')}
            </Alert>
          )}
          <Button type="submit" data-testid="setup-submit" loading={busy} size="sm" fullWidth>
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
