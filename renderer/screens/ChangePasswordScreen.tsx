// Forced password change (JON 15.6): after an administrator set or reset the password, or when the
// password is older than the site allows (session.passwordExpired); the words say which.
import { useState } from 'react';
import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import { useApi } from '../api/api-context';
import { AuthForm, CredentialInput } from '../components/AuthForm';
import { AuthFrame } from '../components/AuthFrame';
import { PasswordRules } from '../components/PasswordRules';
import { useAction } from '../kit/use-action';

export function ChangePasswordScreen({ session, onChanged, onSignOut }: { session: SessionView; onChanged: (session: SessionView) => void; onSignOut: () => Promise<void> }) {
  const api = useApi();
  const { t } = useTranslation();
  const action = useAction();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const submit = async () => {
    setMismatch(next !== confirm);
    if (next !== confirm) return action.setError(null);
    const changed = await action.run('auth.changePassword', { currentPassword: current, newPassword: next });
    if (changed) onChanged(changed);
    // A wrong current password may have ended the session (too many attempts): ask the engine.
    else void api.confirmSession();
  };

  return (
    <AuthFrame title={t('chpw.title')} width={440} testId="chpw-screen">
      <AuthForm
        onSubmit={() => void submit()}
        action={action}
        errorContext="unlock"
        submitLabel={t('chpw.submit')}
        name="chpw"
        aside={
          <Button variant="subtle" color="gray" data-testid="signout-button" onClick={() => void onSignOut()}>
            {t('shell.signOut')}
          </Button>
        }
      >
        <Text size="sm" c="dimmed" data-testid="chpw-reason">
          {t(session.passwordExpired ? 'chpw.expired' : 'chpw.forced')}
        </Text>
        <Text size="sm">
          {session.user.displayName} ({session.user.username})
        </Text>
        <CredentialInput kind="current" testId="chpw-current" label={t('chpw.current')} value={current} onChange={setCurrent} autoFocus />
        <CredentialInput kind="new" testId="chpw-new" label={t('chpw.new')} value={next} onChange={setNext} />
        <CredentialInput kind="new" testId="chpw-confirm" label={t('chpw.confirm')} value={confirm} onChange={setConfirm} error={mismatch ? t('password.mismatch') : undefined} />
        <PasswordRules />
      </AuthForm>
    </AuthFrame>
  );
}
