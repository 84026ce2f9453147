import { useState } from 'react';
import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import { AuthForm, CredentialInput } from '../components/AuthForm';
import { AuthFrame } from '../components/AuthFrame';
import { PreSignInLanguage } from '../components/PreSignInLanguage';
import { useAction } from '../kit/use-action';

/**
 * `previousUser`: who was signed in when the engine was lost (its restart ended the session): the
 * screen asks them to sign in again, their name filled in, and their wall comes back afterwards.
 */
export function SignInScreen({
  notice,
  previousUser = null,
  onSignedIn,
}: {
  notice: 'setupDone' | 'reconnected' | null;
  previousUser?: string | null;
  onSignedIn: (session: SessionView) => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const again = notice === 'reconnected' && previousUser !== null;
  const [username, setUsername] = useState(again ? previousUser : '');
  const [password, setPassword] = useState('');

  const submit = async () => {
    const session = await action.run('auth.signIn', { username, password });
    if (session) onSignedIn(session);
    else setPassword('');
  };

  return (
    <AuthFrame title={t(again ? 'signin.againTitle' : 'signin.title')} aside={<PreSignInLanguage />} testId="signin-screen">
      <AuthForm
        onSubmit={() => void submit()}
        action={action}
        errorContext="signIn"
        submitLabel={t('signin.submit')}
        name="signin"
        after={
          <Text size="xs" c="dimmed" ta="center">
            {t('signin.notice')}
          </Text>
        }
      >
        {notice && (
          <Alert color={notice === 'setupDone' ? 'green' : 'yellow'} py={6} data-testid="signin-notice" data-notice={again ? 'sign-in-again' : notice}>
            {notice === 'setupDone' ? t('setup.done') : again ? t('signin.again', { user: previousUser }) : t('app.reconnected')}
          </Alert>
        )}
        <CredentialInput kind="username" testId="signin-username" label={t('signin.username')} value={username} onChange={setUsername} autoFocus={!again} />
        <CredentialInput kind="current" testId="signin-password" label={t('signin.password')} value={password} onChange={setPassword} autoFocus={again} />
      </AuthForm>
    </AuthFrame>
  );
}
