// The desktop app's seat was refused for good (docs/design/site-engine.md "The desktop app as a
// seat", "Revocation"): revoked, unknown to the engine, another engine at the address, an address
// the certificate does not carry, or the keychain that holds the enrolment is locked. Shown instead
// of the console, saying what happened and what to do; nothing of the console stays mounted.
import { useState } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DesktopApi, DesktopStatus, LinkStatus } from '../../shared/transport';
import { AuthFrame } from '../components/AuthFrame';
import { PreSignInLanguage } from '../components/PreSignInLanguage';
import { linkRefusalKeys } from './desktop-model';

export function SeatRefusedScreen({ desktop, status, link }: { desktop: DesktopApi; status: DesktopStatus; link: Extract<LinkStatus, { state: 'refused' }> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const keys = linkRefusalKeys(link.reason);
  const address = status.site?.address ?? '';
  const run = (op: () => Promise<unknown>) => {
    setBusy(true);
    // Main restarts the app; if it did not (an error), the buttons come back.
    void op().finally(() => setBusy(false));
  };
  return (
    <AuthFrame title={t(keys.title)} aside={<PreSignInLanguage />} width={560} testId="seat-refused">
      <Stack gap="md" data-refusal={link.reason}>
        <Text size="sm">{t(keys.body, { address })}</Text>
        <Text size="xs" c="dimmed" data-testid="seat-refused-detail">
          {t('desktop.refused.detail', { message: link.message })}
        </Text>
        <Group justify="flex-end">
          {link.reason === 'keychain' ? (
            <Button loading={busy} data-testid="seat-restart" onClick={() => run(() => desktop.restart())}>
              {t('desktop.refused.restart')}
            </Button>
          ) : (
            <Button loading={busy} data-testid="seat-enrol-again" onClick={() => run(() => desktop.changeMode())}>
              {link.reason === 'wrong-certificate' ? t('desktop.change.link') : t('desktop.refused.enrolAgain')}
            </Button>
          )}
        </Group>
      </Stack>
    </AuthFrame>
  );
}
