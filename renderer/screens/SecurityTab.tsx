// Security settings: idle lock (BRN 33.3) and account lockout (JON 15.6). Bounds come from the contract.
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Loader, NumberInput, Paper, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { securitySettings, type SecuritySettings } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { SiteCountryPanel } from '../exports/SiteCountryPanel';

type Key = keyof SecuritySettings;
const FIELDS: readonly { key: Key; testId: string }[] = [
  { key: 'idleLockMinutes', testId: 'security-idle-lock' },
  { key: 'lockoutThreshold', testId: 'security-lockout-threshold' },
  { key: 'lockoutMinutes', testId: 'security-lockout-minutes' },
];
const HINTS: Record<Key, string> = {
  idleLockMinutes: 'admin.security.idleLockHint',
  lockoutThreshold: 'admin.security.lockoutThresholdHint',
  lockoutMinutes: 'admin.security.lockoutMinutesHint',
};

/** min/max of an integer field, read from the zod schema so the form and the core agree. */
function bounds(key: Key): { min?: number; max?: number } {
  const field = securitySettings.shape[key];
  return { min: field.minValue ?? undefined, max: field.maxValue ?? undefined };
}

export function SecurityTab() {
  const api = useApi();
  const { t } = useTranslation();
  const [values, setValues] = useState<SecuritySettings | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.call('settings.getSecurity', {}).then((result) => {
      if (result.ok) setValues(result.value);
      else setError(result.error);
    });
  }, [api]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!values) return;
    setBusy(true);
    setSaved(false);
    setError(null);
    const result = await api.call('settings.updateSecurity', values);
    setBusy(false);
    if (result.ok) {
      setValues(result.value);
      setSaved(true);
    } else setError(result.error);
  };

  if (!values) return error ? <ErrorAlert error={error} /> : <Loader size="sm" />;

  return (
    <Stack gap="md">
      <Paper withBorder bg="dark.7" p="md" maw={520} data-testid="security-settings">
        <form onSubmit={(e) => void save(e)} noValidate>
          <Stack gap="sm">
            {FIELDS.map(({ key, testId }) => (
              <NumberInput
                key={key}
                data-testid={testId}
                label={t(`admin.security.${key}`)}
                description={t(HINTS[key])}
                value={values[key]}
                allowDecimal={false}
                allowNegative={false}
                {...bounds(key)}
                onChange={(v) => {
                  const n = typeof v === 'number' ? v : Number.parseInt(v, 10);
                  if (Number.isFinite(n)) setValues((prev) => (prev ? { ...prev, [key]: n } : prev));
                }}
              />
            ))}
            <ErrorAlert error={error} testId="security-error" />
            {saved && (
              <Alert color="green" py={6} data-testid="security-saved">
                {t('common.saved')}
              </Alert>
            )}
            <Button type="submit" data-testid="security-save" loading={busy} w="fit-content">
              {t('admin.security.save')}
            </Button>
          </Stack>
        </form>
      </Paper>
      <SiteCountryPanel />
    </Stack>
  );
}
