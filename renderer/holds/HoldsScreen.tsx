// Legal holds (DESIGN R2, §6; ELB 1.13, 1.14, JON 11): footage that is or may become evidence, or
// that a recorded person asked to secure, is kept past its retention until a supervisor releases
// the hold. Reviewers and supervisors place and extend holds, supervisors release them, auditors
// read them. A hold past its review date is flagged: someone must decide whether it is still needed.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Badge, Box, Button, Checkbox, CloseButton, Divider, Group, Paper, ScrollArea, Select, Stack, Table, Text, TextInput, Timeline, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { HOLD_STATUSES, type HoldView, type RequestOf, type SessionView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { CameraRangeTable } from '../components/CameraRangeTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExtendHoldModal, PlaceHoldModal, ReleaseHoldModal } from './HoldDialogs';
import type { CameraOption } from './ItemRowsEditor';
import { formatDate, formatDateTime } from './time-input';

type Dialog = { kind: 'place' } | { kind: 'extend'; hold: HoldView } | { kind: 'release'; hold: HoldView } | null;
type StatusFilter = 'any' | HoldView['status'];
const KNOWN_ACTIONS = new Set(['placed', 'extended', 'released']);

const isStatusFilter = (v: string | null): v is StatusFilter => v === 'any' || (HOLD_STATUSES as readonly (string | null)[]).includes(v);

export function HoldsScreen({ session }: { session: SessionView }) {
  const api = useApi();
  const { t } = useTranslation();
  const can = (p: SessionView['permissions'][number]) => session.permissions.includes(p);
  const canPlace = can('holds.place');
  const canRelease = can('holds.release');

  const [status, setStatus] = useState<StatusFilter>('active');
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [cameraId, setCameraId] = useState<string | null>(null);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [holds, setHolds] = useState<HoldView[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Cameras the user may put on hold (live.view: the cameras they can see). */
  const [pickable, setPickable] = useState<CameraOption[]>([]);
  /** Every camera seen in a hold, so the camera filter works for roles without live view (auditors). */
  const [seenCameras, setSeenCameras] = useState<ReadonlyMap<number, string>>(new Map());

  const canPickCameras = can('live.view');
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

  const filter = useMemo(() => {
    const f: RequestOf<'holds.list'> = {};
    if (status !== 'any') f.status = status;
    if (debouncedSearch) f.search = debouncedSearch;
    if (cameraId) f.cameraId = Number(cameraId);
    if (overdueOnly) f.overdueOnly = true;
    return f;
  }, [status, debouncedSearch, cameraId, overdueOnly]);

  useEffect(() => {
    let cancelled = false;
    void api.call('holds.list', filter).then((r) => {
      if (cancelled) return;
      if (!r.ok) {
        setError(r.error);
        return;
      }
      setError(null);
      setHolds(r.value.holds);
      setSeenCameras((prev) => {
        const next = new Map(prev);
        for (const h of r.value.holds) for (const i of h.items) next.set(i.cameraId, i.cameraName);
        return next.size === prev.size ? prev : next;
      });
    });
    return () => {
      cancelled = true;
    };
  }, [api, filter, reloadKey]);

  const cameraFilterOptions = useMemo(() => {
    const byId = new Map<string, string>(pickable.map((c) => [c.value, c.label]));
    for (const [id, name] of seenCameras) if (!byId.has(String(id))) byId.set(String(id), name);
    return [...byId].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [pickable, seenCameras]);

  const selected = holds?.find((h) => h.id === selectedId) ?? null;
  const activeCount = holds?.filter((h) => h.status === 'active').length ?? 0;
  const overdueCount = holds?.filter((h) => h.reviewOverdue).length ?? 0;

  const changed = useCallback(
    (hold: HoldView, message: string) => {
      setDialog(null);
      setNotice(message);
      setSelectedId(hold.id);
      setReloadKey((k) => k + 1);
    },
    [],
  );

  return (
    <Group gap="sm" h="100%" align="stretch" wrap="nowrap" data-testid="holds-screen">
      <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <Select
            label={t('holds.filters.status')}
            data-testid="holds-filter-status"
            w={140}
            value={status}
            onChange={(v) => isStatusFilter(v) && setStatus(v)}
            allowDeselect={false}
            data={[{ value: 'any', label: t('holds.filters.anyStatus') }, ...HOLD_STATUSES.map((s) => ({ value: s, label: t(`holds.status.${s}`) }))]}
          />
          <TextInput
            label={t('holds.filters.search')}
            placeholder={t('holds.filters.searchPlaceholder')}
            data-testid="holds-filter-search"
            w={260}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            maxLength={100}
          />
          <Select
            label={t('holds.filters.camera')}
            placeholder={t('holds.filters.anyCamera')}
            data-testid="holds-filter-camera"
            w={220}
            value={cameraId}
            onChange={setCameraId}
            data={cameraFilterOptions}
            clearable
            searchable
          />
          <Checkbox
            label={t('holds.filters.overdueOnly')}
            data-testid="holds-filter-overdue"
            checked={overdueOnly}
            onChange={(e) => setOverdueOnly(e.currentTarget.checked)}
            mb={8}
          />
          <Group gap="xs" ml="auto">
            {canPlace && (
              <Button data-testid="holds-place" onClick={() => setDialog({ kind: 'place' })}>
                {t('holds.place.button')}
              </Button>
            )}
          </Group>
        </Group>
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
        <ErrorAlert error={error} testId="holds-error" />
        <ScrollArea className="oc-table-wrap" style={{ flex: 1, minHeight: 0 }} type="auto">
          <Table stickyHeader striped highlightOnHover data-testid="holds-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('holds.fields.caseReference')}</Table.Th>
                <Table.Th>{t('holds.fields.kind')}</Table.Th>
                <Table.Th>{t('holds.fields.requestingBody')}</Table.Th>
                <Table.Th>{t('holds.columns.cameras')}</Table.Th>
                <Table.Th>{t('holds.fields.reviewDate')}</Table.Th>
                <Table.Th>{t('holds.columns.status')}</Table.Th>
                <Table.Th>{t('holds.columns.placed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {holds?.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text size="xs" c="dimmed" ta="center" py="md" data-testid="holds-empty">
                      {t('holds.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {holds?.map((h) => (
                <Table.Tr
                  key={h.id}
                  data-testid="hold-row"
                  data-hold-id={h.id}
                  data-status={h.status}
                  data-overdue={String(h.reviewOverdue)}
                  data-case={h.caseReference}
                  onClick={() => setSelectedId(h.id)}
                  aria-selected={h.id === selectedId}
                  style={{
                    cursor: 'pointer',
                    boxShadow: h.reviewOverdue ? 'inset 3px 0 0 var(--mantine-color-orange-6)' : undefined,
                    background: h.id === selectedId ? 'var(--mantine-color-accent-9)' : undefined,
                    opacity: h.status === 'released' ? 0.65 : 1,
                  }}
                >
                  <Table.Td fw={600} className="oc-nowrap">
                    {h.caseReference}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color={h.kind === 'legal' ? 'gray' : 'grape'} tt="none" style={{ minWidth: 'max-content' }}>
                      {t(`holds.kind.${h.kind}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{h.requestingBody}</Table.Td>
                  <Table.Td>
                    <CamerasCell hold={h} />
                  </Table.Td>
                  <Table.Td className="oc-nowrap">
                    <Text size="sm" fw={h.reviewOverdue ? 700 : undefined} c={h.reviewOverdue ? 'orange.4' : undefined}>
                      {formatDate(h.reviewDateMs)}
                    </Text>
                    {h.reviewOverdue && (
                      <Badge color="orange" variant="filled" size="xs" tt="none" data-testid="hold-overdue-badge" style={{ minWidth: 'max-content' }}>
                        {t('holds.overdue')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="dot" color={h.status === 'active' ? 'green' : 'gray'} tt="none" style={{ minWidth: 'max-content' }}>
                      {t(`holds.status.${h.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td className="oc-nowrap">
                    <Text size="xs">{formatDateTime(h.createdAtMs)}</Text>
                    <Text size="xs" c="dimmed">
                      {h.createdBy}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Stack>

      {selected && (
        <HoldDetail
          hold={selected}
          canExtend={canPlace}
          canRelease={canRelease}
          onClose={() => setSelectedId(null)}
          onExtend={() => setDialog({ kind: 'extend', hold: selected })}
          onRelease={() => setDialog({ kind: 'release', hold: selected })}
        />
      )}

      {dialog?.kind === 'place' && (
        <PlaceHoldModal cameras={pickable} onClose={() => setDialog(null)} onPlaced={(h) => changed(h, t('holds.place.done', { caseReference: h.caseReference }))} />
      )}
      {dialog?.kind === 'extend' && (
        <ExtendHoldModal hold={dialog.hold} cameras={pickable} onClose={() => setDialog(null)} onDone={(h) => changed(h, t('holds.extend.done', { caseReference: h.caseReference }))} />
      )}
      {dialog?.kind === 'release' && (
        <ReleaseHoldModal hold={dialog.hold} onClose={() => setDialog(null)} onDone={(h) => changed(h, t('holds.release.done', { caseReference: h.caseReference }))} />
      )}
    </Group>
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

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" data-testid={testId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Box>
  );
}

function HoldDetail({
  hold,
  canExtend,
  canRelease,
  onClose,
  onExtend,
  onRelease,
}: {
  hold: HoldView;
  canExtend: boolean;
  canRelease: boolean;
  onClose: () => void;
  onExtend: () => void;
  onRelease: () => void;
}) {
  const { t } = useTranslation();
  const active = hold.status === 'active';
  return (
    <Paper withBorder bg="dark.7" w={400} p="sm" data-testid="hold-detail" data-hold-id={hold.id} style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flexShrink: 0 }}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            {t(`holds.kind.${hold.kind}`)} · #{hold.id}
          </Text>
          <Title order={3} data-testid="hold-detail-case">
            {hold.caseReference}
          </Title>
        </Stack>
        <CloseButton aria-label={t('common.close')} onClick={onClose} data-testid="hold-detail-close" />
      </Group>
      <Group gap="xs" mt={6}>
        <Badge variant="dot" color={active ? 'green' : 'gray'} tt="none" data-testid="hold-detail-status">
          {t(`holds.status.${hold.status}`)}
        </Badge>
        {hold.reviewOverdue && (
          <Badge color="orange" variant="filled" tt="none" data-testid="hold-detail-overdue">
            {t('holds.overdueLong', { date: formatDate(hold.reviewDateMs) })}
          </Badge>
        )}
      </Group>
      {active && (canExtend || canRelease) && (
        <Group gap="xs" mt="sm">
          {canExtend && (
            <Button size="xs" variant="default" data-testid="hold-extend" onClick={onExtend}>
              {t('holds.extend.button')}
            </Button>
          )}
          {canRelease && (
            <Button size="xs" color="red" variant="light" data-testid="hold-release" onClick={onRelease}>
              {t('holds.release.button')}
            </Button>
          )}
        </Group>
      )}
      <ScrollArea style={{ flex: 1, minHeight: 0 }} mt="sm" type="auto" offsetScrollbars>
        <Stack gap="xs">
          <Field label={t('holds.fields.requestingBody')}>{hold.requestingBody}</Field>
          <Field label={t('holds.fields.legalBasis')}>{hold.legalBasis}</Field>
          <Field label={t('holds.fields.reason')}>{hold.reason}</Field>
          <Group grow>
            <Field label={t('holds.fields.reviewDate')} testId="hold-detail-review">
              {formatDate(hold.reviewDateMs)}
            </Field>
            <Field label={t('holds.columns.placed')}>
              {formatDateTime(hold.createdAtMs)} · {hold.createdBy}
            </Field>
          </Group>
          {!active && (
            <Field label={t('holds.detail.released')} testId="hold-detail-released">
              {hold.releasedAtMs !== null ? formatDateTime(hold.releasedAtMs) : ''} · {hold.releasedBy ?? ''}
              {'\n'}
              {hold.releaseReason ?? ''}
            </Field>
          )}
          <Divider label={t('holds.detail.items', { count: hold.items.length })} labelPosition="left" />
          <CameraRangeTable items={hold.items} testId="hold-items" rowTestId="hold-item" />
          <Divider label={t('holds.detail.history')} labelPosition="left" />
          <Timeline bulletSize={12} lineWidth={2} active={hold.history.length - 1} data-testid="hold-history">
            {hold.history.map((e, index) => (
              <Timeline.Item
                key={`${e.atMs}-${index}`}
                data-testid="hold-history-entry"
                data-action={e.action}
                color={e.action === 'released' ? 'red' : e.action === 'extended' ? 'yellow' : 'accent'}
                title={
                  <Text size="xs" fw={600}>
                    {KNOWN_ACTIONS.has(e.action) ? t(`holds.history.${e.action}`) : e.action} · {e.actor}
                  </Text>
                }
              >
                <Text size="xs" c="dimmed">
                  {formatDateTime(e.atMs)}
                </Text>
                <Text size="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {e.note}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Stack>
      </ScrollArea>
    </Paper>
  );
}
