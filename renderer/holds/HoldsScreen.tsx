// Legal holds (R2, §6; ELB 1.13, 1.14, JON 11): footage that is or may become evidence, or
// that a recorded person asked to secure, is kept past its retention until a supervisor releases
// the hold. Reviewers and supervisors place and extend holds, supervisors release them, auditors
// read them. A hold past its review date is flagged: someone must decide whether it is still needed.
import { useState } from 'react';
import { Badge, Button, Checkbox, Group, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { HOLD_STATUSES, type HoldView, type RequestOf, type SessionView } from '../../shared/contract';
import { requestLimits } from '../kit/contract-limits';
import { ActorTime, ChoiceFilter, StatusFilter } from '../kit/FilterFields';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import { formatDate } from '../kit/format-time';
import type { Column } from '../kit/RecordTable';
import { useCameraOptions } from '../kit/use-camera-options';
import { useCommand } from '../kit/use-command';
import { useReloadOn } from '../kit/use-engine-events';
import { ExtendHoldModal, PlaceHoldModal, ReleaseHoldModal } from './HoldDialogs';
import { HoldDetail, HoldStatusBadge } from './HoldDetail';

type Dialog = { kind: 'place' } | { kind: 'extend'; hold: HoldView } | { kind: 'release'; hold: HoldView } | null;
type StatusFilter = 'any' | HoldView['status'];


function listRequest(status: StatusFilter, search: string, cameraId: string | null, overdueOnly: boolean): RequestOf<'holds.list'> {
  const f: RequestOf<'holds.list'> = {};
  if (status !== 'any') f.status = status;
  if (search) f.search = search;
  if (cameraId) f.cameraId = Number(cameraId);
  if (overdueOnly) f.overdueOnly = true;
  return f;
}

export function HoldsScreen({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const can = (p: SessionView['permissions'][number]) => session.permissions.includes(p);
  const canPlace = can('holds.place');

  const [status, setStatus] = useState<StatusFilter>('active');
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [cameraId, setCameraId] = useState<string | null>(null);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const list = useCommand('holds.list', listRequest(status, debouncedSearch, cameraId, overdueOnly), [status, debouncedSearch, cameraId, overdueOnly]);
  const holds = list.value?.holds ?? null;
  // Placed, extended or released at another seat (or by an export's production): the list and the
  // open drawer, which shows the list's record, follow.
  useReloadOn(['hold.placed', 'hold.extended', 'hold.released'], list.reload);
  // Cameras the user may put on hold (the ones they can watch), and for the filter also every
  // camera seen in a hold, so it works for roles without live view (auditors).
  const cameras = useCameraOptions(can('live.view'), holds?.flatMap((h) => h.items) ?? []);

  const selected = holds?.find((h) => h.id === selectedId) ?? null;
  const activeCount = holds?.filter((h) => h.status === 'active').length ?? 0;
  const overdueCount = holds?.filter((h) => h.reviewOverdue).length ?? 0;

  const changed = (hold: HoldView, messageKey: string) => {
    setDialog(null);
    setNotice(t(messageKey, { caseReference: hold.caseReference }));
    setSelectedId(hold.id);
    list.reload();
  };

  const columns: Column<HoldView>[] = [
    { key: 'case', header: t('holds.fields.caseReference'), nowrap: true, cell: (h) => <Text fw={600} size="sm">{h.caseReference}</Text> },
    {
      key: 'kind',
      header: t('holds.fields.kind'),
      cell: (h) => (
        <Badge variant="outline" color={h.kind === 'legal' ? 'gray' : 'grape'} tt="none" style={{ minWidth: 'max-content' }}>
          {t(`holds.kind.${h.kind}`)}
        </Badge>
      ),
    },
    { key: 'body', header: t('holds.fields.requestingBody'), cell: (h) => h.requestingBody },
    { key: 'cameras', header: t('holds.columns.cameras'), cell: (h) => <CamerasCell hold={h} /> },
    {
      key: 'review',
      header: t('holds.fields.reviewDate'),
      nowrap: true,
      cell: (h) => (
        <>
          <Text size="sm" fw={h.reviewOverdue ? 700 : undefined} c={h.reviewOverdue ? 'orange.4' : undefined}>
            {formatDate(h.reviewDateMs)}
          </Text>
          {h.reviewOverdue && (
            <Badge color="orange" variant="filled" size="xs" tt="none" data-testid="hold-overdue-badge" style={{ minWidth: 'max-content' }}>
              {t('holds.overdue')}
            </Badge>
          )}
        </>
      ),
    },
    { key: 'status', header: t('holds.columns.status'), cell: (h) => <HoldStatusBadge status={h.status} /> },
    {
      key: 'placed',
      header: t('holds.columns.placed'),
      nowrap: true,
      cell: (h) => <ActorTime actor={h.createdBy} atMs={h.createdAtMs} />,
    },
  ];

  return (
    <FilteredRecordTable
      detailOpen={selected !== null}
      name="holds"
      filters={
        <>
          <StatusFilter feature="holds" statuses={HOLD_STATUSES} value={status} onChange={setStatus} width={140} testId="holds-filter-status" />
          <TextInput
            label={t('holds.filters.search')}
            placeholder={t('holds.filters.searchPlaceholder')}
            data-testid="holds-filter-search"
            w={260}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            maxLength={requestLimits('holds.list', 'search').max}
          />
          <ChoiceFilter label={t('holds.filters.camera')} anyLabel={t('holds.filters.anyCamera')} testId="holds-filter-camera" width={220} value={cameraId} onChange={setCameraId} data={cameras.withSeen} />
          <Checkbox label={t('holds.filters.overdueOnly')} data-testid="holds-filter-overdue" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.currentTarget.checked)} mb={8} />
        </>
      }
      actions={
        canPlace && (
          <Button data-testid="holds-place" onClick={() => setDialog({ kind: 'place' })}>
            {t('holds.place.button')}
          </Button>
        )
      }
      summary={
        <Group gap="md">
          <Text size="xs" c="dimmed" data-testid="holds-count">
            {holds ? t('holds.count', { count: holds.length }) : ' '}
            {holds && status !== 'active' && ` · ${t('holds.activeCount', { count: activeCount })}`}
          </Text>
          {overdueCount > 0 && (
            <Badge color="orange" variant="filled" data-testid="holds-overdue-count">
              {t('holds.overdueCount', { count: overdueCount })}
            </Badge>
          )}
          {notice && (
            <Text size="xs" c="green.4" data-testid="holds-notice">
              {notice}
            </Text>
          )}
        </Group>
      }
      error={list.error}
      rows={holds}
      columns={columns}
      rowAttributes={(h) => ({ 'data-testid': 'hold-row', 'data-hold-id': h.id, 'data-status': h.status, 'data-overdue': String(h.reviewOverdue), 'data-case': h.caseReference })}
      onRowClick={(h) => setSelectedId(h.id)}
      selectedKey={selectedId}
      flag={(h) => (h.reviewOverdue ? 'orange-6' : null)}
      dimmed={(h) => h.status === 'released'}
      empty={t('holds.empty')}
    >
      {selected && (
        <HoldDetail
          hold={selected}
          canExtend={canPlace}
          canRelease={can('holds.release')}
          onClose={() => setSelectedId(null)}
          onExtend={() => setDialog({ kind: 'extend', hold: selected })}
          onRelease={() => setDialog({ kind: 'release', hold: selected })}
        />
      )}
      {dialog?.kind === 'place' && <PlaceHoldModal cameras={cameras.watchable} onClose={() => setDialog(null)} onPlaced={(h) => changed(h, 'holds.place.done')} />}
      {dialog?.kind === 'extend' && <ExtendHoldModal hold={dialog.hold} cameras={cameras.watchable} onClose={() => setDialog(null)} onDone={(h) => changed(h, 'holds.extend.done')} />}
      {dialog?.kind === 'release' && <ReleaseHoldModal hold={dialog.hold} onClose={() => setDialog(null)} onDone={(h) => changed(h, 'holds.release.done')} />}
    </FilteredRecordTable>
  );
}

function CamerasCell({ hold }: { hold: HoldView }) {
  const { t } = useTranslation();
  const names = [...new Set(hold.items.map((i) => i.cameraName))];
  return (
    <>
      <Text size="xs" title={names.join(', ')} lineClamp={2}>
        {names.slice(0, 3).join(', ')}
        {names.length > 3 && ` ${t('holds.moreCameras', { count: names.length - 3 })}`}
      </Text>
      <Text size="xs" c="dimmed" className="oc-nowrap">
        {t('holds.ranges', { count: hold.items.length })}
      </Text>
    </>
  );
}
