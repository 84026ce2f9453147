// Playback without a linked incident or request (docs/design/playback.md "Incidents"): per user, how many playback sessions
// named no incident (INC-n) and no legal hold's case reference. Watching recorded footage needs a
// purpose; a user who often has none is a question for the auditor. Loading it is audited, so it
// loads only when the panel is opened.
import { useState } from 'react';
import { Badge, Button, Collapse, Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { periodFromDays } from '../kit/format-time';
import { RecordTable, type Column } from '../kit/RecordTable';
import { useCommand } from '../kit/use-command';
import { defaultUnlinkedPeriod } from './incidents-model';
import { DateTimeInput } from '../kit/DateTimeInput';

type User = ResponseOf<'audit.unlinkedViewing'>['users'][number];

export function UnlinkedViewingPanel() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState(() => defaultUnlinkedPeriod(Date.now()));
  const period = periodFromDays(days.from, days.to);
  const report = useCommand('audit.unlinkedViewing', open ? period : null, [open, days.from, days.to]);
  const users = report.value ? [...report.value.users].sort((a, b) => b.withoutLink - a.withoutLink || a.username.localeCompare(b.username)) : null;

  const dayInput = (key: 'from' | 'to') => (
    <DateTimeInput
      kind="date"
      size="xs"
      aria-label={t(`unlinkedViewing.${key}`)}
      leftSection={<Text size="xs">{t(`unlinkedViewing.${key}`)}</Text>}
      leftSectionWidth={48}
      testId={`unlinked-viewing-${key}`}
      value={days[key]}
      onChange={(value) => setDays((d) => ({ ...d, [key]: value }))}
      w={190}
      problem={key === 'to' && !period}
    />
  );

  const columns: Column<User>[] = [
    {
      key: 'user',
      header: t('unlinkedViewing.columns.user'),
      cell: (u) => (
        <>
          <Text size="sm" span fw={600}>
            {u.displayName}
          </Text>
          <Text size="xs" span c="dimmed" ml={6}>
            {u.username}
          </Text>
        </>
      ),
    },
    { key: 'sessions', header: t('unlinkedViewing.columns.sessions'), align: 'right', cellProps: () => ({ 'data-testid': 'unlinked-sessions' }), cell: (u) => u.sessions },
    {
      key: 'without',
      header: t('unlinkedViewing.columns.withoutLink'),
      align: 'right',
      cellProps: () => ({ 'data-testid': 'unlinked-without-link' }),
      cell: (u) =>
        u.withoutLink > 0 ? (
          <Badge color="orange" variant="light" tt="none">
            {t('unlinkedViewing.share', { count: u.withoutLink, percent: Math.round((100 * u.withoutLink) / Math.max(1, u.sessions)) })}
          </Badge>
        ) : (
          u.withoutLink
        ),
    },
  ];

  return (
    <Paper withBorder bg="dark.7" px="sm" py={6} style={{ flexShrink: 0 }} data-testid="unlinked-viewing" data-open={String(open)}>
      <Group gap="xs" justify="space-between" wrap="wrap">
        <Button variant="subtle" size="compact-sm" color="gray" data-testid="unlinked-viewing-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? '▾' : '▸'} {t('unlinkedViewing.title')}
        </Button>
        {open && (
          <Group gap="xs" wrap="nowrap">
            {dayInput('from')}
            {dayInput('to')}
          </Group>
        )}
      </Group>
      <Collapse expanded={open}>
        <Text size="xs" c="dimmed" mt={4}>
          {t('unlinkedViewing.intro')}
        </Text>
        <ErrorAlert error={report.error} testId="unlinked-viewing-error" />
        {!period && (
          <Text size="xs" c="red.4" data-testid="unlinked-viewing-period-problem">
            {t('unlinkedViewing.badPeriod')}
          </Text>
        )}
        <RecordTable
          testId="unlinked-viewing-table"
          rows={users}
          columns={columns}
          rowKey={(u) => u.username}
          rowAttributes={(u) => ({ 'data-testid': `unlinked-row-${u.username}`, 'data-sessions': u.sessions, 'data-without-link': u.withoutLink })}
          empty={t('unlinkedViewing.empty')}
          emptyTestId="unlinked-viewing-empty"
          maxHeight={220}
        />
      </Collapse>
    </Paper>
  );
}
