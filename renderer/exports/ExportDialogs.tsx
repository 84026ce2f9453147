// Deciding on an export request, extending a data subject's deadline, and recording the handover
// (docs/design/exports.md "Request, deadline, decision", §5; R6; BRN 16.4; JON 20). Every step needs words the engine writes to the
// request's history and to the audit log; their bounds are the contract's.
import { useState } from 'react';
import { Alert, Button, Divider, Group, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportView } from '../../shared/contract';
import { CameraRangeTable } from '../components/CameraRangeTable';
import { requestLimits } from '../kit/contract-limits';
import { formatDateTime, fromLocalDateTimeInput, toLocalDateTimeSecondsInput } from '../kit/format-time';
import { FormModal } from '../kit/FormModal';
import { ReasonModal } from '../kit/ReasonModal';
import { useAction } from '../kit/use-action';
import { DeadlineText, RequestFields } from './export-parts';
import { FUTURE_SKEW_MS, MEDIUM_SUGGESTIONS, createIssueKey } from './exports-model';

const handoverMax = (field: string) => requestLimits('exports.handover', field).max;

export function DecideExportModal({ view, approve, onClose, onDone }: { view: ExportView; approve: boolean; onClose: () => void; onDone: (view: ExportView) => void }) {
  const { t } = useTranslation();
  const [nowMs] = useState(() => Date.now());
  return (
    <ReasonModal
      command="exports.decide"
      request={(reason) => ({ exportId: view.id, approve, reason })}
      onDone={onDone}
      onClose={onClose}
      title={t(approve ? 'exports.decide.approveTitle' : 'exports.decide.rejectTitle', { number: view.number })}
      intro={t('exports.decide.intro')}
      label={t(approve ? 'exports.decide.approveReason' : 'exports.decide.rejectReason')}
      hintKey="exports.reasonHint"
      submitLabel={t(approve ? 'exports.decide.approve' : 'exports.decide.reject')}
      submitColor={approve ? 'teal' : 'red'}
      size={640}
      testId="export-decide-modal"
      contentAttributes={{ 'data-approve': String(approve) }}
      inputTestId="export-decide-reason"
      submitTestId="export-decide-submit"
      errorTestId="export-decide-error"
    >
      {/* The whole request, as the deciding supervisor must see it before approving or rejecting. */}
      <Stack gap={6} data-testid="export-decide-summary">
        <RequestFields view={view} withTestIds={false} />
        <CameraRangeTable items={view.items} />
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            {t(view.urgent ? 'exports.fields.deadlineUrgent' : 'exports.fields.deadline')}:
          </Text>
          <DeadlineText view={view} nowMs={nowMs} />
        </Group>
      </Stack>
      <Divider />
    </ReasonModal>
  );
}

export function ExtendDeadlineModal({ view, onClose, onDone }: { view: ExportView; onClose: () => void; onDone: (view: ExportView) => void }) {
  const { t } = useTranslation();
  const [months, setMonths] = useState<1 | 2>(1);
  return (
    <ReasonModal
      command="exports.extendDeadline"
      request={(reason) => ({ exportId: view.id, months, reason })}
      onDone={onDone}
      onClose={onClose}
      title={t('exports.extend.title', { number: view.number })}
      intro={t('exports.extend.intro', { date: formatDateTime(view.deadlineMs) })}
      label={t('exports.extend.reason')}
      hintKey="exports.reasonHint"
      submitLabel={t('exports.extend.submit')}
      size={520}
      testId="export-extend-modal"
      inputTestId="export-extend-reason"
      submitTestId="export-extend-submit"
      errorTestId="export-extend-error"
      after={
        <Text size="xs" c="dimmed">
          {t('exports.extend.inform')}
        </Text>
      }
    >
      <SegmentedControl
        data-testid="export-extend-months"
        value={String(months)}
        onChange={(v) => setMonths(v === '2' ? 2 : 1)}
        data={[
          { value: '1', label: t('exports.extend.months', { count: 1 }) },
          { value: '2', label: t('exports.extend.months', { count: 2 }) },
        ]}
      />
    </ReasonModal>
  );
}

export function HandoverModal({ view, onClose, onDone }: { view: ExportView; onClose: () => void; onDone: (view: ExportView) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [receivedBy, setReceivedBy] = useState(view.recipient);
  /** The package cannot be received before it was finished (the engine refuses that too). */
  const producedAtMs = view.production?.finishedAtMs ?? view.production?.startedAtMs ?? 0;
  const [when, setWhen] = useState(() => toLocalDateTimeSecondsInput(Math.ceil(Math.max(Date.now(), producedAtMs) / 1000) * 1000));
  const [medium, setMedium] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  /** When the form was last checked: a handover cannot be recorded for the future. */
  const [checkedAtMs, setCheckedAtMs] = useState(() => Date.now());
  const receivedAtMs = fromLocalDateTimeInput(when);
  const whenProblem = (nowMs: number) =>
    receivedAtMs === null || receivedAtMs > nowMs + FUTURE_SKEW_MS ? 'exports.problems.received' : receivedAtMs < producedAtMs ? 'exports.problems.beforeProduction' : null;
  const problems = { receivedBy: !receivedBy.trim(), when: whenProblem(checkedAtMs), medium: !medium.trim() };
  const issueKey = createIssueKey(action.error);

  const submit = async () => {
    const now = Date.now();
    setCheckedAtMs(now);
    setTried(true);
    if (!receivedBy.trim() || !medium.trim() || receivedAtMs === null || whenProblem(now) !== null) return;
    const next = await action.run('exports.handover', { exportId: view.id, receivedBy, receivedAtMs, medium, note });
    if (next) onDone(next);
  };

  return (
    <FormModal
      title={t('exports.handover.title', { number: view.number })}
      size={560}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('exports.handover.submit')}
      busy={action.busy}
      error={action.error}
      errorText={issueKey && t(issueKey)}
      testId="export-handover-modal"
      submitTestId="export-handover-submit"
      errorTestId="export-handover-error"
    >
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
        maxLength={handoverMax('receivedBy')}
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
          maxLength={handoverMax('medium')}
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
        maxLength={handoverMax('note')}
      />
    </FormModal>
  );
}
