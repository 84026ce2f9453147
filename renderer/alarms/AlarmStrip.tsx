// The shell's strip of open event alarms (shared/contract/alarms.ts): an account given access to
// footage, an audit trail that failed its check, for everyone whose role sees them, wherever they
// are in the console. It takes room above the page (never over the live wall's tiles), can be
// folded to a count, and offers "Acknowledge" to those who may; the others read who may.
import { useState } from 'react';
import { Badge, Box, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AlarmView } from '../../shared/contract';
import { formatDateTime } from '../kit/format-time';
import { AcknowledgeAlarmModal } from './AcknowledgeAlarmModal';
import { alarmWording } from './alarm-model';

/** Rows shown before the list scrolls: the page below keeps most of its room. */
const MAX_ROWS_HEIGHT_PX = 132;

export function AlarmStrip({ alarms, viewer, onAcknowledged }: { alarms: readonly AlarmView[]; viewer: string; onAcknowledged: (alarm: AlarmView) => void }) {
  const { t } = useTranslation();
  const [folded, setFolded] = useState(false);
  const [acknowledging, setAcknowledging] = useState<AlarmView | null>(null);
  if (alarms.length === 0) return null;
  const critical = alarms.some((a) => a.severity === 'critical');
  const colour = critical ? 'red' : 'yellow';

  return (
    <Box
      role="alert"
      data-testid="alarm-strip"
      data-count={alarms.length}
      data-folded={String(folded)}
      data-severity={critical ? 'critical' : 'warning'}
      px="sm"
      py={4}
      style={{
        flexShrink: 0,
        background: `var(--mantine-color-${colour}-light)`,
        borderBottom: `1px solid var(--mantine-color-${colour}-7)`,
        borderLeft: `4px solid var(--mantine-color-${colour}-6)`,
      }}
    >
      <Group gap="sm" wrap="nowrap" justify="space-between">
        <Text fw={700} size="sm" c={`${colour}.4`} data-testid="alarm-strip-title">
          ⚠ {t('alarms.strip.title', { count: alarms.length })}
        </Text>
        <Button size="compact-xs" variant="subtle" color="gray" data-testid="alarm-strip-toggle" aria-expanded={!folded} onClick={() => setFolded((f) => !f)}>
          {folded ? t('alarms.strip.show') : t('alarms.strip.hide')}
        </Button>
      </Group>
      {!folded && (
        <Stack gap={4} pb={2} mah={MAX_ROWS_HEIGHT_PX} style={{ overflowY: 'auto' }}>
          {alarms.map((alarm) => {
            const wording = alarmWording(t, alarm, viewer);
            return (
              <Group
                key={alarm.id}
                gap="sm"
                wrap="nowrap"
                align="flex-start"
                data-testid="alarm-row"
                data-alarm-id={alarm.id}
                data-kind={alarm.kind}
                data-severity={alarm.severity}
              >
                <Badge color={alarm.severity === 'critical' ? 'red' : 'yellow'} variant="filled" tt="none" style={{ flexShrink: 0 }} mt={1}>
                  {t(`alarms.severity.${alarm.severity}`)}
                </Badge>
                <Text size="sm" style={{ flex: 1, minWidth: 0 }} data-testid="alarm-text">
                  <Text span fw={600}>
                    {wording.title}:
                  </Text>{' '}
                  {wording.text}{' '}
                  <Text span size="xs" c="gray.5" className="oc-nowrap">
                    ({t('alarms.strip.raised', { at: formatDateTime(alarm.raisedAtMs) })})
                  </Text>
                </Text>
                {wording.whoMay === null ? (
                  <Button size="compact-sm" color={alarm.severity === 'critical' ? 'red' : 'yellow'} variant="filled" style={{ flexShrink: 0 }} data-testid="alarm-acknowledge" onClick={() => setAcknowledging(alarm)}>
                    {t('alarms.strip.acknowledge')}
                  </Button>
                ) : (
                  <Text size="xs" c="gray.4" w={320} style={{ flexShrink: 0 }} data-testid="alarm-who">
                    {wording.whoMay}
                  </Text>
                )}
              </Group>
            );
          })}
        </Stack>
      )}
      {acknowledging && (
        <AcknowledgeAlarmModal alarm={acknowledging} viewer={viewer} onClose={() => setAcknowledging(null)} onDone={onAcknowledged} />
      )}
    </Box>
  );
}
