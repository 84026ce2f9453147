// Lifting a camera's liftable privacy masks from a live tile or a playback picture (R7;
// docs/design/privacy-masks.md "Lifting"): shown only to those with the permission and only where
// the camera has liftable masks. The engine checks everything (permission, reason, the site's time
// limit, the second person's password) and writes it to the audit log; this asks for it and shows
// the lift on every picture of the camera until it ends.
import { useState, useSyncExternalStore } from 'react';
import { Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { formatTimeOfDay } from '../kit/format-time';
import { ReasonModal } from '../kit/ReasonModal';
import { useHasPermission } from '../kit/use-permission';
import { liftOf, liftsVersion, noteLift, subscribeLifts } from './lift-store';

/** Re-renders when any lift starts or ends. */
export function useLift(cameraId: number | null) {
  useSyncExternalStore(subscribeLifts, liftsVersion);
  return cameraId === null ? null : liftOf(cameraId);
}

export function MaskLiftControl({ cameraId, hasLiftable }: { cameraId: number; hasLiftable: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const canLift = useHasPermission('masks.lift');
  const lift = useLift(cameraId);
  const [asking, setAsking] = useState(false);
  const [second, setSecond] = useState({ username: '', password: '' });
  if (!hasLiftable || (!canLift && !lift)) return null;
  const restore = async () => {
    const r = await api.call('masks.restore', { cameraId });
    if (r.ok) noteLift(cameraId, null);
  };
  return (
    <>
      <Group gap={4} wrap="nowrap" style={{ position: 'absolute', right: 6, bottom: 6, pointerEvents: 'auto' }} data-testid="mask-lift-control">
        {lift ? (
          <>
            <Text size="xs" fw={700} px={6} py={2} style={{ background: '#f59f00', color: '#1a1b1e', borderRadius: 4 }} data-testid="mask-lifted" data-camera-id={cameraId}>
              {t('masks.lift.liftedUntil', { time: formatTimeOfDay(lift.untilMs) })}
            </Text>
            {canLift && (
              <Button size="compact-xs" variant="filled" color="dark" onClick={() => void restore()} data-testid="mask-restore">
                {t('masks.lift.restore')}
              </Button>
            )}
          </>
        ) : (
          <Button size="compact-xs" variant="filled" color="dark" onClick={() => setAsking(true)} data-testid="mask-lift">
            {t('masks.lift.action')}
          </Button>
        )}
      </Group>
      {asking && (
        <ReasonModal
          command="masks.lift"
          request={(reason) => ({ cameraId, reason, ...(second.username ? { secondPerson: second } : {}) })}
          onDone={(v) => {
            noteLift(cameraId, v.lift);
            setSecond({ username: '', password: '' });
            setAsking(false);
          }}
          onClose={() => {
            setSecond({ username: '', password: '' });
            setAsking(false);
          }}
          title={t('masks.lift.title')}
          submitLabel={t('masks.lift.submit')}
          intro={t('masks.lift.intro')}
          after={
            <Stack gap={6}>
              <Text size="sm" fw={600}>
                {t('masks.lift.secondPerson')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('masks.lift.secondPersonHint')}
              </Text>
              <Group grow>
                <TextInput label={t('masks.lift.secondUsername')} value={second.username} onChange={(e) => setSecond({ ...second, username: e.currentTarget.value })} data-testid="mask-lift-second-username" autoComplete="off" />
                <PasswordInput label={t('masks.lift.secondPassword')} value={second.password} onChange={(e) => setSecond({ ...second, password: e.currentTarget.value })} data-testid="mask-lift-second-password" autoComplete="off" />
              </Group>
            </Stack>
          }
          inputTestId="mask-lift-reason"
          submitTestId="mask-lift-submit"
          errorTestId="mask-lift-error"
          testId="mask-lift-dialog"
        />
      )}
    </>
  );
}
