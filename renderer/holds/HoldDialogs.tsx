// Placing, extending and releasing a legal hold (R2; ELB 1.13, 1.14, JON 11). A hold only
// grows until a supervisor releases it; every step needs a reason that the engine records in the
// hold's history and in the audit log. Bounds come from the contract (kit/contract-limits.ts).
import { useState } from 'react';
import { Alert, Checkbox, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { HOLD_KINDS, namesExport, type HoldView } from '../../shared/contract';
import { ItemRowsEditor, type ItemRowsText } from '../components/ItemRowsEditor';
import { fieldAccepts, textLimits } from '../kit/contract-limits';
import { formatDate, reviewDateFromInput, toLocalDateInput } from '../kit/format-time';
import { FormModal } from '../kit/FormModal';
import { ReasonModal } from '../kit/ReasonModal';
import { TextAreaField, TextField } from '../kit/TextField';
import { useAction } from '../kit/use-action';
import type { CameraOption } from '../kit/use-camera-options';
import { useFieldForm } from '../kit/use-field-form';
import { MAX_HOLD_ITEMS, itemProblem, newItemRow, toHoldItems, type ItemRow } from './hold-form-model';
import { DateTimeInput } from '../kit/DateTimeInput';

const isKind = (v: string): v is HoldView['kind'] => (HOLD_KINDS as readonly string[]).includes(v);
const DEFAULT_REVIEW_DAYS = 90;

function useRowsText(): ItemRowsText {
  const { t } = useTranslation();
  return {
    title: t('holds.form.items'),
    camera: t('holds.form.camera'),
    from: t('holds.form.from'),
    to: t('holds.form.to'),
    remove: t('holds.form.removeItem'),
    add: t('holds.form.addItem'),
    hint: t('holds.form.itemsHint', { max: MAX_HOLD_ITEMS }),
    none: t('holds.form.noItems'),
    problems: { camera: t('holds.form.problems.camera'), from: t('holds.form.problems.from'), to: t('holds.form.problems.to'), order: t('holds.form.problems.order') },
  };
}

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
  const { t } = useTranslation();
  const action = useAction();
  const rowsText = useRowsText();
  const [kind, setKind] = useState<HoldView['kind']>('legal');
  const [rows, setRows] = useState<ItemRow[]>(() => initialRows ?? [newItemRow(Date.now(), cameras.length === 1 ? (cameras[0]?.value ?? null) : null)]);
  const reasonBounds = textLimits('holds.place', 'reason');
  const required = (value: string) => !value.trim() && t('holds.form.problems.required');
  const form = useFieldForm(
    'holds.place',
    () => ({ caseReference: initialCaseReference, legalBasis: '', requestingBody: '', reason: '', review: toLocalDateInput(Date.now() + DEFAULT_REVIEW_DAYS * 86_400_000) }),
    (v) => ({
      caseReference: required(v.caseReference),
      legalBasis: required(v.legalBasis),
      requestingBody: required(v.requestingBody),
      reason: !fieldAccepts('holds.place', ['reason'], v.reason) && t('holds.form.problems.reason', reasonBounds),
      review: reviewDateFromInput(v.review) === null && t('holds.form.problems.reviewDate'),
      items: rows.length === 0 || rows.some((r) => itemProblem(r) !== null),
    }),
  );

  const submit = async () => {
    const { caseReference, legalBasis, requestingBody, reason, review } = form.values;
    const reviewDateMs = reviewDateFromInput(review);
    if (!form.attempt() || reviewDateMs === null) return;
    const hold = await action.run('holds.place', { kind, caseReference, legalBasis, requestingBody, reason, reviewDateMs, items: toHoldItems(rows) });
    if (hold) onPlaced(hold);
  };

  return (
    <FormModal
      title={t('holds.place.title')}
      size={760}
      intro={t('holds.place.intro')}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={t('holds.place.submit')}
      busy={action.busy}
      error={action.error}
      errorContext="recording"
      formTestId="hold-form"
      submitTestId="hold-form-submit"
      errorTestId="hold-form-error"
    >
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('holds.fields.kind')}
        </Text>
        <SegmentedControl data-testid="hold-form-kind" value={kind} onChange={(v) => isKind(v) && setKind(v)} data={HOLD_KINDS.map((k) => ({ value: k, label: t(`holds.kind.${k}`) }))} />
        <Text size="xs" c="dimmed">
          {t(`holds.kindHint.${kind}`)}
        </Text>
      </Stack>
      <Group grow align="flex-start">
        <TextField {...form.text('caseReference', 'hold-form-case')} label={t('holds.fields.caseReference')} placeholder={t('holds.place.casePlaceholder')} withAsterisk data-autofocus />
        <TextField {...form.text('requestingBody', 'hold-form-body')} label={t('holds.fields.requestingBody')} placeholder={t(`holds.place.bodyPlaceholder.${kind}`)} withAsterisk />
      </Group>
      <Group grow align="flex-start">
        <TextField {...form.text('legalBasis', 'hold-form-basis')} label={t('holds.fields.legalBasis')} placeholder={t('holds.place.basisPlaceholder')} withAsterisk />
        <DateTimeInput kind="date" {...form.text('review', 'hold-form-review')} label={t('holds.fields.reviewDate')} description={t('holds.place.reviewHint')} withAsterisk />
      </Group>
      <TextAreaField {...form.text('reason', 'hold-form-reason')} label={t('holds.fields.reason')} description={t('holds.form.reasonHint', reasonBounds)} withAsterisk />
      <ItemRowsEditor rows={rows} onChange={setRows} cameras={cameras} showProblems={form.tried} minRows={1} maxRows={MAX_HOLD_ITEMS} text={rowsText} testPrefix="hold-form" />
      {cameras.length === 0 && (
        <Text size="xs" c="yellow.4" data-testid="hold-form-no-cameras">
          {t('holds.form.noCameras')}
        </Text>
      )}
    </FormModal>
  );
}

export function ExtendHoldModal({ hold, cameras, onClose, onDone }: { hold: HoldView; cameras: CameraOption[]; onClose: () => void; onDone: (hold: HoldView) => void }) {
  const { t } = useTranslation();
  const rowsText = useRowsText();
  const current = toLocalDateInput(hold.reviewDateMs);
  const [review, setReview] = useState(current);
  const [rows, setRows] = useState<ItemRow[]>([]);
  const [tried, setTried] = useState(false);

  const reviewMs = review === current ? null : reviewDateFromInput(review);
  const reviewProblem = review !== current && (reviewMs === null || reviewMs <= hold.reviewDateMs);
  const nothing = reviewMs === null && rows.length === 0;
  const valid = !reviewProblem && !nothing && rows.every((r) => itemProblem(r) === null);

  return (
    <ReasonModal
      command="holds.extend"
      request={(reason) => ({ holdId: hold.id, reviewDateMs: reviewMs, addItems: toHoldItems(rows), reason })}
      onDone={onDone}
      onClose={onClose}
      check={() => {
        setTried(true);
        return valid;
      }}
      title={t('holds.extend.title', { caseReference: hold.caseReference })}
      intro={t('holds.extend.intro')}
      label={t('holds.fields.reason')}
      hintKey="holds.form.reasonHint"
      submitLabel={t('holds.extend.submit')}
      size={760}
      errorContext="recording"
      formTestId="hold-extend-form"
      inputTestId="hold-extend-reason"
      submitTestId="hold-extend-submit"
      errorTestId="hold-extend-error"
      after={
        tried &&
        nothing && (
          <Text size="xs" c="red.4" data-testid="hold-extend-nothing">
            {t('holds.extend.nothing')}
          </Text>
        )
      }
    >
      <DateTimeInput
        kind="date"
        testId="hold-extend-review"
        label={t('holds.extend.newReviewDate')}
        description={t('holds.extend.currentReview', { date: formatDate(hold.reviewDateMs) })}
        value={review}
        onChange={setReview}
        problem={reviewProblem ? t('holds.form.problems.reviewLater') : undefined}
        w={260}
      />
      <ItemRowsEditor rows={rows} onChange={setRows} cameras={cameras} showProblems={tried} minRows={0} maxRows={MAX_HOLD_ITEMS} text={rowsText} testPrefix="hold-extend" />
    </ReasonModal>
  );
}

export function ReleaseHoldModal({ hold, onClose, onDone }: { hold: HoldView; onClose: () => void; onDone: (hold: HoldView) => void }) {
  const { t } = useTranslation();
  const [confirmed, setConfirmed] = useState(false);
  // A hold that protects an export before its handover is released only by naming the export.
  const exp = hold.protectsExport;
  const [typed, setTyped] = useState('');
  const exportNamed = !exp || namesExport(typed, exp.number);
  return (
    <ReasonModal
      command="holds.release"
      request={(reason) => ({ holdId: hold.id, reason, ...(exp ? { confirmExport: typed.trim() } : {}) })}
      onDone={onDone}
      onClose={onClose}
      ready={confirmed && exportNamed}
      title={t('holds.release.title', { caseReference: hold.caseReference })}
      label={t('holds.release.reason')}
      hintKey="holds.form.reasonHint"
      submitLabel={t('holds.release.submit')}
      submitColor="red"
      size={560}
      errorContext="recording"
      formTestId="hold-release-form"
      inputTestId="hold-release-reason"
      submitTestId="hold-release-submit"
      errorTestId="hold-release-error"
      after={
        <>
          {exp && (
            <TextInput
              data-testid="hold-release-confirm-export"
              label={t('holds.release.confirmExport', { number: exp.number })}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
              w={320}
            />
          )}
          <Checkbox data-testid="hold-release-confirm" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} label={t('holds.release.confirm')} />
        </>
      }
    >
      {exp && (
        <Alert color="red" py={6} data-testid="hold-release-protects-export">
          {t('holds.release.protectsExport', { number: exp.number, status: t(`exports.status.${exp.status}`) })}
        </Alert>
      )}
      <Alert color="orange" py={6}>
        {t('holds.release.warning')}
      </Alert>
    </ReasonModal>
  );
}
