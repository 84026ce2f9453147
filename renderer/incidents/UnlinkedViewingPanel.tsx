// Playback without a linked incident or request (issue 5 §5): per user, how many playback sessions
// named no incident (INC-n) and no legal hold's case reference. Watching recorded footage needs a
// purpose; a user who often has none is a question for the auditor. Loading it is audited, so it
// loads only when the panel is opened.
import { useEffect, useState } from 'react';
import { Badge, Button, Collapse, Group, Paper, ScrollArea, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { defaultUnlinkedPeriod, periodFromDays } from './incidents-model';

type Users = ResponseOf<'audit.unlinkedViewing'>['users'];

export function UnlinkedViewingPanel() {
  const api = useApi();
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState(() => defaultUnlinkedPeriod(Date.now()));
  const [users, setUsers] = useState<Users | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const period = periodFromDays(days.from, days.to);

  useEffect(() => {
    const request = periodFromDays(days.from, days.to);
    if (!open || !request) return;
    let cancelled = false;
    void api.call('audit.unlinkedViewing', request).then((r) => {
      if (cancelled) return;
      if (r.ok) {
        setUsers([...r.value.users].sort((a, b) => b.withoutLink - a.withoutLink || a.username.localeCompare(b.username)));
        setError(null);
      } else setError(r.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api, open, days.from, days.to]);

  return (
    <Paper withBorder bg="dark.7" px="sm" py={6} style={{ flexShrink: 0 }} data-testid="unlinked-viewing" data-open={String(open)}>
      <Group gap="xs" justify="space-between" wrap="wrap">
        <Button variant="subtle" size="compact-sm" color="gray" data-testid="unlinked-viewing-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? '▾' : '▸'} {t('unlinkedViewing.title')}
        </Button>
        {open && (
          <Group gap="xs" wrap="nowrap">
            <TextInput
              type="date"
              size="xs"
              aria-label={t('unlinkedViewing.from')}
              leftSection={<Text size="xs">{t('unlinkedViewing.from')}</Text>}
              leftSectionWidth={48}
              data-testid="unlinked-viewing-from"
              value={days.from}
              onChange={(e) => {
                const from = e.currentTarget.value;
                setDays((d) => ({ ...d, from }));
              }}
              w={190}
            />
            <TextInput
              type="date"
              size="xs"
              aria-label={t('unlinkedViewing.to')}
              leftSection={<Text size="xs">{t('unlinkedViewing.to')}</Text>}
              leftSectionWidth={48}
              data-testid="unlinked-viewing-to"
              value={days.to}
              onChange={(e) => {
                const to = e.currentTarget.value;
                setDays((d) => ({ ...d, to }));
              }}
              w={190}
              error={!period}
            />
          </Group>
        )}
      </Group>
      <Collapse expanded={open}>
        <Text size="xs" c="dimmed" mt={4}>
          {t('unlinkedViewing.intro')}
        </Text>
        <ErrorAlert error={error} testId="unlinked-viewing-error" />
        {!period && (
          <Text size="xs" c="red.4" data-testid="unlinked-viewing-period-problem">
            {t('unlinkedViewing.badPeriod')}
          </Text>
        )}
        <ScrollArea.Autosize mah={220} type="auto" mt={4}>
          <Table striped verticalSpacing={2} data-testid="unlinked-viewing-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('unlinkedViewing.columns.user')}</Table.Th>
                <Table.Th ta="right">{t('unlinkedViewing.columns.sessions')}</Table.Th>
                <Table.Th ta="right">{t('unlinkedViewing.columns.withoutLink')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users?.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={3}>
                    <Text size="xs" c="dimmed" ta="center" data-testid="unlinked-viewing-empty">
                      {t('unlinkedViewing.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {users?.map((u) => (
                <Table.Tr key={u.username} data-testid={`unlinked-row-${u.username}`} data-sessions={u.sessions} data-without-link={u.withoutLink}>
                  <Table.Td>
                    <Text size="sm" span fw={600}>
                      {u.displayName}
                    </Text>
                    <Text size="xs" span c="dimmed" ml={6}>
                      {u.username}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" data-testid="unlinked-sessions">
                    {u.sessions}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="unlinked-without-link">
                    {u.withoutLink > 0 ? (
                      <Badge color="orange" variant="light" tt="none">
                        {t('unlinkedViewing.share', { count: u.withoutLink, percent: Math.round((100 * u.withoutLink) / Math.max(1, u.sessions)) })}
                      </Badge>
                    ) : (
                      u.withoutLink
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      </Collapse>
    </Paper>
  );
}
