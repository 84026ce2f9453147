// The breach register (JON 21-23; BRN 24.3(vii), 36-38; docs/design/breaches.md): supervisors and the
// data protection officer (auditor role) read every breach with its 72-hour clock; the officer
// assesses it and records the notifications. New and changed breaches arrive as pushed events.
import { useState } from 'react';
import { Alert, Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BREACH_STATUSES, type BreachView, type SessionView } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { ActorTime } from '../kit/FilterFields';
import { RegisterExport } from '../kit/RegisterExport';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import { formatDateTime } from '../kit/format-time';
import type { Column } from '../kit/RecordTable';
import { useAction } from '../kit/use-action';
import { useCommand } from '../kit/use-command';
import { useReloadOn } from '../kit/use-engine-events';
import { clockOf } from './breach-clock';
import { BreachClockBadge } from './BreachClockBadge';
import { BreachDetail, BreachStatusBadge, CategoryBadge } from './BreachDetail';
import { AssessBreachModal, CloseBreachModal, NotificationModal } from './BreachDialogs';

type Dialog = { kind: 'assess' | 'close'; breach: BreachView } | { kind: 'notify'; breach: BreachView; to: 'authority' | 'data_subjects' } | null;
type Status = 'any' | BreachView['status'];

export function BreachesScreen({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const canAssess = session.permissions.includes('breaches.assess');
  const [status, setStatus] = useState<Status>('open');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const exporting = useAction();
  const [exported, setExported] = useState<{ fileName: string; rows: number } | null>(null);
  const list = useCommand('breaches.list', status === 'any' ? {} : { status }, [status]);
  useReloadOn(['breach.reported', 'breach.changed'], list.reload);
  const breaches = list.value?.breaches ?? null;
  const selected = breaches?.find((b) => b.id === selectedId) ?? null;
  const unassessed = breaches?.filter((b) => b.status === 'open' && b.category === null).length ?? 0;

  const changed = (b: BreachView) => {
    setDialog(null);
    setSelectedId(b.id);
    list.reload();
  };

  const columns: Column<BreachView>[] = [
    { key: 'reference', header: t('breaches.fields.reference'), nowrap: true, cell: (b) => <Text fw={600} size="sm">{b.reference}</Text> },
    { key: 'what', header: t('breaches.fields.what'), cell: (b) => <Text size="sm" lineClamp={2}>{b.proposal ? t(`breaches.proposal.${b.proposal}`) : b.what}</Text> },
    { key: 'discovered', header: t('breaches.fields.discoveredAt'), nowrap: true, cell: (b) => formatDateTime(b.discoveredAtMs) },
    { key: 'category', header: t('breaches.fields.category'), cell: (b) => <CategoryBadge category={b.category} /> },
    { key: 'clock', header: t('breaches.clock.title'), nowrap: true, cell: (b) => <BreachClockBadge breach={b} testId={`breach-clock-${b.id}`} /> },
    { key: 'status', header: t('breaches.fields.status'), cell: (b) => <BreachStatusBadge status={b.status} /> },
    { key: 'reported', header: t('breaches.fields.reported'), nowrap: true, cell: (b) => <ActorTime actor={b.reportedBy} atMs={b.reportedAtMs} /> },
  ];

  return (
    <FilteredRecordTable
      name="breaches"
      detailOpen={selected !== null}
      filters={
        <Select
          label={t('breaches.fields.status')}
          data-testid="breaches-filter-status"
          w={160}
          allowDeselect={false}
          value={status}
          onChange={(v) => v && setStatus(v as Status)}
          data={[{ value: 'any', label: t('breaches.status.any') }, ...BREACH_STATUSES.map((s) => ({ value: s, label: t(`breaches.status.${s}`) }))]}
        />
      }
      summary={
        <Stack gap={4}>
          <Group gap="md">
            <Text size="xs" c="dimmed" data-testid="breaches-count">
              {breaches ? t('breaches.count', { count: breaches.length }) : ' '}
            </Text>
            {unassessed > 0 && (
              <Badge color="orange" variant="filled" tt="none" data-testid="breaches-unassessed">
                {t('breaches.unassessed', { count: unassessed })}
              </Badge>
            )}
          </Group>
          <ErrorAlert error={exporting.error} testId="breaches-export-error" />
          {exported && (
            <Alert color="green" py={4} data-testid="breaches-export-done" withCloseButton onClose={() => setExported(null)}>
              {t('breaches.export.done', { fileName: exported.fileName, count: exported.rows })}
            </Alert>
          )}
        </Stack>
      }
      actions={
        <>
          <RegisterExport command="breaches.export" testId="breaches-export" exporting={exporting} onDone={setExported} />
          <Button variant="default" onClick={() => window.print()} data-testid="breaches-print">
            {t('breaches.print')}
          </Button>
        </>
      }
      error={list.error}
      rows={breaches}
      columns={columns}
      empty={t('breaches.empty')}
      rowAttributes={(b) => ({ 'data-testid': 'breach-row', 'data-breach-id': b.id, 'data-reference': b.reference })}
      flag={(b) => { const s = b.status === 'open' ? clockOf(b, Date.now()).state : null; return s === 'missed' ? 'red-6' : s === 'warning' ? 'orange-5' : null; }}
      dimmed={(b) => b.status === 'closed'}
      onRowClick={(b) => setSelectedId(b.id)}
      selectedKey={selectedId}
    >
      {selected && (
        <BreachDetail
          breach={selected}
          canAssess={canAssess}
          onClose={() => setSelectedId(null)}
          onAssess={() => setDialog({ kind: 'assess', breach: selected })}
          onNotify={(to) => setDialog({ kind: 'notify', breach: selected, to })}
          onCloseRecord={() => setDialog({ kind: 'close', breach: selected })}
        />
      )}
      {dialog?.kind === 'assess' && <AssessBreachModal breach={dialog.breach} onClose={() => setDialog(null)} onDone={changed} />}
      {dialog?.kind === 'notify' && <NotificationModal breach={dialog.breach} to={dialog.to} onClose={() => setDialog(null)} onDone={changed} />}
      {dialog?.kind === 'close' && <CloseBreachModal breach={dialog.breach} onClose={() => setDialog(null)} onDone={changed} />}
    </FilteredRecordTable>
  );
}
