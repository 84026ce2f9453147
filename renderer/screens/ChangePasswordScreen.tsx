// Forced password change (JON 15.6): after an administrator set or reset the password.
import { useState, type FormEvent } from 'react';
import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { AuthFrame } from '../components/AuthFrame';
import { ErrorAlert } from '../components/ErrorAlert';
import { PasswordRules } from '../components/PasswordRules';

export function ChangePasswordScreen({
  session,
  onChanged,
  onSignOut,
}: {
  session: SessionView;
  onChanged: (session: SessionView) => void;
  onSignOut: () => Promise<void>;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<CommandError | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (next !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    const result = await api.call('auth.changePassword', { currentPassword: current, newPassword: next });
    setBusy(false);
    if (result.ok) {
      onChanged(result.value);
      return;
    }
    setError(result.error);
    if (result.error.kind === 'Unauthenticated') void api.confirmSession();
  };

  return (
    <AuthFrame title={t('chpw.title')} width={440} testId="chpw-screen">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('chpw.forced')}
          </Text>
          <Text size="sm">
            {session.user.displayName} ({session.user.username})
          </Text>
          <PasswordInput
            data-testid="chpw-current"
            label={t('chpw.current')}
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            autoComplete="current-password"
            autoFocus
          />
          <PasswordInput
            data-testid="chpw-new"
            label={t('chpw.new')}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            autoComplete="new-password"
          />
          <PasswordInput
            data-testid="chpw-confirm"
            label={t('chpw.confirm')}
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            autoComplete="new-password"
            error={mismatch ? t('password.mismatch') : undefined}
          />
          <PasswordRules />
          <ErrorAlert error={error} context="unlock" testId="chpw-error" />
          <Group justify="space-between">
            <Button variant="subtle" color="gray" data-testid="signout-button" onClick={() => void onSignOut()}>
              {t('shell.signOut')}
            </Button>
            <Button type="submit" data-testid="chpw-submit" loading={busy} size="sm">
              {t('chpw.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthFrame>
  );
}
