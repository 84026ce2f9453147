// Registering an export request (issue 6 §1; ELB 1.12, JON 17-20): who asks, under which legal
// basis, for what purpose, for which cameras and ranges, and who will receive the package. The
// engine computes the deadline in working days of the site's country; it is shown once registered.
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Paper, Select, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EXPORT_BODY_TYPES, type ExportView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { newItemRow } from '../holds/hold-form-model';
import { toLocalDateTimeInput } from '../holds/time-input';
import { DeadlineText, useCameraOptions } from './export-parts';
import { ExportItemRows } from './ExportItemRows';
import {
  MAX_EXPORT_ITEMS,
  MAX_PURPOSE,
  MIN_PURPOSE,
  createIssueKey,
  initialRows,
  isBodyType,
  legalBasisExampleKey,
  requestProblems,
  toCreateRequest,
  urgencyApplies,
  type RequestField,
  type RequestForm,
  type SiteCountry,
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
  const api = useApi();
  const { t } = useTranslation();
  const cameras = useCameraOptions(true, initialItems);
  const [country, setCountry] = useState<SiteCountry>('PL');
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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const [created, setCreated] = useState<ExportView | null>(null);
  /** When the form was last checked (the received time cannot be in the future). */
  const [checkedAtMs, setCheckedAtMs] = useState(() => Date.now());

  useEffect(() => {
    let cancelled = false;
    void api.call('site.get', {}).then((r) => {
      if (!cancelled && r.ok) setCountry(r.value.country);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const problems = new Set<RequestField>(tried ? requestProblems(form, checkedAtMs) : []);
  const show = (field: RequestField, key: string) => (problems.has(field) ? t(key) : undefined);
  const set = <K extends keyof RequestForm>(key: K, value: RequestForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const urgentApplies = urgencyApplies(form.bodyType);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const now = Date.now();
    setCheckedAtMs(now);
    setTried(true);
    const request = toCreateRequest(form, incidentId, now);
    if (!request) return;
    setBusy(true);
    const r = await api.call('exports.create', request);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setCreated(r.value);
    onCreated(r.value);
  };

  return (
    <Modal opened onClose={onClose} title={t('exports.request.title')} size={800} attributes={{ content: { 'data-testid': 'export-request-modal' } }}>
      {created ? (
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
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate data-testid="export-form">
          <Stack gap="sm">
            <Text size="xs" c="dimmed">
              {t('exports.request.intro')}
            </Text>
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
              <TextInput
                data-testid="export-form-body-name"
                label={t(form.bodyType === 'data_subject' ? 'exports.fields.personName' : 'exports.fields.bodyName')}
                placeholder={t(`exports.bodyNameExample.${form.bodyType}`)}
                value={form.bodyName}
                onChange={(e) => set('bodyName', e.currentTarget.value)}
                error={show('bodyName', 'exports.problems.required')}
                maxLength={200}
                withAsterisk
                data-autofocus
              />
            </Group>
            <Group grow align="flex-start">
              <TextInput
                data-testid="export-form-reference"
                label={t('exports.fields.bodyReference')}
                description={t('exports.request.referenceHint')}
                value={form.bodyReference}
                onChange={(e) => set('bodyReference', e.currentTarget.value)}
                error={show('bodyReference', 'exports.problems.required')}
                maxLength={100}
                withAsterisk
              />
              <TextInput
                type="datetime-local"
                data-testid="export-form-received"
                label={t('exports.fields.receivedAt')}
                description={t('exports.request.receivedHint')}
                value={form.received}
                onChange={(e) => set('received', e.currentTarget.value)}
                error={show('received', 'exports.problems.received')}
                withAsterisk
              />
            </Group>
            <Textarea
              data-testid="export-form-purpose"
              label={t('exports.fields.purpose')}
              description={t('exports.request.purposeHint', { min: MIN_PURPOSE })}
              value={form.purpose}
              onChange={(e) => set('purpose', e.currentTarget.value)}
              error={show('purpose', 'exports.problems.purpose')}
              autosize
              minRows={2}
              maxLength={MAX_PURPOSE}
              withAsterisk
            />
            <TextInput
              data-testid="export-form-basis"
              label={t('exports.fields.legalBasis')}
              placeholder={t('exports.request.forExample', { example: t(legalBasisExampleKey(form.bodyType, country)) })}
              description={t('exports.request.basisHint')}
              value={form.legalBasis}
              onChange={(e) => set('legalBasis', e.currentTarget.value)}
              error={show('legalBasis', 'exports.problems.required')}
              maxLength={300}
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
            <TextInput
              data-testid="export-form-recipient"
              label={t('exports.fields.recipient')}
              description={t('exports.request.recipientHint')}
              value={form.recipient}
              onChange={(e) => set('recipient', e.currentTarget.value)}
              error={show('recipient', 'exports.problems.required')}
              maxLength={200}
              withAsterisk
            />
            <ExportItemRows rows={form.rows} onChange={(rows) => set('rows', rows)} cameras={cameras} showProblems={tried} nowMs={checkedAtMs} />
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
            {createIssueKey(error) ? (
              <Alert color="red" py={6} data-testid="export-form-error" data-error-kind={error?.kind}>
                {t(createIssueKey(error)!)}
              </Alert>
            ) : (
              <ErrorAlert error={error} testId="export-form-error" />
            )}
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                {t('exports.request.fourEyes')}
              </Text>
              <Group gap="xs">
                <Button variant="default" onClick={onClose}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={busy} data-testid="export-form-submit">
                  {t('exports.request.submit')}
                </Button>
              </Group>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
