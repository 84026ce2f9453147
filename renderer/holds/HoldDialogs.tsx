// Placing, extending and releasing a legal hold (DESIGN R2; ELB 1.13, 1.14, JON 11). A hold only
// grows until a supervisor releases it; every step needs a reason that the engine records in the
// hold's history and in the audit log.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Modal, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { HOLD_KINDS, type HoldView } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { MIN_HOLD_REASON, itemProblem, newItemRow, reasonOk, toHoldItems, type ItemRow } from './hold-form-model';
import { ItemRowsEditor, type CameraOption } from './ItemRowsEditor';
import { formatDate, reviewDateFromInput, toLocalDateInput } from './time-input';

const isKind = (v: string): v is HoldView['kind'] => (HOLD_KINDS as readonly string[]).includes(v);
const DEFAULT_REVIEW_DAYS = 90;

export function PlaceHoldModal({
  cameras,
  initialRows,
  initialCaseReference = '',
  onClose,
  onPlaced,
}: {
  cameras: CameraOption[];
  /** Pre-filled cameras and ranges (from playback: the visible range of the cameras shown). */
  initialRows?: ItemRow[];
  initialCaseReference?: string;
  onClose: () => void;
  onPlaced: (hold: HoldView) => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const [kind, setKind] = useState<HoldView['kind']>('legal');
  const [caseReference, setCaseReference] = useState(initialCaseReference);
  const [legalBasis, setLegalBasis] = useState('');
  const [requestingBody, setRequestingBody] = useState('');
  const [reason, setReason] = useState('');
  const [review, setReview] = useState(() => toLocalDateInput(Date.now() + DEFAULT_REVIEW_DAYS * 86_400_000));
  const [rows, setRows] = useState<ItemRow[]>(() => initialRows ?? [newItemRow(Date.now(), cameras.length === 1 ? (cameras[0]?.value ?? null) : null)]);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);

  const reviewDateMs = reviewDateFromInput(review);
  const problems = {
    caseReference: !caseReference.trim(),
    legalBasis: !legalBasis.trim(),
    requestingBody: !requestingBody.trim(),
    reason: !reasonOk(reason),
    review: reviewDateMs === null,
    items: rows.length === 0 || rows.some((r) => itemProblem(r) !== null),
  };
  const valid = !Object.values(problems).some(Boolean);
  const show = (p: boolean, key: string) => (tried && p ? t(key) : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!valid || reviewDateMs === null) return;
    setBusy(true);
    const r = await api.call('holds.place', { kind, caseReference, legalBasis, requestingBody, reason, reviewDateMs, items: toHoldItems(rows) });
    setBusy(false);
    if (r.ok) onPlaced(r.value);
    else setError(r.error);
  };

  return (
    <Modal opened onClose={onClose} title={t('holds.place.title')} size={760}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="hold-form">
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            {t('holds.place.intro')}
          </Text>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('holds.fields.kind')}
            </Text>
            <SegmentedControl
              data-testid="hold-form-kind"
              value={kind}
              onChange={(v) => isKind(v) && setKind(v)}
              data={HOLD_KINDS.map((k) => ({ value: k, label: t(`holds.kind.${k}`) }))}
            />
            <Text size="xs" c="dimmed">
              {t(`holds.kindHint.${kind}`)}
            </Text>
          </Stack>
          <Group grow align="flex-start">
            <TextInput
              data-testid="hold-form-case"
              label={t('holds.fields.caseReference')}
              placeholder={t('holds.place.casePlaceholder')}
              value={caseReference}
              onChange={(e) => setCaseReference(e.currentTarget.value)}
              error={show(problems.caseReference, 'holds.form.problems.required')}
              maxLength={100}
              withAsterisk
              data-autofocus
            />
            <TextInput
              data-testid="hold-form-body"
              label={t('holds.fields.requestingBody')}
              placeholder={t(`holds.place.bodyPlaceholder.${kind}`)}
              value={requestingBody}
              onChange={(e) => setRequestingBody(e.currentTarget.value)}
              error={show(problems.requestingBody, 'holds.form.problems.required')}
              maxLength={200}
              withAsterisk
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              data-testid="hold-form-basis"
              label={t('holds.fields.legalBasis')}
              placeholder={t('holds.place.basisPlaceholder')}
              value={legalBasis}
              onChange={(e) => setLegalBasis(e.currentTarget.value)}
              error={show(problems.legalBasis, 'holds.form.problems.required')}
              maxLength={300}
              withAsterisk
            />
            <TextInput
              type="date"
              data-testid="hold-form-review"
              label={t('holds.fields.reviewDate')}
              description={t('holds.place.reviewHint')}
              value={review}
              onChange={(e) => setReview(e.currentTarget.value)}
              error={show(problems.review, 'holds.form.problems.reviewDate')}
              withAsterisk
            />
          </Group>
          <Textarea
            data-testid="hold-form-reason"
            label={t('holds.fields.reason')}
            description={t('holds.form.reasonHint', { min: MIN_HOLD_REASON })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={show(problems.reason, 'holds.form.problems.reason')}
            autosize
            minRows={2}
            maxLength={2000}
            withAsterisk
          />
          <ItemRowsEditor rows={rows} onChange={setRows} cameras={cameras} showProblems={tried} minRows={1} testPrefix="hold-form" />
          {cameras.length === 0 && (
            <Text size="xs" c="yellow.4" data-testid="hold-form-no-cameras">
              {t('holds.form.noCameras')}
            </Text>
          )}
          <ErrorAlert error={error} context="recording" testId="hold-form-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="hold-form-submit">
              {t('holds.place.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ExtendHoldModal({ hold, cameras, onClose, onDone }: { hold: HoldView; cameras: CameraOption[]; onClose: () => void; onDone: (hold: HoldView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const current = toLocalDateInput(hold.reviewDateMs);
  const [review, setReview] = useState(current);
  const [rows, setRows] = useState<ItemRow[]>([]);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);

  const reviewMs = review === current ? null : reviewDateFromInput(review);
  const reviewProblem = review !== current && (reviewMs === null || reviewMs <= hold.reviewDateMs);
  const nothing = reviewMs === null && rows.length === 0;
  const valid = !reviewProblem && !nothing && reasonOk(reason) && rows.every((r) => itemProblem(r) === null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!valid) return;
    setBusy(true);
    const r = await api.call('holds.extend', { holdId: hold.id, reviewDateMs: reviewMs, addItems: toHoldItems(rows), reason });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  return (
    <Modal opened onClose={onClose} title={t('holds.extend.title', { caseReference: hold.caseReference })} size={760}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="hold-extend-form">
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            {t('holds.extend.intro')}
          </Text>
          <TextInput
            type="date"
            data-testid="hold-extend-review"
            label={t('holds.extend.newReviewDate')}
            description={t('holds.extend.currentReview', { date: formatDate(hold.reviewDateMs) })}
            value={review}
            min={current}
            onChange={(e) => setReview(e.currentTarget.value)}
            error={reviewProblem ? t('holds.form.problems.reviewLater') : undefined}
            w={260}
          />
          <ItemRowsEditor rows={rows} onChange={setRows} cameras={cameras} showProblems={tried} minRows={0} testPrefix="hold-extend" />
          <Textarea
            data-testid="hold-extend-reason"
            label={t('holds.fields.reason')}
            description={t('holds.form.reasonHint', { min: MIN_HOLD_REASON })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={tried && !reasonOk(reason) ? t('holds.form.problems.reason') : undefined}
            autosize
            minRows={2}
            maxLength={1000}
            withAsterisk
          />
          {tried && nothing && (
            <Text size="xs" c="red.4" data-testid="hold-extend-nothing">
              {t('holds.extend.nothing')}
            </Text>
          )}
          <ErrorAlert error={error} context="recording" testId="hold-extend-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="hold-extend-submit">
              {t('holds.extend.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ReleaseHoldModal({ hold, onClose, onDone }: { hold: HoldView; onClose: () => void; onDone: (hold: HoldView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const ready = reasonOk(reason) && confirmed;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    const r = await api.call('holds.release', { holdId: hold.id, reason });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  return (
    <Modal opened onClose={onClose} title={t('holds.release.title', { caseReference: hold.caseReference })} size={560}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="hold-release-form">
        <Stack gap="sm">
          <Alert color="orange" py={6}>
            {t('holds.release.warning')}
          </Alert>
          <Textarea
            data-testid="hold-release-reason"
            label={t('holds.release.reason')}
            description={t('holds.form.reasonHint', { min: MIN_HOLD_REASON })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={1000}
            withAsterisk
            data-autofocus
          />
          <Checkbox data-testid="hold-release-confirm" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} label={t('holds.release.confirm')} />
          <ErrorAlert error={error} context="recording" testId="hold-release-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy} disabled={!ready} data-testid="hold-release-submit">
              {t('holds.release.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
