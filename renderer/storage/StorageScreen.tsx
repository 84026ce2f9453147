// Storage and recording status (DESIGN R1, R2, §4; ELB 1.8, JON 10-11, KRK §5.3.3): how full the
// recordings disk is, whether every camera records, storage alarms, and for administrators the
// quota, free-space floor and sweep interval, and deletion by hand (never of footage under hold).
// The deletion log is the proof that footage was erased when its retention ended.
import { useEffect, useState, type CSSProperties, type FormEvent, type ReactNode } from 'react';
import { Alert, Badge, Box, Button, Checkbox, Group, Modal, NumberInput, Paper, Progress, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CameraRecordingView, ResponseOf, SessionView, StorageView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { currentLocale } from '../i18n';
import { formatDateTime, formatRange, fromLocalDateTimeInput, toLocalDateTimeInput } from '../kit/format-time';
import { DeletionLog } from './DeletionLog';
import { STORAGE_POLL_MS, alarmKey, bytesToGiB, formatBytes, gibToBytes, isActive, percent, sortAlarms } from './storage-model';

const STATE_COLOURS: Record<CameraRecordingView['state'], string> = { recording: 'green', waiting_for_video: 'yellow', stopped_storage_full: 'red', disabled: 'gray' };
const MIN_DELETE_REASON = 10;

export function StorageScreen({ session, onStorageView }: { session: SessionView; onStorageView?: (view: StorageView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const can = (p: SessionView['permissions'][number]) => session.permissions.includes(p);
  const canManage = can('retention.manage');
  const canReadLog = can('audit.read');
  const [storage, setStorage] = useState<StorageView | null>(null);
  const [cameras, setCameras] = useState<CameraRecordingView[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [logKey, setLogKey] = useState(0);

  // Figures change on their own (recording, sweeps): refresh while the page is shown. Neither
  // command reads personal data, so neither is audited and polling them costs the audit log nothing.
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const [s, c] = await Promise.all([api.call('storage.status', {}), api.call('recordings.status', {})]);
      if (cancelled) return;
      if (s.ok) {
        setStorage(s.value);
        onStorageView?.(s.value);
      }
      if (c.ok) setCameras(c.value.cameras);
      setError(!s.ok ? s.error : !c.ok ? c.error : null);
    };
    void load();
    const timer = setInterval(() => void load(), STORAGE_POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api, reloadKey, onStorageView]);

  const saved = (view: StorageView) => {
    setStorage(view);
    onStorageView?.(view);
    // New limits may stop or resume recording: show the cameras' states at once.
    setReloadKey((k) => k + 1);
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
              <DeletionLog cameras={cameras ?? []} reloadKey={logKey} />
            </Card>
          )}
          {canManage && (
            <Card title={t('storage.delete.title')} testId="storage-delete" style={{ width: 380, flexShrink: 0 }}>
              <DeleteForm
                cameras={cameras ?? []}
                onDeleted={() => {
                  setReloadKey((k) => k + 1);
                  setLogKey((k) => k + 1);
                }}
              />
            </Card>
          )}
        </Group>
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

function SettingsForm({ storage, onSaved }: { storage: StorageView; onSaved: (view: StorageView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const root = storage.roots[0];
  const [quota, setQuota] = useState<number | string>(root ? bytesToGiB(root.quotaBytes) : 100);
  const [floor, setFloor] = useState<number | string>(root ? bytesToGiB(root.freeSpaceFloorBytes) : 5);
  const [sweep, setSweep] = useState<number | string>(storage.sweepIntervalMinutes);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setDone(false);
    const r = await api.call('storage.update', { quotaBytes: gibToBytes(Number(quota)), freeSpaceFloorBytes: gibToBytes(Number(floor)), sweepIntervalMinutes: Number(sweep) });
    setBusy(false);
    if (r.ok) {
      setError(null);
      setDone(true);
      onSaved(r.value);
    } else setError(r.error);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap={6}>
        <Group grow gap="xs" align="flex-start">
          <NumberInput data-testid="storage-settings-quota" label={t('storage.settings.quota')} value={quota} onChange={setQuota} min={64 / 1024} step={10} decimalScale={2} suffix=" GiB" />
          <NumberInput data-testid="storage-settings-floor" label={t('storage.settings.floor')} value={floor} onChange={setFloor} min={0} step={1} decimalScale={2} suffix=" GiB" />
        </Group>
        <NumberInput data-testid="storage-settings-sweep" label={t('storage.settings.sweep')} value={sweep} onChange={setSweep} min={1} max={60} step={1} allowDecimal={false} w="50%" />
        <Text size="xs" c="dimmed">
          {t('storage.settings.hint')}
        </Text>
        <ErrorAlert error={error} context="recording" testId="storage-settings-error" />
        <Group justify="space-between">
          <Text size="xs" c="green.4" data-testid="storage-settings-saved">
            {done ? t('common.saved') : ''}
          </Text>
          <Button type="submit" loading={busy} data-testid="storage-settings-submit">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RecordingTable({ cameras }: { cameras: CameraRecordingView[] | null }) {
  const { t } = useTranslation();
  const number = new Intl.NumberFormat(currentLocale());
  return (
    <Box className="oc-table-wrap">
      <Table striped highlightOnHover data-testid="recording-status-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('storage.recording.camera')}</Table.Th>
            <Table.Th>{t('storage.recording.site')}</Table.Th>
            <Table.Th w={190}>{t('storage.recording.state')}</Table.Th>
            <Table.Th w={100}>{t('storage.recording.retention')}</Table.Th>
            <Table.Th>{t('storage.recording.footage')}</Table.Th>
            <Table.Th w={100} ta="right">
              {t('storage.recording.bytes')}
            </Table.Th>
            <Table.Th w={70} ta="right">
              {t('storage.recording.files')}
            </Table.Th>
            <Table.Th w={70} ta="right">
              {t('storage.recording.gaps')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cameras?.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={8}>
                <Text size="xs" c="dimmed" ta="center" py="sm">
                  {t('storage.recording.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {cameras?.map((c) => (
            <Table.Tr key={c.cameraId} data-testid="recording-status-row" data-camera-id={c.cameraId} data-state={c.state} data-name={c.name}>
              <Table.Td fw={600}>{c.name}</Table.Td>
              <Table.Td>{c.site}</Table.Td>
              <Table.Td>
                <Badge variant="dot" color={STATE_COLOURS[c.state]} tt="none" style={{ minWidth: 'max-content' }} data-testid="recording-state">
                  {t(`storage.recording.states.${c.state}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{t('storage.days', { count: c.retentionDays })}</Table.Td>
              <Table.Td className="oc-nowrap">{c.oldestMs !== null && c.newestMs !== null ? formatRange(c.oldestMs, c.newestMs) : <Text span size="xs" c="dimmed">{t('storage.recording.noFootage')}</Text>}</Table.Td>
              <Table.Td ta="right" className="oc-nowrap">
                {formatBytes(c.bytes)}
              </Table.Td>
              <Table.Td ta="right">{number.format(c.files)}</Table.Td>
              <Table.Td ta="right" c={c.gaps > 0 ? 'yellow.4' : undefined}>
                {number.format(c.gaps)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}

type DeleteResult = ResponseOf<'recordings.delete'>;

function DeleteForm({ cameras, onDeleted }: { cameras: CameraRecordingView[]; onDeleted: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [cameraId, setCameraId] = useState<string | null>(null);
  const [from, setFrom] = useState(() => toLocalDateTimeInput(Date.now() - 86_400_000));
  const [to, setTo] = useState(() => toLocalDateTimeInput(Date.now() - 3_600_000));
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const [result, setResult] = useState<DeleteResult | null>(null);

  const fromMs = fromLocalDateTimeInput(from);
  const toMs = fromLocalDateTimeInput(to);
  const rangeOk = fromMs !== null && toMs !== null && toMs > fromMs;
  const ready = cameraId !== null && rangeOk && reason.trim().length >= MIN_DELETE_REASON;
  const camera = cameras.find((c) => String(c.cameraId) === cameraId);

  const run = async () => {
    if (!ready || fromMs === null || toMs === null) return;
    setBusy(true);
    const r = await api.call('recordings.delete', { cameraId: Number(cameraId), fromMs, toMs, reason });
    setBusy(false);
    setConfirming(false);
    setConfirmed(false);
    if (r.ok) {
      setError(null);
      setResult(r.value);
      setReason('');
      onDeleted();
    } else setError(r.error);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) setConfirming(true);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap={6}>
        <Text size="xs" c="dimmed">
          {t('storage.delete.intro')}
        </Text>
        <Select
          data-testid="storage-delete-camera"
          label={t('storage.recording.camera')}
          data={cameras.map((c) => ({ value: String(c.cameraId), label: c.site ? `${c.name} · ${c.site}` : c.name }))}
          value={cameraId}
          onChange={setCameraId}
          searchable
        />
        <Group grow gap="xs" align="flex-start">
          <TextInput type="datetime-local" data-testid="storage-delete-from" label={t('holds.form.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput
            type="datetime-local"
            data-testid="storage-delete-to"
            label={t('holds.form.to')}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={from && to && !rangeOk ? t('holds.form.problems.order') : undefined}
          />
        </Group>
        <Textarea
          data-testid="storage-delete-reason"
          label={t('common.reason')}
          description={t('storage.delete.reasonHint', { min: MIN_DELETE_REASON })}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={500}
        />
        <ErrorAlert error={error} context="recording" testId="storage-delete-error" />
        {result && (
          <Alert color={result.keptHeldFiles > 0 ? 'yellow' : 'green'} py={6} data-testid="storage-delete-result" data-deleted={result.deletedFiles} data-kept={result.keptHeldFiles} withCloseButton onClose={() => setResult(null)}>
            {t('storage.delete.deleted', { count: result.deletedFiles, bytes: formatBytes(result.deletedBytes) })}
            {result.keptHeldFiles > 0 && <Text size="xs">{t('storage.delete.kept', { count: result.keptHeldFiles })}</Text>}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" color="red" variant="light" disabled={!ready} data-testid="storage-delete-submit">
            {t('storage.delete.submit')}
          </Button>
        </Group>
      </Stack>
      {confirming && camera && fromMs !== null && toMs !== null && (
        <Modal opened onClose={() => setConfirming(false)} title={t('storage.delete.confirmTitle')}>
          <Stack gap="sm">
            <Text size="sm">{t('storage.delete.confirmText', { camera: camera.name, range: formatRange(fromMs, toMs) })}</Text>
            <Text size="xs" c="dimmed">
              {t('storage.delete.heldKept')}
            </Text>
            <Checkbox data-testid="storage-delete-confirm" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} label={t('storage.delete.confirmCheck')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
              <Button color="red" disabled={!confirmed} loading={busy} data-testid="storage-delete-run" onClick={() => void run()}>
                {t('storage.delete.submit')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </form>
  );
}
