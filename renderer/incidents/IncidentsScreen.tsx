// Incidents (docs/design/playback.md "Incidents"; KRK §1.16): what guards marked on the live wall and what reviewers found
// in playback. Reviewers and supervisors read, annotate, close and reopen; auditors read. The list
// pages by id (newest first), so it stays fast over years of incidents; reading it is audited.
import { useCallback, useState } from 'react';
import { Badge, Button, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { INCIDENT_STATUSES, type IncidentSummaryView, type IncidentView, type SessionView } from '../../shared/contract';
import { requestLimits } from '../kit/contract-limits';
import { ActorTime, ChoiceFilter, StatusFilter } from '../kit/FilterFields';
import { FilteredRecordTable } from '../kit/FilteredRecordTable';
import type { Column } from '../kit/RecordTable';
import { useCameraOptions } from '../kit/use-camera-options';
import { usePagedCommand } from '../kit/use-paged-command';
import { useReloadOn } from '../kit/use-engine-events';
import { IncidentDetail, IncidentStatusBadge } from './IncidentDetail';
import { EMPTY_INCIDENT_FILTER, filterRangeReversed, formatIncidentTime, toListRequest, type IncidentFilterForm } from './incidents-model';
import { categoryName, useIncidentCategories } from './use-categories';
import { DateTimeInput } from '../kit/DateTimeInput';

/** Incidents created or changed at any seat; the engine sends only those this user may read. */
const INCIDENT_EVENTS = ['incident.created', 'incident.changed'] as const;

const summaryOf = (v: IncidentView): IncidentSummaryView => ({
  id: v.id,
  number: v.number,
  category: v.category,
  categoryLabel: v.categoryLabel,
  categoryNames: v.categoryNames,
  status: v.status,
  source: v.source,
  cameras: v.cameras,
  startMs: v.startMs,
  endMs: v.endMs,
  title: v.title,
  createdBy: v.createdBy,
  createdAtMs: v.createdAtMs,
  notes: v.notes,
  holds: v.holds,
});

export function IncidentsScreen({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const can = (p: SessionView['permissions'][number]) => session.permissions.includes(p);
  const [form, setForm] = useState<IncidentFilterForm>(EMPTY_INCIDENT_FILTER);
  const [debouncedForm] = useDebouncedValue(form, 300);
  const reversed = filterRangeReversed(debouncedForm);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const { categories } = useIncidentCategories();

  const request = useCallback((cursor: number | null) => toListRequest(debouncedForm, cursor), [debouncedForm]);
  const list = usePagedCommand('incidents.list', reversed ? null : request, [debouncedForm, reversed], (r) => ({ items: r.incidents, next: r.nextBeforeId }));
  const incidents = list.items;
  const cameraOptions = useCameraOptions(can('live.view'), incidents?.flatMap((i) => i.cameras) ?? []).withSeen;
  const categoryOptions = (categories ?? []).map((c) => ({ value: c.key, label: c.active ? categoryName(c.key, c.label, c.names) : t('incidents.filters.retired', { label: categoryName(c.key, c.label, c.names) }) }));

  const set = <K extends keyof IncidentFilterForm>(key: K, value: IncidentFilterForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const filtered = JSON.stringify(form) !== JSON.stringify(EMPTY_INCIDENT_FILTER);
  const { replace } = list;
  // A mark at a wall, a note or a close at another seat: the list is read again (docs/design/events.md).
  useReloadOn(INCIDENT_EVENTS, list.reload);
  const changed = useCallback((v: IncidentView) => replace(summaryOf(v)), [replace]);

  const columns: Column<IncidentSummaryView>[] = [
    { key: 'number', header: t('incidents.columns.number'), nowrap: true, cellProps: () => ({ 'data-testid': 'incident-row-number' }), cell: (i) => <Text fw={600} size="sm">{i.number}</Text> },
    {
      key: 'time',
      header: t('incidents.columns.time'),
      nowrap: true,
      cell: (i) => (
        <>
          <Text size="sm" ff="monospace">
            {formatIncidentTime(i)}
          </Text>
          <Text size="xs" c="dimmed">
            {t(`incidents.source.${i.source}`)}
          </Text>
        </>
      ),
    },
    {
      key: 'cameras',
      header: t('incidents.columns.cameras'),
      cell: (i) => (
        <Text size="xs" lineClamp={2} title={i.cameras.map((c) => c.cameraName).join(', ')}>
          {i.cameras.map((c) => c.cameraName).join(', ')}
        </Text>
      ),
    },
    {
      key: 'category',
      header: t('incidents.columns.category'),
      maxWidth: 320,
      cell: (i) => (
        <>
          <Text size="sm">{categoryName(i.category, i.categoryLabel, i.categoryNames)}</Text>
          {i.source === 'playback' && i.title && (
            <Text size="xs" c="dimmed" truncate="end" title={i.title}>
              {i.title}
            </Text>
          )}
        </>
      ),
    },
    { key: 'status', header: t('incidents.columns.status'), cell: (i) => <IncidentStatusBadge status={i.status} testId="incident-row-status" /> },
    {
      key: 'author',
      header: t('incidents.columns.author'),
      nowrap: true,
      cell: (i) => <ActorTime actor={i.createdBy} atMs={i.createdAtMs} />,
    },
    { key: 'notes', header: t('incidents.columns.notes'), align: 'right', cellProps: () => ({ 'data-testid': 'incident-row-notes' }), cell: (i) => i.notes },
    {
      key: 'holds',
      header: t('incidents.columns.holds'),
      align: 'right',
      cellProps: () => ({ 'data-testid': 'incident-row-holds' }),
      cell: (i) =>
        i.holds > 0 ? (
          <Badge variant="light" color="grape" size="sm">
            {i.holds}
          </Badge>
        ) : (
          i.holds
        ),
    },
  ];

  return (
    <FilteredRecordTable
      detailOpen={selectedId !== null}
      name="incidents"
      filters={
        <>
          <DateTimeInput kind="datetime" label={t('incidents.filters.from')} testId="incidents-filter-from" w={190} value={form.from} onChange={(v) => set('from', v)} />
          <DateTimeInput
            kind="datetime"
            label={t('incidents.filters.to')}
            testId="incidents-filter-to"
            w={190}
            value={form.to}
            onChange={(v) => set('to', v)}
            problem={reversed ? t('incidents.filters.reversed') : undefined}
          />
          <ChoiceFilter label={t('incidents.filters.camera')} anyLabel={t('incidents.filters.anyCamera')} testId="incidents-filter-camera" width={200} value={form.cameraId} onChange={(v) => set('cameraId', v)} data={cameraOptions} />
          <ChoiceFilter label={t('incidents.filters.category')} anyLabel={t('incidents.filters.anyCategory')} testId="incidents-filter-category" width={200} value={form.category} onChange={(v) => set('category', v)} data={categoryOptions} />
          <StatusFilter feature="incidents" statuses={INCIDENT_STATUSES} value={form.status} onChange={(v) => set('status', v)} width={130} testId="incidents-filter-status" />
          <TextInput
            label={t('incidents.filters.author')}
            placeholder={t('incidents.filters.authorPlaceholder')}
            data-testid="incidents-filter-author"
            w={150}
            value={form.author}
            onChange={(e) => set('author', e.currentTarget.value)}
            maxLength={requestLimits('incidents.list', 'author').max}
          />
          <Button variant="default" data-testid="incidents-filter-clear" disabled={!filtered} onClick={() => setForm(EMPTY_INCIDENT_FILTER)}>
            {t('incidents.filters.clear')}
          </Button>
        </>
      }
      actions={
        <Button variant="subtle" color="gray" data-testid="incidents-refresh" onClick={list.reload}>
          {t('common.refresh')}
        </Button>
      }
      summary={
        <Text size="xs" c="dimmed" data-testid="incidents-count">
          {incidents ? t(list.hasMore ? 'incidents.countMore' : 'incidents.count', { count: incidents.length }) : ' '}
        </Text>
      }
      error={list.error}
      rows={incidents}
      columns={columns}
      rowAttributes={(i) => ({ 'data-testid': `incident-row-${i.id}`, 'data-incident-id': i.id, 'data-status': i.status, 'data-start-ms': i.startMs })}
      onRowClick={(i) => setSelectedId(i.id)}
      selectedKey={selectedId}
      dimmed={(i) => i.status === 'closed'}
      empty={t(filtered ? 'incidents.emptyFiltered' : 'incidents.empty')}
      more={{ list, label: t('incidents.more') }}
    >
      {selectedId !== null && (
        <IncidentDetail
          key={selectedId}
          incidentId={selectedId}
          canEdit={can('incidents.edit')}
          canLinkHold={can('holds.place') && can('holds.read')}
          onClose={() => setSelectedId(null)}
          onChanged={changed}
        />
      )}
    </FilteredRecordTable>
  );
}
