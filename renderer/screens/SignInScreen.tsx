import { useState, type FormEvent } from 'react';
import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { AuthFrame } from '../components/AuthFrame';
import { ErrorAlert } from '../components/ErrorAlert';
import { PreSignInLanguage } from '../components/PreSignInLanguage';

export function SignInScreen({
  notice,
  onSignedIn,
}: {
  notice: 'setupDone' | 'reconnected' | null;
  onSignedIn: (session: SessionView) => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    const result = await api.call('auth.signIn', { username, password });
    setBusy(false);
    if (result.ok) onSignedIn(result.value);
    else {
      setPassword('');
      setError(result.error);
    }
  };

  return (
    <AuthFrame title={t('signin.title')} aside={<PreSignInLanguage />} testId="signin-screen">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          {notice === 'setupDone' && (
            <Alert color="green" py={6} data-testid="signin-notice">
              {t('setup.done')}
            </Alert>
          )}
          {notice === 'reconnected' && (
            <Alert color="yellow" py={6} data-testid="signin-notice">
              {t('app.reconnected')}
            </Alert>
          )}
          <TextInput
            data-testid="signin-username"
            label={t('signin.username')}
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            autoComplete="username"
            autoFocus
          />
          <PasswordInput
            data-testid="signin-password"
            label={t('signin.password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="current-password"
          />
          <ErrorAlert error={error} context="signIn" testId="signin-error" />
          <Button type="submit" data-testid="signin-submit" loading={busy} size="sm" fullWidth>
            {t('signin.submit')}
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            {t('signin.notice')}
          </Text>
        </Stack>
      </form>
    </AuthFrame>
  );
}
