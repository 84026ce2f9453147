// Export requests (docs/design/exports.md; R6; ELB 1.12, JON 17-20): footage leaves only on a registered
// request with a legal basis, approved by a supervisor who did not request it, as a signed package,
// with a record of who received it. Supervisors see the queue of undecided requests, nearest
// deadline first, with those near or past their deadline flagged; everyone who reads exports sees
// the list with a status filter and each request's detail.
import { useCallback, useState } from 'react';
import { Badge, Button, Group, Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EXPORT_STATUSES, type ExportSummaryView, type ExportView, type RequestOf, type SessionView } from '../../shared/contract';
import { ActorTime, StatusFilter } from '../kit/FilterFields';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import { formatDateTime } from '../kit/format-time';
import { RecordTable, type Column } from '../kit/RecordTable';
import { useCommand } from '../kit/use-command';
import { usePagedCommand } from '../kit/use-paged-command';
import { useReloadOn } from '../kit/use-engine-events';
import { ExportDetail } from './ExportDetail';
import { DeadlineText, ExportStatusBadge, UrgentBadge } from './export-parts';
import { EXPORT_LIST_EVENTS, EXPORT_PAGE_SIZE, listChanges, summaryOf, type StatusFilter as Status } from './exports-model';
import { RequestExportModal } from './RequestExportModal';

const requested = (e: ExportSummaryView) => <ActorTime actor={e.requestedBy} atMs={e.requestedAtMs} />;

export function ExportsScreen({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const canApprove = session.permissions.includes('exports.approve');
  const [status, setStatus] = useState<Status>('any');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [requesting, setRequesting] = useState(false);

  const request = useCallback(
    (beforeId: number | null): RequestOf<'exports.list'> => ({ limit: EXPORT_PAGE_SIZE, ...(status !== 'any' ? { status } : {}), ...(beforeId !== null ? { beforeId } : {}) }),
    [status],
  );
  const list = usePagedCommand('exports.list', request, [status], (r) => ({ items: r.exports, next: r.nextBeforeId }));
  // The supervisors' queue. Not polled: every exports.list is an audited read of records, so it is
  // read when the page opens, after a change, on Refresh, and when the engine says a request
  // arrived or changed (docs/design/events.md: a reviewer's new request reaches the queue at once).
  const queue = useCommand('exports.list', canApprove ? { queue: true, limit: 500 } : null, [canApprove]);

  const { replace } = list;
  const { setValue: setQueue } = queue;
  const changed = useCallback(
    (v: ExportView) => {
      const s = summaryOf(v);
      replace(s);
      // Decided requests leave the queue.
      setQueue((q) => q && { ...q, exports: v.status === 'pending' ? q.exports.map((e) => (e.id === v.id ? s : e)) : q.exports.filter((e) => e.id !== v.id) });
    },
    [replace, setQueue],
  );
  const { reload: reloadList } = list;
  const { reload: reloadQueue } = queue;
  const refresh = useCallback(() => {
    reloadList();
    reloadQueue();
  }, [reloadList, reloadQueue]);
  useReloadOn(EXPORT_LIST_EVENTS, refresh, listChanges);

  const columns: Column<ExportSummaryView>[] = [
    {
      key: 'number',
      header: t('exports.columns.number'),
      nowrap: true,
      cell: (e) => (
        <Group gap={6} wrap="nowrap">
          <Text fw={600} size="sm">
            {e.number}
          </Text>
          {e.urgent && <UrgentBadge size="xs" />}
        </Group>
      ),
    },
    {
      key: 'body',
      header: t('exports.columns.body'),
      maxWidth: 320,
      cell: (e) => (
        <>
          <Text size="sm" truncate="end" title={e.bodyName}>
            {e.bodyName}
          </Text>
          <Text size="xs" c="dimmed">
            {t(`exports.bodyType.${e.bodyType}`)}
          </Text>
        </>
      ),
    },
    { key: 'reference', header: t('exports.columns.reference'), cell: (e) => <Text size="sm">{e.bodyReference}</Text> },
    { key: 'status', header: t('exports.columns.status'), cell: (e) => <ExportStatusBadge status={e.status} testId="export-row-status" /> },
    {
      key: 'deadline',
      header: t('exports.columns.deadline'),
      cell: (e) => (e.status === 'pending' ? <DeadlineText view={e} nowMs={list.settledAtMs} /> : <Text size="sm">{formatDateTime(e.deadlineMs)}</Text>),
    },
    { key: 'cameras', header: t('exports.columns.cameras'), align: 'right', cell: (e) => e.cameras },
    { key: 'requested', header: t('exports.columns.requested'), nowrap: true, cell: requested },
  ];

  return (
    <FilteredRecordTable
      detailOpen={selectedId !== null}
      name="exports"
      above={canApprove && <Queue queue={queue.value?.exports ?? null} nowMs={queue.settledAtMs} onOpen={setSelectedId} />}
      filters={
        <>
          <StatusFilter feature="exports" statuses={EXPORT_STATUSES} value={status} onChange={setStatus} width={180} testId="exports-filter-status" />
          <Button variant="subtle" color="gray" data-testid="exports-refresh" onClick={refresh}>
            {t('common.refresh')}
          </Button>
        </>
      }
      actions={
        session.permissions.includes('exports.request') && (
          <Button data-testid="exports-new" onClick={() => setRequesting(true)}>
            {t('exports.request.new')}
          </Button>
        )
      }
      summary={
        <Text size="xs" c="dimmed" data-testid="exports-count">
          {list.items ? t(list.hasMore ? 'exports.countMore' : 'exports.count', { count: list.items.length }) : ' '}
        </Text>
      }
      error={list.error ?? queue.error}
      rows={list.items}
      columns={columns}
      rowAttributes={(e) => ({ 'data-testid': 'export-row', 'data-export-id': e.id, 'data-status': e.status, 'data-number': e.number })}
      onRowClick={(e) => setSelectedId(e.id)}
      selectedKey={selectedId}
      dimmed={(e) => e.status === 'rejected' || e.status === 'handed_over'}
      empty={t(status === 'any' ? 'exports.empty' : 'exports.emptyFiltered')}
      more={{ list, label: t('exports.more') }}
    >
      {selectedId !== null && <ExportDetail key={selectedId} exportId={selectedId} session={session} onClose={() => setSelectedId(null)} onChanged={changed} />}
      {requesting && <RequestExportModal initialItems={[]} onClose={() => setRequesting(false)} onCreated={refresh} />}
    </FilteredRecordTable>
  );
}

/** The supervisors' queue of undecided requests, nearest deadline first. */
function Queue({ queue, nowMs, onOpen }: { queue: ExportSummaryView[] | null; nowMs: number; onOpen: (exportId: number) => void }) {
  const { t } = useTranslation();
  const flagged = queue?.filter((e) => e.deadlineState === 'near' || e.deadlineState === 'overdue').length ?? 0;
  const columns: Column<ExportSummaryView>[] = [
    { key: 'number', header: t('exports.columns.number'), width: 90, nowrap: true, cell: (e) => <Text fw={600} size="sm">{e.number}</Text> },
    { key: 'deadline', header: t('exports.columns.deadline'), width: 210, cell: (e) => <DeadlineText view={e} nowMs={nowMs} testId="exports-queue-deadline" /> },
    {
      key: 'body',
      header: t('exports.columns.body'),
      cell: (e) => (
        <>
          <Text size="sm" truncate="end">
            {e.bodyName}
          </Text>
          <Text size="xs" c="dimmed">
            {t(`exports.bodyType.${e.bodyType}`)} · {e.bodyReference}
          </Text>
        </>
      ),
    },
    { key: 'urgent', header: t('exports.urgent'), width: 110, cell: (e) => e.urgent && <UrgentBadge size="sm" /> },
    { key: 'requested', header: t('exports.columns.requested'), width: 180, nowrap: true, cell: requested },
  ];
  return (
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
        <RecordTable
          testId="exports-queue-table"
          rows={queue}
          columns={columns}
              rowAttributes={(e) => ({ 'data-testid': 'exports-queue-row', 'data-export-id': e.id, 'data-deadline-state': e.deadlineState })}
          onRowClick={(e) => onOpen(e.id)}
          flag={(e) => (e.deadlineState === 'overdue' ? 'red-6' : e.deadlineState === 'near' ? 'orange-5' : null)}
          empty=""
          maxHeight={220}
          withHeader={false}
        />
      )}
    </Paper>
  );
}
