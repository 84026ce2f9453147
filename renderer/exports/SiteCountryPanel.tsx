// The site's country (docs/design/exports.md "Request, deadline, decision"): export deadlines count its working days and skip its public
// holidays. Administrators set it; the fingerprint of the site's signing key is shown so it can be
// compared with the one printed on a package's handover record.
import { useState } from 'react';
import { Alert, Button, Code, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SITE_COUNTRIES } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { isSiteCountry, type SiteCountry } from './exports-model';

export function SiteCountryPanel() {
  const { t } = useTranslation();
  const site = useCommand('site.get', {}, []);
  const action = useAction();
  const saved = site.value;
  /** The country picked here, null while it is the saved one. */
  const [picked, setPicked] = useState<SiteCountry | null>(null);
  const country = picked ?? saved?.country ?? null;
  const [done, setDone] = useState(false);
  const error = site.error ?? action.error;

  const save = async () => {
    if (!country) return;
    setDone(false);
    const next = await action.run('site.setCountry', { country });
    if (!next) return;
    site.setValue(() => next);
    setPicked(null);
    setDone(true);
  };

  return (
    <Paper withBorder bg="dark.7" p="md" maw={520} data-testid="site-settings">
      <Stack gap="sm">
        <Title order={4}>{t('site.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('site.countryHint')}
        </Text>
        {country && (
          <Group gap="sm" align="center">
            <SegmentedControl
              data-testid="site-country"
              value={country}
              onChange={(v) => {
                if (isSiteCountry(v)) setPicked(v);
                setDone(false);
              }}
              data={SITE_COUNTRIES.map((c) => ({ value: c, label: t(`site.country.${c}`) }))}
            />
            <Button data-testid="site-country-save" loading={action.busy} disabled={country === saved?.country} onClick={() => void save()}>
              {t('site.save')}
            </Button>
          </Group>
        )}
        {done && (
          <Alert color="green" py={6} data-testid="site-saved">
            {t('common.saved')}
          </Alert>
        )}
        <ErrorAlert error={error} testId="site-error" />
        {saved && (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('site.fingerprint')}
            </Text>
            {saved.signingKeyFingerprint ? (
              <Code data-testid="site-fingerprint" style={{ wordBreak: 'break-all' }}>
                {saved.signingKeyFingerprint}
              </Code>
            ) : (
              <Text size="xs" data-testid="site-fingerprint-none">
                {t('site.noKey')}
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
