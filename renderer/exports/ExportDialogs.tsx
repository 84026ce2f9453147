// Deciding on an export request, extending a data subject's deadline, and recording the handover
// (issue 6 §2, §5; DESIGN R6; BRN 16.4; JON 20). Every step needs words the engine writes to the
// request's history and to the audit log.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Divider, Group, Modal, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { CameraRangeTable } from '../components/CameraRangeTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDateTime, fromLocalDateTimeInput } from '../holds/time-input';
import { DeadlineText, Field } from './export-parts';
import { FUTURE_SKEW_MS, MAX_EXPORT_REASON, MIN_EXPORT_REASON, MEDIUM_SUGGESTIONS, createIssueKey, toLocalDateTimeSecondsInput } from './exports-model';

const reasonOk = (s: string) => s.trim().length >= MIN_EXPORT_REASON;

/** The whole request, as the deciding supervisor must see it before approving or rejecting. */
function RequestSummary({ view }: { view: ExportView }) {
  const { t } = useTranslation();
  const [nowMs] = useState(() => Date.now());
  return (
    <Stack gap={6} data-testid="export-decide-summary">
      <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
        <Field label={t('exports.fields.body')}>
          {t(`exports.bodyType.${view.bodyType}`)}: {view.bodyName}
        </Field>
        <Field label={t('exports.fields.bodyReference')}>{view.bodyReference}</Field>
        <Field label={t('exports.fields.receivedAt')}>{formatDateTime(view.receivedAtMs)}</Field>
        <Field label={t('exports.fields.requestedBy')}>
          {view.requestedBy} · {formatDateTime(view.requestedAtMs)}
        </Field>
        <Field label={t('exports.fields.legalBasis')}>{view.legalBasis}</Field>
        <Field label={t('exports.fields.recipient')}>{view.recipient}</Field>
      </SimpleGrid>
      <Field label={t('exports.fields.purpose')}>{view.purpose}</Field>
      <CameraRangeTable items={view.items} />
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          {t(view.urgent ? 'exports.fields.deadlineUrgent' : 'exports.fields.deadline')}:
        </Text>
        <DeadlineText view={view} nowMs={nowMs} />
      </Group>
    </Stack>
  );
}

export function DecideExportModal({ view, approve, onClose, onDone }: { view: ExportView; approve: boolean; onClose: () => void; onDone: (view: ExportView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const ready = reasonOk(reason);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    const r = await api.call('exports.decide', { exportId: view.id, approve, reason });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t(approve ? 'exports.decide.approveTitle' : 'exports.decide.rejectTitle', { number: view.number })}
      size={640}
      attributes={{ content: { 'data-testid': 'export-decide-modal', 'data-approve': String(approve) } }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            {t('exports.decide.intro')}
          </Text>
          <RequestSummary view={view} />
          <Divider />
          <Textarea
            data-testid="export-decide-reason"
            label={t(approve ? 'exports.decide.approveReason' : 'exports.decide.rejectReason')}
            description={t('exports.reasonHint', { min: MIN_EXPORT_REASON })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={MAX_EXPORT_REASON}
            withAsterisk
            data-autofocus
          />
          <ErrorAlert error={error} testId="export-decide-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={approve ? 'teal' : 'red'} loading={busy} disabled={!ready} data-testid="export-decide-submit">
              {t(approve ? 'exports.decide.approve' : 'exports.decide.reject')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ExtendDeadlineModal({ view, onClose, onDone }: { view: ExportView; onClose: () => void; onDone: (view: ExportView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [months, setMonths] = useState<1 | 2>(1);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const ready = reasonOk(reason);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    const r = await api.call('exports.extendDeadline', { exportId: view.id, months, reason });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  return (
    <Modal opened onClose={onClose} title={t('exports.extend.title', { number: view.number })} size={520} attributes={{ content: { 'data-testid': 'export-extend-modal' } }}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            {t('exports.extend.intro', { date: formatDateTime(view.deadlineMs) })}
          </Text>
          <SegmentedControl
            data-testid="export-extend-months"
            value={String(months)}
            onChange={(v) => setMonths(v === '2' ? 2 : 1)}
            data={[
              { value: '1', label: t('exports.extend.months', { count: 1 }) },
              { value: '2', label: t('exports.extend.months', { count: 2 }) },
            ]}
          />
          <Textarea
            data-testid="export-extend-reason"
            label={t('exports.extend.reason')}
            description={t('exports.reasonHint', { min: MIN_EXPORT_REASON })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={MAX_EXPORT_REASON}
            withAsterisk
            data-autofocus
          />
          <Text size="xs" c="dimmed">
            {t('exports.extend.inform')}
          </Text>
          <ErrorAlert error={error} testId="export-extend-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!ready} data-testid="export-extend-submit">
              {t('exports.extend.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function HandoverModal({ view, onClose, onDone }: { view: ExportView; onClose: () => void; onDone: (view: ExportView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [receivedBy, setReceivedBy] = useState(view.recipient);
  /** The package cannot be received before it was finished (the engine refuses that too). */
  const producedAtMs = view.production?.finishedAtMs ?? view.production?.startedAtMs ?? 0;
  const [when, setWhen] = useState(() => toLocalDateTimeSecondsInput(Math.ceil(Math.max(Date.now(), producedAtMs) / 1000) * 1000));
  const [medium, setMedium] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  /** When the form was last checked: a handover cannot be recorded for the future. */
  const [checkedAtMs, setCheckedAtMs] = useState(() => Date.now());
  const receivedAtMs = fromLocalDateTimeInput(when);
  const whenProblem = (nowMs: number) =>
    receivedAtMs === null ? 'exports.problems.received' : receivedAtMs > nowMs + FUTURE_SKEW_MS ? 'exports.problems.received' : receivedAtMs < producedAtMs ? 'exports.problems.beforeProduction' : null;
  const problems = { receivedBy: !receivedBy.trim(), when: whenProblem(checkedAtMs), medium: !medium.trim() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const now = Date.now();
    setCheckedAtMs(now);
    setTried(true);
    if (!receivedBy.trim() || !medium.trim() || receivedAtMs === null || whenProblem(now) !== null) return;
    setBusy(true);
    const r = await api.call('exports.handover', { exportId: view.id, receivedBy, receivedAtMs, medium, note });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  return (
    <Modal opened onClose={onClose} title={t('exports.handover.title', { number: view.number })} size={560} attributes={{ content: { 'data-testid': 'export-handover-modal' } }}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Alert color="blue" py={6}>
            {t('exports.handover.intro')}
          </Alert>
          <TextInput
            data-testid="export-handover-received-by"
            label={t('exports.handover.receivedBy')}
            description={t('exports.handover.receivedByHint')}
            value={receivedBy}
            onChange={(e) => setReceivedBy(e.currentTarget.value)}
            error={tried && problems.receivedBy ? t('exports.problems.required') : undefined}
            maxLength={200}
            withAsterisk
            data-autofocus
          />
          <TextInput
            type="datetime-local"
            step={1}
            data-testid="export-handover-when"
            label={t('exports.handover.when')}
            value={when}
            onChange={(e) => setWhen(e.currentTarget.value)}
            error={tried && problems.when ? t(problems.when) : undefined}
            w={240}
            withAsterisk
          />
          <Stack gap={4}>
            <TextInput
              data-testid="export-handover-medium"
              label={t('exports.handover.medium')}
              placeholder={t('exports.handover.mediumPlaceholder')}
              value={medium}
              onChange={(e) => setMedium(e.currentTarget.value)}
              error={tried && problems.medium ? t('exports.problems.required') : undefined}
              maxLength={100}
              withAsterisk
            />
            <Group gap={4}>
              {MEDIUM_SUGGESTIONS.map((m) => (
                <Button key={m} size="compact-xs" variant="default" data-testid={`export-handover-medium-${m}`} onClick={() => setMedium(t(`exports.handover.mediumSuggestion.${m}`))}>
                  {t(`exports.handover.mediumSuggestion.${m}`)}
                </Button>
              ))}
            </Group>
          </Stack>
          <Textarea
            data-testid="export-handover-note"
            label={t('exports.handover.note')}
            placeholder={t('exports.handover.notePlaceholder')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={1000}
          />
          {createIssueKey(error) ? (
            <Alert color="red" py={6} data-testid="export-handover-error" data-error-kind={error?.kind}>
              {t(createIssueKey(error)!)}
            </Alert>
          ) : (
            <ErrorAlert error={error} testId="export-handover-error" />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="export-handover-submit">
              {t('exports.handover.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
