// The anchor breaks an administrator acknowledged, as the verification report lists them
// (docs/design/audit-chain.md "Anchor"): when, who acknowledged, what the start-up check found.
// The chain may verify intact; these say that entries may have gone from its end before each.
import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTimeSeconds } from '../kit/format-time';
import { useCommand } from '../kit/use-command';
import { breakFindingText, type AcknowledgedBreak } from './alarm-model';

export function AcknowledgedBreaks({ breaks }: { breaks: readonly AcknowledgedBreak[] }) {
  const { t } = useTranslation();
  // The acknowledged alarms carry each finding as values to word it in the interface language
  // (alarms.list is not audited; whoever may verify the log sees audit.anchor alarms).
  const alarms = useCommand('alarms.list', breaks.length > 0 ? { openOnly: false } : null, [breaks.length > 0]);
  if (breaks.length === 0) return null;
  const known = alarms.value?.alarms ?? [];
  return (
    <Alert color="yellow" py={6} data-testid="audit-breaks" data-count={breaks.length} title={t('alarms.breaks.title', { count: breaks.length })}>
      <Text size="xs" mb={4}>
        {t('alarms.breaks.intro')}
      </Text>
      <List size="sm" spacing={6}>
        {breaks.map((b) => (
          <List.Item key={b.seq} data-testid="audit-break" data-seq={b.seq}>
            <Text size="sm" fw={600} data-testid="audit-break-when">
              {t('alarms.breaks.when', { at: formatDateTimeSeconds(b.atMs), by: b.acknowledgedBy, seq: b.seq })}
            </Text>
            <Text size="sm" data-testid="audit-break-found">
              {t('alarms.breaks.found', { finding: breakFindingText(t, b, known) })}
            </Text>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
