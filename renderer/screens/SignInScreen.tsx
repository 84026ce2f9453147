import { useState } from 'react';
import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import { AuthForm, CredentialInput } from '../components/AuthForm';
import { AuthFrame } from '../components/AuthFrame';
import { PreSignInLanguage } from '../components/PreSignInLanguage';
import { useAction } from '../kit/use-action';

export function SignInScreen({ notice, onSignedIn }: { notice: 'setupDone' | 'reconnected' | null; onSignedIn: (session: SessionView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = async () => {
    const session = await action.run('auth.signIn', { username, password });
    if (session) onSignedIn(session);
    else setPassword('');
  };

  return (
    <AuthFrame title={t('signin.title')} aside={<PreSignInLanguage />} testId="signin-screen">
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
          <Alert color={notice === 'setupDone' ? 'green' : 'yellow'} py={6} data-testid="signin-notice">
            {t(notice === 'setupDone' ? 'setup.done' : 'app.reconnected')}
          </Alert>
        )}
        <CredentialInput kind="username" testId="signin-username" label={t('signin.username')} value={username} onChange={setUsername} autoFocus />
        <CredentialInput kind="current" testId="signin-password" label={t('signin.password')} value={password} onChange={setPassword} />
      </AuthForm>
    </AuthFrame>
  );
}
