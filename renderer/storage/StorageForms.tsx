// The storage page's forms (R1, R2): the quota, free-space floor and sweep interval, and
// deletion by hand with a reason (never of footage under hold; the engine keeps held files).
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, NumberInput, Select, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CameraRecordingView, ResponseOf, StorageView } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { requestLimits, textLimits } from '../kit/contract-limits';
import { formatRange, fromLocalDateTimeInput, toLocalDateTimeInput } from '../kit/format-time';
import { useAction } from '../kit/use-action';
import { cameraLabel } from '../kit/use-camera-options';
import { bytesToGiB, formatBytes, gibToBytes } from './storage-model';
import { DateTimeInput } from '../kit/DateTimeInput';

const DELETE_REASON = textLimits('recordings.delete', 'reason');
const SWEEP = requestLimits('storage.update', 'sweepIntervalMinutes');

export function SettingsForm({ storage, onSaved }: { storage: StorageView; onSaved: (view: StorageView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const root = storage.roots[0];
  const [quota, setQuota] = useState<number | string>(root ? bytesToGiB(root.quotaBytes) : 100);
  const [floor, setFloor] = useState<number | string>(root ? bytesToGiB(root.freeSpaceFloorBytes) : 5);
  const [sweep, setSweep] = useState<number | string>(storage.sweepIntervalMinutes);
  const [done, setDone] = useState(false);

  const submit = async () => {
    setDone(false);
    const view = await action.run('storage.update', { quotaBytes: gibToBytes(Number(quota)), freeSpaceFloorBytes: gibToBytes(Number(floor)), sweepIntervalMinutes: Number(sweep) });
    if (!view) return;
    setDone(true);
    onSaved(view);
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
    >
      <Stack gap={6}>
        <Group grow gap="xs" align="flex-start">
          <NumberInput data-testid="storage-settings-quota" label={t('storage.settings.quota')} value={quota} onChange={setQuota} min={64 / 1024} step={10} decimalScale={2} suffix=" GiB" />
          <NumberInput data-testid="storage-settings-floor" label={t('storage.settings.floor')} value={floor} onChange={setFloor} min={0} step={1} decimalScale={2} suffix=" GiB" />
        </Group>
        <NumberInput data-testid="storage-settings-sweep" label={t('storage.settings.sweep')} value={sweep} onChange={setSweep} min={SWEEP.min} max={SWEEP.max} step={1} allowDecimal={false} w="50%" />
        <Text size="xs" c="dimmed">
          {t('storage.settings.hint')}
        </Text>
        <ErrorAlert error={action.error} context="recording" testId="storage-settings-error" />
        <Group justify="space-between">
          <Text size="xs" c="green.4" data-testid="storage-settings-saved">
            {done ? t('common.saved') : ''}
          </Text>
          <Button type="submit" loading={action.busy} data-testid="storage-settings-submit">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type DeleteResult = ResponseOf<'recordings.delete'>;

export function DeleteForm({ cameras, onDeleted }: { cameras: CameraRecordingView[]; onDeleted: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [cameraId, setCameraId] = useState<string | null>(null);
  const [from, setFrom] = useState(() => toLocalDateTimeInput(Date.now() - 86_400_000));
  const [to, setTo] = useState(() => toLocalDateTimeInput(Date.now() - 3_600_000));
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [result, setResult] = useState<DeleteResult | null>(null);

  const fromMs = fromLocalDateTimeInput(from);
  const toMs = fromLocalDateTimeInput(to);
  const rangeOk = fromMs !== null && toMs !== null && toMs > fromMs;
  const ready = cameraId !== null && rangeOk && reason.trim().length >= DELETE_REASON.min;
  const camera = cameras.find((c) => String(c.cameraId) === cameraId);

  const run = async () => {
    if (!ready || fromMs === null || toMs === null) return;
    const deleted = await action.run('recordings.delete', { cameraId: Number(cameraId), fromMs, toMs, reason });
    setConfirming(false);
    setConfirmed(false);
    if (!deleted) return;
    setResult(deleted);
    setReason('');
    onDeleted();
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) setConfirming(true);
      }}
      noValidate
    >
      <Stack gap={6}>
        <Text size="xs" c="dimmed">
          {t('storage.delete.intro')}
        </Text>
        <Select
          data-testid="storage-delete-camera"
          label={t('storage.recording.camera')}
          data={cameras.map((c) => ({ value: String(c.cameraId), label: cameraLabel(c) }))}
          value={cameraId}
          onChange={setCameraId}
          searchable
        />
        <Group grow gap="xs" align="flex-start">
          <DateTimeInput kind="datetime" testId="storage-delete-from" label={t('holds.form.from')} value={from} onChange={setFrom} />
          <DateTimeInput
            kind="datetime"
            testId="storage-delete-to"
            label={t('holds.form.to')}
            value={to}
            onChange={setTo}
            problem={from && to && !rangeOk ? t('holds.form.problems.order') : undefined}
          />
        </Group>
        <Textarea
          data-testid="storage-delete-reason"
          label={t('common.reason')}
          description={t('storage.delete.reasonHint', { min: DELETE_REASON.min })}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={DELETE_REASON.max}
        />
        <ErrorAlert error={action.error} context="recording" testId="storage-delete-error" />
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
              <Button color="red" disabled={!confirmed} loading={action.busy} data-testid="storage-delete-run" onClick={() => void run()}>
                {t('storage.delete.submit')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </form>
  );
}
