// Confidentiality commitment (JON 15.2): nothing else is reachable until it is accepted.
import { useEffect, useState } from 'react';
import { Button, Checkbox, Group, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResponseOf, SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { AuthFrame } from '../components/AuthFrame';
import { ErrorAlert } from '../components/ErrorAlert';

export function CommitmentScreen({
  session,
  onAccepted,
  onSignOut,
}: {
  session: SessionView;
  onAccepted: (session: SessionView) => void;
  onSignOut: () => Promise<void>;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const language = session.user.language;
  const [text, setText] = useState<ResponseOf<'commitment.get'> | null>(null);
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void api.call('commitment.get', { language }).then((result) => {
      if (cancelled) return;
      if (result.ok) setText(result.value);
      else setError(result.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api, language]);

  const accept = async () => {
    if (!text) return;
    setBusy(true);
    setError(null);
    const result = await api.call('commitment.accept', { version: text.version });
    setBusy(false);
    if (result.ok) onAccepted(result.value);
    else setError(result.error);
  };

  return (
    <AuthFrame title={text?.title ?? t('commitment.title')} width={640} testId="commitment-screen">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('commitment.intro')}
        </Text>
        {text ? (
          <>
            <Text size="xs" c="dimmed" data-testid="commitment-version">
              {t('commitment.version', { version: text.version })}
            </Text>
            <ScrollArea.Autosize mah={340} type="auto" offsetScrollbars>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="commitment-body">
                {text.body}
              </Text>
            </ScrollArea.Autosize>
          </>
        ) : (
          !error && <Loader size="sm" />
        )}
        <Checkbox
          data-testid="commitment-accept-checkbox"
          label={t('commitment.checkbox')}
          checked={checked}
          onChange={(e) => setChecked(e.currentTarget.checked)}
          disabled={!text}
        />
        <ErrorAlert error={error} testId="commitment-error" />
        <Group justify="space-between">
          <Button variant="subtle" color="gray" data-testid="signout-button" onClick={() => void onSignOut()}>
            {t('shell.signOut')}
          </Button>
          <Button data-testid="commitment-accept" disabled={!checked || !text} loading={busy} onClick={() => void accept()} size="sm">
            {t('commitment.accept')}
          </Button>
        </Group>
      </Stack>
    </AuthFrame>
  );
}
