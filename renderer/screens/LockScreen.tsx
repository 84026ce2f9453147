// Lock screen (BRN 33.3). Rendered instead of the shell, so nothing behind it stays mounted.
// "Sign in as another user" ends the locked session in the core.
import { useState } from 'react';
import { Anchor, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import { useApi } from '../api/api-context';
import { AuthForm, CredentialInput } from '../components/AuthForm';
import { AuthFrame } from '../components/AuthFrame';
import { useAction } from '../kit/use-action';

export function LockScreen({ session, onUnlocked, onSignOut }: { session: SessionView; onUnlocked: (session: SessionView) => void; onSignOut: () => Promise<void> }) {
  const api = useApi();
  const { t } = useTranslation();
  const action = useAction();
  const [mode, setMode] = useState<'unlock' | 'switch'>('unlock');
  const [password, setPassword] = useState('');
  const [username, setUsername] = useState('');
  const [otherPassword, setOtherPassword] = useState('');
  const name = session.user.displayName;
  const switchTo = (next: 'unlock' | 'switch') => () => {
    action.setError(null);
    setMode(next);
  };

  const unlock = async () => {
    const unlocked = await action.run('session.unlock', { password });
    setPassword('');
    if (unlocked) onUnlocked(unlocked);
    // A wrong password may have ended the session (too many attempts): ask the engine.
    else void api.confirmSession();
  };

  const switchUser = async () => {
    const signedIn = await action.run('auth.signIn', { username, password: otherPassword });
    setOtherPassword('');
    if (signedIn) onUnlocked(signedIn);
  };

  const link = (testId: string, label: string, onClick: () => void, dimmed = false) => (
    <Anchor component="button" type="button" size="xs" c={dimmed ? 'dimmed' : undefined} data-testid={testId} onClick={onClick}>
      {label}
    </Anchor>
  );

  return (
    <AuthFrame title={t('lock.title')} testId="lock-screen">
      {mode === 'unlock' ? (
        <AuthForm
          onSubmit={() => void unlock()}
          action={action}
          errorContext="unlock"
          submitLabel={t('lock.unlock')}
          name="unlock"
          after={
            <Group justify="space-between">
              {link('lock-switch-user', t('lock.switchUser'), switchTo('switch'))}
              {link('signout-button', t('shell.signOut'), () => void onSignOut(), true)}
            </Group>
          }
        >
          <Text size="sm" fw={600} data-testid="lock-user">
            {t('lock.lockedFor', { name, username: session.user.username })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('lock.hint')}
          </Text>
          <CredentialInput kind="current" testId="unlock-password" label={t('lock.password')} value={password} onChange={setPassword} autoFocus />
        </AuthForm>
      ) : (
        <AuthForm
          onSubmit={() => void switchUser()}
          action={action}
          errorContext="signIn"
          submitLabel={t('lock.switchSubmit')}
          name="switch"
          after={link('switch-back', t('common.back'), switchTo('unlock'), true)}
        >
          <Text size="xs" c="yellow.5">
            {t('lock.switchIntro', { name })}
          </Text>
          <CredentialInput kind="username" testId="switch-username" label={t('signin.username')} value={username} onChange={setUsername} autoFocus />
          <CredentialInput kind="current" testId="switch-password" label={t('signin.password')} value={otherPassword} onChange={setOtherPassword} />
        </AuthForm>
      )}
    </AuthFrame>
  );
}
