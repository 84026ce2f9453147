// Lock screen (BRN 33.3). Rendered instead of the shell, so nothing behind it stays mounted.
// "Sign in as another user" ends the locked session in the core.
import { useState, type FormEvent } from 'react';
import { Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { AuthFrame } from '../components/AuthFrame';
import { ErrorAlert } from '../components/ErrorAlert';

export function LockScreen({
  session,
  onUnlocked,
  onSignOut,
}: {
  session: SessionView;
  onUnlocked: (session: SessionView) => void;
  onSignOut: () => Promise<void>;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const [mode, setMode] = useState<'unlock' | 'switch'>('unlock');
  const [password, setPassword] = useState('');
  const [username, setUsername] = useState('');
  const [otherPassword, setOtherPassword] = useState('');
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const name = session.user.displayName;

  const unlock = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await api.call('session.unlock', { password });
    setBusy(false);
    setPassword('');
    if (result.ok) {
      onUnlocked(result.value);
      return;
    }
    setError(result.error);
    if (result.error.kind === 'Unauthenticated' || result.error.kind === 'TooManyAttempts') void api.confirmSession();
  };

  const switchUser = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await api.call('auth.signIn', { username, password: otherPassword });
    setBusy(false);
    setOtherPassword('');
    if (result.ok) onUnlocked(result.value);
    else setError(result.error);
  };

  return (
    <AuthFrame title={t('lock.title')} testId="lock-screen">
      {mode === 'unlock' ? (
        <form onSubmit={(e) => void unlock(e)} noValidate>
          <Stack gap="sm">
            <Text size="sm" fw={600} data-testid="lock-user">
              {t('lock.lockedFor', { name, username: session.user.username })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('lock.hint')}
            </Text>
            <PasswordInput
              data-testid="unlock-password"
              label={t('lock.password')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="current-password"
              autoFocus
            />
            <ErrorAlert error={error} context="unlock" testId="unlock-error" />
            <Button type="submit" data-testid="unlock-submit" loading={busy} size="sm" fullWidth>
              {t('lock.unlock')}
            </Button>
            <Group justify="space-between">
              <Anchor
                component="button"
                type="button"
                size="xs"
                data-testid="lock-switch-user"
                onClick={() => {
                  setError(null);
                  setMode('switch');
                }}
              >
                {t('lock.switchUser')}
              </Anchor>
              <Anchor component="button" type="button" size="xs" c="dimmed" data-testid="signout-button" onClick={() => void onSignOut()}>
                {t('shell.signOut')}
              </Anchor>
            </Group>
          </Stack>
        </form>
      ) : (
        <form onSubmit={(e) => void switchUser(e)} noValidate>
          <Stack gap="sm">
            <Text size="xs" c="yellow.5">
              {t('lock.switchIntro', { name })}
            </Text>
            <TextInput
              data-testid="switch-username"
              label={t('signin.username')}
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              autoComplete="username"
              autoFocus
            />
            <PasswordInput
              data-testid="switch-password"
              label={t('signin.password')}
              value={otherPassword}
              onChange={(e) => setOtherPassword(e.currentTarget.value)}
              autoComplete="current-password"
            />
            <ErrorAlert error={error} context="signIn" testId="switch-error" />
            <Button type="submit" data-testid="switch-submit" loading={busy} size="sm" fullWidth>
              {t('lock.switchSubmit')}
            </Button>
            <Anchor
              component="button"
              type="button"
              size="xs"
              c="dimmed"
              data-testid="switch-back"
              onClick={() => {
                setError(null);
                setMode('unlock');
              }}
            >
              {t('common.back')}
            </Anchor>
          </Stack>
        </form>
      )}
    </AuthFrame>
  );
}
