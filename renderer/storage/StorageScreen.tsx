// Storage and recording status (R1, R2, §4; ELB 1.8, JON 10-11, KRK §5.3.3): how full the
// recordings disk is, whether every camera records, storage alarms, and for administrators the
// quota, free-space floor and sweep interval, and deletion by hand (never of footage under hold).
// The deletion log is the proof that footage was erased when its retention ended.
import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { Badge, Box, Group, Paper, Progress, ScrollArea, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CameraRecordingView, SessionView, StorageView } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { StateDot } from '../live/LiveTile';
import { currentLocale } from '../i18n';
import { formatDateTime, formatRange } from '../kit/format-time';
import { RecordTable, type Column } from '../kit/RecordTable';
import { useCommand } from '../kit/use-command';
import { NodesPanel } from '../nodes/NodesPanel';
import { DeletionLog } from './DeletionLog';
import { DeleteForm, SettingsForm } from './StorageForms';
import { STORAGE_POLL_MS, alarmKey, formatBytes, isActive, percent, sortAlarms } from './storage-model';

const STATE_COLOURS: Record<CameraRecordingView['state'], string> = { recording: 'green', waiting_for_video: 'yellow', stopped_storage_full: 'red', disabled: 'gray' };

/** `withNodes`: the site's nodes under the figures, for the roles that have no Administration › Nodes (supervisors, auditors). */
export function StorageScreen({ session, onStorageView, withNodes = false }: { session: SessionView; onStorageView?: (view: StorageView) => void; withNodes?: boolean }) {
  const { t } = useTranslation();
  const can = (p: SessionView['permissions'][number]) => session.permissions.includes(p);
  const canManage = can('retention.manage');
  const canReadLog = can('audit.read');
  // Figures change on their own (recording, sweeps): asked again while the page is shown. Neither
  // command reads personal data, so neither is audited and polling them costs the audit log nothing.
  const storageStatus = useCommand('storage.status', {}, [], { pollMs: STORAGE_POLL_MS });
  const recordingStatus = useCommand('recordings.status', {}, [], { pollMs: STORAGE_POLL_MS });
  const storage = storageStatus.value;
  const cameras = recordingStatus.value?.cameras ?? null;
  const error = storageStatus.error ?? recordingStatus.error;
  /** Counts deletions made here: the deletion log reads its newest page again after each. */
  const [deletions, setDeletions] = useState(0);
  useEffect(() => {
    if (storage) onStorageView?.(storage);
  }, [storage, onStorageView]);

  const saved = (view: StorageView) => {
    storageStatus.setValue(() => view);
    // New limits may stop or resume recording: show the cameras' states at once.
    recordingStatus.reload();
  };
  const deleted = () => {
    storageStatus.reload();
    recordingStatus.reload();
    setDeletions((n) => n + 1);
  };

  return (
    <ScrollArea h="100%" type="auto" offsetScrollbars data-testid="storage-screen">
      <Stack gap="sm" pb="md">
        <ErrorAlert error={error} testId="storage-error" />
        <SimpleGrid cols={canManage ? 3 : 2} spacing="sm">
          <Card title={t('storage.disk.title')} testId="storage-roots">
            {storage?.roots.map((r) => <RootFigures key={r.path} root={r} />)}
            {storage && (
              <Group gap="lg" mt={6} data-testid="storage-sweep">
                <Figure label={t('storage.disk.sweepInterval')} value={t('storage.minutes', { count: storage.sweepIntervalMinutes })} />
                <Figure label={t('storage.disk.lastSweep')} value={storage.lastSweepAtMs === null ? t('storage.disk.neverSwept') : formatDateTime(storage.lastSweepAtMs)} />
              </Group>
            )}
          </Card>
          <Card title={t('storage.alarms.title')} testId="storage-alarms">
            <AlarmList storage={storage} cameras={cameras} />
          </Card>
          {canManage && storage && (
            <Card title={t('storage.settings.title')} testId="storage-settings">
              <SettingsForm storage={storage} onSaved={saved} />
            </Card>
          )}
        </SimpleGrid>

        <Card title={t('storage.recording.title')} testId="recording-status">
          <RecordingTable cameras={cameras} />
        </Card>

        <Group align="stretch" gap="sm" wrap="nowrap">
          {canReadLog && (
            <Card title={t('storage.log.title')} testId="deletion-log" style={{ flex: 1, minWidth: 0 }}>
              <DeletionLog cameras={cameras ?? []} version={deletions} />
            </Card>
          )}
          {canManage && (
            <Card title={t('storage.delete.title')} testId="storage-delete" style={{ width: 380, flexShrink: 0 }}>
              <DeleteForm cameras={cameras ?? []} onDeleted={deleted} />
            </Card>
          )}
        </Group>

        {withNodes && (
          <Card title={t('nodes.tab')} testId="storage-nodes">
            <NodesPanel embedded />
          </Card>
        )}
      </Stack>
    </ScrollArea>
  );
}

function Card({ title, testId, children, style }: { title: string; testId: string; children: ReactNode; style?: CSSProperties }) {
  return (
    <Paper withBorder bg="dark.7" p="sm" data-testid={testId} style={style}>
      <Title order={4} mb={8} tt="uppercase" c="dark.1" style={{ letterSpacing: '0.04em', fontSize: 11 }}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Figure({ label, value, testId, colour }: { label: string; value: string; testId?: string; colour?: string }) {
  return (
    <Box>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} data-testid={testId} c={colour}>
        {value}
      </Text>
    </Box>
  );
}

function RootFigures({ root }: { root: StorageView['roots'][number] }) {
  const { t } = useTranslation();
  const quotaShare = percent(root.usedBytes, root.quotaBytes);
  const diskUsed = Math.max(0, root.totalBytes - root.freeBytes);
  const belowFloor = root.freeBytes < root.freeSpaceFloorBytes;
  return (
    <Stack gap={6} data-testid="storage-root" data-path={root.path}>
      <Text size="xs" className="oc-mono" c="dimmed" title={root.path}>
        {root.path}
      </Text>
      <Box>
        <Group justify="space-between" gap={4}>
          <Text size="xs">{t('storage.disk.footageOfQuota')}</Text>
          <Text size="xs" fw={600} data-testid="storage-root-used">
            {t('storage.disk.ofQuota', { used: formatBytes(root.usedBytes), quota: formatBytes(root.quotaBytes) })}
          </Text>
        </Group>
        <Progress value={quotaShare} color={quotaShare >= 95 ? 'red' : quotaShare >= 80 ? 'yellow' : 'accent'} size="md" data-testid="storage-root-quota-bar" aria-label={t('storage.disk.footageOfQuota')} />
      </Box>
      <Box>
        <Group justify="space-between" gap={4}>
          <Text size="xs">{t('storage.disk.diskUse')}</Text>
          <Text size="xs" fw={600}>
            {t('storage.disk.ofTotal', { used: formatBytes(diskUsed), total: formatBytes(root.totalBytes) })}
          </Text>
        </Group>
        <Progress.Root size="md" aria-label={t('storage.disk.diskUse')}>
          <Progress.Section value={percent(root.usedBytes, root.totalBytes)} color="accent" title={t('storage.disk.footage')} />
          <Progress.Section value={percent(Math.max(0, diskUsed - root.usedBytes), root.totalBytes)} color="dark.3" title={t('storage.disk.otherData')} />
        </Progress.Root>
      </Box>
      <Group gap="lg">
        <Figure label={t('storage.disk.free')} value={formatBytes(root.freeBytes)} testId="storage-root-free" colour={belowFloor ? 'red.4' : undefined} />
        <Figure label={t('storage.disk.floor')} value={formatBytes(root.freeSpaceFloorBytes)} testId="storage-root-floor" />
        <Figure label={t('storage.disk.total')} value={formatBytes(root.totalBytes)} />
      </Group>
      {belowFloor && (
        <Text size="xs" c="red.4" data-testid="storage-root-below-floor">
          {t('storage.disk.belowFloor')}
        </Text>
      )}
    </Stack>
  );
}

function AlarmList({ storage, cameras }: { storage: StorageView | null; cameras: CameraRecordingView[] | null }) {
  const { t } = useTranslation();
  if (!storage) return null;
  const alarms = sortAlarms(storage.alarms);
  if (alarms.length === 0)
    return (
      <Text size="xs" c="dimmed" data-testid="storage-alarms-empty">
        {t('storage.alarms.none')}
      </Text>
    );
  const cameraName = (id: number | null) => (id === null ? null : (cameras?.find((c) => c.cameraId === id)?.name ?? `#${id}`));
  return (
    <ScrollArea.Autosize mah={220} type="auto">
      <Stack gap={6}>
        {alarms.map((a) => {
          const active = isActive(a);
          const key = alarmKey(a.kind);
          const colour = a.severity === 'critical' ? 'red' : 'yellow';
          return (
            <Box
              key={a.id}
              data-testid="storage-alarm"
              data-severity={a.severity}
              data-active={String(active)}
              data-kind={a.kind}
              pl={8}
              style={{ borderLeft: `3px solid var(--mantine-color-${active ? colour : 'dark'}-${active ? 6 : 4})`, opacity: active ? 1 : 0.6 }}
            >
              <Group gap={6} wrap="nowrap">
                <Badge size="xs" color={active ? colour : 'gray'} variant={active ? 'filled' : 'outline'} tt="none">
                  {t(`storage.alarms.severity.${a.severity}`)}
                </Badge>
                <Text size="xs" fw={600}>
                  {key ? t(`storage.alarms.kind.${key}`) : a.kind}
                </Text>
              </Group>
              <Text size="xs">{key ? t(`storage.alarms.text.${key}`) : a.message}</Text>
              <Text size="xs" c="dimmed">
                {cameraName(a.cameraId) ? `${cameraName(a.cameraId)} · ` : ''}
                {t('storage.alarms.raised', { at: formatDateTime(a.raisedAtMs) })}
                {a.clearedAtMs !== null && ` · ${t('storage.alarms.cleared', { at: formatDateTime(a.clearedAtMs) })}`}
              </Text>
            </Box>
          );
        })}
      </Stack>
    </ScrollArea.Autosize>
  );
}

function RecordingTable({ cameras }: { cameras: CameraRecordingView[] | null }) {
  const { t } = useTranslation();
  const number = new Intl.NumberFormat(currentLocale());
  const columns: Column<CameraRecordingView>[] = [
    { key: 'camera', header: t('storage.recording.camera'), cell: (c) => <Text fw={600} size="sm">{c.name}</Text> },
    { key: 'site', header: t('storage.recording.site'), cell: (c) => c.site },
    {
      key: 'camera-state',
      header: t('storage.recording.cameraState'),
      width: 150,
      cell: (c) => (
        <Group gap={6} wrap="nowrap" data-testid="recording-camera-state" data-state={c.cameraState}>
          <StateDot state={c.cameraState} />
          <Text size="sm" className="oc-nowrap">
            {t(`live.state.${c.cameraState}`)}
          </Text>
        </Group>
      ),
    },
    {
      key: 'state',
      header: t('storage.recording.state'),
      width: 190,
      cell: (c) => (
        <Badge variant="dot" color={STATE_COLOURS[c.state]} tt="none" style={{ minWidth: 'max-content' }} data-testid="recording-state">
          {t(`storage.recording.states.${c.state}`)}
        </Badge>
      ),
    },
    { key: 'retention', header: t('storage.recording.retention'), width: 100, cell: (c) => t('storage.days', { count: c.retentionDays }) },
    {
      key: 'footage',
      header: t('storage.recording.footage'),
      nowrap: true,
      cell: (c) =>
        c.oldestMs !== null && c.newestMs !== null ? (
          formatRange(c.oldestMs, c.newestMs)
        ) : (
          <Text span size="xs" c="dimmed">
            {t('storage.recording.noFootage')}
          </Text>
        ),
    },
    { key: 'bytes', header: t('storage.recording.bytes'), width: 100, align: 'right', nowrap: true, cell: (c) => formatBytes(c.bytes) },
    { key: 'files', header: t('storage.recording.files'), width: 70, align: 'right', cell: (c) => number.format(c.files) },
    { key: 'gaps', header: t('storage.recording.gaps'), width: 70, align: 'right', cell: (c) => <Text size="sm" c={c.gaps > 0 ? 'yellow.4' : undefined}>{number.format(c.gaps)}</Text> },
  ];
  return (
    <RecordTable
      testId="recording-status-table"
      rows={cameras}
      columns={columns}
      rowKey={(c) => c.cameraId}
      rowAttributes={(c) => ({ 'data-testid': 'recording-status-row', 'data-camera-id': c.cameraId, 'data-state': c.state, 'data-name': c.name })}
      empty={t('storage.recording.empty')}
      maxHeight={10_000}
    />
  );
}
