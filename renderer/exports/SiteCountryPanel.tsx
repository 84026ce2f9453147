// The site's country (issue 6 §1): export deadlines count its working days and skip its public
// holidays. Administrators set it; the fingerprint of the site's signing key is shown so it can be
// compared with the one printed on a package's handover record.
import { useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SITE_COUNTRIES } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { isSiteCountry, type SiteCountry } from './exports-model';

export function SiteCountryPanel() {
  const api = useApi();
  const { t } = useTranslation();
  const [saved, setSaved] = useState<{ country: SiteCountry; signingKeyFingerprint: string | null } | null>(null);
  const [country, setCountry] = useState<SiteCountry | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);

  useEffect(() => {
    let cancelled = false;
    void api.call('site.get', {}).then((r) => {
      if (cancelled) return;
      if (r.ok) {
        setSaved(r.value);
        setCountry(r.value.country);
      } else setError(r.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const save = async () => {
    if (!country) return;
    setBusy(true);
    setDone(false);
    const r = await api.call('site.setCountry', { country });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setSaved(r.value);
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
                if (isSiteCountry(v)) setCountry(v);
                setDone(false);
              }}
              data={SITE_COUNTRIES.map((c) => ({ value: c, label: t(`site.country.${c}`) }))}
            />
            <Button data-testid="site-country-save" loading={busy} disabled={country === saved?.country} onClick={() => void save()}>
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
