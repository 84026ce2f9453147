// "Change how this PC connects", under the sign-in screen of the desktop app, for an administrator
// setting a machine up (docs/design/site-engine.md "The desktop app as a seat"). It asks first:
// the console restarts; an embedded engine stops recording until a choice is made; an enrolment
// with a site engine stays in the keychain, so going back costs no new code.
import { useState } from 'react';
import { Anchor, Button, Center, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { desktopApi, useDesktopStatus } from './DesktopGate';

export function ChangeConnectionLink() {
  const { t } = useTranslation();
  const desktop = desktopApi();
  const status = useDesktopStatus();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!desktop || !status) return null;
  return (
    <>
      <Center style={{ position: 'fixed', bottom: 12, left: 0, right: 0 }}>
        <Anchor component="button" type="button" size="xs" c="dimmed" data-testid="change-connection" onClick={() => setOpen(true)}>
          {t('desktop.change.link')}
        </Anchor>
      </Center>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('desktop.change.link')} attributes={{ content: { 'data-testid': 'change-connection-dialog' } }}>
        <Stack gap="sm">
          <Text size="sm">{t('desktop.change.body')}</Text>
          {status.mode === 'embedded' && <Text size="sm" c="orange">{t('desktop.change.embedded')}</Text>}
          {status.mode === 'site' && status.site && <Text size="sm">{t('desktop.change.site', { address: status.site.address })}</Text>}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={() => setOpen(false)} disabled={busy}>
              {t('desktop.change.cancel')}
            </Button>
            <Button
              loading={busy}
              data-testid="change-connection-confirm"
              onClick={() => {
                setBusy(true);
                void desktop.changeMode().finally(() => setBusy(false));
              }}
            >
              {t('desktop.change.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
