// Registering an export request (docs/design/exports.md "Request, deadline, decision"; ELB 1.12, JON 17-20): who asks, under which legal
// basis, for what purpose, for which cameras and ranges, and who will receive the package. The
// engine computes the deadline in working days of the site's country; it is shown once registered.
import { useState } from 'react';
import { Alert, Button, Group, Modal, Paper, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EXPORT_BODY_TYPES, type ExportView } from '../../shared/contract';
import { ItemRowsEditor } from '../components/ItemRowsEditor';
import { newItemRow } from '../holds/hold-form-model';
import { toLocalDateTimeInput } from '../kit/format-time';
import { DateTimeInput } from '../kit/DateTimeInput';
import { FormModal } from '../kit/FormModal';
import { TextAreaField, TextField } from '../kit/TextField';
import { useAction } from '../kit/use-action';
import { useCameraOptions } from '../kit/use-camera-options';
import { useCommand } from '../kit/use-command';
import { DeadlineText } from './export-parts';
import {
  MAX_EXPORT_ITEMS,
  PURPOSE_LIMITS,
  createIssueKey,
  initialRows,
  isBodyType,
  legalBasisExampleKey,
  requestProblems,
  toCreateRequest,
  urgencyApplies,
  type RequestField,
  type RequestForm,
} from './exports-model';

export interface InitialExportItem {
  cameraId: number;
  cameraName?: string;
  fromMs: number;
  toMs: number;
}

export function RequestExportModal({
  initialItems,
  incidentId = null,
  onClose,
  onCreated,
}: {
  /** Pre-filled cameras and ranges (from playback: the visible range; from an incident: its range). */
  initialItems: readonly InitialExportItem[];
  incidentId?: number | null;
  onClose: () => void;
  /** The engine registered it; the dialog stays open to show the deadline until closed. */
  onCreated: (view: ExportView) => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const cameras = useCameraOptions(true, initialItems.map((i) => ({ cameraId: i.cameraId, cameraName: i.cameraName ?? `#${i.cameraId}` }))).withSeen;
  // The site's country sets the legal-basis examples (its statutes).
  const country = useCommand('site.get', {}, []).value?.country ?? 'PL';
  const [form, setForm] = useState<RequestForm>(() => ({
    bodyType: 'police',
    bodyName: '',
    bodyReference: '',
    received: toLocalDateTimeInput(Date.now()),
    purpose: '',
    legalBasis: '',
    urgent: false,
    recipient: '',
    rows: initialItems.length ? initialRows(initialItems, Date.now()) : [newItemRow(Date.now())],
  }));
  const [tried, setTried] = useState(false);
  const [created, setCreated] = useState<ExportView | null>(null);
  /** When the form was last checked (the received time cannot be in the future). */
  const [checkedAtMs, setCheckedAtMs] = useState(() => Date.now());

  const problems = new Set<RequestField>(tried ? requestProblems(form, checkedAtMs) : []);
  const show = (field: RequestField, key: string) => (problems.has(field) ? t(key) : undefined);
  const set = <K extends keyof RequestForm>(key: K, value: RequestForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  /** TextField's props for a text field of the request (its maximum length: the request field of the same name). */
  const text = (key: 'bodyName' | 'bodyReference' | 'received' | 'purpose' | 'legalBasis' | 'recipient', testId: string, problemKey: string) => ({
    testId,
    value: form[key],
    onChange: (value: string) => set(key, value),
    problem: show(key, problemKey),
    limit: ['exports.create', key] as const,
  });
  const urgentApplies = urgencyApplies(form.bodyType);

  const submit = async () => {
    const now = Date.now();
    setCheckedAtMs(now);
    setTried(true);
    const request = toCreateRequest(form, incidentId, now);
    if (!request) return;
    const view = await action.run('exports.create', request);
    if (!view) return;
    setCreated(view);
    onCreated(view);
  };
  const issueKey = createIssueKey(action.error);

  if (created)
    return (
      <Modal opened onClose={onClose} title={t('exports.request.title')} size={800} attributes={{ content: { 'data-testid': 'export-request-modal' } }}>
        <Stack gap="sm" data-testid="export-created" data-export-id={created.id}>
          <Alert color="green" py={6}>
            {t('exports.request.created', { number: created.number })}
          </Alert>
          <Paper withBorder bg="dark.7" p="sm">
            <Group justify="space-between" align="flex-start">
              <Stack gap={2}>
                <Text size="xs" c="dimmed">
                  {t('exports.fields.number')}
                </Text>
                <Title order={3} data-testid="export-created-number">
                  {created.number}
                </Title>
              </Stack>
              <Stack gap={2}>
                <Text size="xs" c="dimmed">
                  {t(created.urgent ? 'exports.fields.deadlineUrgent' : 'exports.fields.deadline')}
                </Text>
                <DeadlineText view={created} nowMs={checkedAtMs} testId="export-created-deadline" />
              </Stack>
            </Group>
            <Text size="xs" c="dimmed" mt="xs">
              {t(`exports.deadlineRule.${created.bodyType === 'data_subject' ? 'dataSubject' : created.urgent ? 'urgent' : 'normal'}`)}
            </Text>
          </Paper>
          <Text size="xs" c="dimmed">
            {t('exports.request.nextStep')}
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="export-created-close">
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    );

  return (
    <FormModal
      title={t('exports.request.title')}
      size={800}
      intro={t('exports.request.intro')}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('exports.request.submit')}
      busy={action.busy}
      error={action.error}
      errorText={issueKey && t(issueKey)}
      footnote={t('exports.request.fourEyes')}
      testId="export-request-modal"
      formTestId="export-form"
      submitTestId="export-form-submit"
      errorTestId="export-form-error"
    >
      <Group grow align="flex-start">
        <Select
          data-testid="export-form-body-type"
          label={t('exports.fields.bodyType')}
          value={form.bodyType}
          onChange={(v) => isBodyType(v) && set('bodyType', v)}
          allowDeselect={false}
          data={EXPORT_BODY_TYPES.map((b) => ({ value: b, label: t(`exports.bodyType.${b}`) }))}
          comboboxProps={{ withinPortal: true }}
          withAsterisk
        />
        <TextField
          {...text('bodyName', 'export-form-body-name', 'exports.problems.required')}
          label={t(form.bodyType === 'data_subject' ? 'exports.fields.personName' : 'exports.fields.bodyName')}
          placeholder={t(`exports.bodyNameExample.${form.bodyType}`)}
          withAsterisk
          data-autofocus
        />
      </Group>
      <Group grow align="flex-start">
        <TextField {...text('bodyReference', 'export-form-reference', 'exports.problems.required')} label={t('exports.fields.bodyReference')} description={t('exports.request.referenceHint')} withAsterisk />
        <DateTimeInput kind="datetime" {...text('received', 'export-form-received', 'exports.problems.received')} label={t('exports.fields.receivedAt')} description={t('exports.request.receivedHint')} withAsterisk />
      </Group>
      <TextAreaField
        {...text('purpose', 'export-form-purpose', 'exports.problems.purpose')}
        label={t('exports.fields.purpose')}
        description={t('exports.request.purposeHint', { min: PURPOSE_LIMITS.min })}
        withAsterisk
      />
      <TextField
        {...text('legalBasis', 'export-form-basis', 'exports.problems.required')}
        label={t('exports.fields.legalBasis')}
        placeholder={t('exports.request.forExample', { example: t(legalBasisExampleKey(form.bodyType, country)) })}
        description={t('exports.request.basisHint')}
        withAsterisk
      />
      {urgentApplies ? (
        <Switch
          data-testid="export-form-urgent"
          label={t('exports.fields.urgent')}
          description={t('exports.deadlineRule.urgentChoice')}
          checked={form.urgent}
          onChange={(e) => set('urgent', e.currentTarget.checked)}
        />
      ) : (
        <Text size="xs" c="dimmed" data-testid="export-form-deadline-rule">
          {t(`exports.deadlineRule.${form.bodyType === 'data_subject' ? 'dataSubject' : 'normal'}`)}
        </Text>
      )}
      <TextField {...text('recipient', 'export-form-recipient', 'exports.problems.required')} label={t('exports.fields.recipient')} description={t('exports.request.recipientHint')} withAsterisk />
      <ItemRowsEditor
        rows={form.rows}
        onChange={(rows) => set('rows', rows)}
        cameras={cameras}
        showProblems={tried}
        minRows={1}
        maxRows={MAX_EXPORT_ITEMS}
        withSeconds
        nowMs={checkedAtMs}
        text={{
          title: t('exports.items.title'),
          camera: t('exports.items.camera'),
          from: t('exports.items.from'),
          to: t('exports.items.to'),
          remove: t('exports.items.remove'),
          add: t('exports.items.add'),
          hint: t('exports.items.hint', { max: MAX_EXPORT_ITEMS }),
          problems: { camera: t('exports.items.problemCamera'), from: t('exports.items.problemTime'), to: t('exports.items.problemTime'), order: t('exports.items.problemOrder') },
        }}
        testPrefix="export-form"
      />
      {problems.has('itemCount') && (
        <Text size="xs" c="red.4" data-testid="export-form-too-many">
          {t('exports.problems.itemCount', { max: MAX_EXPORT_ITEMS })}
        </Text>
      )}
      {problems.has('itemFuture') && (
        <Text size="xs" c="red.4" data-testid="export-form-future">
          {t('exports.problems.itemFuture')}
        </Text>
      )}
      {problems.has('items') && (
        <Text size="xs" c="red.4" data-testid="export-form-items-problem">
          {t('exports.problems.items')}
        </Text>
      )}
      {problems.has('itemLength') && (
        <Text size="xs" c="red.4" data-testid="export-form-too-long">
          {t('exports.problems.itemLength')}
        </Text>
      )}
      {incidentId !== null && (
        <Text size="xs" c="dimmed" data-testid="export-form-incident">
          {t('exports.request.fromIncident', { number: `INC-${incidentId}` })}
        </Text>
      )}
    </FormModal>
  );
}
