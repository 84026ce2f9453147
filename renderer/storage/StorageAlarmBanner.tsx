// A loud red banner across the top of the shell while any critical storage alarm is open (the
// recordings disk is full of held footage and recording has stopped, or recording failed to write):
// ELB 1.8 and JON 10 require recording around the clock, so someone must act at once.
import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AlarmView } from '../../shared/contract';
import { formatDateTime } from '../kit/format-time';
import { alarmKey } from './storage-model';

export function StorageAlarmBanner({ alarms, onOpen }: { alarms: readonly AlarmView[]; onOpen: (() => void) | null }) {
  const { t } = useTranslation();
  const first = alarms[0];
  if (!first) return null;
  const key = alarmKey(first.kind);
  return (
    <Group
      role="alert"
      data-testid="storage-critical-banner"
      data-count={alarms.length}
      bg="red.8"
      px="sm"
      py={6}
      gap="sm"
      wrap="nowrap"
      justify="space-between"
      style={{ borderBottom: '1px solid var(--mantine-color-red-5)', flexShrink: 0 }}
    >
      <Group gap="sm" wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
        <Text fw={800} size="sm" c="white" className="oc-nowrap">
          ⚠ {t('storage.banner.title', { count: alarms.length })}
        </Text>
        <Text size="sm" c="white" truncate="end" data-testid="storage-critical-banner-text">
          {key ? t(`storage.alarms.text.${key}`) : first.message} ({t('storage.alarms.raised', { at: formatDateTime(first.raisedAtMs) })})
        </Text>
      </Group>
      {onOpen && (
        <Button size="compact-sm" variant="white" color="red" data-testid="storage-critical-banner-open" onClick={onOpen} style={{ flexShrink: 0 }}>
          {t('storage.banner.open')}
        </Button>
      )}
    </Group>
  );
}
