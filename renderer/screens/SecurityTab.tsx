// Security settings: idle lock (BRN 33.3), account lockout, password age and reuse (JON 15.6) and
// how privacy masks are lifted (R7). Bounds come from the contract.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Loader, NumberInput, Paper, Stack, Switch } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { securitySettings, type SecuritySettings } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { limitsOf } from '../kit/contract-limits';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { SiteCountryPanel } from '../exports/SiteCountryPanel';

/** The settings entered as whole numbers. */
type Key = 'idleLockMinutes' | 'lockoutThreshold' | 'lockoutMinutes' | 'passwordMaxAgeDays' | 'passwordHistory' | 'maskLiftMinutes' | 'accessReviewMonths';
const FIELDS: readonly { key: Key; testId: string }[] = [
  { key: 'idleLockMinutes', testId: 'security-idle-lock' },
  { key: 'lockoutThreshold', testId: 'security-lockout-threshold' },
  { key: 'lockoutMinutes', testId: 'security-lockout-minutes' },
  { key: 'passwordMaxAgeDays', testId: 'security-password-max-age' },
  { key: 'passwordHistory', testId: 'security-password-history' },
  { key: 'maskLiftMinutes', testId: 'security-mask-lift-minutes' },
  { key: 'accessReviewMonths', testId: 'security-access-review-months' },
];
const HINTS: Record<Key, string> = {
  idleLockMinutes: 'admin.security.idleLockHint',
  lockoutThreshold: 'admin.security.lockoutThresholdHint',
  lockoutMinutes: 'admin.security.lockoutMinutesHint',
  passwordMaxAgeDays: 'admin.security.passwordMaxAgeDaysHint',
  passwordHistory: 'admin.security.passwordHistoryHint',
  maskLiftMinutes: 'admin.security.maskLiftMinutesHint',
  accessReviewMonths: 'admin.security.accessReviewMonthsHint',
};

/** min/max of an integer field, read from the contract so the form and the core agree. */
const bounds = (key: Key) => limitsOf(securitySettings.shape[key]);
/** Whether the contract takes the value (bounds, and rules such as "0, or 30 to 365 days"); the
 *  engine checks again. A refused value is shown with its hint in red instead of being sent. */
const accepts = (key: Key, value: number) => securitySettings.shape[key].safeParse(value).success;

export function SecurityTab() {
  const { t } = useTranslation();
  const loaded = useCommand('settings.getSecurity', {}, []);
  const action = useAction();
  /** The values being edited, null while they are the saved ones. */
  const [edited, setEdited] = useState<SecuritySettings | null>(null);
  const values = edited ?? loaded.value;
  const [saved, setSaved] = useState(false);
  const error = loaded.error ?? action.error;
  const busy = action.busy;
  const setValues = (update: (prev: SecuritySettings | null) => SecuritySettings | null) => setEdited(update(values));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!values) return;
    setSaved(false);
    if (FIELDS.some(({ key }) => !accepts(key, values[key]))) return;
    const next = await action.run('settings.updateSecurity', values);
    if (!next) return;
    loaded.setValue(() => next);
    setEdited(null);
    setSaved(true);
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
                error={accepts(key, values[key]) ? undefined : t(HINTS[key])}
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
            <Switch
              data-testid="security-mask-lift-second-person"
              label={t('admin.security.maskLiftSecondPerson')}
              description={t('admin.security.maskLiftSecondPersonHint')}
              checked={values.maskLiftSecondPerson}
              onChange={(e) => {
                const checked = e.currentTarget.checked;
                setValues((prev) => (prev ? { ...prev, maskLiftSecondPerson: checked } : prev));
              }}
            />
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
