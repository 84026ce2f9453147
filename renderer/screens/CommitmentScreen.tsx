// Confidentiality commitment (JON 15.2): nothing else is reachable until it is accepted.
import { useState } from 'react';
import { Button, Checkbox, Group, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import { AuthFrame } from '../components/AuthFrame';
import { ErrorAlert } from '../components/ErrorAlert';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';

export function CommitmentScreen({
  session,
  onAccepted,
  onSignOut,
}: {
  session: SessionView;
  onAccepted: (session: SessionView) => void;
  onSignOut: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const language = session.user.language;
  const commitment = useCommand('commitment.get', { language }, [language]);
  const text = commitment.value;
  const action = useAction();
  const [checked, setChecked] = useState(false);
  const error = commitment.error ?? action.error;
  const busy = action.busy;

  const accept = async () => {
    if (!text) return;
    const next = await action.run('commitment.accept', { version: text.version });
    if (next) onAccepted(next);
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
