// Export requests (issue 6; DESIGN R6; ELB 1.12, JON 17-20): footage leaves only on a registered
// request with a legal basis, approved by a supervisor who did not request it, as a signed package,
// with a record of who received it. Supervisors see the queue of undecided requests, nearest
// deadline first, with those near or past their deadline flagged; everyone who reads exports sees
// the list with a status filter and each request's detail.
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Group, Paper, ScrollArea, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EXPORT_STATUSES, type ExportSummaryView, type ExportView, type RequestOf, type SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDateTime } from '../holds/time-input';
import { ExportDetail } from './ExportDetail';
import { DeadlineText, ExportStatusBadge } from './export-parts';
import { EXPORT_PAGE_SIZE, isStatusFilter, summaryOf, type StatusFilter } from './exports-model';
import { RequestExportModal } from './RequestExportModal';

export function ExportsScreen({ session }: { session: SessionView }) {
  const api = useApi();
  const { t } = useTranslation();
  const can = (p: SessionView['permissions'][number]) => session.permissions.includes(p);
  const canApprove = can('exports.approve');
  const canRequest = can('exports.request');

  const [status, setStatus] = useState<StatusFilter>('any');
  const [exports, setExports] = useState<ExportSummaryView[] | null>(null);
  const [nextBeforeId, setNextBeforeId] = useState<number | null>(null);
  const [queue, setQueue] = useState<ExportSummaryView[] | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [requesting, setRequesting] = useState(false);
  const [nowMs, setNowMs] = useState(() => Date.now());

  const listRequest = useCallback(
    (beforeId: number | null): RequestOf<'exports.list'> => {
      const r: RequestOf<'exports.list'> = { limit: EXPORT_PAGE_SIZE };
      if (status !== 'any') r.status = status;
      if (beforeId !== null) r.beforeId = beforeId;
      return r;
    },
    [status],
  );

  useEffect(() => {
    let cancelled = false;
    void api.call('exports.list', listRequest(null)).then((r) => {
      if (cancelled) return;
      setNowMs(Date.now());
      if (!r.ok) return setError(r.error);
      setError(null);
      setExports(r.value.exports);
      setNextBeforeId(r.value.nextBeforeId);
    });
    return () => {
      cancelled = true;
    };
  }, [api, listRequest, reloadKey]);

  // The supervisors' queue. Not polled: every exports.list is an audited read of records, so it is
  // read when the page opens, after a change and on Refresh.
  useEffect(() => {
    if (!canApprove) return;
    let cancelled = false;
    void api.call('exports.list', { queue: true, limit: 500 }).then((r) => {
      if (cancelled) return;
      setNowMs(Date.now());
      if (r.ok) setQueue(r.value.exports);
      else setError(r.error);
    });
    return () => {
      cancelled = true;
    };
  }, [api, canApprove, reloadKey]);

  const more = async () => {
    if (nextBeforeId === null) return;
    setLoadingMore(true);
    const r = await api.call('exports.list', listRequest(nextBeforeId));
    setLoadingMore(false);
    if (!r.ok) return setError(r.error);
    setExports((prev) => {
      const have = new Set((prev ?? []).map((e) => e.id));
      return [...(prev ?? []), ...r.value.exports.filter((e) => !have.has(e.id))];
    });
    setNextBeforeId(r.value.nextBeforeId);
  };

  const changed = useCallback((v: ExportView) => {
    const s = summaryOf(v);
    setExports((prev) => prev?.map((e) => (e.id === v.id ? s : e)) ?? prev);
    // Decided requests leave the queue.
    setQueue((prev) => (prev ? (v.status === 'pending' ? prev.map((e) => (e.id === v.id ? s : e)) : prev.filter((e) => e.id !== v.id)) : prev));
  }, []);

  const flagged = queue?.filter((e) => e.deadlineState === 'near' || e.deadlineState === 'overdue').length ?? 0;

  return (
    <Stack gap="xs" h="100%" data-testid="exports-screen">
      {canApprove && (
        <Paper withBorder bg="dark.7" p="xs" data-testid="exports-queue" style={{ flexShrink: 0 }}>
          <Group justify="space-between" mb={4}>
            <Group gap="xs">
              <Title order={4}>{t('exports.queue.title')}</Title>
              <Text size="xs" c="dimmed" data-testid="exports-queue-count">
                {queue ? t('exports.queue.count', { count: queue.length }) : ''}
              </Text>
              {flagged > 0 && (
                <Badge color="orange" variant="filled" tt="none" data-testid="exports-queue-flagged">
                  {t('exports.queue.flagged', { count: flagged })}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {t('exports.queue.hint')}
            </Text>
          </Group>
          {queue?.length === 0 ? (
            <Text size="xs" c="dimmed" py={4} data-testid="exports-queue-empty">
              {t('exports.queue.empty')}
            </Text>
          ) : (
            <ScrollArea.Autosize mah={220} type="auto">
              <Table verticalSpacing={4} highlightOnHover>
                <Table.Tbody>
                  {queue?.map((e) => (
                    <Table.Tr
                      key={e.id}
                      data-testid="exports-queue-row"
                      data-export-id={e.id}
                      data-deadline-state={e.deadlineState}
                      onClick={() => setSelectedId(e.id)}
                      style={{
                        cursor: 'pointer',
                        boxShadow:
                          e.deadlineState === 'overdue' ? 'inset 3px 0 0 var(--mantine-color-red-6)' : e.deadlineState === 'near' ? 'inset 3px 0 0 var(--mantine-color-orange-5)' : undefined,
                      }}
                    >
                      <Table.Td fw={600} className="oc-nowrap" w={90}>
                        {e.number}
                      </Table.Td>
                      <Table.Td w={210}>
                        <DeadlineText view={e} nowMs={nowMs} testId="exports-queue-deadline" />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" truncate="end">
                          {e.bodyName}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {t(`exports.bodyType.${e.bodyType}`)} · {e.bodyReference}
                        </Text>
                      </Table.Td>
                      <Table.Td w={110}>
                        {e.urgent && (
                          <Badge color="red" variant="light" size="sm" tt="none">
                            {t('exports.urgent')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td className="oc-nowrap" w={180}>
                        <Text size="xs">{e.requestedBy}</Text>
                        <Text size="xs" c="dimmed">
                          {formatDateTime(e.requestedAtMs)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          )}
        </Paper>
      )}

      <Group gap="xs" align="flex-end">
        <Select
          label={t('exports.filters.status')}
          data-testid="exports-filter-status"
          w={180}
          value={status}
          onChange={(v) => isStatusFilter(v) && setStatus(v)}
          allowDeselect={false}
          data={[{ value: 'any', label: t('exports.filters.anyStatus') }, ...EXPORT_STATUSES.map((s) => ({ value: s, label: t(`exports.status.${s}`) }))]}
        />
        <Button variant="subtle" color="gray" data-testid="exports-refresh" onClick={() => setReloadKey((k) => k + 1)}>
          {t('common.refresh')}
        </Button>
        {canRequest && (
          <Button ml="auto" data-testid="exports-new" onClick={() => setRequesting(true)}>
            {t('exports.request.new')}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed" data-testid="exports-count">
        {exports ? t(nextBeforeId === null ? 'exports.count' : 'exports.countMore', { count: exports.length }) : ' '}
      </Text>
      <ErrorAlert error={error} testId="exports-error" />
      <ScrollArea className="oc-table-wrap" style={{ flex: 1, minHeight: 0 }} type="auto">
        <Table stickyHeader striped highlightOnHover data-testid="exports-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('exports.columns.number')}</Table.Th>
              <Table.Th>{t('exports.columns.body')}</Table.Th>
              <Table.Th>{t('exports.columns.reference')}</Table.Th>
              <Table.Th>{t('exports.columns.status')}</Table.Th>
              <Table.Th>{t('exports.columns.deadline')}</Table.Th>
              <Table.Th ta="right">{t('exports.columns.cameras')}</Table.Th>
              <Table.Th>{t('exports.columns.requested')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {exports?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text size="xs" c="dimmed" ta="center" py="md" data-testid="exports-empty">
                    {t(status === 'any' ? 'exports.empty' : 'exports.emptyFiltered')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {exports?.map((e) => (
              <Table.Tr
                key={e.id}
                data-testid="export-row"
                data-export-id={e.id}
                data-status={e.status}
                data-number={e.number}
                onClick={() => setSelectedId(e.id)}
                aria-selected={e.id === selectedId}
                style={{ cursor: 'pointer', background: e.id === selectedId ? 'var(--mantine-color-accent-9)' : undefined, opacity: e.status === 'rejected' || e.status === 'handed_over' ? 0.7 : 1 }}
              >
                <Table.Td fw={600} className="oc-nowrap">
                  {e.number}
                  {e.urgent && (
                    <Badge color="red" variant="light" size="xs" tt="none" ml={6}>
                      {t('exports.urgent')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td style={{ maxWidth: 320 }}>
                  <Text size="sm" truncate="end" title={e.bodyName}>
                    {e.bodyName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`exports.bodyType.${e.bodyType}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{e.bodyReference}</Text>
                </Table.Td>
                <Table.Td>
                  <ExportStatusBadge status={e.status} testId="export-row-status" />
                </Table.Td>
                <Table.Td>{e.status === 'pending' ? <DeadlineText view={e} nowMs={nowMs} /> : <Text size="sm">{formatDateTime(e.deadlineMs)}</Text>}</Table.Td>
                <Table.Td ta="right">{e.cameras}</Table.Td>
                <Table.Td className="oc-nowrap">
                  <Text size="xs">{e.requestedBy}</Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(e.requestedAtMs)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {nextBeforeId !== null && (
          <Group justify="center" py="xs">
            <Button variant="default" size="xs" data-testid="exports-more" loading={loadingMore} onClick={() => void more()}>
              {t('exports.more')}
            </Button>
          </Group>
        )}
      </ScrollArea>

      {selectedId !== null && <ExportDetail key={selectedId} exportId={selectedId} session={session} onClose={() => setSelectedId(null)} onChanged={changed} />}
      {requesting && (
        <RequestExportModal
          initialItems={[]}
          onClose={() => setRequesting(false)}
          onCreated={() => setReloadKey((k) => k + 1)}
        />
      )}
    </Stack>
  );
}
