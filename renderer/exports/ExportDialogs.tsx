// Deciding on an export request, extending a data subject's deadline, and recording the handover
// (docs/design/exports.md "Request, deadline, decision", §5; R6; BRN 16.4; JON 20). Every step needs words the engine writes to the
// request's history and to the audit log; their bounds are the contract's.
import { useState } from 'react';
import { Alert, Button, Divider, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportView } from '../../shared/contract';
import { CameraRangeTable } from '../components/CameraRangeTable';
import { formatDateTime, fromLocalDateTimeInput, toLocalDateTimeSecondsInput } from '../kit/format-time';
import { FormModal } from '../kit/FormModal';
import { ReasonModal } from '../kit/ReasonModal';
import { TextAreaField, TextField } from '../kit/TextField';
import { useAction } from '../kit/use-action';
import { useFieldForm } from '../kit/use-field-form';
import { DeadlineText, RequestFields } from './export-parts';
import { FUTURE_SKEW_MS, MEDIUM_SUGGESTIONS, createIssueKey } from './exports-model';
import { DateTimeInput } from '../kit/DateTimeInput';

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
  /** The package cannot be received before it was finished (the engine refuses that too). */
  const producedAtMs = view.production?.finishedAtMs ?? view.production?.startedAtMs ?? 0;
  /** When the form was last checked: a handover cannot be recorded for the future. */
  const [checkedAtMs, setCheckedAtMs] = useState(() => Date.now());
  const whenProblem = (when: string, nowMs: number) => {
    const receivedAtMs = fromLocalDateTimeInput(when);
    return receivedAtMs === null || receivedAtMs > nowMs + FUTURE_SKEW_MS ? 'exports.problems.received' : receivedAtMs < producedAtMs ? 'exports.problems.beforeProduction' : null;
  };
  const form = useFieldForm(
    'exports.handover',
    () => ({ receivedBy: view.recipient, when: toLocalDateTimeSecondsInput(Math.ceil(Math.max(Date.now(), producedAtMs) / 1000) * 1000), medium: '', note: '' }),
    (v) => {
      const when = whenProblem(v.when, checkedAtMs);
      return { receivedBy: !v.receivedBy.trim() && t('exports.problems.required'), when: when && t(when), medium: !v.medium.trim() && t('exports.problems.required') };
    },
  );
  const issueKey = createIssueKey(action.error);

  const submit = async () => {
    const now = Date.now();
    setCheckedAtMs(now);
    const { receivedBy, when, medium, note } = form.values;
    const receivedAtMs = fromLocalDateTimeInput(when);
    form.attempt();
    // The time is checked against now, not against the last render.
    if (form.problems.receivedBy || form.problems.medium || receivedAtMs === null || whenProblem(when, now) !== null) return;
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
      <TextField {...form.text('receivedBy', 'export-handover-received-by')} label={t('exports.handover.receivedBy')} description={t('exports.handover.receivedByHint')} withAsterisk data-autofocus />
      <DateTimeInput kind="datetime-seconds" {...form.text('when', 'export-handover-when')} label={t('exports.handover.when')} w={240} withAsterisk />
      <Stack gap={4}>
        <TextField {...form.text('medium', 'export-handover-medium')} label={t('exports.handover.medium')} placeholder={t('exports.handover.mediumPlaceholder')} withAsterisk />
        <Group gap={4}>
          {MEDIUM_SUGGESTIONS.map((m) => (
            <Button key={m} size="compact-xs" variant="default" data-testid={`export-handover-medium-${m}`} onClick={() => form.set('medium', t(`exports.handover.mediumSuggestion.${m}`))}>
              {t(`exports.handover.mediumSuggestion.${m}`)}
            </Button>
          ))}
        </Group>
      </Stack>
      <TextAreaField {...form.text('note', 'export-handover-note')} label={t('exports.handover.note')} placeholder={t('exports.handover.notePlaceholder')} />
    </FormModal>
  );
}
