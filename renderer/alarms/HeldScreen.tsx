// What a signed-in user sees while the engine is held by an unacknowledged audit.anchor alarm
// (docs/design/audit-chain.md "Anchor"): instead of screens full of refused calls, an administrator
// gets the explanation (what was found, what it means, what to do) and the acknowledgement; every
// other role a message that the console is held until an administrator acknowledges it. Those who
// may read the audit log (allowed while held) can open it.
import { useState, type ReactNode } from 'react';
import { Box, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AlarmView } from '../../shared/contract';
import { formatDateTime } from '../kit/format-time';
import { AcknowledgeAlarmModal } from './AcknowledgeAlarmModal';
import { anchorFindingText, asSentence } from './alarm-model';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box>
      <Text size="xs" fw={700} tt="uppercase" c="red.3" mb={2}>
        {title}
      </Text>
      {children}
    </Box>
  );
}

/** What the check found, worded from the alarm's params; the engine's sentence for a problem this console does not know. */
function Finding({ alarm }: { alarm: AlarmView }) {
  const { t } = useTranslation();
  const p = alarm.params;
  const finding = anchorFindingText(t, p) ?? (typeof p.found === 'string' ? p.found : alarm.message);
  // The anchor file's seq and hash are 'none' when it was missing or unreadable.
  const anchorKnown = typeof p.anchorSeq === 'number' && typeof p.anchorHash === 'string';
  return (
    <>
      <Text size="sm" data-testid="held-finding">
        {asSentence(finding)}
      </Text>
      <Text size="xs" c="dimmed" className="oc-mono" mt={2} style={{ wordBreak: 'break-all' }} data-testid="held-technical">
        {anchorKnown ? t('alarms.held.technicalAnchor', { anchorSeq: p.anchorSeq, anchorHash: p.anchorHash }) : t('alarms.held.technicalNoAnchor')}{' '}
        {t('alarms.held.technicalHead', { logHeadSeq: p.logHeadSeq ?? '?', logHeadHash: p.logHeadHash ?? '?' })}
      </Text>
    </>
  );
}

export function HeldScreen({
  alarm,
  viewer,
  onAcknowledged,
  onOpenAudit,
}: {
  /** The open audit.anchor alarm, when the user's role sees it. */
  alarm: AlarmView | null;
  viewer: string;
  onAcknowledged: (alarm: AlarmView) => void;
  /** Opens the audit log (allowed while held), for those who may read it. */
  onOpenAudit: (() => void) | null;
}) {
  const { t } = useTranslation();
  const [acknowledging, setAcknowledging] = useState(false);
  const canAcknowledge = alarm?.canAcknowledge === true;
  const openAudit = onOpenAudit && (
    <Button variant="default" data-testid="held-open-audit" onClick={onOpenAudit}>
      {t('alarms.held.openAudit')}
    </Button>
  );

  return (
    <Paper
      p="lg"
      radius="sm"
      bg="dark.8"
      data-testid="held-screen"
      data-mode={canAcknowledge ? 'acknowledge' : 'wait'}
      style={{ border: '1px solid var(--mantine-color-red-7)', borderLeft: '6px solid var(--mantine-color-red-6)' }}
    >
      {canAcknowledge && alarm ? (
        <Stack gap="md" maw={980}>
          <Box>
            <Title order={2} c="red.4" data-testid="held-title">
              ⚠ {t('alarms.held.title')}
            </Title>
            <Text size="xs" c="dimmed" mt={2}>
              {t('alarms.held.raised', { at: formatDateTime(alarm.raisedAtMs) })}
            </Text>
          </Box>
          <Section title={t('alarms.held.found')}>
            <Finding alarm={alarm} />
          </Section>
          <Section title={t('alarms.held.means')}>
            <Text size="sm">{t('alarms.held.meansText')}</Text>
          </Section>
          <Section title={t('alarms.held.todo')}>
            <List type="ordered" size="sm" spacing={4}>
              <List.Item>{t('alarms.held.todoCheck')}</List.Item>
              <List.Item>{t('alarms.held.todoAcknowledge')}</List.Item>
            </List>
          </Section>
          <Group gap="sm">
            <Button color="red" data-testid="held-acknowledge" onClick={() => setAcknowledging(true)}>
              {t('alarms.held.acknowledge')}
            </Button>
            {openAudit}
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm" maw={820}>
          <Title order={2} c="red.4" data-testid="held-title">
            ⚠ {t('alarms.held.otherTitle')}
          </Title>
          <Text size="md" data-testid="held-text">
            {t('alarms.held.otherText')}
          </Text>
          {alarm && (
            <Section title={t('alarms.held.found')}>
              <Finding alarm={alarm} />
            </Section>
          )}
          {onOpenAudit && (
            <Group gap="sm" align="center">
              <Text size="sm" c="dimmed">
                {t('alarms.held.auditNote')}
              </Text>
              {openAudit}
            </Group>
          )}
        </Stack>
      )}
      {acknowledging && alarm && (
        <AcknowledgeAlarmModal alarm={alarm} viewer={viewer} onClose={() => setAcknowledging(false)} onDone={onAcknowledged} />
      )}
    </Paper>
  );
}

/** One line above the audit log while held, with the way back to the explanation. */
export function HeldBar({ onShow }: { onShow: () => void }) {
  const { t } = useTranslation();
  return (
    <Group role="alert" data-testid="held-bar" bg="red.8" px="sm" py={6} gap="sm" wrap="nowrap" justify="space-between" style={{ flexShrink: 0 }}>
      <Text size="sm" fw={700} c="white">
        ⚠ {t('alarms.held.compact')}
      </Text>
      <Button size="compact-sm" variant="white" color="red" data-testid="held-show" onClick={onShow} style={{ flexShrink: 0 }}>
        {t('alarms.held.showExplanation')}
      </Button>
    </Group>
  );
}
