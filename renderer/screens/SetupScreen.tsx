// First run: create the first administrator (JON 15.6 password policy applies from the start).
import { useState } from 'react';
import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AuthForm, CredentialInput } from '../components/AuthForm';
import { AuthFrame } from '../components/AuthFrame';
import { PasswordRules } from '../components/PasswordRules';
import { PreSignInLanguage } from '../components/PreSignInLanguage';
import { useAction } from '../kit/use-action';

export function SetupScreen({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const submit = async () => {
    setMismatch(password !== password2);
    if (password !== password2) return action.setError(null);
    if (await action.run('setup.createAdmin', { username, displayName, password })) onDone();
  };

  return (
    <AuthFrame title={t('setup.title')} aside={<PreSignInLanguage />} width={460} testId="setup-screen">
      <AuthForm onSubmit={() => void submit()} action={action} submitLabel={t('setup.submit')} name="setup">
        <Text size="sm" c="dimmed">
          {t('setup.intro')}
        </Text>
        <CredentialInput kind="username" testId="setup-username" label={t('setup.username')} value={username} onChange={setUsername} required autoFocus />
        <CredentialInput kind="text" testId="setup-displayname" label={t('setup.displayName')} value={displayName} onChange={setDisplayName} required />
        <CredentialInput kind="new" testId="setup-password" label={t('setup.password')} value={password} onChange={setPassword} required />
        <CredentialInput kind="new" testId="setup-password2" label={t('setup.password2')} value={password2} onChange={setPassword2} error={mismatch ? t('password.mismatch') : undefined} required />
        <PasswordRules />
        {mismatch && (
          <Alert color="red" py={6} data-testid="setup-mismatch">
            {t('password.mismatch')}
          </Alert>
        )}
      </AuthForm>
    </AuthFrame>
  );
}
