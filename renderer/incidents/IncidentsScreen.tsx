// Incidents (issue 5 §4; KRK §1.16): what guards marked on the live wall and what reviewers found
// in playback. Reviewers and supervisors read, annotate, close and reopen; auditors read. The list
// pages by id (newest first), so it stays fast over years of incidents; reading it is audited.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge, Button, Group, ScrollArea, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { INCIDENT_STATUSES, type IncidentSummaryView, type IncidentView, type SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDateTime } from '../holds/time-input';
import { IncidentDetail, StatusBadge } from './IncidentDetail';
import { formatIncidentTime } from './incident-format';
import { EMPTY_INCIDENT_FILTER, filterRangeReversed, isStatusFilter, toListRequest, type IncidentFilterForm } from './incidents-model';
import { useIncidentCategories } from './use-categories';

const summaryOf = (v: IncidentView): Partial<IncidentSummaryView> => ({ status: v.status, notes: v.notes, holds: v.holds, categoryLabel: v.categoryLabel });

export function IncidentsScreen({ session }: { session: SessionView }) {
  const api = useApi();
  const { t } = useTranslation();
  const can = (p: SessionView['permissions'][number]) => session.permissions.includes(p);
  const canEdit = can('incidents.edit');
  const canLinkHold = can('holds.place') && can('holds.read');
  const canPickCameras = can('live.view');

  const [form, setForm] = useState<IncidentFilterForm>(EMPTY_INCIDENT_FILTER);
  const [debouncedForm] = useDebouncedValue(form, 300);
  const reversed = filterRangeReversed(debouncedForm);
  const [incidents, setIncidents] = useState<IncidentSummaryView[] | null>(null);
  const [nextBeforeId, setNextBeforeId] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const { categories } = useIncidentCategories();
  const [pickable, setPickable] = useState<{ value: string; label: string }[]>([]);
  /** Cameras seen in incidents, so the filter works for roles without live view (auditors). */
  const [seenCameras, setSeenCameras] = useState<ReadonlyMap<number, string>>(new Map());

  useEffect(() => {
    if (!canPickCameras) return;
    let cancelled = false;
    void api.call('cameras.list', {}).then((r) => {
      if (!cancelled && r.ok) setPickable(r.value.cameras.map((c) => ({ value: String(c.id), label: c.site ? `${c.name} · ${c.site}` : c.name })));
    });
    return () => {
      cancelled = true;
    };
  }, [api, canPickCameras]);

  const remember = useCallback((list: readonly IncidentSummaryView[]) => {
    setSeenCameras((prev) => {
      const next = new Map(prev);
      for (const i of list) for (const c of i.cameras) next.set(c.cameraId, c.cameraName);
      return next.size === prev.size ? prev : next;
    });
  }, []);

  // The first page, again whenever the filter changes or something was changed.
  useEffect(() => {
    if (reversed) return;
    let cancelled = false;
    void api.call('incidents.list', toListRequest(debouncedForm)).then((r) => {
      if (cancelled) return;
      if (!r.ok) {
        setError(r.error);
        return;
      }
      setError(null);
      setIncidents(r.value.incidents);
      setNextBeforeId(r.value.nextBeforeId);
      remember(r.value.incidents);
    });
    return () => {
      cancelled = true;
    };
  }, [api, debouncedForm, reversed, reloadKey, remember]);

  const more = async () => {
    if (nextBeforeId === null) return;
    setLoadingMore(true);
    const r = await api.call('incidents.list', toListRequest(debouncedForm, nextBeforeId));
    setLoadingMore(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setIncidents((prev) => {
      const have = new Set((prev ?? []).map((i) => i.id));
      return [...(prev ?? []), ...r.value.incidents.filter((i) => !have.has(i.id))];
    });
    setNextBeforeId(r.value.nextBeforeId);
    remember(r.value.incidents);
  };

  const changed = useCallback((v: IncidentView) => {
    setIncidents((prev) => prev?.map((i) => (i.id === v.id ? { ...i, ...summaryOf(v) } : i)) ?? prev);
  }, []);

  const cameraOptions = useMemo(() => {
    const byId = new Map<string, string>(pickable.map((c) => [c.value, c.label]));
    for (const [id, name] of seenCameras) if (!byId.has(String(id))) byId.set(String(id), name);
    return [...byId].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [pickable, seenCameras]);
  const categoryOptions = (categories ?? []).map((c) => ({ value: c.key, label: c.active ? c.label : t('incidents.filters.retired', { label: c.label }) }));

  const set = <K extends keyof IncidentFilterForm>(key: K, value: IncidentFilterForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const filtered = JSON.stringify(form) !== JSON.stringify(EMPTY_INCIDENT_FILTER);

  return (
    <Stack gap="xs" h="100%" data-testid="incidents-screen">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput
          type="datetime-local"
          label={t('incidents.filters.from')}
          data-testid="incidents-filter-from"
          w={190}
          value={form.from}
          onChange={(e) => set('from', e.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          label={t('incidents.filters.to')}
          data-testid="incidents-filter-to"
          w={190}
          value={form.to}
          onChange={(e) => set('to', e.currentTarget.value)}
          error={reversed ? t('incidents.filters.reversed') : undefined}
        />
        <Select
          label={t('incidents.filters.camera')}
          placeholder={t('incidents.filters.anyCamera')}
          data-testid="incidents-filter-camera"
          w={200}
          value={form.cameraId}
          onChange={(v) => set('cameraId', v)}
          data={cameraOptions}
          clearable
          searchable
        />
        <Select
          label={t('incidents.filters.category')}
          placeholder={t('incidents.filters.anyCategory')}
          data-testid="incidents-filter-category"
          w={200}
          value={form.category}
          onChange={(v) => set('category', v)}
          data={categoryOptions}
          clearable
          searchable
        />
        <Select
          label={t('incidents.filters.status')}
          data-testid="incidents-filter-status"
          w={130}
          value={form.status}
          onChange={(v) => isStatusFilter(v) && set('status', v)}
          allowDeselect={false}
          data={[{ value: 'any', label: t('incidents.filters.anyStatus') }, ...INCIDENT_STATUSES.map((s) => ({ value: s, label: t(`incidents.status.${s}`) }))]}
        />
        <TextInput
          label={t('incidents.filters.author')}
          placeholder={t('incidents.filters.authorPlaceholder')}
          data-testid="incidents-filter-author"
          w={150}
          value={form.author}
          onChange={(e) => set('author', e.currentTarget.value)}
          maxLength={32}
        />
        <Button variant="default" data-testid="incidents-filter-clear" disabled={!filtered} onClick={() => setForm(EMPTY_INCIDENT_FILTER)}>
          {t('incidents.filters.clear')}
        </Button>
        <Button variant="subtle" color="gray" ml="auto" data-testid="incidents-refresh" onClick={() => setReloadKey((k) => k + 1)}>
          {t('common.refresh')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed" data-testid="incidents-count">
        {incidents ? t(nextBeforeId === null ? 'incidents.count' : 'incidents.countMore', { count: incidents.length }) : ' '}
      </Text>
      <ErrorAlert error={error} testId="incidents-error" />
      <ScrollArea className="oc-table-wrap" style={{ flex: 1, minHeight: 0 }} type="auto">
        <Table stickyHeader striped highlightOnHover data-testid="incidents-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('incidents.columns.number')}</Table.Th>
              <Table.Th>{t('incidents.columns.time')}</Table.Th>
              <Table.Th>{t('incidents.columns.cameras')}</Table.Th>
              <Table.Th>{t('incidents.columns.category')}</Table.Th>
              <Table.Th>{t('incidents.columns.status')}</Table.Th>
              <Table.Th>{t('incidents.columns.author')}</Table.Th>
              <Table.Th ta="right">{t('incidents.columns.notes')}</Table.Th>
              <Table.Th ta="right">{t('incidents.columns.holds')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {incidents?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text size="xs" c="dimmed" ta="center" py="md" data-testid="incidents-empty">
                    {t(filtered ? 'incidents.emptyFiltered' : 'incidents.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {incidents?.map((i) => (
              <Table.Tr
                key={i.id}
                data-testid={`incident-row-${i.id}`}
                data-incident-id={i.id}
                data-status={i.status}
                data-start-ms={i.startMs}
                onClick={() => setSelectedId(i.id)}
                aria-selected={i.id === selectedId}
                style={{
                  cursor: 'pointer',
                  background: i.id === selectedId ? 'var(--mantine-color-accent-9)' : undefined,
                  opacity: i.status === 'closed' ? 0.7 : 1,
                }}
              >
                <Table.Td fw={600} className="oc-nowrap" data-testid="incident-row-number">
                  {i.number}
                </Table.Td>
                <Table.Td className="oc-nowrap">
                  <Text size="sm" ff="monospace">
                    {formatIncidentTime(i)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`incidents.source.${i.source}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" lineClamp={2} title={i.cameras.map((c) => c.cameraName).join(', ')}>
                    {i.cameras.map((c) => c.cameraName).join(', ')}
                  </Text>
                </Table.Td>
                <Table.Td style={{ maxWidth: 320 }}>
                  <Text size="sm">{i.categoryLabel}</Text>
                  {i.source === 'playback' && i.title && (
                    <Text size="xs" c="dimmed" truncate="end" title={i.title}>
                      {i.title}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={i.status} testId="incident-row-status" />
                </Table.Td>
                <Table.Td className="oc-nowrap">
                  <Text size="xs">{i.createdBy}</Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(i.createdAtMs)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" data-testid="incident-row-notes">
                  {i.notes}
                </Table.Td>
                <Table.Td ta="right" data-testid="incident-row-holds">
                  {i.holds > 0 ? (
                    <Badge variant="light" color="grape" size="sm">
                      {i.holds}
                    </Badge>
                  ) : (
                    i.holds
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {nextBeforeId !== null && (
          <Group justify="center" py="xs">
            <Button variant="default" size="xs" data-testid="incidents-more" loading={loadingMore} onClick={() => void more()}>
              {t('incidents.more')}
            </Button>
          </Group>
        )}
      </ScrollArea>

      {selectedId !== null && (
        <IncidentDetail key={selectedId} incidentId={selectedId} canEdit={canEdit} canLinkHold={canLinkHold} onClose={() => setSelectedId(null)} onChanged={changed} />
      )}
    </Stack>
  );
}
